import Fluent
import Foundation
import Vapor
import YunweiDomain

/// The client applications allowed to file Open311 requests in a county, each with its api key.
/// Only the key's SHA-256 is stored, so a copy of the database opens no door; the key itself is
/// shown once, when issued. Call the changing functions inside the caller's `db.write`, which
/// also holds their audit record.
enum Open311Clients {
    static let minimumKeyLength = 16
    static let maxNameLength = 100

    /// A fresh random key: 32 URL-safe characters (192 bits).
    static func newKey() -> String {
        [UInt8].random(count: 24).base64URLEncoded
    }

    static func hash(_ key: String) -> String {
        AuditTrail.sha256(key)
    }

    /// Issues `key` to the client application `name` in `county`. The demo uses it with its
    /// fixed key `demo-open311-key`; the admin page with `newKey()`.
    @discardableResult
    static func issue(name: String, county: AdminUnit, key: String, by author: AuditTrail.Author, on db: any Database)
        async throws -> Open311ClientRecord
    {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= maxNameLength else {
            throw YunweiError.invalid("open311.client.error.name", ["max": String(maxNameLength)])
        }
        guard county.unitKind == .county else { throw YunweiError.invalid("open311.client.error.county") }
        guard key.count >= minimumKeyLength else {
            throw YunweiError.invalid("open311.client.error.key", ["min": String(minimumKeyLength)])
        }
        let keyHash = hash(key)
        guard try await Open311ClientRecord.query(on: db).filter(\.$keyHash == keyHash).count() == 0 else {
            throw YunweiError.conflict("open311.client.error.key_taken")
        }
        let client = Open311ClientRecord()
        client.$county.id = try county.requireID()
        client.name = name
        client.keyHash = keyHash
        client.createdAt = Date()
        try await client.create(on: db)
        try await AuditTrail.record(
            on: db, by: author, action: "open311_client_issue", entityType: "open311_client",
            entityID: String(try client.requireID()), unitPath: county.path, after: ["name": name])
        return client
    }

    /// Withdraws a client's key: its requests from now on are refused with 403.
    static func revoke(
        _ client: Open311ClientRecord, county: AdminUnit, by author: AuditTrail.Author, on db: any Database
    )
        async throws
    {
        guard client.revokedAt == nil else { return }
        client.revokedAt = Date()
        try await client.save(on: db)
        try await AuditTrail.record(
            on: db, by: author, action: "open311_client_revoke", entityType: "open311_client",
            entityID: String(try client.requireID()), unitPath: county.path,
            before: ["name": client.name, "revoked": "false"],
            after: ["name": client.name, "revoked": "true"])
    }

    /// The active client holding `key` in `county`, or nil: no key, an unknown or revoked one, or
    /// another county's.
    static func client(forKey key: String?, county: AdminUnit, on db: any Database) async throws
        -> Open311ClientRecord?
    {
        guard let key, !key.isEmpty else { return nil }
        return try await Open311ClientRecord.query(on: db).filter(\.$keyHash == hash(key))
            .filter(\.$county.$id == county.requireID()).filter(\.$revokedAt == nil).first()
    }
}
