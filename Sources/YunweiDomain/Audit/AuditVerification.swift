/// The verdict on an audit trail: whole, or where it first breaks and how. A reason is told by
/// the catalog key `audit.reason.<reason>` — it interpolates as its raw value, e.g. `bad_link`.
public enum AuditVerification: Sendable, Hashable {
    case intact(count: Int)
    case broken(seq: Int64, reason: Reason)

    /// How a chain was found broken, at the first record where it shows.
    public enum Reason: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
        /// The record's content no longer matches its own hash: it was edited after it was written.
        case altered
        /// The record does not belong where it is: its `seq` repeats or runs backwards, or the
        /// record after it is chained past it to the one before.
        case inserted
        /// Records are missing before this one: its `seq` skips numbers (or the trail does not
        /// start at 1).
        case deleted
        /// The numbering is unbroken and the record is whole, yet it is not chained to the record
        /// before it: that record was replaced (and its hash recomputed), or records were removed
        /// and the rest renumbered.
        case badLink = "bad_link"

        public var description: String { rawValue }
    }
}

extension AuditChain {
    /// Checks a trail given in `seq` order, from its first record, and reports the first record
    /// where it breaks. Each record is checked against its own hash first, then its number, then
    /// its link, so the verdict names the most specific thing that is wrong.
    public static func verify(_ entries: [AuditEntry], hash: (String) -> String) -> AuditVerification {
        for (index, entry) in entries.enumerated() {
            let previous = index > 0 ? entries[index - 1] : nil
            let expectedSeq = (previous?.seq ?? 0) + 1
            if hash(canonical(entry)) != entry.hash { return .broken(seq: entry.seq, reason: .altered) }
            if entry.seq < expectedSeq { return .broken(seq: entry.seq, reason: .inserted) }
            if entry.seq > expectedSeq { return .broken(seq: entry.seq, reason: .deleted) }
            guard entry.prevHash != (previous?.hash ?? genesisHash) else { continue }
            if let previous, index > 1, entry.prevHash == entries[index - 2].hash {
                return .broken(seq: previous.seq, reason: .inserted)
            }
            return .broken(seq: entry.seq, reason: .badLink)
        }
        return .intact(count: entries.count)
    }
}
