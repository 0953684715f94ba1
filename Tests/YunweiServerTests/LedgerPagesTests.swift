import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YunweiDomain

@testable import YunweiServer

@Suite("Ledger pages: entry, statement, vouchers, township summary, disbursement form")
struct LedgerPagesTests {
    /// Village A1's ledger: 100,000 fen disbursed ten days ago, the rest of its share today, one
    /// claim posted and one only submitted (its reservation open). The share, and the two claims'
    /// amounts.
    static func ledger(_ app: Application) async throws -> (share: Int64, posted: Int64, reserved: Int64) {
        let month: TimeInterval = 30 * 24 * 3600
        let (id, share) = try await LedgerAPITests.allocation(app, approvedAt: Date().addingTimeInterval(-month))
        let api = APIClient(app: app)
        let earlier = StatisticsPeriod.day(of: Date().addingTimeInterval(-10 * 24 * 3600))
        let first = try await api.post(
            "/api/v1/disbursements",
            ["allocation": id, "village": Fixture.villageA1, "amount": 100_000, "date": earlier.description],
            as: "township_finance")
        #expect(first.status == .created, "\(first.body.string)")
        let rest = try await api.post(
            "/api/v1/disbursements", ["allocation": id, "village": Fixture.villageA1], as: "township_finance")
        #expect(rest.status == .created, "\(rest.body.string)")
        let posted: Int64 = 120_050
        let claim = try await ClaimAPITests.draft(app, ClaimAPITests.body(amount: posted))
        for (action, user) in [
            ("submit", "village_clerk"), ("review", "finance_group"), ("approve", "village_head"),
            ("leader_review", "township_leader"), ("post", "township_finance"),
        ] {
            #expect(try await ClaimAPITests.act(app, claim, action, as: user).status == .ok)
        }
        let reserved: Int64 = 30_000
        let open = try await ClaimAPITests.draft(app, ClaimAPITests.body(amount: reserved, number: "No.00999"))
        #expect(try await ClaimAPITests.act(app, open, "submit", as: "village_clerk").status == .ok)
        return (share, posted, reserved)
    }

