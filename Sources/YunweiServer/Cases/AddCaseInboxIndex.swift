import Fluent
import SQLKit

/// The inboxes' newest-first walks: `county_id = ? ORDER BY id DESC` reads a county's first page
/// straight off `(county_id, id)` instead of sorting its million cases, and "reported by me"
/// reads `(reporter_user_id, id)`. Townships and villages are small enough to sort; their
/// `(unit, state, id)` indexes narrow them.
struct AddCaseInboxIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.sql.raw("CREATE INDEX cases_county_id ON cases (county_id, id)").run()
        try await database.sql.raw("CREATE INDEX cases_reporter_id ON cases (reporter_user_id, id)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.raw("DROP INDEX IF EXISTS cases_reporter_id").run()
        try await database.sql.raw("DROP INDEX IF EXISTS cases_county_id").run()
    }
}
