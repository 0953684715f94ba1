import Fluent
import Vapor
import YunweiDomain

/// Creating users, granting and revoking roles, disabling and resetting passwords — each with
/// its audit record, inside the caller's `Database.write` transaction. Pages, the command line
/// and imports all come through here.
enum UserRegistry {
    static func normalize(_ username: String) -> String {
        username.trimmingCharacters(in: .whitespaces).lowercased()
    }

    static func isValidUsername(_ username: String) -> Bool {
        (3...32).contains(username.count)
            && username.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" }
    }

    static func create(
        username: String, displayName: String, phone: String?, passwordHash: String, by author: AuditTrail.Author,
        on db: any Database
    ) async throws -> User {
        let username = normalize(username)
        let displayName = displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard isValidUsername(username) else {
            throw YunweiError.invalid("user.error.bad_username", ["value": username])
        }
        guard !displayName.isEmpty, displayName.count <= 50 else { throw YunweiError.invalid("user.error.bad_name") }
        let phone = phone?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        if let phone, !(phone.count == 11 && phone.hasPrefix("1") && phone.allSatisfy(\.isNumber)) {
            throw YunweiError.invalid("user.error.bad_phone", ["value": phone])
        }
        guard try await User.query(on: db).filter(\.$username == username).first() == nil else {
            throw YunweiError.conflict("user.error.duplicate", ["value": username])
        }
        let user = User(username: username, displayName: displayName, phone: phone, passwordHash: passwordHash)
        try await user.create(on: db)
        try await AuditTrail.record(
            on: db, by: author, action: "user_create", entityType: "user", entityID: username, after: user.snapshot)
        return user
    }

    static func grant(
        _ role: Role, at unit: AdminUnit, to user: User, by author: AuditTrail.Author, on db: any Database
    ) async throws {
        guard unit.unitKind == role.heldAt else {
            throw YunweiError.roleHeldElsewhere(role)
        }
        let userID = try user.requireID()
        let unitID = try unit.requireID()
        let existing = try await RoleGrant.query(on: db).filter(\.$user.$id == userID).filter(\.$role == role.rawValue)
            .filter(\.$unit.$id == unitID).first()
        guard existing == nil else { return }
        try await RoleGrant(userID: userID, role: role, unitID: unitID).create(on: db)
        try await AuditTrail.record(
            on: db, by: author, action: "role_grant", entityType: "user", entityID: user.username, unitPath: unit.path,
            after: ["role": role.rawValue, "unit": unit.code])
    }

    static func revoke(_ grant: RoleGrant, of user: User, by author: AuditTrail.Author, on db: any Database)
        async throws
    {
        let unit = try await grant.$unit.get(on: db)
        try await grant.delete(on: db)
        try await AuditTrail.record(
            on: db, by: author, action: "role_revoke", entityType: "user", entityID: user.username, unitPath: unit.path,
            before: ["role": grant.role, "unit": unit.code])
    }

    static func setDisabled(_ disabled: Bool, _ user: User, by author: AuditTrail.Author, on db: any Database)
        async throws
    {
        let before = user.snapshot
        user.disabled = disabled
        try await user.save(on: db)
        if disabled {
            // A disabled person loses their API tokens at once; sessions end on their next request.
            try await APIToken.query(on: db).filter(\.$user.$id == user.requireID()).filter(\.$revokedAt == nil)
                .set(\.$revokedAt, to: Date()).update()
        }
        try await AuditTrail.record(
            on: db, by: author, action: disabled ? "user_disable" : "user_enable", entityType: "user",
            entityID: user.username, before: before, after: user.snapshot)
    }

    static func setPassword(hash: String, _ user: User, by author: AuditTrail.Author, on db: any Database) async throws
    {
        user.passwordHash = hash
        user.failedLogins = 0
        user.lastFailedAt = nil
        try await user.save(on: db)
        try await AuditTrail.record(
            on: db, by: author, action: "password_reset", entityType: "user", entityID: user.username)
    }

    /// Whether `actor` may manage `user`: every role the user holds must lie inside the actor's
    /// user-management scope, so an admin can never touch someone who also works elsewhere.
    static func canManage(_ actor: Actor, _ grantPaths: [UnitPath]) -> Bool {
        let scope = Policy.scope(actor, .manageUsers)
        guard !scope.isEmpty else { return false }
        return grantPaths.allSatisfy { path in scope.contains { path.isWithin($0) } }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
