import Fluent
import Foundation
import SQLKit
import YunweiDomain

/// The special ledger 专账 as stored (DOMAIN.md §4.3), and the one place that writes it. The rules
/// are the domain's — `LedgerEntry` checks every entry is a balanced double entry, the standard
/// postings are `LedgerEntry.poolFunding`, `.disbursement`, …, `AvailableBalance` decides a
/// reservation — and this book stores them: immutably, each with its audit record, inside the
/// caller's `db.write` so that an entry commits together with the change of the document it was
/// posted for.
///
/// Balances are SQL sums over `ledger_lines`; statements and summaries are the domain's
/// `LedgerStatement` and `LedgerSummary` built from the stored entries.
enum LedgerBook {
    // MARK: Writing (inside the caller's `db.write`)

    /// Stores `entry` and its lines, with the audit record `ledger_post` (or `ledger_reverse` for a
    /// reversal). Must run inside a `db.write`. Every unit the entry touches must exist.
    static func post(
        _ entry: LedgerEntry, by author: AuditTrail.Author, now: Date = Date(), on db: any Database
    ) async throws -> LedgerEntry {
        let codes = Array(Set(entry.lines.map(\.account.unit.rawValue)))
        let units = try await AdminUnit.query(on: db).filter(\.$code ~~ codes).all()
        let byCode = Dictionary(units.map { ($0.code, $0) }) { first, _ in first }
        guard codes.allSatisfy({ byCode[$0] != nil }) else { throw YunweiError.notFound }
        let villageUnit = entry.lines.lazy.map(\.account).first { $0.kind.level == .village }.flatMap {
            byCode[$0.unit.rawValue]
        }
        let countyCode =
            villageUnit.map { LedgerAccount.county(of: $0.unitCode).rawValue }
            ?? entry.lines.first!.account.unit.rawValue
        let county: AdminUnit
        if let known = byCode[countyCode] {
            county = known
        } else if let found = try await AdminUnit.query(on: db).filter(\.$code == countyCode).first() {
            county = found
        } else {
            throw YunweiError.notFound
        }

        let record = LedgerEntryRecord()
        record.$county.id = try county.requireID()
        record.$village.id = try villageUnit?.requireID()
        record.at = entry.date
        record.accountingDate = entry.accountingDate.description
        record.memo = entry.memo
        record.sourceKind = entry.source.kind.rawValue
        record.sourceID = entry.source.id
        record.reversesID = entry.reverses.map(Int.init)
        record.createdBy = author.id.map(Int.init)
        try await record.create(on: db)
        let id = try record.requireID()
        var lines: [LedgerLineRecord] = []
        for (position, line) in entry.lines.enumerated() {
            let row = LedgerLineRecord()
            row.$entry.id = id
            row.position = position
            row.account = line.account.rawValue
            row.$unit.id = try byCode[line.account.unit.rawValue]!.requireID()
            row.kind = line.account.kind.rawValue
            row.chartCode = line.account.chartCode
            row.accountingDate = entry.accountingDate.description
            row.debitFen = line.debit.fen
            row.creditFen = line.credit.fen
            lines.append(row)
        }
        try await lines.create(on: db)
        let stored = entry.stored(as: Int64(id))
        try await AuditTrail.record(
            on: db, by: author, action: entry.reverses == nil ? "ledger_post" : "ledger_reverse",
            entityType: "ledger_entry", entityID: String(id), unitPath: (villageUnit ?? county).path,
            after: snapshot(stored), at: now)
        return stored
    }

    /// 冲销 — reverses the stored entry `entryID` in its own write transaction: the same lines on
    /// the opposite sides, dated now, with `reason` as its memo. 404 for an unknown entry, 409 for
    /// an entry already reversed or itself a reversal.
    static func reverse(
        _ entryID: Int, reason: String, by author: AuditTrail.Author, now: Date = Date(), on db: any Database
    ) async throws -> LedgerEntry {
        try await db.write { db in
            if !db.isSQLite {
                try await db.sql.raw("SELECT id FROM ledger_entries WHERE id = \(bind: entryID) FOR UPDATE").run()
            }
            guard let original = try await load([entryID], on: db).first else { throw YunweiError.notFound }
            if try await LedgerEntryRecord.query(on: db).filter(\.$reversesID == entryID).count() > 0 {
                throw YunweiError.conflict("ledger.error.already_reversed", ["entry": String(entryID)])
            }
            let reversal: LedgerEntry
            do throws(FundIssue) {
                reversal = try LedgerEntry.reversal(of: original, date: now, memo: reason)
            } catch {
                if error.field == "memo" || error.field == "date" { throw input(error) }
                throw YunweiError.conflict(error.key, error.args)
            }
            return try await post(reversal, by: author, now: now, on: db)
        }
    }

