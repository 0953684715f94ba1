import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YunweiDomain

@testable import YunweiServer

@Suite("Public funds pages 五个公开: a village's and a township's year, for anyone")
struct PublicFundsPagesTests {
    static let idNumber = "510121199001011237"

    /// The claim steps up to `last`, each by the person whose step it is.
    static let chain: [(String, String)] = [
        ("submit", "village_clerk"), ("review", "finance_group"), ("approve", "village_head"),
        ("leader_review", "township_leader"), ("post", "township_finance"),
    ]

    /// A1 funded from a published allocation, one claim to 张三 posted and one to 李四 only
    /// submitted. The allocation id and A1's share.
    static func ledger(_ app: Application, publish: Bool = true) async throws -> (id: Int, share: Int64) {
        let (id, share) = try await LedgerAPITests.allocation(app)
        if publish {
            try await AllocationDesk.publish(id, by: try await loadActor("county_admin", on: app.db), on: app.db)
        }
        let api = APIClient(app: app)
        let funded = try await api.post(
            "/api/v1/disbursements", ["allocation": id, "village": Fixture.villageA1], as: "township_finance")
        #expect(funded.status == .created, "\(funded.body.string)")
        var posted = ClaimAPITests.body(amount: 88_000)
        posted["payee"] = ["name": "张三", "id_number": idNumber]
        posted["purpose"] = "村道保洁劳务"
        posted["category"] = "labour"
        let claim = try await ClaimAPITests.draft(app, posted)
        for (action, user) in chain {
            #expect(try await ClaimAPITests.act(app, claim, action, as: user).status == .ok)
        }
        var pending = ClaimAPITests.body(amount: 40_000, number: "No.00777")
        pending["payee"] = ["name": "李四", "id_number": "510121199202022223"]
        pending["purpose"] = "尚未报账的用途"
        let open = try await ClaimAPITests.draft(app, pending)
        #expect(try await ClaimAPITests.act(app, open, "submit", as: "village_clerk").status == .ok)
        return (id, share)
    }

    /// `¥1,234.56` as fen.
    static func fen(_ text: String) -> Int64? {
        Money(yuan: text.replacingOccurrences(of: "¥", with: "").replacingOccurrences(of: ",", with: ""))?.fen
    }

    /// The amounts shown in one line of the page, in order.
    static func amounts(in line: Substring) -> [Int64] {
        line.components(separatedBy: "<td class=\"num\">").dropFirst().compactMap { cell in
            cell.split(separator: "<").first.flatMap { fen(String($0)) }
        }
    }

    static func line(_ id: String, in html: String) -> Substring? {
        html.range(of: "id=\"\(id)\"").map { html[$0.upperBound...].prefix { $0 != "\n" } }
    }

    @Test(
        "a village's page shows the published share, the posted claim with payee 张*, not the pending one, no ID number")
    func villagePage() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let (_, share) = try await Self.ledger(app)
            let year = StatisticsPeriod.day(of: Date()).year
            let page = try await Browser(app).get("/public/funds/villages/\(Fixture.villageA1)?year=\(year)")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("张*"))
            #expect(!html.contains("张三"))
            #expect(html.contains("村道保洁劳务"))
            #expect(html.contains("管护员劳务"))
            #expect(!html.contains(Self.idNumber))
            #expect(!html.contains("510121199202022223"))
            #expect(!html.contains("尚未报账的用途"))
            #expect(!html.contains("李"))
            #expect(LedgerPagesTests.shown("share", in: html) == Money(fen: share).formatted)
            #expect(LedgerPagesTests.shown("closing", in: html) == Money(fen: share - 88_000).formatted)
            #expect(LedgerPagesTests.shown("inflow", in: html) == Money(fen: share).formatted)
            // The factor-by-factor explanation of the allocation page.
            #expect(html.contains(app.catalog.text("allocation_factor.population", in: .zhHans)))
            // Nothing of a signed-in person's page.
            #expect(!html.contains("/logout"))
        }
    }

    @Test("an allocation approved but not published is not shown; an unknown code is a 404 page")
    func onlyPublished() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            _ = try await Self.ledger(app, publish: false)
            let browser = Browser(app)
            let page = try await browser.get("/public/funds/villages/\(Fixture.villageA1)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("id=\"no-allocation\""))
            #expect(LedgerPagesTests.shown("allocated", in: page.body.string) == Money.zero.formatted)
            #expect(try await browser.get("/public/funds/villages/510121100299").status == .notFound)
            #expect(try await browser.get("/public/funds/villages/\(Fixture.townshipA)").status == .notFound)
            #expect(try await browser.get("/public/funds/townships/\(Fixture.villageA1)").status == .notFound)
            #expect(try await browser.get("/public/funds/townships/nonsense").status == .notFound)
            #expect(
                try await browser.get("/public/funds/villages/\(Fixture.villageA1)?year=20x6").status
                    == .unprocessableEntity)
        }
    }

    @Test("a township's totals are the sums of its village pages")
    func townshipTotals() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            _ = try await Self.ledger(app)
            let browser = Browser(app)
            let page = try await browser.get("/public/funds/townships/\(Fixture.townshipA)")
            #expect(page.status == .ok)
            let html = page.body.string
            var sums = [Int64](repeating: 0, count: 5)
            for code in [Fixture.villageA1, Fixture.villageA2] {
                let row = Self.amounts(in: try #require(Self.line("v-\(code)", in: html)))
                let village = try await browser.get("/public/funds/villages/\(code)").body.string
                let shown = ["allocated", "opening", "inflow", "outflow", "closing"].map {
                    LedgerPagesTests.shown($0, in: village).flatMap(Self.fen)
                }
                #expect(row.map { Optional($0) } == shown, "\(code)")
                for (index, amount) in row.enumerated() { sums[index] += amount }
                #expect(html.contains("href=\"/public/funds/villages/\(code)?year="))
            }
            #expect(Self.amounts(in: try #require(Self.line("total", in: html))) == sums)
            #expect(sums[0] > 0)
            #expect(!html.contains(Fixture.villageB1))
        }
    }

    @Test("the English public pages have no untranslated keys")
    func english() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            _ = try await Self.ledger(app)
            let browser = Browser(app, language: "en")
            for path in ["/public/funds/villages/\(Fixture.villageA1)", "/public/funds/townships/\(Fixture.townshipA)"]
            {
                let page = try await browser.get(path)
                #expect(page.status == .ok)
                #expect(page.body.string.contains("Caretakers") || path.contains("townships"))
                #expect(LedgerPagesTests.untranslated(page.body.string) == [], "\(path)")
            }
        }
    }
}
