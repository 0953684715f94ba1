import Fluent
import SQLKit

/// The case platform's tables. Indexes follow the inboxes: each inbox is a scope (village path
/// prefix, handler unit or township) plus a state, read newest first by id (keyset pages).
struct CreateCasePlatform: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CategoryRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("county_id", .int, .required, .references(AdminUnit.schema, "id"))
            .field("code", .string, .required)
            .field("parent_id", .int, .references(CategoryRecord.schema, "id"))
            .field("name_zh", .string, .required)
            .field("name_en", .string, .required)
            .field("default_handler", .string)
            .field("deadline_hours", .int, .required)
            .field("priority", .string, .required)
            .field("private", .bool, .required)
            .field("questions", .string, .required)
            .field("active", .bool, .required)
            .field("sort", .int, .required)
            .unique(on: "county_id", "code")
            .create()
        try await database.schema(Open311ClientRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("county_id", .int, .required, .references(AdminUnit.schema, "id"))
            .field("name", .string, .required)
            .field("key_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .unique(on: "key_hash")
            .create()
        try await database.schema(CaseRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("county_id", .int, .required, .references(AdminUnit.schema, "id"))
            .field("township_id", .int, .required, .references(AdminUnit.schema, "id"))
            .field("village_id", .int, .required, .references(AdminUnit.schema, "id"))
            .field("village_path", .string, .required)
            .field("category_id", .int, .required, .references(CategoryRecord.schema, "id"))
            .field("state", .string, .required)
            .field("priority", .string, .required)
            .field("private", .bool, .required)
            .field("description", .string, .required)
            .field("lat_e6", .int)
            .field("lon_e6", .int)
            .field("address", .string)
            .field("facility_id", .int)
            .field("answers", .string, .required)
            .field("source", .string, .required)
            .field("reporter_user_id", .int, .references(User.schema, "id"))
            .field("reporter_name", .string)
            .field("reporter_phone", .string)
            .field("query_code", .string)
            .field("handler_unit_id", .int, .references(AdminUnit.schema, "id"))
            .field("handler_path", .string)
            .field("deadline_at", .datetime)
            .field("reported_at", .datetime, .required)
            .field("dispatched_at", .datetime)
            .field("resolved_at", .datetime)
            .field("closed_at", .datetime)
            .field("reopen_count", .int, .required)
            .field("supervised", .bool, .required)
            .field("overdue_at", .datetime)
            .field("satisfied", .bool)
            .field("duplicate_of_id", .int, .references(CaseRecord.schema, "id"))
            .field("open311_client_id", .int, .references(Open311ClientRecord.schema, "id"))
            .field("updated_at", .datetime, .required)
            .unique(on: "query_code")
            .create()
        for index in [
            "CREATE INDEX cases_county_state ON cases (county_id, state, id)",
            "CREATE INDEX cases_township_state ON cases (township_id, state, id)",
            "CREATE INDEX cases_village_state ON cases (village_id, state, id)",
            "CREATE INDEX cases_handler_state ON cases (handler_unit_id, state, id)",
            "CREATE INDEX cases_village_path ON cases (village_path, id)",
            "CREATE INDEX cases_reported_at ON cases (county_id, reported_at)",
            "CREATE INDEX cases_deadline ON cases (state, deadline_at)",
            "CREATE INDEX cases_resolved_at ON cases (state, resolved_at)",
        ] {
            try await database.sql.raw(SQLQueryString(stringLiteral: index)).run()
        }
        try await database.schema(CaseEventRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("case_id", .int, .required, .references(CaseRecord.schema, "id"))
            .field("at", .datetime, .required)
            .field("actor_user_id", .int)
            .field("actor_name", .string, .required)
            .field("action", .string, .required)
            .field("from_state", .string)
            .field("to_state", .string, .required)
            .field("note", .string)
            .field("handler_unit_id", .int)
            .field("deadline_at", .datetime)
            .field("photos", .string, .required)
            .create()
        try await database.sql.raw("CREATE INDEX case_events_case ON case_events (case_id, id)").run()
        try await database.schema(CasePhotoRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("case_id", .int, .required, .references(CaseRecord.schema, "id"))
            .field("sha256", .string, .required)
            .field("content_type", .string, .required)
            .field("bytes", .int, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.sql.raw("CREATE INDEX case_photos_case ON case_photos (case_id)").run()
        try await database.schema(SupervisionRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("case_id", .int, .required, .references(CaseRecord.schema, "id"))
            .field("township_id", .int, .required, .references(AdminUnit.schema, "id"))
            .field("at", .datetime, .required)
            .field("kind", .string, .required)
            .field("by_user_id", .int)
            .field("note", .string)
            .field("new_deadline_at", .datetime)
            .field("read_at", .datetime)
            .create()
        try await database.sql.raw(
            "CREATE INDEX case_supervisions_township ON case_supervisions (township_id, read_at)"
        )
        .run()
        try await database.schema(ReportThrottleRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("address", .string, .required)
            .field("hour", .int64, .required)
            .field("count", .int, .required)
            .unique(on: "address", "hour")
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [
            ReportThrottleRecord.schema, SupervisionRecord.schema, CasePhotoRecord.schema, CaseEventRecord.schema,
            CaseRecord.schema, Open311ClientRecord.schema, CategoryRecord.schema,
        ] {
            try await database.schema(schema).delete()
        }
    }
}