    /// 预留 — holds `amount` of `village`'s fund for `claim`, inside the caller's `db.write`.
    /// Refused (409 `ledger.error.insufficient`) when it exceeds what is available, so
    /// that concurrent reservations can never drive it below zero: on PostgreSQL the village's
    /// row in `units` is locked first (`SELECT … FOR UPDATE`), so every writer of that village's
    /// fund waits for the one before it; SQLite's `BEGIN IMMEDIATE` already serializes writers.
    @discardableResult
    static func reserve(
        claimID: Int64, village: AdminUnit, amount: Money, by author: AuditTrail.Author, now: Date = Date(),
        on db: any Database
    ) async throws -> Reservation {
        let villageID = try village.requireID()
        try await lockVillage(villageID, on: db)
        let available = try await availability(of: village, on: db)
        let reservation: Reservation
        do {
            reservation = try available.reserve(amount, for: claimID, at: now)
        } catch {
            if error.key == "ledger.error.insufficient" { throw YunweiError.conflict(error.key, error.args) }
            throw input(error)
        }
        // A claim returned and submitted again reserves again in its one row.
        let existing = try await ReservationRecord.query(on: db).filter(\.$claimID == claimID).first()
        if let existing, existing.state == ReservationState.reserved.rawValue {
            throw YunweiError.conflict("ledger.error.already_reserved", ["claim": String(claimID)])
        }
        let record = existing ?? ReservationRecord()
        record.claimID = claimID
        record.$village.id = villageID
        record.amountFen = amount.fen
        record.state = reservation.state.rawValue
        record.reservedAt = now
        record.closedAt = nil
        try await record.save(on: db)
        try await AuditTrail.record(
            on: db, by: author, action: "ledger_reserve", entityType: "reservation", entityID: String(claimID),
            unitPath: village.path,
            after: ["village": village.code, "amount_fen": String(amount.fen), "state": reservation.state.rawValue],
            at: now)
        return reservation
    }

    /// On PostgreSQL, locks a village's unit row for the rest of the transaction: every change to
    /// that village's fund balance or reservations takes this lock first.
    static func lockVillage(_ villageID: Int, on db: any Database) async throws {
        guard !db.isSQLite else { return }
        try await db.sql.raw("SELECT id FROM units WHERE id = \(bind: villageID) FOR UPDATE").run()
    }

    // MARK: Reading

    /// The balance of `account` on its normal side — over all entries, or those booked before
    /// `day` — summed in SQL.
    static func balance(
        of account: LedgerAccount, before day: StatisticsPeriod.Day? = nil, on db: any Database
    ) async throws -> Money {
        let date = day?.description ?? "9999-12-31"
        let row = try await db.sql.raw(
            """
            SELECT CAST(COALESCE(SUM(debit_fen), 0) AS BIGINT) AS debits,
                CAST(COALESCE(SUM(credit_fen), 0) AS BIGINT) AS credits
            FROM ledger_lines WHERE account = \(bind: account.rawValue) AND accounting_date < \(bind: date)
            """
        ).first()
        let debits = try row?.decode(column: "debits", as: Int64.self) ?? 0
        let credits = try row?.decode(column: "credits", as: Int64.self) ?? 0
        return Money(fen: account.normalSide == .debit ? debits - credits : credits - debits)
    }

    /// A village's fund balance (its 241 专项应付款), open reservations, and what is available.
    static func availability(of village: AdminUnit, on db: any Database) async throws -> AvailableBalance {
        try await availabilities(of: [village], on: db)[village.requireID()]
            ?? AvailableBalance(village: village.unitCode, balance: .zero, reserved: .zero)
    }

