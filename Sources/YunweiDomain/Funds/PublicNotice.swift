import Foundation

/// 公示 — the public notice of a claim at or above the threshold (DOMAIN.md §4.3, §8): after the
/// village head approves it, it is shown on the village's public page for 5 days, and whoever
/// objects is recorded. Only when the notice is over may the township leader review the claim.
///
/// Nothing ends a notice: it is over by the clock. The notice is half-open — at exactly 5 days
/// it is over — so at every moment exactly one of "objections are taken" and "the leader may
/// review" holds.
public struct PublicNotice: Sendable, Hashable, Codable {
    /// The length in days, as the texts state it.
    public static let days = 5

    /// The length in seconds. Asia/Shanghai has no daylight saving, so 5 days are always 120 h.
    public static let length: TimeInterval = TimeInterval(days) * 24 * 60 * 60

    /// Claims of this amount or more are noticed, by default (configurable per county).
    public static let defaultThreshold = Money(yuan: 5_000)

    /// The longest objection text, in characters.
    public static let maxObjectionLength = 500

    /// When the village head's approval started the notice.
    public var start: Date
    /// The objections recorded so far, oldest first.
    public var objections: [Objection]

    public init(start: Date, objections: [Objection] = []) {
        self.start = start
        self.objections = objections
    }

    /// Whether a claim of `amount` must be noticed before the township reviews it.
    public static func isRequired(for amount: Money, threshold: Money = defaultThreshold) -> Bool {
        amount >= threshold
    }

    /// The latest start of the notices that are over at `now`, for the leader's inbox query:
    /// `state = 'in_notice' AND notice_start <= cutoff`.
    public static func overCutoff(now: Date) -> Date { now.addingTimeInterval(-length) }

    /// When the notice is over.
    public var end: Date { start.addingTimeInterval(Self.length) }

    /// Whether the 5 days have passed at `now`, so that the township leader may review the claim.
    public func isOver(at now: Date) -> Bool { now >= end }

    /// Whether objections are taken at `now`.
    public func isRunning(at now: Date) -> Bool { now >= start && now < end }

    /// The notice with `objection` added.
    public func recording(_ objection: Objection) -> PublicNotice {
        PublicNotice(start: start, objections: objections + [objection])
    }
}

/// 异议 — what someone said against a noticed claim, and when.
public struct Objection: Sendable, Hashable, Codable {
    public var at: Date
    public var by: Objector
    public var text: String

    public init(at: Date, by: Objector, text: String) {
        self.at = at
        self.by = by
        self.text = text
    }
}

/// Who objected: a signed-in person, a villager who gave a name on the public page, or the public.
public enum Objector: Sendable, Hashable, Codable {
    /// Someone signed in, by their account.
    case user(id: Int64, name: String)
    /// A villager on the public page who gave a name.
    case named(String)
    /// Someone on the public page who gave no name; shown as `claim_objector.public`.
    case `public`
}
