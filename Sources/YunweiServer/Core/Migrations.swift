import Fluent
import Vapor

/// Every schema change, in order. Fluent remembers migrations by type name: never rename one,
/// add a new one instead.
enum Migrations {
    static func register(on app: Application) {
        // 1. Foundation: units and factor data, accounts, sessions, the audit trail.
        app.migrations.add(CreateUnits())
        app.migrations.add(CreateFactorRecords())
        app.migrations.add(CreateAccounts())
        app.migrations.add(SessionRecord.migration)
        app.migrations.add(CreateAuditLog())
        // 2. The case platform: categories, cases and their timeline, photos, supervision, Open311.
        app.migrations.add(CreateCasePlatform())
        // 3. Case statistics: running sums per unit, category and month, kept by triggers.
        app.migrations.add(CreateCaseStatCells())
        app.migrations.add(RebuildRunningDeadlineIndex())
        app.migrations.add(AddCaseInboxIndex())
        // 4. Subsidy funds: the allocations by factors and their tables.
        app.migrations.add(CreateAllocations())
        // 5. The special ledger 专账: entries and lines, reservations, disbursements.
        app.migrations.add(CreateLedger())
        // 6. Claims 报账: claims, their invoices, history and objections.
        app.migrations.add(CreateClaims())
        // 7. Scans of a claim's invoices, stored on disk by SHA-256.
        app.migrations.add(CreateClaimScans())
        // 8. Idempotency keys: a repeated POST replays the first answer.
        app.migrations.add(CreateIdempotencyKeys())
        // 9. Caretaker pay: contracts, monthly payroll batches and their lines.
        app.migrations.add(CreatePayroll())
        // 10. The self-inspection's read of a year's postings by unit.
        app.migrations.add(AddLedgerLineUnitIndex())
        // 11. Balances summed from the account index alone.
        app.migrations.add(CoverLedgerLineAccountIndex())
    }

    /// Runs pending migrations; on SQLite files also switches to WAL once (it persists).
    static func run(on app: Application) async throws {
        if case .sqlite(let path) = app.settings.storage, path != ":memory:" {
            try await app.db.sql.raw("PRAGMA journal_mode=WAL").run()
        }
        try await app.autoMigrate()
    }
}
