import Fluent
import Foundation
import Vapor
import YunweiDomain

/// `GET /api/v1/stats/cases?unit=CODE&from=DATE&to=DATE[&by=month|category|unit]`: the figures of
/// DOMAIN.md §3 for one unit and period, in total and, with `by`, broken down.
struct CaseStatsAPI: RouteCollection {
    struct Figures: Content {
        let figures: CaseStatistics

        enum CodingKeys: String, CodingKey {
            case collected, resolved, handled, satisfied
            case resolvedOnTime = "resolved_on_time"
            case resolutionRate = "resolution_rate"
            case onTimeRate = "on_time_rate"
            case averageHandlingHours = "average_handling_hours"
            case handlingSecondsTotal = "handling_seconds_total"
            case feedbackGiven = "feedback_given"
            case satisfactionRate = "satisfaction_rate"
            case overdueNow = "overdue_now"
        }

        init(_ figures: CaseStatistics) { self.figures = figures }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            figures = CaseStatistics(
                collected: try container.decode(Int.self, forKey: .collected),
                resolved: try container.decode(Int.self, forKey: .resolved),
                resolvedOnTime: try container.decode(Int.self, forKey: .resolvedOnTime),
                handlingSecondsTotal: try container.decode(Int.self, forKey: .handlingSecondsTotal),
                handledCount: try container.decode(Int.self, forKey: .handled),
                feedbackGiven: try container.decode(Int.self, forKey: .feedbackGiven),
                satisfied: try container.decode(Int.self, forKey: .satisfied),
                overdueNow: try container.decode(Int.self, forKey: .overdueNow))
        }

        /// Counts as counts; rates as fractions to the per-mille the pages show (0.945 = 94.5%),
        /// null when there is nothing to divide by; hours to a tenth.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(figures.collected, forKey: .collected)
            try container.encode(figures.resolved, forKey: .resolved)
            try container.encode(figures.resolvedOnTime, forKey: .resolvedOnTime)
            try container.encode(figures.resolutionRate.map(Self.fraction), forKey: .resolutionRate)
            try container.encode(figures.onTimeRate.map(Self.fraction), forKey: .onTimeRate)
            try container.encode(
                CaseStatsFormat.averageHoursTenths(figures).map { Double($0) / 10 }, forKey: .averageHandlingHours)
            try container.encode(figures.handlingSecondsTotal, forKey: .handlingSecondsTotal)
            try container.encode(figures.handledCount, forKey: .handled)
            try container.encode(figures.feedbackGiven, forKey: .feedbackGiven)
            try container.encode(figures.satisfied, forKey: .satisfied)
            try container.encode(figures.satisfactionRate.map(Self.fraction), forKey: .satisfactionRate)
            try container.encode(figures.overdueNow, forKey: .overdueNow)
        }

        private static func fraction(_ perMille: Int) -> Double { Double(perMille) / 1000 }
    }

    struct Row: Content {
        let key: String
        let name: String
        let parent: String?
        let statistics: Figures

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(key, forKey: .key)
            try container.encode(name, forKey: .name)
            try container.encode(parent, forKey: .parent)
            try container.encode(statistics, forKey: .statistics)
        }
    }

    struct UnitRef: Content {
        let code: String
        let name: String
        let kind: String
    }

    struct Report: Content {
        let unit: UnitRef
        let from: String
        let to: String
        let generatedAt: Date
        let summary: Figures
        let by: String?
        let rows: [Row]

        enum CodingKeys: String, CodingKey {
            case unit, from, to, summary, by, rows
            case generatedAt = "generated_at"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(unit, forKey: .unit)
            try container.encode(from, forKey: .from)
            try container.encode(to, forKey: .to)
            try container.encode(generatedAt, forKey: .generatedAt)
            try container.encode(summary, forKey: .summary)
            try container.encode(by, forKey: .by)
            try container.encode(rows, forKey: .rows)
        }
    }

    struct Query: Content {
        var unit: String?
        var from: String?
        var to: String?
        var by: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(LoginRequired()).get("stats", "cases", use: cases)
    }

    func cases(request: Request) async throws -> Report {
        let actor = try request.requireActor()
        let query = try request.query.decode(Query.self)
        let unit = try await CaseStatsAccess.unit(code: query.unit, for: actor, on: request.db)
        var dimension: CaseStatsReport.Dimension?
        if let by = query.by?.nilIfEmpty {
            dimension = CaseStatsReport.Dimension(rawValue: by)
            if dimension == nil {
                throw CaseDesk.InputError(issues: [CaseIssue(field: "by", key: "stats.error.by")])
            }
        }
        let period = try CaseStatsAccess.period(from: query.from, to: query.to)
        let report = try await CaseStatsReport.build(
            for: unit, period: period, language: request.language, on: request.db)
        return Report(
            unit: UnitRef(code: unit.code, name: unit.name, kind: unit.kind), from: period.first.description,
            to: period.last.description, generatedAt: report.now, summary: Figures(report.summary),
            by: dimension?.rawValue,
            rows: dimension.map { report.rows($0) }?.map {
                Row(key: $0.key, name: $0.name, parent: $0.parent, statistics: Figures($0.figures))
            } ?? [])
    }
}

/// How figures are written wherever they are shown, so that page, CSV and API agree.
enum CaseStatsFormat {
    /// The average handling time in tenths of an hour, rounded half up in integers.
    static func averageHoursTenths(_ figures: CaseStatistics) -> Int? {
        guard figures.handledCount > 0 else { return nil }
        let divisor = figures.handledCount * 3600
        return (figures.handlingSecondsTotal * 20 + divisor) / (2 * divisor)
    }

    /// `12.5`, or `—` when no case was handled.
    static func hoursText(_ figures: CaseStatistics) -> String {
        guard let tenths = averageHoursTenths(figures) else { return "—" }
        return "\(tenths / 10).\(tenths % 10)"
    }
}
