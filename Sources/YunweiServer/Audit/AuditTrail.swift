import Fluent
import Foundation
import Vapor
import YunweiDomain

/// Writes the audit trail. Call it inside the same `Database.write` transaction as the change
/// it records, so both commit or neither does.
enum AuditTrail {
    /// Who did it: a signed-in person, or the system itself (imports, jobs, the demo).
    struct Author: Sendable {
        let id: Int64?
        let name: String

        static let system = Author(id: nil, name: "system")

        init(id: Int64?, name: String) {
            self.id = id
            self.name = name
        }

        init(_ actor: Actor) {
            self.init(id: actor.userID, name: actor.username)
        }
    }

    /// Appends one record to the chain. On PostgreSQL the chain is locked for the rest of the
    /// transaction so concurrent writers (also in other server processes) queue up; SQLite's
    /// immediate transactions already hold the write lock. In the same transaction the request's
    /// idempotency key, if it holds one, is marked applied (`Idempotency.markApplied`).
    @discardableResult
    static func record(
        on database: any Database, by author: Author, action: String, entityType: String, entityID: String,
        unitPath: String? = nil, before: [String: String]? = nil, after: [String: String]? = nil,
        at time: Date = Date()
    ) async throws -> AuditEntry {
        if !database.isSQLite {
            try await database.sql.raw("SELECT pg_advisory_xact_lock(72830001)").run()
        }
        // Plain SQL, not the model: this runs in every state change, and the model's reflection
        // was a large part of a case report's time.
        let last = try await database.sql.raw("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").first()
        let millis = Int64((time.timeIntervalSince1970 * 1000).rounded())
        let draft = AuditEntry(
            seq: (try last?.decode(column: "seq", as: Int64.self) ?? 0) + 1,
            at: Date(timeIntervalSince1970: Double(millis) / 1000), actorID: author.id, actorName: author.name,
            action: action, entityType: entityType, entityID: entityID, unitPath: unitPath, before: before.map(json),
            after: after.map(json), prevHash: "", hash: "")
        let entry = AuditChain.seal(
            draft, after: try last?.decode(column: "hash", as: String.self) ?? AuditChain.genesisHash, hash: sha256)
        try await database.sql.raw(
            """
            INSERT INTO audit_log ("seq", "at_ms", "actor_id", "actor_name", "action", "entity_type", "entity_id",
              "unit_path", "before", "after", "prev_hash", "hash")
            VALUES (\(bind: entry.seq), \(bind: millis), \(bind: entry.actorID), \(bind: entry.actorName),
              \(bind: entry.action), \(bind: entry.entityType), \(bind: entry.entityID), \(bind: entry.unitPath),
              \(bind: entry.before), \(bind: entry.after), \(bind: entry.prevHash), \(bind: entry.hash))
            """
        ).run()
        try await Idempotency.markApplied(on: database)
        return entry
    }

    /// Recomputes the whole chain, in seq order, in pages so memory stays flat.
    static func verify(on database: any Database) async throws -> AuditVerification {
        var entries: [AuditEntry] = []
        var lastID = 0
        while true {
            let page = try await AuditRecord.query(on: database).filter(\.$id > lastID).sort(\.$id).limit(5000).all()
            guard let last = page.last else { break }
            entries += page.map(\.entry)
            lastID = last.id ?? lastID
        }
        entries.sort { $0.seq < $1.seq }
        return AuditChain.verify(entries, hash: sha256)
    }

    @Sendable static func sha256(_ text: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(text.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// Stable JSON: sorted keys, so the same state always hashes the same.
    static func json(_ fields: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(fields)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }
}
