import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YunweiDomain

@testable import YunweiServer

/// The allocation by factors in a browser: the county admin computes, approves and publishes a
/// year's allocation through the forms, villages see only what is published, and everyone can
/// read how each village's amount came about.
@Suite("Allocation pages")
struct AllocationPagesTests {
    static let form: [String: String] = [
        "year": "2026", "pool": "1,200,000.00", "base": "5,000.00", "w_population": "0.4", "w_area": "0.2",
        "w_location": "0.15", "w_income": "0.15", "w_performance": "0.1",
    ]

    static func text(_ app: Application, _ key: String, _ args: [String: String] = [:], _ language: Language = .zhHans)
        -> String
    {
        app.catalog.text(key, in: language, args)
    }

    /// The admin, signed in, with a draft made through the form; its id.
    static func created(_ app: Application) async throws -> (Browser, Int) {
        let admin = try await Browser(app).signedIn("county_admin")
        #expect(try await admin.get("/allocations/new").status == .ok)
        let response = try await admin.post("/allocations", form)
        #expect(response.status == .seeOther, "\(response.body.string)")
        let location = try #require(response.location)
        let id = try #require(Int(location.replacingOccurrences(of: "/allocations/", with: "")))
        return (admin, id)
    }

    /// The amounts of the table's village rows, in fen.
    static func amounts(in html: String) -> [Int64] {
        CasePagesTests.matches(#"<td class="num">(-?¥[0-9,]+\.[0-9]{2})</td></tr>"#, in: html).compactMap {
            Money(yuan: $0)?.fen
        }
    }

