import Fluent
import Foundation
import Vapor
import YunweiDomain

/// 案件统计 of one unit and period, as the dashboard, the CSV and the API show it: the total, and
/// the same figures by child unit, by category and by month — all sums of the cells of one
/// `CaseStatsQuery` tally, so the four tables always agree with each other.
struct CaseStatsReport: Sendable {
    /// One line of a table: a child unit, a category or a month.
    struct Row: Sendable {
        /// The unit code, category code or month (`2026-03`).
        let key: String
        let name: String
        /// A subcategory's top category; nil for top categories, units and months.
        let parent: String?
        let figures: CaseStatistics
    }

    /// The ways a report can be broken down (`by=` of the API).
    enum Dimension: String, CaseIterable, Sendable {
        case month, category, unit
    }

    let unit: AdminUnit
    let kind: UnitKind
    let period: StatisticsPeriod
    let now: Date
    let summary: CaseStatistics
    /// Townships of a county, villages of a township, the village itself for a village.
    let byUnit: [Row]
    /// Each top category followed by its subcategories.
    let byCategory: [Row]
    let byMonth: [Row]

    func rows(_ dimension: Dimension) -> [Row] {
        switch dimension {
        case .month: byMonth
        case .category: byCategory
        case .unit: byUnit
        }
    }

    /// The report of `unit` over `period`, overdue counted at `now`, names in `language`. With
    /// `sums: false` every month is counted from the cases instead of the running sums.
    static func build(
        for unit: AdminUnit, period: StatisticsPeriod, now: Date = Date(), language: Language, sums: Bool = true,
        on db: any Database
    ) async throws -> CaseStatsReport {
        let kind = unit.unitKind
        let tally = try await CaseStatsQuery.tally(of: unit, period: period, now: now, sums: sums, on: db)
        let byUnitID = tally.units
        var byCategoryID: [Int: CaseStatistics] = [:]
        var byMonth = Array(repeating: CaseStatistics.zero, count: period.months.count)
        var summary = CaseStatistics.zero
        for cell in tally.categories {
            summary = summary + cell.figures
            byCategoryID[cell.id, default: .zero] = byCategoryID[cell.id, default: .zero] + cell.figures
            if byMonth.indices.contains(cell.month) { byMonth[cell.month] = byMonth[cell.month] + cell.figures }
        }
        let units: [AdminUnit]
        switch kind {
        case .county:
            units = try await AdminUnit.query(on: db).filter(\.$parent.$id == unit.requireID())
                .filter(\.$kind == UnitKind.township.rawValue).sort(\.$code).all()
        case .township:
            units = try await AdminUnit.query(on: db).filter(\.$parent.$id == unit.requireID())
                .filter(\.$kind == UnitKind.village.rawValue).sort(\.$code).all()
        default:
            units = [unit]
        }
        let unitRows = units.map { child in
            Row(key: child.code, name: child.name, parent: nil, figures: byUnitID[child.id ?? -1] ?? .zero)
        }
        return CaseStatsReport(
            unit: unit, kind: kind, period: period, now: now, summary: summary, byUnit: unitRows,
            byCategory: try await categoryRows(of: unit, byCategoryID, language: language, on: db),
            byMonth: zip(period.months, byMonth).map { month, figures in
                Row(key: month.label, name: month.label, parent: nil, figures: figures)
            })
    }

    /// Top categories with the sums of their subcategories, each followed by the subcategories
    /// that are in use or had cases in the period.
    private static func categoryRows(
        of unit: AdminUnit, _ figures: [Int: CaseStatistics], language: Language, on db: any Database
    ) async throws -> [Row] {
        guard let countyCode = unit.unitPath.codes.first?.rawValue,
            let county = try await AdminUnit.query(on: db).filter(\.$code == countyCode).first()
        else { return [] }
        let records = try await CategoryRecord.query(on: db).filter(\.$county.$id == county.requireID())
            .sort(\.$sort).sort(\.$id).all()
        func name(_ record: CategoryRecord) -> String { language == .en ? record.nameEn : record.nameZh }
        var rows: [Row] = []
        for top in records where top.$parent.id == nil {
            let children = records.filter { $0.$parent.id == top.id && $0.id != nil }
                .filter { $0.active || (figures[$0.id!]?.collected ?? 0) > 0 }
            let total = children.reduce(CaseStatistics.zero) { $0 + (figures[$1.id!] ?? .zero) }
            rows.append(Row(key: top.code, name: name(top), parent: nil, figures: total))
            for child in children {
                rows.append(
                    Row(key: child.code, name: name(child), parent: top.code, figures: figures[child.id!] ?? .zero))
            }
        }
        return rows
    }
}

/// Which unit's statistics a person asks for, and whether they may see them: the one door is
/// `Policy` with `viewCaseStats`; units outside one's sight are 404 like everywhere else.
enum CaseStatsAccess {
    /// The unit with `code`, or the caller's top unit for statistics when `code` is empty.
    static func unit(code: String?, for actor: Actor, on db: any Database) async throws -> AdminUnit {
        let unit: AdminUnit
        if let code = code?.trimmingCharacters(in: .whitespaces).nilIfEmpty {
            unit = try await AdminUnit.visible(code: code, to: actor, on: db)
            guard Policy.can(actor, .viewCaseStats, at: unit.unitPath) else { throw YunweiError.forbidden }
        } else {
            guard let root = Policy.scope(actor, .viewCaseStats).first?.codes.last,
                let top = try await AdminUnit.query(on: db).filter(\.$code == root.rawValue).first()
            else { throw YunweiError.forbidden }
            unit = top
        }
        guard CaseStatsQuery.columns(for: unit.unitKind) != nil else {
            throw YunweiError.invalid("stats.error.unit_kind")
        }
        return unit
    }

    /// The period of `from` and `to` (`yyyy-MM-dd`), this year by default; 422 listing each bad
    /// field otherwise.
    static func period(from: String?, to: String?, now: Date = Date()) throws -> StatisticsPeriod {
        switch StatisticsPeriod.parse(from: from, to: to, now: now) {
        case .success(let period): return period
        case .failure(let rejection): throw CaseDesk.InputError(issues: rejection.issues)
        }
    }
}
