import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import YunweiDomain

@testable import YunweiServer

@Suite("Ledger: disbursements, statements, reservations")
struct LedgerAPITests {
    /// A 2026 allocation created by the county admin, approved at `approvedAt` unless `approve` is
    /// false; its id and village A1's share in fen.
    static func allocation(
        _ app: Application, approve: Bool = true, approvedAt: Date = Date()
    ) async throws -> (id: Int, share: Int64) {
        let api = APIClient(app: app)
        let created = try await api.post("/api/v1/allocations", AllocationAPITests.body(), as: "county_admin")
        let id = try #require(created.json["id"] as? Int)
        let rows = try #require(created.json["rows"] as? [[String: Any]])
        let row = try #require(rows.first { $0["unit"] as? String == Fixture.villageA1 })
        let share = try #require((row["amount"] as? NSNumber)?.int64Value)
        if approve {
            let admin = try await loadActor("county_admin", on: app.db)
            try await AllocationDesk.approve(id, by: admin, now: approvedAt, on: app.db)
        }
        return (id, share)
    }

    /// Debits and credits of every stored line, summed in SQL.
    static func totals(on db: any Database) async throws -> (debits: Int64, credits: Int64) {
        let row = try await db.sql.raw(
            """
            SELECT CAST(COALESCE(SUM(debit_fen), 0) AS BIGINT) AS d, CAST(COALESCE(SUM(credit_fen), 0) AS BIGINT) AS c
            FROM ledger_lines
            """
        ).first()
        return (try row?.decode(column: "d", as: Int64.self) ?? -1, try row?.decode(column: "c", as: Int64.self) ?? -1)
    }

    static func counts(on db: any Database) async throws -> [Int] {
        [
            try await LedgerEntryRecord.query(on: db).count(), try await LedgerLineRecord.query(on: db).count(),
            try await DisbursementRecord.query(on: db).count(),
            try await AuditRecord.query(on: db).filter(\.$action ~~ ["ledger_post", "ledger_reverse"]).count(),
        ]
    }

    static func village(_ code: String, on db: any Database) async throws -> AdminUnit {
        try #require(try await AdminUnit.query(on: db).filter(\.$code == code).first())
    }

    static func fen(_ value: Any?) -> Int64? { (value as? NSNumber)?.int64Value }

    @Test("disbursing an approved allocation posts a balanced entry, funds the pool once, shows in the statement")
    func disburseAndStatement() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let api = APIClient(app: app)
            let (id, share) = try await Self.allocation(app)
            let today = StatisticsPeriod.day(of: Date())

