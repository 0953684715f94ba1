import Foundation

/// 办理时限 — when a case must be answered, and whether it is late (DOMAIN.md §3). A case past its
/// deadline is overdue: flagged, and escalated to the township leader.
public enum CaseDeadline {
    /// The deadline `hours` after `start` — a category's time limit counted from the dispatch.
    /// Hours are counted on the clock, weekends and holidays included, as the seed's time limits are.
    public static func from(_ start: Date, hours: Int) -> Date {
        start.addingTimeInterval(TimeInterval(hours) * 60 * 60)
    }

    /// Whether a case in `state` with `deadline` is overdue at `now`: only a case still owed an
    /// answer (referred, dispatched, in progress or returned) can be, and only once the deadline
    /// has passed — at the deadline itself it is still on time.
    public static func isOverdue(deadline: Date?, state: CaseState, now: Date) -> Bool {
        guard let deadline, state.runsAgainstDeadline else { return false }
        return now > deadline
    }

    /// Whether a case resolved at `resolvedAt` counts as resolved on time (按期办结) for the
    /// statistics: at or before its deadline. A case never given a deadline was never late.
    public static func isOnTime(resolvedAt: Date, deadline: Date?) -> Bool {
        guard let deadline else { return true }
        return resolvedAt <= deadline
    }
}
