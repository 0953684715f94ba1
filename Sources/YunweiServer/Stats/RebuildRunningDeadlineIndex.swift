import Fluent
import SQLKit

/// The partial index of running cases, county first and with `state`: SQLite without statistics
/// passed over the first version (`deadline_at` first, without `state`, so not covering) for a
/// walk through a county's whole year. A new migration, since `CreateCaseStatCells` has run.
struct RebuildRunningDeadlineIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await rebuild(
            "(county_id, deadline_at, reported_at, township_id, village_id, category_id, state)", on: database)
    }

    func revert(on database: any Database) async throws {
        try await rebuild("(deadline_at, county_id, township_id, village_id, category_id, reported_at)", on: database)
    }

    private func rebuild(_ columns: String, on database: any Database) async throws {
        for statement in [
            "DROP INDEX IF EXISTS cases_running_deadline",
            "CREATE INDEX cases_running_deadline ON cases \(columns) WHERE state IN (\(CaseStatSQL.runningStates))",
        ] {
            try await database.sql.raw(SQLQueryString(statement)).run()
        }
    }
}
