/// 案件统计 — the figures of one unit, category and period (DOMAIN.md §3), from counts the database
/// computes in one query. The definitions are fixed, so every page, chart and CSV that shows a
/// rate shows the same number:
///
/// - collected 收集: cases reported in the period;
/// - resolved 办结: of those, the cases now resolved or closed;
/// - resolution rate 办结率 = resolved / collected;
/// - on-time rate 按期办结率 = resolved by the deadline / resolved;
/// - average handling time = mean(resolved_at − dispatched_at) over the resolved cases with both;
/// - satisfaction 满意率 = satisfied / feedback given;
/// - overdue now: open cases past their deadline at the time of the query.
///
/// Rates are whole per-mille, rounded half up in integers (the seed's 176,377 of 186,726 is 945,
/// shown 94.5%), and nil when there is nothing to divide by — never a division by zero.
public struct CaseStatistics: Sendable, Hashable, Codable {
    public var collected: Int
    public var resolved: Int
    public var resolvedOnTime: Int
    /// Σ(resolved_at − dispatched_at) in seconds over `handledCount` cases.
    public var handlingSecondsTotal: Int
    public var handledCount: Int
    public var feedbackGiven: Int
    public var satisfied: Int
    public var overdueNow: Int

    public init(
        collected: Int, resolved: Int, resolvedOnTime: Int, handlingSecondsTotal: Int, handledCount: Int,
        feedbackGiven: Int, satisfied: Int, overdueNow: Int
    ) {
        self.collected = collected
        self.resolved = resolved
        self.resolvedOnTime = resolvedOnTime
        self.handlingSecondsTotal = handlingSecondsTotal
        self.handledCount = handledCount
        self.feedbackGiven = feedbackGiven
        self.satisfied = satisfied
        self.overdueNow = overdueNow
    }

    /// Nothing collected, nothing resolved: where a sum starts.
    public static let zero = CaseStatistics(
        collected: 0, resolved: 0, resolvedOnTime: 0, handlingSecondsTotal: 0, handledCount: 0, feedbackGiven: 0,
        satisfied: 0, overdueNow: 0)

    /// 办结率, in per-mille.
    public var resolutionRate: Int? { Self.perMille(resolved, of: collected) }

    /// 按期办结率, in per-mille.
    public var onTimeRate: Int? { Self.perMille(resolvedOnTime, of: resolved) }

    /// 满意率, in per-mille.
    public var satisfactionRate: Int? { Self.perMille(satisfied, of: feedbackGiven) }

    /// The mean handling time in hours; nil when no case was handled.
    public var averageHandlingHours: Double? {
        handledCount > 0 ? Double(handlingSecondsTotal) / Double(handledCount) / 3600 : nil
    }

    /// The figures of two units, categories or months together. Counts add up; rates never do,
    /// which is why the counts are what is kept.
    public static func + (lhs: CaseStatistics, rhs: CaseStatistics) -> CaseStatistics {
        CaseStatistics(
            collected: lhs.collected + rhs.collected, resolved: lhs.resolved + rhs.resolved,
            resolvedOnTime: lhs.resolvedOnTime + rhs.resolvedOnTime,
            handlingSecondsTotal: lhs.handlingSecondsTotal + rhs.handlingSecondsTotal,
            handledCount: lhs.handledCount + rhs.handledCount, feedbackGiven: lhs.feedbackGiven + rhs.feedbackGiven,
            satisfied: lhs.satisfied + rhs.satisfied, overdueNow: lhs.overdueNow + rhs.overdueNow)
    }

    /// `part / whole` in per-mille, rounded half up; nil when `whole` is not positive.
    public static func perMille(_ part: Int, of whole: Int) -> Int? {
        guard whole > 0 else { return nil }
        return (part * 2000 + whole) / (2 * whole)
    }

    /// A per-mille figure as a percentage with one decimal, `94.5%`, the same on every page and in
    /// every CSV; `—` when there is no figure.
    public static func percentText(_ perMille: Int?) -> String {
        guard let perMille else { return "—" }
        return "\(perMille / 10).\(perMille % 10)%"
    }
}
