import Fluent
import Vapor

/// One idempotency key in use: who sent it to which route, a fingerprint of what they sent, and,
/// once the handler has answered, the answer to replay. Rows live 24 hours.
final class IdempotencyRecord: Model, @unchecked Sendable {
    static let schema = "idempotency_keys"

    /// A key being worked on: the first request with it has not answered yet.
    static let running = "running"
    /// A key whose first request has answered; the answer is stored.
    static let done = "done"
    /// A key whose first request's change has committed (marked in the change's own transaction)
    /// but whose answer is not stored yet — or never will be: the process died in between.
    static let applied = "applied"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    /// The key as the client sent it (1–255 printable ASCII characters).
    @Field(key: "key") var key: String
    /// Whose key it is: `user:42`, or for an anonymous sender a hash of the session or address.
    @Field(key: "scope") var scope: String
    @Field(key: "method") var method: String
    @Field(key: "path") var path: String
    /// SHA-256 of the request body, hex.
    @Field(key: "fingerprint") var fingerprint: String
    @Field(key: "state") var state: String
    /// Milliseconds since 1970 in UTC: an integer survives every database unchanged.
    @Field(key: "created_ms") var createdMillis: Int64
    @OptionalField(key: "status") var status: Int?
    @OptionalField(key: "content_type") var contentType: String?
    @OptionalField(key: "location") var location: String?
    /// The answer's body; nil when it was larger than `Idempotency.maxStoredBody`.
    @OptionalField(key: "body") var body: Data?

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] {
        [
            $id, $key, $scope, $method, $path, $fingerprint, $state, $createdMillis, $status, $contentType, $location,
            $body,
        ]
    }

    init() {}

    init(key: String, scope: String, method: String, path: String, fingerprint: String, createdAt: Date) {
        self.key = key
        self.scope = scope
        self.method = method
        self.path = path
        self.fingerprint = fingerprint
        self.state = Self.running
        self.createdMillis = Int64((createdAt.timeIntervalSince1970 * 1000).rounded())
    }

    var createdAt: Date { Date(timeIntervalSince1970: Double(createdMillis) / 1000) }
}

struct CreateIdempotencyKeys: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(IdempotencyRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("key", .string, .required)
            .field("scope", .string, .required)
            .field("method", .string, .required)
            .field("path", .string, .required)
            .field("fingerprint", .string, .required)
            .field("state", .string, .required)
            .field("created_ms", .int64, .required)
            .field("status", .int)
            .field("content_type", .string)
            .field("location", .string)
            .field("body", .data)
            .unique(on: "scope", "method", "path", "key", name: "idempotency_keys_once")
            .create()
        try await database.sql.raw("CREATE INDEX idempotency_keys_created ON idempotency_keys (created_ms)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(IdempotencyRecord.schema).delete()
    }
}
