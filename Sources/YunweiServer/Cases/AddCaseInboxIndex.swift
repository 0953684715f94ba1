import Fluent
import SQLKit

/// The inboxes' newest-first walk through a county: `county_id = ? ORDER BY id DESC` reads the
/// first page straight off this index instead of sorting the county's million cases. Townships
/// and villages are small enough to sort; their `(unit, state, id)` indexes narrow them.
struct AddCaseInboxIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.sql.raw("CREATE INDEX cases_county_id ON cases (county_id, id)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.raw("DROP INDEX IF EXISTS cases_county_id").run()
    }
}