            let first = try await api.post(
                "/api/v1/disbursements", ["allocation": id, "village": Fixture.villageA1, "amount": 100_000],
                as: "township_finance")
            #expect(first.status == .created, "\(first.body.string)")
            #expect(first.json["date"] as? String == today.description)
            #expect(first.json["source_kind"] as? String == "disbursement")
            #expect(Self.fen(first.json["amount"]) == 100_000)
            let lines = try #require(first.json["lines"] as? [[String: Any]])
            let village = "village:\(Fixture.villageA1)"
            #expect(
                lines.map {
                    "\($0["account"] as? String ?? "") \(Self.fen($0["debit"]) ?? -1) \(Self.fen($0["credit"]) ?? -1)"
                }
                    == [
                        "county:\(Fixture.county):disbursed 100000 0", "county:\(Fixture.county):pool 0 100000",
                        "\(village):bank 100000 0", "\(village):special_payable 0 100000",
                    ])
            #expect(lines.map { $0["chart_code"] as? String } == [nil, nil, "102", "241"])

            // The rest of the share by default.
            let rest = try await api.post(
                "/api/v1/disbursements", ["allocation": id, "village": Fixture.villageA1], as: "township_finance")
            #expect(rest.status == .created, "\(rest.body.string)")
            #expect(Self.fen(rest.json["amount"]) == share - 100_000)

            // The pool was funded once, with the allocation's whole pool.
            let funding = try await LedgerEntryRecord.query(on: app.db).filter(\.$sourceKind == "allocation").all()
            #expect(funding.count == 1)
            #expect(
                try await LedgerBook.balance(of: .fund(of: UnitCode(Fixture.county)!), on: app.db).fen
                    == AllocationAPITests.pool)
            #expect(
                try await LedgerBook.balance(of: .pool(of: UnitCode(Fixture.county)!), on: app.db).fen
                    == AllocationAPITests.pool - share)

            // Debits equal credits over every stored line; one audit record per entry.
            let totals = try await Self.totals(on: app.db)
            #expect(totals.debits == totals.credits)
            #expect(totals.debits == AllocationAPITests.pool + 2 * share)
            #expect(try await Self.counts(on: app.db) == [3, 10, 2, 3])

            // Fully disbursed: a third one is refused and writes nothing.
            let third = try await api.post(
                "/api/v1/disbursements", ["allocation": id, "village": Fixture.villageA1], as: "township_finance")
            #expect(third.status == .conflict)
            #expect(try await Self.counts(on: app.db) == [3, 10, 2, 3])

            let statement = try await api.get(
                "/api/v1/villages/\(Fixture.villageA1)/statement?from=\(today.year)-01-01&to=\(today)",
                as: "village_clerk")
            #expect(statement.status == .ok, "\(statement.body.string)")
            let json = statement.json
            #expect(json["account"] as? String == "\(village):special_payable")
            #expect(Self.fen(json["opening"]) == 0)
            #expect(Self.fen(json["in"]) == share)
            #expect(Self.fen(json["out"]) == 0)
            #expect(Self.fen(json["closing"]) == share)
            #expect(Self.fen(json["reserved"]) == 0)
            #expect(Self.fen(json["available"]) == share)
            let rows = try #require(json["rows"] as? [[String: Any]])
            #expect(rows.map { Self.fen($0["credit"]) } == [100_000, share - 100_000])
            #expect(rows.map { Self.fen($0["balance"]) } == [100_000, share])
            #expect(rows.allSatisfy { $0["date"] as? String == today.description && ($0["memo"] as? String) != nil })

            // The township's summary agrees.
            let township = try await Self.village(Fixture.townshipA, on: app.db)
            let summary = try await LedgerBook.summary(
                township: township, from: StatisticsPeriod.Day(year: today.year, month: 1, day: 1),
                to: StatisticsPeriod.day(of: today.end), on: app.db)
            #expect(summary.rows.map(\.village.rawValue) == [Fixture.villageA1, Fixture.villageA2])
            #expect(summary.total.closing.fen == share)
            #expect(summary.total.inflow.fen == share)
        }
    }

    @Test("a draft allocation is not disbursed; nothing is written")
    func draftRefused() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let (id, _) = try await Self.allocation(app, approve: false)
            let response = try await APIClient(app: app).post(
                "/api/v1/disbursements", ["allocation": id, "village": Fixture.villageA1], as: "township_finance")
            #expect(response.status == .conflict)
            #expect(try await Self.counts(on: app.db) == [0, 0, 0, 0])
        }
    }

    @Test("more than remains of the village's share is refused with the figures; nothing is written")
    func overDisbursement() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let api = APIClient(app: app)
            let (id, share) = try await Self.allocation(app)
            let over = try await api.post(
                "/api/v1/disbursements", ["allocation": id, "village": Fixture.villageA1, "amount": share + 1],
                as: "township_finance")
            #expect(over.status == .conflict)
            #expect(try await Self.counts(on: app.db) == [0, 0, 0, 0])

            let part = try await api.post(
                "/api/v1/disbursements", ["allocation": id, "village": Fixture.villageA1, "amount": share - 10],
                as: "township_finance")
            #expect(part.status == .created)
            let before = try await Self.counts(on: app.db)
            let eleven = try await api.post(
                "/api/v1/disbursements", ["allocation": id, "village": Fixture.villageA1, "amount": 11],
                as: "township_finance")
            #expect(eleven.status == .conflict)
            #expect(try await Self.counts(on: app.db) == before)

            let zero = try await api.post(
                "/api/v1/disbursements", ["allocation": id, "village": Fixture.villageA1, "amount": 0],
                as: "township_finance")
            #expect(zero.status == .unprocessableEntity)
            #expect(zero.detailFields == ["amount"])
            let future = try await api.post(
                "/api/v1/disbursements", ["allocation": id, "village": Fixture.villageA1, "date": "2999-01-01"],
                as: "township_finance")
            #expect(future.status == .unprocessableEntity)
            #expect(future.detailFields == ["date"])
            #expect(try await Self.counts(on: app.db) == before)
        }
    }

    @Test("only township finance of the village's township disburses; others get 403 or 404")
    func access() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let api = APIClient(app: app)
            let (id, _) = try await Self.allocation(app)
            let body: [String: Any] = ["allocation": id, "village": Fixture.villageA1, "amount": 100]
            for role in ["village_clerk", "village_head", "county_admin", "township_leader"] {
                let response = try await api.post("/api/v1/disbursements", body, as: role)
                #expect(response.status == .forbidden, "\(role)")
            }
            // Outside the caller's funds scope: another township's village, an unknown village.
            let other = try await api.post(
                "/api/v1/disbursements", ["allocation": id, "village": Fixture.villageB1, "amount": 100],
                as: "township_finance")
            #expect(other.status == .notFound)
            let grid = try await api.post("/api/v1/disbursements", body, as: "grid_worker")
            #expect(grid.status == .notFound)
            let unknown = try await api.post(
                "/api/v1/disbursements", ["allocation": id + 99, "village": Fixture.villageA1], as: "township_finance")
            #expect(unknown.status == .notFound)
            #expect(try await Self.counts(on: app.db) == [0, 0, 0, 0])

            #expect(
                try await api.get("/api/v1/villages/\(Fixture.villageB1)/statement", as: "township_finance").status
                    == .notFound)
            #expect(
                try await api.get("/api/v1/villages/\(Fixture.villageA2)/statement", as: "village_clerk").status
                    == .notFound)
            #expect(
                try await api.get("/api/v1/villages/\(Fixture.villageB1)/statement", as: "county_auditor").status
                    == .ok)
            let bad = try await api.get(
                "/api/v1/villages/\(Fixture.villageA1)/statement?from=2026-13-01", as: "village_clerk")
            #expect(bad.status == .unprocessableEntity)
        }
    }

    @Test("a statement's period is cut at Shanghai midnight, not UTC midnight")
    func shanghaiBoundary() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let api = APIClient(app: app)
            let approved = try Date("2026-03-01T02:00:00Z", strategy: .iso8601)
            let (id, _) = try await Self.allocation(app, approvedAt: approved)
            // 2026-03-31 16:30 UTC is 2026-04-01 00:30 in Shanghai.
            let now = try Date("2026-03-31T16:30:00Z", strategy: .iso8601)
            let finance = try await loadActor("township_finance", on: app.db)
            let done = try await DisbursementDesk.disburse(
                .init(allocation: id, village: Fixture.villageA1, amount: Money(fen: 5_000), date: nil), by: finance,
                now: now, on: app.db)
            #expect(done.entry.accountingDate.description == "2026-04-01")
            let path = "/api/v1/villages/\(Fixture.villageA1)/statement"
            let march = try await api.get(path + "?from=2026-03-01&to=2026-03-31", as: "village_head")
            #expect(march.status == .ok)
            #expect((march.json["rows"] as? [Any])?.count == 0)
            #expect(Self.fen(march.json["closing"]) == 0)
            let april = try await api.get(path + "?from=2026-04-01&to=2026-04-01", as: "village_head")
            #expect((april.json["rows"] as? [Any])?.count == 1)
            #expect(Self.fen(april.json["opening"]) == 0)
            #expect(Self.fen(april.json["closing"]) == 5_000)
            let may = try await api.get(path + "?from=2026-04-02&to=2026-05-31", as: "village_head")
            #expect(Self.fen(may.json["opening"]) == 5_000)
            #expect((may.json["rows"] as? [Any])?.count == 0)

            // A back-dated disbursement falls on the day asked for; before the approval it is refused.
            let backDated = try await DisbursementDesk.disburse(
                .init(
                    allocation: id, village: Fixture.villageA1, amount: Money(fen: 1_000),
                    date: StatisticsPeriod.Day("2026-03-31")), by: finance, now: now, on: app.db)
            #expect(backDated.entry.accountingDate.description == "2026-03-31")
            await #expect(throws: CaseDesk.InputError.self) {
                try await DisbursementDesk.disburse(
                    .init(
                        allocation: id, village: Fixture.villageA1, amount: Money(fen: 1_000),
                        date: StatisticsPeriod.Day("2026-02-28")), by: finance, now: now, on: app.db)
            }
            let march2 = try await api.get(path + "?from=2026-03-01&to=2026-03-31", as: "village_head")
            #expect(Self.fen(march2.json["closing"]) == 1_000)
        }
    }

    @Test("a reversal nets every account to zero, is itself audited, and happens once")
    func reversal() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let api = APIClient(app: app)
            let (id, share) = try await Self.allocation(app)
            let posted = try await api.post(
                "/api/v1/disbursements", ["allocation": id, "village": Fixture.villageA1, "amount": 20_000],
                as: "township_finance")
            let entryID = try #require(posted.json["id"] as? Int)
            let finance = try await loadActor("township_finance", on: app.db)
            let reversal = try await LedgerBook.reverse(
                entryID, reason: "金额录错，冲销", by: .init(finance), on: app.db)
            #expect(reversal.reverses == Int64(entryID))
            #expect(reversal.lines.first { $0.account.kind == .specialPayable }?.debit.fen == 20_000)
            let a1 = UnitCode(Fixture.villageA1)!
            for account in [LedgerAccount.bank(of: a1), .specialPayable(of: a1)] {
                #expect(try await LedgerBook.balance(of: account, on: app.db) == .zero)
            }
            #expect(
                try await LedgerBook.balance(of: .disbursed(of: UnitCode(Fixture.county)!), on: app.db) == .zero)
            let totals = try await Self.totals(on: app.db)
            #expect(totals.debits == totals.credits)
            #expect(try await AuditRecord.query(on: app.db).filter(\.$action == "ledger_reverse").count() == 1)
            await #expect(throws: YunweiError.self) {
                try await LedgerBook.reverse(entryID, reason: "again", by: .init(finance), on: app.db)
            }
            let statement = try await api.get(
                "/api/v1/villages/\(Fixture.villageA1)/statement", as: "village_clerk")
            #expect(Self.fen(statement.json["in"]) == 20_000)
            #expect(Self.fen(statement.json["out"]) == 20_000)
            #expect(Self.fen(statement.json["closing"]) == 0)
            // The reversed disbursement no longer counts against the share.
            let whole = try await api.post(
                "/api/v1/disbursements", ["allocation": id, "village": Fixture.villageA1], as: "township_finance")
            #expect(Self.fen(whole.json["amount"]) == share)
        }
    }

    @Test("two reservations racing for the last yuan: exactly one is made")
    func reservationRace() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let (id, _) = try await Self.allocation(app)
            let finance = try await loadActor("township_finance", on: app.db)
            _ = try await DisbursementDesk.disburse(
                .init(allocation: id, village: Fixture.villageA1, amount: Money(fen: 10_000), date: nil),
                by: finance, on: app.db)
            let village = try await Self.village(Fixture.villageA1, on: app.db)
            try await app.db.write { db in
                try await LedgerBook.reserve(
                    claimID: 1, village: village, amount: Money(fen: 9_900), by: .system, on: db)
            }
            for round in 0..<3 {
                let claims = (Int64(10 + 2 * round), Int64(11 + 2 * round))
                if round > 0 {
                    // Release the winner of the round before, so the last yuan is free again.
                    try await ReservationRecord.query(on: app.db).filter(\.$claimID != 1)
                        .filter(\.$state == "reserved").set(\.$state, to: "released").update()
                }
                let db = app.db
                async let first = Self.attempt(claims.0, village: village, on: db)
                async let second = Self.attempt(claims.1, village: village, on: db)
                let results = await [first, second]
                #expect(results.sorted() == ["ledger.error.insufficient", "ok"], "round \(round)")
                let available = try await LedgerBook.availability(of: village, on: app.db)
                #expect(available.available == .zero)
                #expect(available.reserved.fen == 10_000)
            }
            #expect(try await AuditRecord.query(on: app.db).filter(\.$action == "ledger_reserve").count() == 4)
        }
    }

    /// One reservation of 100 fen in its own write transaction: `ok`, or why it was refused.
    static func attempt(_ claim: Int64, village: AdminUnit, on db: any Database) async -> String {
        do {
            try await db.write { db in
                try await LedgerBook.reserve(
                    claimID: claim, village: village, amount: Money(fen: 100), by: .system, on: db)
            }
            return "ok"
        } catch let error as YunweiError {
            return error.key
        } catch {
            return String(describing: error)
        }
    }
}
