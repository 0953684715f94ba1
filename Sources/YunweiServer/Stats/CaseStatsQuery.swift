import Fluent
import Foundation
import SQLKit
import YunweiDomain

/// The counts behind every case statistic of one unit and period, by child unit and month and by
/// category and month — never by loading cases:
///
/// - whole months are read from the running sums (`CaseStatSQL`, a few hundred rows even for a
///   county of a million cases);
/// - a month the period covers only in part is counted from the cases of those days, grouped by
///   the database (`GROUP BY`, `SUM(CASE …)`) over the `(unit, reported_at)` indexes;
/// - "overdue now" is always counted from the cases: open, past the deadline at `now`.
///
/// Times are compared only with bound values (the month boundaries come from
/// `StatisticsPeriod`), so the answers are the same on SQLite and PostgreSQL.
enum CaseStatsQuery {
    /// The figures of one category in one month of the period.
    struct Cell: Sendable, Hashable {
        let id: Int
        /// Index into `StatisticsPeriod.months`.
        let month: Int
        let figures: CaseStatistics
    }

    struct Tally: Sendable {
        /// By child unit id, over the whole period: townships of a county, villages of a
        /// township, the village itself.
        var units: [Int: CaseStatistics] = [:]
        /// By subcategory and month; their sum is the total.
        var categories: [Cell] = []

        mutating func add(unit: Int, _ figures: CaseStatistics) {
            units[unit, default: .zero] = units[unit, default: .zero] + figures
        }

        mutating func add(_ other: Tally) {
            for (unit, figures) in other.units { add(unit: unit, figures) }
            categories += other.categories
        }
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

    typealias Months = [(offset: Int, element: StatisticsPeriod.Month)]

    /// The tally of the cases reported in `period` in `unit`. With `sums: false` every month is
    /// counted from the cases, which must agree with the sums (the tests compare them).
    static func tally(
        of unit: AdminUnit, period: StatisticsPeriod, now: Date, sums: Bool = true, on db: any Database
    ) async throws -> Tally {
        guard let columns = columns(for: unit.unitKind) else { return Tally() }
        let unitID = try unit.requireID()
        let months = Array(period.months.enumerated())
        let whole = sums ? months.filter(\.element.isWhole) : []
        // The rest are the part months at either end (or everything, without sums), counted in
        // runs of consecutive months.
        var runs: [Months] = []
        for month in months where !whole.contains(where: { $0.offset == month.offset }) {
            if let last = runs.last?.last, last.offset + 1 == month.offset {
                runs[runs.count - 1].append(month)
            } else {
                runs.append([month])
            }
        }
        // Each reading on a connection of its own, all at once; their tallies add up.
        return try await withThrowingTaskGroup(of: Tally.self) { group in
            if !whole.isEmpty {
                group.addTask {
                    var part = Tally()
                    try await readSums(into: &part, unit: unitID, kind: unit.unitKind, months: whole, on: db)
                    return part
                }
            }
            for run in runs {
                group.addTask {
                    var part = Tally()
                    try await count(into: &part, columns, unit: unitID, months: run, on: db)
                    return part
                }
            }
            group.addTask {
                var part = Tally()
                try await countOverdue(into: &part, columns, unit: unitID, months: months, now: now, on: db)
                return part
            }
            var tally = Tally()
            for try await part in group { tally.add(part) }
            return tally
        }
    }

    /// Whole months from the running sums: the unit's own cells by category, and its children's
    /// cells over all categories, added up over the months.
    private static func readSums(
        into tally: inout Tally, unit: Int, kind: UnitKind, months: Months, on db: any Database
    ) async throws {
        let index = Dictionary(months.map { ($0.element.key, $0.offset) }, uniquingKeysWith: { a, _ in a })
        let keys = months.map(\.element.key)
        let cells = CaseStatSQL.sums.map { "cell.\($0)" }.joined(separator: ", ")
        let byCategory: SQLQueryString = """
            SELECT cell.category_id AS id, cell.month, \(unsafeRaw: cells) FROM \(ident: CaseStatSQL.table) cell
            WHERE cell.unit_id = \(bind: unit) AND cell.category_id <> 0 AND cell.month IN (\(binds: keys))
            """
        for row in try await db.sql.raw(byCategory).all() {
            guard let month = index[try row.decode(column: "month", as: Int.self)] else { continue }
            tally.categories.append(
                Cell(id: try row.decode(column: "id", as: Int.self), month: month, figures: try figures(of: row)))
        }
        let totals = CaseStatSQL.sums.map { "CAST(SUM(cell.\($0)) AS BIGINT) AS \($0)" }.joined(separator: ", ")
        let children: SQLQueryString
        if kind == .county || kind == .township {
            let childKind = kind == .county ? UnitKind.township : .village
            children = """
                SELECT cell.unit_id AS id, \(unsafeRaw: totals) FROM \(ident: CaseStatSQL.table) cell
                JOIN units u ON u.id = cell.unit_id
                WHERE u.parent_id = \(bind: unit) AND u.kind = \(bind: childKind.rawValue) AND cell.category_id = 0
                  AND cell.month IN (\(binds: keys))
                GROUP BY cell.unit_id
                """
        } else {
            children = """
                SELECT cell.unit_id AS id, \(unsafeRaw: totals) FROM \(ident: CaseStatSQL.table) cell
                WHERE cell.unit_id = \(bind: unit) AND cell.category_id = 0 AND cell.month IN (\(binds: keys))
                GROUP BY cell.unit_id
                """
        }
        for row in try await db.sql.raw(children).all() {
            tally.add(unit: try row.decode(column: "id", as: Int.self), try figures(of: row))
        }
    }