    @Test("the admin computes an allocation through the form; the table's amounts add up to the pool")
    func createThroughForm() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let (admin, id) = try await Self.created(app)
            let page = try await admin.get("/allocations/\(id)")
            #expect(page.status == .ok)
            let body = page.body.string
            #expect(body.contains(Self.text(app, "allocation_pages.created")))
            #expect(body.contains(Self.text(app, "allocation_status.draft")))
            let amounts = Self.amounts(in: body)
            #expect(amounts.count == 4)
            #expect(amounts.reduce(0, +) == 120_000_000)
            #expect(body.contains("id=\"total\">¥1,200,000.00"))
            #expect(body.contains("桃源村") && body.contains("?village=\(Fixture.villageA1)#explain"))
            #expect(body.contains("action=\"/allocations/\(id)/approve\""))
            #expect(!body.contains("action=\"/allocations/\(id)/publish\""))
            let stored = try await AllocationRowRecord.query(on: app.db).filter(\.$allocation.$id == id).all()
            #expect(stored.reduce(Int64(0)) { $0 + $1.amountFen } == 120_000_000)
            let list = try await admin.get("/allocations").body.string
            #expect(list.contains("/allocations/\(id)") && list.contains("/allocations/new"))
            #expect(list.contains(Self.text(app, "nav.allocations")))
        }
    }

    @Test("bad amounts and weights come back with 422, each message beside its field, and nothing is stored")
    func badInput() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let admin = try await Browser(app).signedIn("county_admin")
            try await admin.get("/allocations/new")
            var form = Self.form
            form["pool"] = "12万"
            form["w_area"] = "abc"
            form["w_income"] = "1.5"
            let bad = try await admin.post("/allocations", form)
            #expect(bad.status == .unprocessableEntity)
            let body = bad.body.string
            #expect(body.contains("id=\"e-pool\">" + Self.text(app, "allocation_pages.error.money", ["value": "12万"])))
            #expect(
                body.contains(
                    "id=\"e-w-area\">"
                        + Self.text(
                            app, "allocation.error.weight_not_a_number",
                            ["factor": "allocation_factor.area", "value": "abc"])))
            #expect(
                body.contains(
                    "id=\"e-w-income\">"
                        + Self.text(
                            app, "allocation.error.weight_out_of_range",
                            ["factor": "allocation_factor.income", "min": "0", "max": "1"])))
            #expect(body.contains("value=\"abc\""), "what was typed is kept")

            form = Self.form
            form["w_population"] = "0.5"
            let sum = try await admin.post("/allocations", form)
            #expect(sum.status == .unprocessableEntity)
            #expect(
                sum.body.string.contains(
                    "id=\"e-weights\">" + Self.text(app, "allocation.error.weights_sum", ["sum": "1.1"])))
            #expect(try await AllocationRecord.query(on: app.db).count() == 0)
            #expect(try await AllocationRowRecord.query(on: app.db).count() == 0)
        }
    }

    @Test("approve and publish are buttons; a refused step is the error page; a revision makes version 2")
    func approvePublishRevise() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let (admin, id) = try await Self.created(app)
            try await admin.get("/allocations/\(id)")
            let approved = try await admin.post("/allocations/\(id)/approve", [:])
            #expect(approved.status == .seeOther && approved.location == "/allocations/\(id)")
            var body = try await admin.get("/allocations/\(id)").body.string
            #expect(body.contains(Self.text(app, "allocation_pages.approved")))
            #expect(body.contains(Self.text(app, "allocation_status.approved")))
            #expect(body.contains("action=\"/allocations/\(id)/publish\""))
            #expect(!body.contains("action=\"/allocations/\(id)/approve\""))
            let again = try await admin.post("/allocations/\(id)/approve", [:])
            #expect(again.status == .conflict)
            #expect(again.body.string.contains("lang=\"zh-Hans\""))

            try await admin.get("/allocations/\(id)")
            #expect(try await admin.post("/allocations/\(id)/publish", [:]).status == .seeOther)
            body = try await admin.get("/allocations/\(id)").body.string
            #expect(body.contains(Self.text(app, "allocation_status.published")))
            #expect(body.contains("id=\"revise\""))

            var revision = Self.form
            revision["reason"] = "绩效考核结果更正"
            let revised = try await admin.post("/allocations/\(id)/revise", revision)
            #expect(revised.status == .seeOther)
            let newID = try #require(
                revised.location.flatMap { Int($0.replacingOccurrences(of: "/allocations/", with: "")) })
            let record = try #require(try await AllocationRecord.find(newID, on: app.db))
            #expect(record.version == 2 && record.reason == "绩效考核结果更正" && record.status == "draft")

            let auditor = try await Browser(app).signedIn("county_auditor")
            #expect(try await auditor.get("/allocations/\(newID)").status == .ok)
            #expect(try await auditor.post("/allocations/\(newID)/approve", [:]).status == .forbidden)
        }
    }

    @Test("a village clerk sees only the published version and no buttons")
    func clerkSeesPublishedOnly() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let (admin, id) = try await Self.created(app)
            let clerk = try await Browser(app).signedIn("village_clerk")
            #expect(try await clerk.get("/allocations/\(id)").status == .notFound)
            #expect(!(try await clerk.get("/allocations").body.string.contains("/allocations/\(id)")))
            #expect(!(try await clerk.get("/").body.string.contains("/allocations/new")))

            try await admin.get("/allocations/\(id)")
            try await admin.post("/allocations/\(id)/approve", [:])
            #expect(try await clerk.get("/allocations/\(id)").status == .notFound)
            try await admin.get("/allocations/\(id)")
            try await admin.post("/allocations/\(id)/publish", [:])

            let list = try await clerk.get("/allocations")
            #expect(list.status == .ok)
            #expect(list.body.string.contains("/allocations/\(id)"))
            #expect(!list.body.string.contains("/allocations/new"))
            let page = try await clerk.get("/allocations/\(id)")
            #expect(page.status == .ok)
            let body = page.body.string
            #expect(!body.contains("/approve") && !body.contains("/publish") && !body.contains("/revise"))
            #expect(try await clerk.get("/allocations/new").status == .forbidden)
            #expect(try await clerk.post("/allocations/\(id)/revise", Self.form).status == .forbidden)
        }
    }

    @Test("one village's explanation shows every factor's value, total, share, weight and money")
    func explanation() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let (admin, id) = try await Self.created(app)
            let body = try await admin.get("/allocations/\(id)?village=\(Fixture.villageA2)").body.string
            let loaded = try await AllocationDesk.load(
                id, for: try await loadActor("county_admin", on: app.db), on: app.db)
            let row = try #require(loaded.version.allocation.row(for: UnitCode(Fixture.villageA2)!))
            #expect(body.contains("id=\"explain\""))
            #expect(
                body.contains(
                    Self.text(app, "allocation_pages.explain_heading", ["name": "杏花村", "code": Fixture.villageA2])))
            for line in row.explanation.lines {
                #expect(body.contains(line.share.decimalText))
                #expect(body.contains(line.contribution.yuanText))
                #expect(body.contains(Self.text(app, line.factor.catalogKey)))
            }
            #expect(body.contains("1100"), "the village's population")
            #expect(body.contains(row.explanation.unroundedYuanText))
            #expect(body.contains("id=\"explain-amount\">" + row.amount.formatted))
            #expect(body.contains("class=\"sel\""))
            let plain = try await admin.get("/allocations/\(id)").body.string
            #expect(!plain.contains("id=\"explain\""))
        }
    }

    @Test("the CSV has a byte-order mark, CRLF lines, translated headers and amounts in yuan")
    func csv() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let (admin, id) = try await Self.created(app)
            let response = try await admin.get("/allocations/\(id).csv")
            #expect(response.status == .ok)
            #expect(response.headers.contentType?.subType == "csv")
            let data = Data(buffer: response.body)
            #expect(data.starts(with: [0xEF, 0xBB, 0xBF]))
            let text = String(decoding: data.dropFirst(3), as: UTF8.self)
            let lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.count == 6)
            #expect(lines.first?.hasPrefix("村代码,村,农村人口,农村人口份额,") == true)
            #expect(lines.first?.hasSuffix("分配金额（元）") == true)
            let loaded = try await AllocationDesk.load(
                id, for: try await loadActor("county_admin", on: app.db), on: app.db)
            let first = try #require(loaded.version.allocation.rows.first)
            #expect(lines[1].hasPrefix("\(Fixture.villageA1),桃源村,1000,"))
            #expect(lines[1].hasSuffix("," + first.amount.yuanString))
            #expect(lines.last?.hasSuffix(",1200000.00") == true)
            let english = try await Browser(app, language: "en").signedIn("county_admin")
            let header = String(
                decoding: Data(buffer: try await english.get("/allocations/\(id).csv").body), as: UTF8.self)
            #expect(header.contains("Village code,Village,rural population,rural population share,"))
        }
    }

    @Test("every allocation page stays under 60 KB with its stylesheet and reads in both languages without raw keys")
    func pagesInBothLanguages() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let (admin, id) = try await Self.created(app)
            try await admin.get("/allocations/\(id)")
            try await admin.post("/allocations/\(id)/approve", [:])
            try await admin.get("/allocations/\(id)")
            try await admin.post("/allocations/\(id)/publish", [:])
            let css = try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/Resources/Public/app.css")).count
            let rawKeys = [
                "allocation_pages.", "allocation_status.", "allocation_factor.", "allocation.error.", "nav.",
            ]
            let pages: [(String, [String])] = [
                (
                    "county_admin",
                    [
                        "/allocations", "/allocations/new", "/allocations/\(id)",
                        "/allocations/\(id)?village=\(Fixture.villageB2)",
                    ]
                ),
                ("village_clerk", ["/allocations", "/allocations/\(id)?village=\(Fixture.villageA1)"]),
                ("township_leader", ["/allocations", "/allocations/\(id)"]),
            ]
            for language in ["zh-CN", "en"] {
                for (username, paths) in pages {
                    let browser = try await Browser(app, language: language).signedIn(username)
                    for path in paths {
                        let response = try await browser.get(path)
                        #expect(response.status == .ok, "\(username) \(path)")
                        let body = response.body.string
                        #expect(body.utf8.count + css < 60_000, "\(path) is \(body.utf8.count + css) bytes")
                        for key in rawKeys { #expect(!body.contains(key), "\(path) in \(language) shows \(key)") }
                        #expect(body.contains(language == "en" ? "lang=\"en\"" : "lang=\"zh-Hans\""))
                    }
                }
            }
            let english = try await Browser(app, language: "en").signedIn("county_admin")
            let page = try await english.get("/allocations/\(id)").body.string
            #expect(page.contains("Allocations") && page.contains("Shared by factors") && page.contains("published"))
            #expect(page.contains("rural population") && page.contains("Amount"))
            let form = try await english.get("/allocations/new").body.string
            #expect(form.contains("Pool (yuan)") && form.contains("Factor weights"))
            let refused = try await english.post("/allocations/\(id)/approve", [:])
            #expect(refused.status == .conflict)
            #expect(refused.body.string.contains("lang=\"en\""))
            #expect(!refused.body.string.contains("allocation.error."))
        }
    }
}