    /// `availability(of:)` for many villages in two queries (a county's villages at once), by
    /// village row id.
    static func availabilities(of villages: [AdminUnit], on db: any Database) async throws -> [Int: AvailableBalance] {
        guard !villages.isEmpty else { return [:] }
        let accounts = villages.map { LedgerAccount.specialPayable(of: $0.unitCode) }
        let end = StatisticsPeriod.Day(year: 9999, month: 12, day: 31)
        let balances = try await balances(of: accounts, before: end, on: db)
        var reserved: [Int: Int64] = [:]
        for chunk in stride(from: 0, to: villages.count, by: 5000) {
            let ids = try villages[chunk..<min(chunk + 5000, villages.count)].map { try $0.requireID() }
            let rows = try await db.sql.raw(
                """
                SELECT village_id, CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) AS reserved FROM reservations
                WHERE village_id IN (\(binds: ids)) AND state = \(bind: ReservationState.reserved.rawValue)
                GROUP BY village_id
                """
            ).all()
            for row in rows {
                reserved[try row.decode(column: "village_id", as: Int.self)] = try row.decode(
                    column: "reserved", as: Int64.self)
            }
        }
        var result: [Int: AvailableBalance] = [:]
        for village in villages {
            let id = try village.requireID()
            let code = village.unitCode
            result[id] = AvailableBalance(
                village: code, balance: balances[.specialPayable(of: code)] ?? .zero,
                reserved: Money(fen: reserved[id] ?? 0))
        }
        return result
    }

    /// 对账单 of `village`'s fund (its 241 专项应付款) over the Shanghai days [`from`, `to`), by
    /// the domain's `LedgerStatement` from the stored entries touching it and its reservations.
    static func statement(
        village: AdminUnit, from: StatisticsPeriod.Day, to: StatisticsPeriod.Day, on db: any Database
    ) async throws -> LedgerStatement {
        let account = LedgerAccount.specialPayable(of: village.unitCode)
        let carried = try await balances(of: [account], before: from, on: db)[account] ?? .zero
        let entries = try await entries(touching: [account], from: from, before: to, on: db)
        let reservations = try await reservations(of: [village], before: to, on: db)
        do {
            return try LedgerStatement(
                account: account, entries: entries, reservations: reservations, from: from, to: to, carried: carried)
        } catch {
            throw input(error)
        }
    }

    /// 乡镇专账汇总 — every village of `township` side by side over [`from`, `to`).
    static func summary(
        township: AdminUnit, from: StatisticsPeriod.Day, to: StatisticsPeriod.Day, on db: any Database
    ) async throws -> LedgerSummary {
        let villages = try await AdminUnit.query(on: db).filter(\.$kind == UnitKind.village.rawValue)
            .filter(\.$path =~ township.path).all()
        let accounts = villages.map { LedgerAccount.specialPayable(of: $0.unitCode) }
        let carried = try await balances(of: accounts, before: from, on: db)
        let entries = try await entries(touching: accounts, from: from, before: to, on: db)
        let reservations = try await reservations(of: villages, before: to, on: db)
        do {
            return try LedgerSummary(
                villages: villages.map(\.unitCode), entries: entries, reservations: reservations, from: from, to: to,
                carried: Dictionary(carried.map { ($0.key.unit, $0.value) }) { first, _ in first })
        } catch {
            throw input(error)
        }
    }

    /// The stored entries with a line on any of `accounts`, booked before `day` (and on or after
    /// `first`, when given), with all their lines in order.
    static func entries(
        touching accounts: [LedgerAccount], from first: StatisticsPeriod.Day? = nil, before day: StatisticsPeriod.Day,
        on db: any Database
    ) async throws -> [LedgerEntry] {
        guard !accounts.isEmpty else { return [] }
        let lower = first?.description ?? ""
        let ids = try await db.sql.raw(
            """
            SELECT DISTINCT entry_id FROM ledger_lines WHERE account IN (\(binds: accounts.map(\.rawValue)))
              AND accounting_date < \(bind: day.description) AND accounting_date >= \(bind: lower)
            """
        ).all().map { try $0.decode(column: "entry_id", as: Int.self) }
        return try await load(ids, on: db)
    }

    /// The balances of `accounts` on their normal sides from the entries booked before `day`,
    /// summed in SQL (one grouped query; accounts without lines are absent).
    static func balances(
        of accounts: [LedgerAccount], before day: StatisticsPeriod.Day, on db: any Database
    ) async throws -> [LedgerAccount: Money] {
        guard !accounts.isEmpty else { return [:] }
        let rows = try await db.sql.raw(
            """
            SELECT account, CAST(COALESCE(SUM(debit_fen), 0) AS BIGINT) AS debits,
                CAST(COALESCE(SUM(credit_fen), 0) AS BIGINT) AS credits
            FROM ledger_lines WHERE account IN (\(binds: accounts.map(\.rawValue)))
                AND accounting_date < \(bind: day.description)
            GROUP BY account
            """
        ).all()
        var balances: [LedgerAccount: Money] = [:]
        for row in rows {
            guard let account = LedgerAccount(rawValue: try row.decode(column: "account", as: String.self)) else {
                continue
            }
            let debits = try row.decode(column: "debits", as: Int64.self)
            let credits = try row.decode(column: "credits", as: Int64.self)
            balances[account] = Money(fen: account.normalSide == .debit ? debits - credits : credits - debits)
        }
        return balances
    }

