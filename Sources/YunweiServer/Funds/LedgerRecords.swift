import Fluent
import Foundation
import SQLKit
import YunweiDomain

/// One journal entry 记账凭证 of the special ledger (DOMAIN.md §4.3), as stored: written once by
/// `LedgerBook.post` and never updated or deleted; a correction is another entry whose
/// `reverses_id` names it (unique, so an entry is reversed at most once).
final class LedgerEntryRecord: Model, @unchecked Sendable {
    static let schema = "ledger_entries"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    /// The county whose fund the entry belongs to.
    @Parent(key: "county_id") var county: AdminUnit
    /// The village whose books it touches; nil for an entry in the county's books only.
    @OptionalParent(key: "village_id") var village: AdminUnit?
    /// The instant of posting, UTC.
    @Field(key: "at") var at: Date
    /// The Asia/Shanghai day of `at`, `YYYY-MM-DD`.
    @Field(key: "accounting_date") var accountingDate: String
    @Field(key: "memo") var memo: String
    @Field(key: "source_kind") var sourceKind: String
    @Field(key: "source_id") var sourceID: Int64
    @OptionalField(key: "reverses_id") var reversesID: Int?
    @OptionalField(key: "created_by") var createdBy: Int?

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] {
        [$id, $county, $village, $at, $accountingDate, $memo, $sourceKind, $sourceID, $reversesID, $createdBy]
    }

    init() {}
}

/// One line 分录 of a stored entry. The account key, its unit, kind and chart code are all kept
/// so that statements, balances and vouchers are plain queries; the accounting date is copied
/// from the entry so that a village account's statement is read by one index.
final class LedgerLineRecord: Model, @unchecked Sendable {
    static let schema = "ledger_lines"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "entry_id") var entry: LedgerEntryRecord
    /// The line's place in its entry, from 0.
    @Field(key: "position") var position: Int
    /// `village:510121100201:bank`.
    @Field(key: "account") var account: String
    @Parent(key: "unit_id") var unit: AdminUnit
    @Field(key: "kind") var kind: String
    @OptionalField(key: "chart_code") var chartCode: String?
    @Field(key: "accounting_date") var accountingDate: String
    @Field(key: "debit_fen") var debitFen: Int64
    @Field(key: "credit_fen") var creditFen: Int64

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] {
        [$id, $entry, $position, $account, $unit, $kind, $chartCode, $accountingDate, $debitFen, $creditFen]
    }

    init() {}
}

/// 预留 — a submitted claim's amount held against its village's fund, one row per claim.
final class ReservationRecord: Model, @unchecked Sendable {
    static let schema = "reservations"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    /// The claim's row id (claims are stored by a later step; no foreign key yet).
    @Field(key: "claim_id") var claimID: Int64
    @Parent(key: "village_id") var village: AdminUnit
    @Field(key: "amount_fen") var amountFen: Int64
    @Field(key: "state") var state: String
    @Field(key: "reserved_at") var reservedAt: Date
    @OptionalField(key: "closed_at") var closedAt: Date?

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] { [$id, $claimID, $village, $amountFen, $state, $reservedAt, $closedAt] }

    init() {}

    func reservation(village code: UnitCode) -> Reservation {
        Reservation(
            claim: claimID, village: code, amount: Money(fen: amountFen),
            state: ReservationState(rawValue: state) ?? .reserved, reservedAt: reservedAt, closedAt: closedAt)
    }
}

/// 拨付 — one disbursement of an allocation's money to a village: the source document of its
/// ledger entry (`source_kind = 'disbursement'`), whose id `entry_id` records.
final class DisbursementRecord: Model, @unchecked Sendable {
    static let schema = "disbursements"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "allocation_id") var allocation: AllocationRecord
    @Parent(key: "village_id") var village: AdminUnit
    @Field(key: "amount_fen") var amountFen: Int64
    @Field(key: "accounting_date") var accountingDate: String
    @OptionalParent(key: "entry_id") var entry: LedgerEntryRecord?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "created_by") var createdBy: Int?

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] {
        [$id, $allocation, $village, $amountFen, $accountingDate, $entry, $createdAt, $createdBy]
    }

    init() {}
}

