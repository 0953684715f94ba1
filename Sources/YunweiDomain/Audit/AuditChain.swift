import Foundation

/// The pure part of the tamper-evident audit trail: how a record is written down for hashing,
/// how it is chained to the one before, and how a chain is checked. The hash function is passed
/// in — the server uses SHA-256 (Foundation has none on Linux), tests use something tiny.
///
/// The chain shows edits, insertions and deletions inside it. It cannot by itself show that the
/// newest records were cut off the end: for that the server compares the last `seq` and `hash`
/// with a copy kept elsewhere.
public enum AuditChain {
    /// The `prevHash` of the first record: 64 zeros, the width of a SHA-256 hex digest.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The text that is hashed: every field but `hash`, in a fixed order, each prefixed with its
    /// length in UTF-8 bytes (`5:admin`) so that no two different records share a text — moving
    /// characters from one field to the next changes the lengths. A nil is `~`, which no length
    /// starts with, so nil and empty differ. Dates count whole milliseconds since 1970.
    public static func canonical(_ entry: AuditEntry) -> String {
        let fields: [String?] = [
            String(entry.seq), String(milliseconds(entry.at)), entry.actorID.map { String($0) },
            entry.actorName, entry.action, entry.entityType, entry.entityID, entry.unitPath,
            entry.before, entry.after, entry.prevHash,
        ]
        return "audit/v1" + fields.map { field in field.map { "|\($0.utf8.count):\($0)" } ?? "|~" }.joined()
    }

    /// The milliseconds since 1970 nearest to `date`. Rounding, not truncating, so a date that
    /// comes back from a database a hair off its stored millisecond still counts the same.
    public static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// Chains `draft` — a record with its `seq` (the previous record's plus one) and content —
    /// after the record whose hash is `previousHash` (`genesisHash` for the first), filling
    /// `prevHash` and `hash`. The time is cut to the whole millisecond the hash covers, so the
    /// stored record and its hash agree.
    public static func seal(_ draft: AuditEntry, after previousHash: String, hash: (String) -> String) -> AuditEntry {
        var entry = draft
        entry.at = Date(timeIntervalSince1970: Double(milliseconds(draft.at)) / 1000)
        entry.prevHash = previousHash
        entry.hash = hash(canonical(entry))
        return entry
    }
}