    /// The amount shown in the element with `id`, as `¥1,234.56`.
    static func shown(_ id: String, in html: String) -> String? {
        guard let range = html.range(of: "id=\"\(id)\">") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "<").map { String(rest[..<$0]) }
    }

    static func money(_ fen: Int64) -> String { Money(fen: fen).formatted }

    /// Catalog keys left in a page: a text that is missing shows its key.
    static func untranslated(_ html: String) -> [String] {
        let prefixes = ["ledger_pages.", "ledger.", "ledger_source.", "funds_public.", "allocation_pages.", "error."]
        return prefixes.filter { html.contains($0) }
    }

    @Test("the statement shows opening, movements, closing, reserved and available as the domain computes them")
    func statementFigures() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let (share, posted, reserved) = try await Self.ledger(app)
            let today = StatisticsPeriod.day(of: Date())
            let village = try await LedgerAPITests.village(Fixture.villageA1, on: app.db)
            let expected = try await LedgerBook.statement(
                village: village, from: today, to: StatisticsPeriod.day(of: today.end), on: app.db)
            #expect(expected.opening.fen == 100_000)
            #expect(expected.closing.fen == share - posted)
            #expect(expected.reserved.fen == reserved)
            #expect(expected.available.fen == share - posted - reserved)

            let browser = try await Browser(app).signedIn("finance_group")
            let page = try await browser.get("/ledger/villages/\(Fixture.villageA1)?from=\(today)&to=\(today)")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(Self.shown("opening", in: html) == Self.money(expected.opening.fen))
            #expect(Self.shown("inflow", in: html) == Self.money(share - 100_000))
            #expect(Self.shown("outflow", in: html) == Self.money(posted))
            #expect(Self.shown("closing", in: html) == Self.money(share - posted))
            #expect(Self.shown("reserved", in: html) == Self.money(reserved))
            #expect(Self.shown("available", in: html) == Self.money(share - posted - reserved))
            // The posted claim links to it; the vouchers are numbered; the page prints.
            #expect(html.contains("href=\"/claims/"))
            #expect(html.contains("记-00"))
            #expect(html.contains("@media print"))

            // The default period is this year to today: the earlier disbursement is in it.
            let year = try await browser.get("/ledger/villages/\(Fixture.villageA1)")
            if StatisticsPeriod.day(of: Date().addingTimeInterval(-10 * 24 * 3600)).year == today.year {
                #expect(Self.shown("opening", in: year.body.string) == Self.money(0))
                #expect(Self.shown("inflow", in: year.body.string) == Self.money(share))
            }
        }
    }

    @Test("a bad date is a 422 with the message beside its field, and no figures")
    func badDates() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let browser = try await Browser(app).signedIn("village_clerk")
            let page = try await browser.get("/ledger/villages/\(Fixture.villageA1)?from=2026-13-01&to=2026-02-01")
            #expect(page.status == .unprocessableEntity)
            #expect(page.body.string.contains("id=\"e-from\""))
            #expect(page.body.string.contains("YYYY-MM-DD"))
            #expect(!page.body.string.contains("id=\"closing\""))
            let reversed = try await browser.get("/ledger/villages/\(Fixture.villageA1)?from=2026-03-01&to=2026-02-01")
            #expect(reversed.status == .unprocessableEntity)
            #expect(reversed.body.string.contains("id=\"e-to\""))
            let summary = try await Browser(app).signedIn("township_finance")
            #expect(
                try await summary.get("/ledger/townships/\(Fixture.townshipA)?to=yesterday").status
                    == .unprocessableEntity)
        }
    }

    @Test("a clerk of B1 gets 404 for A1's statement and vouchers and for township A's summary")
    func otherVillage() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            _ = try await ClaimAPITests.fund(app)
            let browser = try await Browser(app).signedIn("village_clerk2")
            #expect(try await browser.get("/ledger/villages/\(Fixture.villageA1)").status == .notFound)
            #expect(try await browser.get("/ledger/villages/\(Fixture.villageA1)/vouchers.csv").status == .notFound)
            #expect(try await browser.get("/ledger/townships/\(Fixture.townshipA)").status == .notFound)
            #expect(try await browser.get("/ledger/townships/\(Fixture.townshipB)").status == .notFound)
            let api = try await APIClient(app: app).get(
                "/api/v1/townships/\(Fixture.townshipA)/summary", as: "village_clerk2")
            #expect(api.status == .notFound)
            // Her own village is hers; the entry page takes her there.
            #expect(try await browser.get("/ledger/villages/\(Fixture.villageB1)").status == .ok)
            let entry = try await browser.get("/ledger")
            #expect(entry.status == .seeOther || entry.status == .found)
            #expect(entry.location == "/ledger/villages/\(Fixture.villageB1)")
        }
    }

    @Test("the entry page lists the township's villages with balance, reserved and available")
    func entryPage() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let (share, posted, reserved) = try await Self.ledger(app)
            let page = try await Browser(app).signedIn("township_leader").get("/ledger")
            #expect(page.status == .ok)
            let html = page.body.string
            let row = try #require(html.range(of: "id=\"v-\(Fixture.villageA1)\"")).upperBound
            let line = String(html[row...].prefix { $0 != "\n" })
            #expect(line.contains(Self.money(share - posted)))
            #expect(line.contains(Self.money(reserved)))
            #expect(line.contains(Self.money(share - posted - reserved)))
            #expect(html.contains("id=\"v-\(Fixture.villageA2)\""))
            #expect(!html.contains(Fixture.villageB1))
            #expect(html.contains("/ledger/townships/\(Fixture.townshipA)"))
        }
    }

    @Test("the county sees one line of sums per township, and a township's villages with ?township=")
    func countyEntryPage() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let (share, posted, reserved) = try await Self.ledger(app)
            let browser = try await Browser(app).signedIn("county_admin")
            let page = try await browser.get("/ledger")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(!html.contains("id=\"v-\(Fixture.villageA1)\""), "villages are a click away")
            let row = try #require(html.range(of: "<tr id=\"t-\(Fixture.townshipA)\"")).upperBound
            let line = String(html[row...].prefix { $0 != "\n" })
            // Only A1 has money: township A's sums are A1's.
            #expect(line.contains(Self.money(share - posted)))
            #expect(line.contains(Self.money(reserved)))
            #expect(line.contains(Self.money(share - posted - reserved)))
            #expect(line.contains("href=\"/ledger?township=\(Fixture.townshipA)\""))
            #expect(html.contains("<tr id=\"t-\(Fixture.townshipB)\""))

            let one = try await browser.get("/ledger?township=\(Fixture.townshipA)")
            #expect(one.status == .ok)
            #expect(one.body.string.contains("id=\"v-\(Fixture.villageA1)\""))
            #expect(one.body.string.contains("id=\"v-\(Fixture.villageA2)\""))
            #expect(!one.body.string.contains(Fixture.villageB1))
            #expect(one.body.string.contains("id=\"all-townships\""))
            #expect(try await browser.get("/ledger?township=510121999000").status == .notFound)
            let leader = try await Browser(app).signedIn("township_leader")
            #expect(try await leader.get("/ledger?township=\(Fixture.townshipB)").status == .notFound)
        }
    }

    @Test("the voucher CSV has a BOM, the header and balanced rows")
    func voucherCSV() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let (share, posted, _) = try await Self.ledger(app)
            let browser = try await Browser(app).signedIn("village_clerk")
            let response = try await browser.get("/ledger/villages/\(Fixture.villageA1)/vouchers.csv")
            #expect(response.status == .ok)
            #expect(response.headers.contentType?.subType == "csv")
            let bytes = Array(response.body.readableBytesView)
            #expect(bytes.prefix(3) == [0xEF, 0xBB, 0xBF])
            let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
            let lines = text.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            #expect(lines.first.map { $0.map(String.init) } == VoucherSheet.header)
            let rows = lines.dropFirst()
            // Two disbursements and one claim: Dr 102 / Cr 241 twice, Dr 241 / Cr 102 once, at least.
            #expect(rows.count >= 6)
            var byVoucher: [String: (Int64, Int64)] = [:]
            for row in rows {
                let debit = Money(yuan: String(row[5]))?.fen ?? 0
                let credit = Money(yuan: String(row[6]))?.fen ?? 0
                let key = "\(row[1].prefix(7)) \(row[0])"
                byVoucher[key, default: (0, 0)].0 += debit
                byVoucher[key, default: (0, 0)].1 += credit
            }
            #expect(byVoucher.values.allSatisfy { $0.0 == $0.1 && $0.0 > 0 })
            let credits241 = rows.filter { $0[3] == "241" }.reduce(Int64(0)) {
                $0 + (Money(yuan: String($1[6]))?.fen ?? 0)
            }
            let debits241 = rows.filter { $0[3] == "241" }.reduce(Int64(0)) {
                $0 + (Money(yuan: String($1[5]))?.fen ?? 0)
            }
            #expect(credits241 == share)
            #expect(debits241 == posted)
            #expect(text.contains("专项应付款"))
        }
    }

    @Test("the township summary page and API agree with the book's summary")
    func townshipSummary() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let (share, posted, reserved) = try await Self.ledger(app)
            let today = StatisticsPeriod.day(of: Date())
            let township = try await LedgerAPITests.village(Fixture.townshipA, on: app.db)
            let from = StatisticsPeriod.Day(year: today.year, month: 1, day: 1)
            let expected = try await LedgerBook.summary(
                township: township, from: from, to: StatisticsPeriod.day(of: today.end), on: app.db)
            let api = try await APIClient(app: app).get(
                "/api/v1/townships/\(Fixture.townshipA)/summary?from=\(from)&to=\(today)", as: "township_finance")
            #expect(api.status == .ok, "\(api.body.string)")
            let total = try #require(api.json["total"] as? [String: Any])
            #expect(LedgerAPITests.fen(total["closing"]) == expected.total.closing.fen)
            #expect(LedgerAPITests.fen(total["closing"]) == share - posted)
            #expect(LedgerAPITests.fen(total["reserved"]) == reserved)
            #expect(LedgerAPITests.fen(total["available"]) == expected.total.available.fen)
            let rows = try #require(api.json["rows"] as? [[String: Any]])
            #expect(rows.map { $0["village"] as? String } == [Fixture.villageA1, Fixture.villageA2])
            #expect(rows.map { LedgerAPITests.fen($0["in"]) } == expected.rows.map { $0.figures.inflow.fen })

            let page = try await Browser(app).signedIn("county_auditor").get(
                "/ledger/townships/\(Fixture.townshipA)?from=\(from)&to=\(today)")
            #expect(page.status == .ok)
            let html = page.body.string
            let footStart = try #require(html.range(of: "id=\"total\"")).upperBound
            let foot = String(html[footStart...].prefix { $0 != "\n" })
            #expect(foot.contains(Self.money(expected.total.closing.fen)))
            #expect(foot.contains(Self.money(expected.total.available.fen)))
            #expect(html.contains("@media print"))
        }
    }

    @Test("township finance of A disburses to A1 with the form; B1 is not hers")
    func disbursementForm() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let (id, share) = try await LedgerAPITests.allocation(app)
            let browser = try await Browser(app).signedIn("township_finance")
            let form = try await browser.get("/ledger/disbursements/new?allocation=\(id)&village=\(Fixture.villageA1)")
            #expect(form.status == .ok)
            let html = form.body.string
            #expect(html.contains("name=\"idempotency_key\" value=\""))
            #expect(html.contains("value=\"\(Money(fen: share).yuanString)\""))
            #expect(!html.contains(Fixture.villageB1))

            let done = try await browser.post(
                "/ledger/disbursements",
                [
                    "allocation": String(id), "village": Fixture.villageA1, "amount": "1000.00", "date": "",
                    "idempotency_key": UUID().uuidString,
                ])
            #expect(done.status == .seeOther || done.status == .found)
            #expect(done.location == "/ledger/villages/\(Fixture.villageA1)")
            let statement = try await browser.get(try #require(done.location))
            #expect(statement.body.string.contains("class=\"notice\""))
            #expect(Self.shown("closing", in: statement.body.string) == Self.money(100_000))

            let other = try await browser.post(
                "/ledger/disbursements", ["allocation": String(id), "village": Fixture.villageB1, "amount": "10"])
            #expect(other.status == .notFound)
            #expect(try await LedgerAPITests.counts(on: app.db) == [2, 6, 1, 2])

            // A village person may not disburse at all.
            let clerk = try await Browser(app).signedIn("village_clerk")
            #expect(try await clerk.get("/ledger/disbursements/new").status == .forbidden)
        }
    }

    @Test("more than remains of the share is refused beside the amount, and nothing is posted")
    func overAllocation() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let (id, share) = try await LedgerAPITests.allocation(app)
            let browser = try await Browser(app).signedIn("township_finance")
            try await browser.get("/ledger/disbursements/new")
            let over = Money(fen: share + 1).yuanString
            let refused = try await browser.post(
                "/ledger/disbursements", ["allocation": String(id), "village": Fixture.villageA1, "amount": over])
            #expect(refused.status == .conflict)
            let html = refused.body.string
            #expect(html.contains("id=\"e-amount\""))
            #expect(html.contains(Money(fen: share).formatted))
            #expect(html.contains("value=\"\(over)\""))
            #expect(try await LedgerAPITests.counts(on: app.db) == [0, 0, 0, 0])

            let bad = try await browser.post(
                "/ledger/disbursements",
                ["allocation": String(id), "village": Fixture.villageA1, "amount": "12,3x", "date": "2026-02-30"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("id=\"e-amount\""))
            #expect(bad.body.string.contains("id=\"e-date\""))
            #expect(try await LedgerAPITests.counts(on: app.db) == [0, 0, 0, 0])
        }
    }

    @Test("the English ledger pages have no untranslated keys")
    func english() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            _ = try await Self.ledger(app)
            let browser = Browser(app, language: "en")
            try await browser.login("township_finance")
            for path in [
                "/ledger", "/ledger/villages/\(Fixture.villageA1)", "/ledger/townships/\(Fixture.townshipA)",
                "/ledger/disbursements/new", "/ledger/villages/\(Fixture.villageA1)?from=bad",
            ] {
                let page = try await browser.get(path)
                #expect(page.body.string.contains("lang=\"en\""), "\(path)")
                #expect(Self.untranslated(page.body.string) == [], "\(path)")
            }
        }
    }
}
