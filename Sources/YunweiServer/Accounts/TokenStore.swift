import Fluent
import Vapor

/// Issues, checks and revokes API bearer tokens; the database keeps only their SHA-256.
enum TokenStore {
    static let lifetime: TimeInterval = 30 * 24 * 3600

    /// A new random token for `userID`; the plain token is returned once and never stored.
    static func issue(for userID: Int, on database: any Database, now: Date = Date()) async throws -> (
        token: String, expiresAt: Date
    ) {
        let token = [UInt8].random(count: 32).base64URLEncoded
        let expiresAt = now.addingTimeInterval(lifetime)
        try await APIToken(userID: userID, tokenHash: AuditTrail.sha256(token), expiresAt: expiresAt).create(
            on: database)
        return (token, expiresAt)
    }

    static func userID(for token: String, on database: any Database, now: Date = Date()) async throws -> Int? {
        guard
            let record = try await APIToken.query(on: database)
                .filter(\.$tokenHash == AuditTrail.sha256(token))
                .first(),
            record.revokedAt == nil, record.expiresAt > now
        else { return nil }
        return record.$user.id
    }

    static func record(for token: String, on database: any Database) async throws -> APIToken? {
        try await APIToken.query(on: database).filter(\.$tokenHash == AuditTrail.sha256(token)).first()
    }
}

extension Array where Element == UInt8 {
    var base64URLEncoded: String {
        Data(self).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
