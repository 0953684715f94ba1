import Foundation

/// One record of the audit trail: who did what to which thing, with the thing before and after
/// as JSON text, chained to the record before it by `prevHash` so that editing, inserting or
/// deleting a record shows (DOMAIN.md §8).
public struct AuditEntry: Sendable, Codable, Hashable {
    /// 1, 2, 3 … with no gaps: a gap is a deleted record.
    public var seq: Int64
    /// When it happened. Only whole milliseconds count, so the value survives any database.
    public var at: Date
    /// The user, or nil for the system and the public.
    public var actorID: Int64?
    public var actorName: String
    /// What was done, e.g. `unit.create`, `user.grant`.
    public var action: String
    public var entityType: String
    public var entityID: String
    /// The path of the unit the thing belongs to, so the trail can be scoped like everything else.
    public var unitPath: String?
    public var before: String?
    public var after: String?
    /// The previous record's `hash`, or `AuditChain.genesisHash` for the first record. Empty in a
    /// draft: `AuditChain.seal` fills it.
    public var prevHash: String
    /// The hash of `AuditChain.canonical(self)`. Empty in a draft: `AuditChain.seal` fills it.
    public var hash: String

    public init(
        seq: Int64, at: Date, actorID: Int64?, actorName: String, action: String, entityType: String,
        entityID: String, unitPath: String?, before: String?, after: String?, prevHash: String, hash: String
    ) {
        self.seq = seq
        self.at = at
        self.actorID = actorID
        self.actorName = actorName
        self.action = action
        self.entityType = entityType
        self.entityID = entityID
        self.unitPath = unitPath
        self.before = before
        self.after = after
        self.prevHash = prevHash
        self.hash = hash
    }
}
