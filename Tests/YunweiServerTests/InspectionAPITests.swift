import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YunweiDomain

@testable import YunweiServer

@Suite("Self-inspection 自查: facts from the tables, planted faults found, access")
struct InspectionAPITests {
    /// What `plant` built, by the ids the findings must name.
    struct Planted {
        var allocation: Int
        var shareA1: Int64
        var shareA2: Int64
        var disbursementA1: Int
        var original: Int
        var originalInvoice: Int
        var duplicate: Int
        var duplicateInvoice: Int
        var toOfficial: Int
        var unnoticed: Int
        var cash: Int
        var cashPosting: Int
    }

    static let year = 2026

    /// Once 2026 is over its balances are year-end balances, and R9 judges the unspent shares too.
    static var yearEnded: Bool { StatisticsPeriod.day(of: Date()).year > year }

    /// The rules the planted faults and money never spent set off.
    static var idle: Set<String> { yearEnded ? ["R9"] : [] }

    /// 10:00 in Shanghai on `day`.
    static func at(_ day: String, hour: Int = 10) -> Date {
        StatisticsPeriod.Day(day)!.start.addingTimeInterval(Double(hour) * 3600)
    }

    /// The fixture county's 2026 fund: the allocation approved on 2 March; village A1 credited in
    /// full on 20 May (late), A2 never, B1 and B2 in full on 10 March. In A1, one claim through the
    /// whole chain, and, entered "by import" where the desks would refuse: the same invoice again,
    /// a payment to the village head, ¥6,000 posted without notice, and a payment in cash.
    static func plant(_ app: Application) async throws -> Planted {
        try await Fixture.seed(app)
        let db = app.db
        let hash = try await app.password.async.hash(Fixture.password)
        try await db.write { db in
            let user = try await UserRegistry.create(
                username: "finance_b", displayName: "finance_b", phone: nil, passwordHash: hash, by: .system, on: db)
            let townshipB = try await LedgerAPITests.village(Fixture.townshipB, on: db)
            try await UserRegistry.grant(.townshipFinance, at: townshipB, to: user, by: .system, on: db)
        }
        let (allocation, shareA1) = try await LedgerAPITests.allocation(app, approvedAt: at("2026-03-02"))
        let shareA2 = try #require(
            try await AllocationRowRecord.query(on: db).filter(\.$allocation.$id == allocation)
                .filter(\.$unitCode == Fixture.villageA2).first()
        ).amountFen

        let finance = try await loadActor("township_finance", on: db)
        let financeB = try await loadActor("finance_b", on: db)
        let late = try await DisbursementDesk.disburse(
            .init(
                allocation: allocation, village: Fixture.villageA1, amount: nil,
                date: StatisticsPeriod.Day("2026-05-20")),
            by: finance, now: at("2026-05-20"), on: db)
        for village in [Fixture.villageB1, Fixture.villageB2] {
            _ = try await DisbursementDesk.disburse(
                .init(allocation: allocation, village: village, amount: nil, date: StatisticsPeriod.Day("2026-03-10")),
                by: financeB, now: at("2026-03-10"), on: db)
        }