    /// Entries by id, as domain entries, in id order.
    static func load(_ ids: [Int], on db: any Database) async throws -> [LedgerEntry] {
        guard !ids.isEmpty else { return [] }
        // Plain SQL rows, not models: a statement or summary reads hundreds of lines, and building
        // a Fluent model per row costs more than the query.
        struct Line {
            let account: String
            let debit: Int64
            let credit: Int64
        }
        var linesByEntry: [Int: [Line]] = [:]
        var records: [SQLRow] = []
        for chunk in stride(from: 0, to: ids.count, by: 5000) {
            let part = Array(ids[chunk..<min(chunk + 5000, ids.count)])
            records += try await db.sql.raw(
                """
                SELECT id, at, memo, source_kind, source_id, reverses_id FROM ledger_entries
                WHERE id IN (\(binds: part))
                """
            ).all()
            for row in try await db.sql.raw(
                """
                SELECT entry_id, account, debit_fen, credit_fen FROM ledger_lines
                WHERE entry_id IN (\(binds: part)) ORDER BY entry_id, position
                """
            ).all() {
                linesByEntry[try row.decode(column: "entry_id", as: Int.self), default: []].append(
                    Line(
                        account: try row.decode(column: "account", as: String.self),
                        debit: try row.decode(column: "debit_fen", as: Int64.self),
                        credit: try row.decode(column: "credit_fen", as: Int64.self)))
            }
        }
        let entries = try records.map { record in
            let id = try record.decode(column: "id", as: Int.self)
            var lines: [LedgerLine] = []
            for line in linesByEntry[id] ?? [] {
                guard let account = LedgerAccount(rawValue: line.account) else { throw LedgerCorrupt(entry: id) }
                lines.append(
                    LedgerLine(account: account, debit: Money(fen: line.debit), credit: Money(fen: line.credit)))
            }
            guard let kind = LedgerSource.Kind(rawValue: try record.decode(column: "source_kind", as: String.self))
            else { throw LedgerCorrupt(entry: id) }
            do {
                return try LedgerEntry(
                    id: Int64(id), date: try record.decode(column: "at", as: Date.self),
                    memo: try record.decode(column: "memo", as: String.self),
                    source: LedgerSource(kind: kind, id: try record.decode(column: "source_id", as: Int64.self)),
                    lines: lines, reverses: try record.decode(column: "reverses_id", as: Int?.self).map(Int64.init))
            } catch {
                throw LedgerCorrupt(entry: id)
            }
        }
        return entries.sorted { ($0.id ?? 0) < ($1.id ?? 0) }
    }

    /// The reservations of `villages` made before the end of `day`'s eve.
    private static func reservations(
        of villages: [AdminUnit], before day: StatisticsPeriod.Day, on db: any Database
    ) async throws -> [Reservation] {
        guard !villages.isEmpty else { return [] }
        let codes = try Dictionary(villages.map { (try $0.requireID(), $0.unitCode) }) { first, _ in first }
        return try await ReservationRecord.query(on: db).filter(\.$village.$id ~~ Array(codes.keys))
            .filter(\.$reservedAt < day.start).all()
            .map { $0.reservation(village: codes[$0.$village.id]!) }
    }

    /// What the audit trail keeps of an entry: its date, memo, source and every line.
    static func snapshot(_ entry: LedgerEntry) -> [String: String] {
        var fields = [
            "date": entry.accountingDate.description, "memo": entry.memo,
            "source": "\(entry.source.kind.rawValue):\(entry.source.id)",
        ]
        if let reverses = entry.reverses { fields["reverses"] = String(reverses) }
        for (index, line) in entry.lines.enumerated() {
            fields["line_\(index)"] =
                "\(line.account.rawValue) debit \(line.debit.fen) credit \(line.credit.fen)"
        }
        return fields
    }

    /// A domain refusal of what a person entered, as a 422 with the problem beside its field.
    static func input(_ issue: FundIssue) -> CaseDesk.InputError {
        CaseDesk.InputError(issues: [CaseIssue(field: issue.field, key: issue.key, args: issue.args)])
    }
}

/// A stored entry that no longer reads back as a valid entry: rows were changed behind the
/// book's back. Shown as a server error, never as figures.
struct LedgerCorrupt: Error, CustomStringConvertible {
    let entry: Int
    var description: String { "ledger entry \(entry) does not read back as a balanced entry" }
}
