import Fluent
import Foundation
import SQLKit
import YunweiDomain

/// The counts behind every case statistic, computed by the database in one grouped pass over
/// the cases of one unit reported in one period — never by loading cases. Each row is one cell
/// of (child unit, subcategory, month) with the counts `CaseStatistics` turns into rates; sums
/// over cells give the figures by unit, by category, by month and in total, since counts add
/// up where rates do not.
///
/// Times are compared only with bound values (the period's month boundaries are computed in
/// Swift), so the same SQL answers the same on SQLite, which stores a `.datetime` as seconds
/// since 1970, and on PostgreSQL, which stores a `timestamptz`.
enum CaseStatsQuery {
    struct Cell: Sendable, Hashable {
        /// The child unit the cases lie in: a township of a county, a village of a township, the
        /// village itself for a village.
        let unitID: Int
        let categoryID: Int
        /// Index into `StatisticsPeriod.months`.
        let month: Int
        let figures: CaseStatistics
    }

    /// Which column selects the unit's cases and which names the child unit, by unit kind; nil
    /// for kinds that hold no cases of their own (departments, villager groups).
    static func columns(for kind: UnitKind) -> (filter: String, group: String)? {
        switch kind {
        case .county: ("county_id", "township_id")
        case .township: ("township_id", "village_id")
        case .village: ("village_id", "village_id")
        default: nil
        }
    }

    /// The cells of the cases reported in `period` in `unit` (a county, township or village).
    static func cells(
        of unit: AdminUnit, kind: UnitKind, period: StatisticsPeriod, now: Date, on db: any Database
    ) async throws -> [Cell] {
        guard let columns = columns(for: kind) else { return [] }
        let resolved = [CaseState.resolved.rawValue, CaseState.closed.rawValue]
        let running = CaseState.allCases.filter(\.runsAgainstDeadline).map(\.rawValue)
        let isResolved: SQLQueryString = "state IN (\(binds: resolved))"
        let handled: SQLQueryString =
            "\(isResolved) AND resolved_at IS NOT NULL AND dispatched_at IS NOT NULL"
        let handlingSeconds: SQLQueryString =
            db.isSQLite
            ? "(resolved_at - dispatched_at)" : "EXTRACT(EPOCH FROM (resolved_at - dispatched_at))"
        // The month by boundaries: `CASE WHEN reported_at < <1 Feb> THEN 0 WHEN … ELSE 11 END`.
        var month: SQLQueryString = period.months.count == 1 ? "0" : "CASE"
        if period.months.count > 1 {
            for (index, boundary) in period.months.dropFirst().map(\.start).enumerated() {
                month += " WHEN reported_at < \(bind: boundary) THEN \(literal: index)"
            }
            month += " ELSE \(literal: period.months.count - 1) END"
        }
        let query: SQLQueryString = """
            SELECT \(ident: columns.group) AS unit_id, category_id, \(month) AS month,
              COUNT(*) AS collected,
              SUM(CASE WHEN \(isResolved) THEN 1 ELSE 0 END) AS resolved,
              SUM(CASE WHEN \(isResolved) AND (deadline_at IS NULL OR resolved_at <= deadline_at)
                THEN 1 ELSE 0 END) AS on_time,
              CAST(ROUND(COALESCE(SUM(CASE WHEN \(handled) THEN \(handlingSeconds) END), 0)) AS BIGINT)
                AS handling_seconds,
              SUM(CASE WHEN \(handled) THEN 1 ELSE 0 END) AS handled,
              SUM(CASE WHEN satisfied IS NOT NULL THEN 1 ELSE 0 END) AS feedback,
              SUM(CASE WHEN satisfied = \(bind: true) THEN 1 ELSE 0 END) AS satisfied,
              SUM(CASE WHEN state IN (\(binds: running)) AND deadline_at < \(bind: now) THEN 1 ELSE 0 END)
                AS overdue
            FROM cases
            WHERE \(ident: columns.filter) = \(bind: try unit.requireID())
              AND reported_at >= \(bind: period.start) AND reported_at < \(bind: period.end)
            GROUP BY 1, 2, 3
            """
        return try await db.sql.raw(query).all().map { row in
            Cell(
                unitID: try row.decode(column: "unit_id", as: Int.self),
                categoryID: try row.decode(column: "category_id", as: Int.self),
                month: try row.decode(column: "month", as: Int.self),
                figures: CaseStatistics(
                    collected: try row.decode(column: "collected", as: Int.self),
                    resolved: try row.decode(column: "resolved", as: Int.self),
                    resolvedOnTime: try row.decode(column: "on_time", as: Int.self),
                    handlingSecondsTotal: try row.decode(column: "handling_seconds", as: Int.self),
                    handledCount: try row.decode(column: "handled", as: Int.self),
                    feedbackGiven: try row.decode(column: "feedback", as: Int.self),
                    satisfied: try row.decode(column: "satisfied", as: Int.self),
                    overdueNow: try row.decode(column: "overdue", as: Int.self)))
        }
    }
}