/// The special ledger's tables: entries and lines (immutable), reservations, disbursements.
struct CreateLedger: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LedgerEntryRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("county_id", .int, .required, .references(AdminUnit.schema, "id"))
            .field("village_id", .int, .references(AdminUnit.schema, "id"))
            .field("at", .datetime, .required)
            .field("accounting_date", .string, .required)
            .field("memo", .string, .required)
            .field("source_kind", .string, .required)
            .field("source_id", .int64, .required)
            .field("reverses_id", .int, .references(LedgerEntryRecord.schema, "id"))
            .field("created_by", .int, .references(User.schema, "id"))
            .unique(on: "reverses_id")
            .create()
        try await database.schema(LedgerLineRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("entry_id", .int, .required, .references(LedgerEntryRecord.schema, "id"))
            .field("position", .int, .required)
            .field("account", .string, .required)
            .field("unit_id", .int, .required, .references(AdminUnit.schema, "id"))
            .field("kind", .string, .required)
            .field("chart_code", .string)
            .field("accounting_date", .string, .required)
            .field("debit_fen", .int64, .required)
            .field("credit_fen", .int64, .required)
            .unique(on: "entry_id", "position")
            .create()
        try await database.schema(ReservationRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("claim_id", .int64, .required)
            .field("village_id", .int, .required, .references(AdminUnit.schema, "id"))
            .field("amount_fen", .int64, .required)
            .field("state", .string, .required)
            .field("reserved_at", .datetime, .required)
            .field("closed_at", .datetime)
            .unique(on: "claim_id")
            .create()
        try await database.schema(DisbursementRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("allocation_id", .int, .required, .references(AllocationRecord.schema, "id"))
            .field("village_id", .int, .required, .references(AdminUnit.schema, "id"))
            .field("amount_fen", .int64, .required)
            .field("accounting_date", .string, .required)
            .field("entry_id", .int, .references(LedgerEntryRecord.schema, "id"))
            .field("created_at", .datetime, .required)
            .field("created_by", .int, .references(User.schema, "id"))
            .create()
        let sql = database.sql
        // A village account's statement and balance: its lines by date, then entry.
        try await sql.raw(
            "CREATE INDEX ledger_lines_account_date ON ledger_lines (account, accounting_date, entry_id)"
        ).run()
        try await sql.raw("CREATE INDEX ledger_entries_source ON ledger_entries (source_kind, source_id)").run()
        try await sql.raw("CREATE INDEX reservations_village_state ON reservations (village_id, state)").run()
        try await sql.raw("CREATE INDEX disbursements_allocation_village ON disbursements (allocation_id, village_id)")
            .run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DisbursementRecord.schema).delete()
        try await database.schema(ReservationRecord.schema).delete()
        try await database.schema(LedgerLineRecord.schema).delete()
        try await database.schema(LedgerEntryRecord.schema).delete()
    }
}

/// The self-inspection reads a scope's postings of one year by unit and date
/// (`InspectionFactsLoader`); without this index it scans every line of every year.
struct AddLedgerLineUnitIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.sql.raw("CREATE INDEX ledger_lines_unit_date ON ledger_lines (unit_id, accounting_date)")
            .run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.raw("DROP INDEX ledger_lines_unit_date").run()
    }
}

/// Balances are sums over years of an account's lines (a statement's carried balance, the
/// self-inspection's opening and closing balances): with the amounts in the account's index the
/// database sums them from the index alone. Replaces `ledger_lines_account_date`, which it covers.
struct CoverLedgerLineAccountIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.sql.raw(
            """
            CREATE INDEX IF NOT EXISTS ledger_lines_account_cover
            ON ledger_lines (account, accounting_date, entry_id, debit_fen, credit_fen)
            """
        ).run()
        try await database.sql.raw("DROP INDEX IF EXISTS ledger_lines_account_date").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.raw(
            "CREATE INDEX ledger_lines_account_date ON ledger_lines (account, accounting_date, entry_id)"
        ).run()
        try await database.sql.raw("DROP INDEX ledger_lines_account_cover").run()
    }
}
