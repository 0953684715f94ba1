import Fluent
import Vapor
import YunweiDomain

/// A person who signs in. What they may do comes only from their role grants.
final class User: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @OptionalField(key: "phone") var phone: String?
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "disabled") var disabled: Bool
    /// Consecutive failed logins, reset by a success (see `LoginThrottle`).
    @Field(key: "failed_logins") var failedLogins: Int
    @OptionalField(key: "last_failed_at") var lastFailedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Children(for: \.$user) var grants: [RoleGrant]

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] {
        [
            $id, $username, $displayName, $phone, $passwordHash, $disabled, $failedLogins, $lastFailedAt, $createdAt,
            $grants,
        ]
    }

    init() {}

    init(username: String, displayName: String, phone: String?, passwordHash: String) {
        self.username = username
        self.displayName = displayName
        self.phone = phone
        self.passwordHash = passwordHash
        self.disabled = false
        self.failedLogins = 0
    }

    var snapshot: [String: String] {
        ["username": username, "display_name": displayName, "phone": phone ?? "", "disabled": String(disabled)]
    }
}

/// A role held by a user at a unit; it reaches the unit's whole subtree.
final class RoleGrant: Model, @unchecked Sendable {
    static let schema = "role_grants"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "user_id") var user: User
    @Field(key: "role") var role: String
    @Parent(key: "unit_id") var unit: AdminUnit
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] { [$id, $user, $role, $unit, $createdAt] }

    init() {}

    init(userID: Int, role: Role, unitID: Int) {
        self.$user.id = userID
        self.role = role.rawValue
        self.$unit.id = unitID
    }
}

/// A bearer token for the JSON API. Only its SHA-256 is stored, so a leaked database does not
/// leak working tokens.
final class APIToken: Model, @unchecked Sendable {
    static let schema = "api_tokens"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "user_id") var user: User
    @Field(key: "token_hash") var tokenHash: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] { [$id, $user, $tokenHash, $createdAt, $expiresAt, $revokedAt] }

    init() {}

    init(userID: Int, tokenHash: String, expiresAt: Date) {
        self.$user.id = userID
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
    }
}

struct CreateAccounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema)
            .field("id", .int, .identifier(auto: true))
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("phone", .string)
            .field("password_hash", .string, .required)
            .field("disabled", .bool, .required)
            .field("failed_logins", .int, .required)
            .field("last_failed_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "username")
            .create()
        try await database.schema(RoleGrant.schema)
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references(User.schema, "id"))
            .field("role", .string, .required)
            .field("unit_id", .int, .required, .references(AdminUnit.schema, "id"))
            .field("created_at", .datetime)
            .unique(on: "user_id", "role", "unit_id")
            .create()
        try await database.schema(APIToken.schema)
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references(User.schema, "id"))
            .field("token_hash", .string, .required)
            .field("created_at", .datetime)
            .field("expires_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(APIToken.schema).delete()
        try await database.schema(RoleGrant.schema).delete()
        try await database.schema(User.schema).delete()
    }
}
