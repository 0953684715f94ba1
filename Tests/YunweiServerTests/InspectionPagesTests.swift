import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YunweiDomain

@testable import YunweiServer

@Suite("Self-inspection pages 自查: choice, findings with evidence links, the printable report")
struct InspectionPagesTests {
    static let year = InspectionAPITests.year

    @Test("the findings page groups by rule, links the evidence, and counts every rule")
    func findingsPage() async throws {
        try await withApp { app in
            let planted = try await InspectionAPITests.plant(app)
            let browser = try await Browser(app).signedIn("township_leader")
            let index = try await browser.get("/inspections")
            #expect(index.status == .ok)
            #expect(index.body.string.contains("value=\"\(Fixture.townshipA)\""))
            #expect(!index.body.string.contains("value=\"\(Fixture.townshipB)\""))
            let chosen = try await browser.get("/inspections?unit=\(Fixture.townshipA)&year=\(Self.year)")
            #expect(chosen.status == .seeOther)
            #expect(chosen.headers.first(name: .location) == "/inspections/\(Fixture.townshipA)/\(Self.year)")

            let page = try await browser.get("/inspections/\(Fixture.townshipA)/\(Self.year)")
            #expect(page.status == .ok, "\(page.body.string)")
            let html = page.body.string
            #expect(html.contains("id=\"findings-R5\""))
            #expect(html.contains("href=\"/claims/\(planted.duplicate)\""))
            #expect(html.contains("href=\"/claims/\(planted.original)\""))
            #expect(html.contains("href=\"/claims/\(planted.cash)\""))
            #expect(html.contains("href=\"/ledger/villages/\(Fixture.villageA1)\""))
            #expect(html.contains("href=\"/allocations/\(planted.allocation)\""))
            // Every rule has its row, the ones that found nothing too.
            for rule in InspectionRule.allCases { #expect(html.contains("id=\"rule-\(rule.rawValue)\"")) }
            #expect(!html.contains("id=\"findings-R3\""))
            #expect(!html.contains("inspection."))

            #expect(try await browser.get("/inspections/\(Fixture.townshipB)/\(Self.year)").status == .notFound)
            #expect(try await browser.get("/inspections/\(Fixture.townshipA)/1999").status == .unprocessableEntity)
            let clerk = try await Browser(app).signedIn("village_clerk")
            #expect(try await clerk.get("/inspections").status == .forbidden)
            #expect(try await clerk.get("/inspections/\(Fixture.townshipA)/\(Self.year)").status == .notFound)
        }
    }

    @Test("the report has the four parts and every figure; a clean township's says 不存在 for each rule")
    func report() async throws {
        try await withApp { app in
            _ = try await InspectionAPITests.plant(app)
            let leader = try await Browser(app).signedIn("township_leader")
            let found = try await leader.get("/inspections/\(Fixture.townshipA)/\(Self.year)/report")
            #expect(found.status == .ok)
            let text = found.body.string
            for heading in ["basic", "practice", "findings", "plans"] {
                #expect(text.contains(app.catalog.text("inspection.report.section.\(heading)", in: .zhHans)))
            }
            #expect(text.contains("@media print"))
            #expect(!text.contains("class=\"nav\""))
            #expect(text.contains("桃源村"))
            #expect(!text.contains("inspection.report"))
            #expect(!text.contains(app.catalog.text("inspection.report.findings.R5.none", in: .zhHans)))

            let auditor = try await Browser(app).signedIn("county_auditor")
            let clean = try await auditor.get("/inspections/\(Fixture.townshipB)/\(Self.year)/report")
            #expect(clean.status == .ok)
            let sentences = clean.body.string.components(separatedBy: "经自查，不存在").count - 1
            #expect(sentences >= InspectionRule.allCases.count - InspectionAPITests.idle.count)
            #expect(clean.body.string.contains(app.catalog.text("inspection.report.findings.R2.none", in: .zhHans)))

            let english = try await Browser(app, language: "en").signedIn("county_auditor")
            let report = try await english.get("/inspections/\(Fixture.townshipB)/\(Self.year)/report")
            #expect(report.body.string.contains(app.catalog.text("inspection.report.findings.R2.none", in: .en)))
            #expect(report.body.string.contains("lang=\"en\""))

            let download = try await auditor.get("/inspections/\(Fixture.townshipB)/\(Self.year)/report.html")
            #expect(download.status == .ok)
            #expect(download.headers.first(name: .contentDisposition)?.hasPrefix("attachment") == true)
            #expect(download.body.string.contains("<style>"))
            #expect(!download.body.string.contains("/app.css"))
        }
    }
}