    /// Consecutive months counted from the cases: grouped by category and month, and by child
    /// unit.
    private static func count(
        into tally: inout Tally, _ columns: (filter: String, group: String), unit: Int, months: Months,
        on db: any Database
    ) async throws {
        guard let first = months.first, let last = months.last else { return }
        let sums = zip(CaseStatSQL.sums, CaseStatSQL.figures(of: "c", sqlite: db.isSQLite)).map { name, figure in
            "CAST(SUM(\(figure)) AS BIGINT) AS \(name)"
        }.joined(separator: ", ")
        let scope: SQLQueryString = """
            FROM cases c WHERE c.\(ident: columns.filter) = \(bind: unit)
              AND c.reported_at >= \(bind: first.element.start) AND c.reported_at < \(bind: last.element.end)
            """
        let byCategory: SQLQueryString =
            "SELECT c.category_id AS id, \(monthIndex(months)) AS month, \(unsafeRaw: sums) \(scope) GROUP BY 1, 2"
        let byUnit: SQLQueryString = "SELECT \(childUnit(columns)) AS id, \(unsafeRaw: sums) \(scope) GROUP BY 1"
        // Two readings of the same index range, on two connections at once.
        async let categoryRows = db.sql.raw(byCategory).all()
        async let unitRows = db.sql.raw(byUnit).all()
        for row in try await categoryRows {
            tally.categories.append(
                Cell(
                    id: try row.decode(column: "id", as: Int.self),
                    month: try row.decode(column: "month", as: Int.self),
                    figures: try figures(of: row)))
        }
        for row in try await unitRows {
            tally.add(unit: try row.decode(column: "id", as: Int.self), try figures(of: row))
        }
    }

    /// Open cases past their deadline at `now`, of those reported in the period: few, and read
    /// from the partial index of running cases (`cases_running_deadline`) alone.
    private static func countOverdue(
        into tally: inout Tally, _ columns: (filter: String, group: String), unit: Int, months: Months, now: Date,
        on db: any Database
    ) async throws {
        guard let first = months.first, let last = months.last else { return }
        // The same condition as the index's, word for word, so that PostgreSQL uses it; SQLite
        // without statistics would rather walk a county's whole year, so it is told to.
        let hint = db.isSQLite && columns.filter == "county_id" ? "INDEXED BY cases_running_deadline " : ""
        let scope: SQLQueryString = """
            FROM cases c \(unsafeRaw: hint)WHERE c.state IN (\(unsafeRaw: CaseStatSQL.runningStates)) AND c.deadline_at < \(bind: now)
              AND c.\(ident: columns.filter) = \(bind: unit)
              AND c.reported_at >= \(bind: first.element.start) AND c.reported_at < \(bind: last.element.end)
            """
        let byCategory: SQLQueryString =
            "SELECT c.category_id AS id, \(monthIndex(months)) AS month, COUNT(*) AS overdue \(scope) GROUP BY 1, 2"
        for row in try await db.sql.raw(byCategory).all() {
            var figures = CaseStatistics.zero
            figures.overdueNow = try row.decode(column: "overdue", as: Int.self)
            tally.categories.append(
                Cell(
                    id: try row.decode(column: "id", as: Int.self),
                    month: try row.decode(column: "month", as: Int.self),
                    figures: figures))
        }
        let byUnit: SQLQueryString = "SELECT \(childUnit(columns)) AS id, COUNT(*) AS overdue \(scope) GROUP BY 1"
        for row in try await db.sql.raw(byUnit).all() {
            var figures = CaseStatistics.zero
            figures.overdueNow = try row.decode(column: "overdue", as: Int.self)
            tally.add(unit: try row.decode(column: "id", as: Int.self), figures)
        }
    }

    /// The child unit of a case, as an expression rather than a bare column: grouping by a bare
    /// `township_id` tempts SQLite to walk a `(township_id, …)` index in order to save a sort,
    /// which reads far more than the index the conditions select.
    private static func childUnit(_ columns: (filter: String, group: String)) -> SQLQueryString {
        "(c.\(ident: columns.group) + 0)"
    }

    /// The index of the month a case was reported in, by the month boundaries as bound values:
    /// `CASE WHEN c.reported_at < <1 Feb> THEN 0 WHEN … ELSE 11 END`.
    private static func monthIndex(_ months: Months) -> SQLQueryString {
        guard let last = months.last else { return "0" }
        guard months.count > 1 else { return "\(literal: last.offset)" }
        var expression: SQLQueryString = "CASE"
        for (offset, month) in months.dropLast() {
            expression += " WHEN c.reported_at < \(bind: month.end) THEN \(literal: offset)"
        }
        return expression + " ELSE \(literal: last.offset) END"
    }

    private static func figures(of row: any SQLRow) throws -> CaseStatistics {
        CaseStatistics(
            collected: try row.decode(column: "collected", as: Int.self),
            resolved: try row.decode(column: "resolved", as: Int.self),
            resolvedOnTime: try row.decode(column: "on_time", as: Int.self),
            handlingSecondsTotal: try row.decode(column: "handling_seconds", as: Int.self),
            handledCount: try row.decode(column: "handled", as: Int.self),
            feedbackGiven: try row.decode(column: "feedback", as: Int.self),
            satisfied: try row.decode(column: "satisfied", as: Int.self), overdueNow: 0)
    }
}
