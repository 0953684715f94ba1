import Fluent
import Vapor
import YunweiDomain

/// One row of the append-only, hash-chained audit trail (see `AuditChain`).
final class AuditRecord: Model, @unchecked Sendable {
    static let schema = "audit_log"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    /// Position in the chain: 1, 2, 3 … without gaps, assigned under the chain lock.
    @Field(key: "seq") var seq: Int64
    /// Milliseconds since 1970 in UTC: an integer survives every database unchanged.
    @Field(key: "at_ms") var atMillis: Int64
    @OptionalField(key: "actor_id") var actorID: Int64?
    @Field(key: "actor_name") var actorName: String
    @Field(key: "action") var action: String
    @Field(key: "entity_type") var entityType: String
    @Field(key: "entity_id") var entityID: String
    @OptionalField(key: "unit_path") var unitPath: String?
    @OptionalField(key: "before") var before: String?
    @OptionalField(key: "after") var after: String?
    @Field(key: "prev_hash") var prevHash: String
    @Field(key: "hash") var hash: String

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] {
        [
            $id, $seq, $atMillis, $actorID, $actorName, $action, $entityType, $entityID, $unitPath, $before, $after,
            $prevHash, $hash,
        ]
    }

    init() {}

    init(_ entry: AuditEntry) {
        seq = entry.seq
        atMillis = Int64((entry.at.timeIntervalSince1970 * 1000).rounded())
        actorID = entry.actorID
        actorName = entry.actorName
        action = entry.action
        entityType = entry.entityType
        entityID = entry.entityID
        unitPath = entry.unitPath
        before = entry.before
        after = entry.after
        prevHash = entry.prevHash
        hash = entry.hash
    }

    var entry: AuditEntry {
        AuditEntry(
            seq: seq, at: Date(timeIntervalSince1970: Double(atMillis) / 1000), actorID: actorID,
            actorName: actorName, action: action, entityType: entityType, entityID: entityID,
            unitPath: unitPath, before: before, after: after, prevHash: prevHash, hash: hash)
    }
}

struct CreateAuditLog: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("seq", .int64, .required)
            .field("at_ms", .int64, .required)
            .field("actor_id", .int64)
            .field("actor_name", .string, .required)
            .field("action", .string, .required)
            .field("entity_type", .string, .required)
            .field("entity_id", .string, .required)
            .field("unit_path", .string)
            .field("before", .string)
            .field("after", .string)
            .field("prev_hash", .string, .required)
            .field("hash", .string, .required)
            .unique(on: "seq")
            .create()
        try await database.sql.raw("CREATE INDEX audit_log_at ON audit_log (at_ms)").run()
        try await database.sql.raw("CREATE INDEX audit_log_unit_path ON audit_log (unit_path)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditRecord.schema).delete()
    }
}
