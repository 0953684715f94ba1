import Foundation

/// The reporter's 7 days after a case is resolved (DOMAIN.md §3): within them an unsatisfied
/// reporter sends the case back to its handler; after them a case nobody answered for closes by
/// itself. The window is half-open — at exactly 7 days it is over — so at every moment exactly
/// one of "may reopen" and "closes automatically" holds.
public enum FeedbackWindow {
    /// The length in days, as the texts state it.
    public static let days = 7

    /// The length in seconds. Asia/Shanghai has no daylight saving, so 7 days are always 7 × 24 h.
    public static let length: TimeInterval = TimeInterval(days) * 24 * 60 * 60

    /// When the window of a case resolved at `resolvedAt` closes.
    public static func end(resolvedAt: Date) -> Date { resolvedAt.addingTimeInterval(length) }

    /// Whether the reporter of a case resolved at `resolvedAt` may still reopen it at `now`.
    public static func isOpen(resolvedAt: Date, now: Date) -> Bool { now < end(resolvedAt: resolvedAt) }

    /// Whether a resolved case without feedback is due to close by itself at `now`.
    public static func shouldAutoClose(resolvedAt: Date, now: Date) -> Bool {
        !isOpen(resolvedAt: resolvedAt, now: now)
    }

    /// The latest resolution time of the cases due to close at `now`, for the background job's
    /// query: `state = 'resolved' AND resolved_at <= cutoff`.
    public static func autoCloseCutoff(now: Date) -> Date { now.addingTimeInterval(-length) }
}