        // The original, through the desks.
        let invoice = Invoice(
            number: "No.1001", issuer: "青山建材店", date: StatisticsPeriod.Day("2026-05-28")!, amount: Money(fen: 100_000))
        let claim = Claim(
            payee: .organisation(name: "青山建材店"), amount: Money(fen: 100_000), category: "infrastructure",
            purpose: "修补村道坑槽", links: [.facility(1)], invoices: [invoice])
        let clerk = try await loadActor("village_clerk", on: db)
        let day = at("2026-06-01")
        let record = try await ClaimDesk.draft(.init(village: nil, claim: claim), by: clerk, now: day, on: db)
        let original = try record.requireID()
        for (step, (action, user)) in [
            (ClaimAction.submit, "village_clerk"), (.review, "finance_group"), (.approve, "village_head"),
            (.leaderReview, "township_leader"), (.post, "township_finance"),
        ].enumerated() {
            let actor = try await loadActor(user, on: db)
            try await ClaimDesk.act(
                original, action, note: nil, by: actor, now: day.addingTimeInterval(Double(step) * 600), on: db)
        }
        let originalInvoice = try #require(
            try await ClaimInvoiceRecord.query(on: db).filter(\.$claim.$id == original).first()?.id)

        let head = try #require(try await User.query(on: db).filter(\.$username == "village_head").first()?.id)
        let duplicate = try await insertPosted(
            app, amount: 100_000, payee: ("organisation", "青山建材店", nil), invoice: ("No. 1001", "青山建材店"),
            at: at("2026-06-10"))
        let toOfficial = try await insertPosted(
            app, amount: 80_000, payee: ("user", "village_head", Int64(head)), invoice: ("No.3001", "杏林五金"),
            at: at("2026-06-12"))
        let unnoticed = try await insertPosted(
            app, amount: 600_000, payee: ("organisation", "石门建筑队", nil), invoice: ("No.4001", "石门建筑队"),
            at: at("2026-06-15"))
        let cash = try await insertPosted(
            app, amount: 30_000, payee: ("person", "李四", nil), invoice: ("No.5001", "李四"), cash: true,
            at: at("2026-06-20"))
        return Planted(
            allocation: allocation, shareA1: shareA1, shareA2: shareA2,
            disbursementA1: try late.disbursement.requireID(),
            original: original, originalInvoice: originalInvoice, duplicate: duplicate.claim,
            duplicateInvoice: duplicate.invoice, toOfficial: toOfficial.claim, unnoticed: unnoticed.claim,
            cash: cash.claim, cashPosting: cash.cashLine ?? -1)
    }

    /// A claim of village A1 stored as posted without the desk — as an import would — with one
    /// invoice for its whole amount, a history of the clerk's draft and finance's posting, and its
    /// entry paid from the bank (or from cash), all in one transaction.
    static func insertPosted(
        _ app: Application, amount: Int64, payee: (kind: String, name: String, user: Int64?),
        invoice: (number: String, issuer: String), cash: Bool = false, at date: Date
    ) async throws -> (claim: Int, invoice: Int, cashLine: Int?) {
        let village = try await LedgerAPITests.village(Fixture.villageA1, on: app.db)
        let county = try await LedgerAPITests.village(Fixture.county, on: app.db)
        let township = try await LedgerAPITests.village(Fixture.townshipA, on: app.db)
        let clerk = try await loadActor("village_clerk", on: app.db)
        let finance = try await loadActor("township_finance", on: app.db)
        return try await app.db.write { db in
            let record = ClaimRecord()
            record.countyID = try county.requireID()
            record.townshipID = try township.requireID()
            record.$village.id = try village.requireID()
            record.villagePath = village.path
            record.state = ClaimState.posted.rawValue
            record.amountFen = amount
            record.category = "infrastructure"
            record.payeeKind = payee.kind
            record.payeeName = payee.name
            record.payeeUserID = payee.user
            record.purpose = "村道养护"
            record.links = #"[{"kind":"facility","id":1}]"#
            record.createdBy = Int(clerk.userID)
            record.createdAt = date
            record.updatedAt = date
            try await record.create(on: db)
            let id = try record.requireID()
            let row = ClaimInvoiceRecord()
            row.$claim.id = id
            row.position = 0
            row.number = invoice.number
            row.issuer = invoice.issuer
            row.issuerKey = invoice.issuer
            row.numberKey = invoice.number
            row.date = StatisticsPeriod.day(of: date).description
            row.amountFen = amount
            try await row.create(on: db)
            for (action, actor) in [("draft", clerk), ("post", finance)] {
                let event = ClaimEventRecord()
                event.$claim.id = id
                event.at = date
                event.actorID = Int(actor.userID)
                event.actorName = actor.username
                event.action = action
                event.toState = action == "post" ? "posted" : "draft"
                try await event.create(on: db)
            }
            let code = village.unitCode
            let paidFrom: LedgerAccount = cash ? .cash(of: code) : .bank(of: code)
            let entry = try LedgerEntry(
                date: date, memo: "导入报账", source: .claim(Int64(id)),
                lines: [
                    .debit(.expense(.infrastructure, of: code), Money(fen: amount)),
                    .credit(paidFrom, Money(fen: amount)),
                    .debit(.specialPayable(of: code), Money(fen: amount)),
                    .credit(.subsidyIncome(of: code), Money(fen: amount)),
                ])
            let stored = try await LedgerBook.post(entry, by: .system, now: date, on: db)
            record.postedEntryID = stored.id.map(Int.init)
            try await record.save(on: db)
            let cashLine = try await LedgerLineRecord.query(on: db).filter(\.$entry.$id == record.postedEntryID!)
                .filter(\.$kind == "cash").first()?.id
            return (id, try row.requireID(), cashLine)
        }
    }

    static func get(
        _ app: Application, _ path: String, as username: String, language: String = "zh-Hans"
    ) async throws -> TestingHTTPResponse {
        let token = try await APIClient(app: app).token(username)
        return try await app.testing().sendRequest(.GET, path) { request in
            request.headers.bearerAuthorization = .init(token: token)
            request.headers.replaceOrAdd(name: .acceptLanguage, value: language)
        }
    }

    static func findings(_ response: TestingHTTPResponse, _ rule: String) -> [[String: Any]] {
        (response.json["findings"] as? [[String: Any]] ?? []).filter { $0["rule"] as? String == rule }
    }

    static func ids(_ finding: [String: Any], _ kind: String) -> [Int] {
        (finding[kind] as? [Any] ?? []).compactMap { ($0 as? NSNumber)?.intValue }
    }

    @Test("every planted fault is found with its rule, amount and evidence; nothing else is")
    func plantedFaults() async throws {
        try await withApp { app in
            let planted = try await Self.plant(app)
            let response = try await Self.get(
                app, "/api/v1/inspections?unit=\(Fixture.townshipA)&year=\(Self.year)", as: "township_leader")
            #expect(response.status == .ok, "\(response.body.string)")
            #expect(response.json["unit"] as? String == Fixture.townshipA)
            let all = response.json["findings"] as? [[String: Any]] ?? []
            #expect(
                Set(all.compactMap { $0["rule"] as? String })
                    == Set(["R1", "R2", "R5", "R6", "R7", "R10"]).union(Self.idle))

            let late = Self.findings(response, "R1")
            let a1 = try #require(late.first { $0["village"] as? String == Fixture.villageA1 })
            #expect(LedgerAPITests.fen(a1["amount"]) == planted.shareA1)
            #expect(Self.ids(a1, "allocations") == [planted.allocation])
            #expect(Self.ids(a1, "disbursements") == [planted.disbursementA1])
            let a2 = try #require(late.first { $0["village"] as? String == Fixture.villageA2 })
            #expect(LedgerAPITests.fen(a2["amount"]) == planted.shareA2)
            #expect(late.count == 2)

            let short = Self.findings(response, "R2")
            #expect(short.count == 1)
            #expect(short.first?["village"] as? String == Fixture.villageA2)
            #expect(LedgerAPITests.fen(short.first?["amount"]) == planted.shareA2)

            let duplicate = try #require(Self.findings(response, "R5").first)
            #expect(Self.findings(response, "R5").count == 1)
            #expect(LedgerAPITests.fen(duplicate["amount"]) == 100_000)
            #expect(Self.ids(duplicate, "claims") == [planted.duplicate, planted.original])
            #expect(Self.ids(duplicate, "invoices") == [planted.duplicateInvoice, planted.originalInvoice])
            #expect((duplicate["text"] as? String)?.contains("桃源村") == true)

            let official = Self.findings(response, "R6")
            #expect(official.count == 1)
            #expect(Self.ids(official[0], "claims") == [planted.toOfficial])
            #expect(LedgerAPITests.fen(official[0]["amount"]) == 80_000)

            let cash = Self.findings(response, "R7")
            #expect(cash.count == 1)
            #expect(Self.ids(cash[0], "claims") == [planted.cash])
            #expect(Self.ids(cash[0], "postings") == [planted.cashPosting])
            #expect(LedgerAPITests.fen(cash[0]["amount"]) == 30_000)

            let unnoticed = Self.findings(response, "R10")
            #expect(unnoticed.count == 1)
            #expect(Self.ids(unnoticed[0], "claims") == [planted.unnoticed])
            #expect(LedgerAPITests.fen(unnoticed[0]["amount"]) == 600_000)

            let rules = response.json["rules"] as? [[String: Any]] ?? []
            #expect(rules.map { $0["rule"] as? String } == InspectionRule.allCases.map(\.rawValue))
            #expect(rules.first { $0["rule"] as? String == "R3" }?["count"] as? Int == 0)
            let figures = try #require(response.json["figures"] as? [String: Any])
            #expect(figures["claims"] as? Int == 5)
            #expect(LedgerAPITests.fen(figures["spent"]) == 910_000)
            #expect(LedgerAPITests.fen(figures["disbursed"]) == planted.shareA1)

            // The same findings in English.
            let english = try await Self.get(
                app, "/api/v1/inspections?unit=\(Fixture.townshipA)&year=\(Self.year)", as: "township_leader",
                language: "en")
            let text = try #require(Self.findings(english, "R5").first?["text"] as? String)
            #expect(text != duplicate["text"] as? String)
            #expect(!text.contains("inspection.finding"))
        }
    }

    @Test("a clean township finds nothing, and the county sees both townships' faults")
    func cleanTownship() async throws {
        try await withApp { app in
            let planted = try await Self.plant(app)
            let clean = try await Self.get(
                app, "/api/v1/inspections?unit=\(Fixture.townshipB)&year=\(Self.year)", as: "county_auditor")
            #expect(clean.status == .ok, "\(clean.body.string)")
            let found = (clean.json["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
            #expect(Set(found).isSubset(of: Self.idle))
            let counted = (clean.json["rules"] as? [[String: Any]] ?? []).filter { ($0["count"] as? Int ?? 0) > 0 }
            #expect(Set(counted.compactMap { $0["rule"] as? String }).isSubset(of: Self.idle))
            #expect((clean.json["rules"] as? [Any])?.count == 10)

            let county = try await Self.get(
                app, "/api/v1/inspections?unit=\(Fixture.county)&year=\(Self.year)", as: "county_admin")
            #expect(county.status == .ok)
            #expect(Self.ids(try #require(Self.findings(county, "R5").first), "claims").first == planted.duplicate)
            #expect((county.json["figures"] as? [String: Any])?["villages"] as? Int == 4)
        }
    }

    @Test("access: another township or the county is 404, a village clerk is refused, bad input is 422")
    func access() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let path = "/api/v1/inspections?year=\(Self.year)&unit="
            #expect(try await Self.get(app, path + Fixture.townshipB, as: "township_leader").status == .notFound)
            #expect(try await Self.get(app, path + Fixture.county, as: "township_leader").status == .notFound)
            #expect(try await Self.get(app, path + Fixture.townshipA, as: "township_finance").status == .ok)
            let clerk = try await Self.get(app, path + Fixture.townshipA, as: "village_clerk")
            #expect(clerk.status == .notFound || clerk.status == .forbidden)
            #expect(try await Self.get(app, path + "999999999999", as: "county_admin").status == .notFound)

            let village = try await Self.get(app, path + Fixture.villageA1, as: "township_leader")
            #expect(village.status == .unprocessableEntity)
            #expect(village.detailFields == ["unit"])
            let missing = try await Self.get(app, "/api/v1/inspections", as: "township_leader")
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.detailFields == ["unit", "year"])
            let badYear = try await Self.get(
                app, "/api/v1/inspections?unit=\(Fixture.townshipA)&year=abc", as: "township_leader", language: "en")
            #expect(badYear.status == .unprocessableEntity)
            #expect(badYear.detailFields == ["year"])
            #expect(badYear.body.string.contains("The year must be between"))
        }
    }
}
