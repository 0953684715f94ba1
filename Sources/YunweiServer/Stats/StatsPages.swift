import Fluent
import Foundation
import Vapor
import YunweiDomain

/// `/stats`: the case statistics dashboard of one unit and period — a summary, tables by child
/// unit, category and month, two SVG charts — and its downloads: `/stats.csv` (the tables) and
/// `/cases.csv` (the cases behind them, page by page, streamed).
struct StatsPages: RouteCollection {
    struct UnitLink: Encodable {
        let code: String
        let name: String
    }

    /// One table line, written the same way as in the CSV.
    struct FigureRow: Encodable {
        let key: String
        let name: String
        /// The unit's own dashboard, for child units.
        let link: String?
        /// A subcategory, shown indented under its top category.
        let sub: Bool
        let collected: Int
        let resolved: Int
        let resolutionRate: String
        let onTimeRate: String
        let averageHours: String
        let satisfaction: String
        let overdue: Int

        init(_ row: CaseStatsReport.Row, link: String? = nil) {
            key = row.key
            name = row.name
            self.link = link
            sub = row.parent != nil
            collected = row.figures.collected
            resolved = row.figures.resolved
            resolutionRate = CaseStatistics.percentText(row.figures.resolutionRate)
            onTimeRate = CaseStatistics.percentText(row.figures.onTimeRate)
            averageHours = CaseStatsFormat.hoursText(row.figures)
            satisfaction = CaseStatistics.percentText(row.figures.satisfactionRate)
            overdue = row.figures.overdueNow
        }
    }

    struct Dashboard: Encodable {
        let page: Page
        let unit: UnitLink
        let kind: String
        /// The units above, as far up as the person may look.
        let trail: [UnitLink]
        /// The person's other top units, when they have several.
        let roots: [UnitLink]
        let from: String
        let to: String
        let summary: FigureRow
        let unitHeading: String
        let units: [FigureRow]
        let categories: [FigureRow]
        let months: [FigureRow]
        let monthChart: String
        let unitChart: String
        /// How many child units there are when the table shows only the first `maxUnitRows`.
        let unitsTotal: Int
        /// `unit=…&from=…&to=…` for the download links.
        let query: String
    }

    /// A county of hundreds of townships would make a page no phone should load: the table and
    /// chart show the first ones, and the CSV has them all.
    static let maxUnitRows = 40

    struct Filter: Content {
        var unit: String?
        var from: String?
        var to: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("stats", use: dashboard)
        routes.get("stats.csv", use: statsCSV)
        routes.get("cases.csv", use: casesCSV)
    }

    func dashboard(request: Request) async throws -> View {
        let (actor, report) = try await self.report(for: request)
        let unit = report.unit
        let period = report.period
        let query = Self.query(unit: unit.code, period: period)
        func link(_ code: String) -> String { "/stats?" + Self.query(unit: code, period: period) }
        let codes = unit.unitPath.codes
        let above = (1..<max(1, codes.count)).map { UnitPath(codes: Array(codes.prefix($0))) }
            .filter { Policy.can(actor, .viewCaseStats, at: $0) }.compactMap { $0.codes.last?.rawValue }
        let trail =
            above.isEmpty
            ? []
            : try await AdminUnit.query(on: request.db).filter(\.$code ~~ above).sort(\.$path).all().map {
                UnitLink(code: $0.code, name: $0.name)
            }
        let rootCodes = Policy.scope(actor, .viewCaseStats).compactMap { $0.codes.last?.rawValue }
        let roots =
            rootCodes.count > 1
            ? try await AdminUnit.query(on: request.db).filter(\.$code ~~ rootCodes).sort(\.$code).all().map {
                UnitLink(code: $0.code, name: $0.name)
            } : []
        let allUnits = report.kind == .village ? [] : report.byUnit
        let units = Array(allUnits.prefix(Self.maxUnitRows))
        let page = await Page.make(for: request, title: "stats.title")
        return try await request.view.render(
            "stats/dashboard",
            Dashboard(
                page: page, unit: UnitLink(code: unit.code, name: unit.name), kind: unit.kind, trail: trail,
                roots: roots, from: period.first.description, to: period.last.description,
                summary: FigureRow(.init(key: unit.code, name: unit.name, parent: nil, figures: report.summary)),
                unitHeading: report.kind == .county ? "stats.by_township" : "stats.by_village",
                units: units.map { FigureRow($0, link: link($0.key)) },
                categories: report.byCategory.map { FigureRow($0) },
                months: report.byMonth.map { FigureRow($0) },
                monthChart: StatsChart.months(
                    report.byMonth.map {
                        .init(label: $0.key, collected: $0.figures.collected, resolved: $0.figures.resolved)
                    }, title: request.t("stats.chart.months"), collected: request.t("stats.collected"),
                    resolved: request.t("stats.resolved")),
                unitChart: units.isEmpty
                    ? ""
                    : StatsChart.rates(
                        units.map { .init(label: $0.name, perMille: $0.figures.resolutionRate) },
                        title: request.t("stats.chart.units")),
                unitsTotal: allUnits.count, query: query))
    }

    /// The dashboard's tables as one CSV: the total, then each child unit, category and month.
    func statsCSV(request: Request) async throws -> Response {
        let (_, report) = try await self.report(for: request)
        let header = [
            "stats.csv.table", "stats.csv.code", "stats.csv.name", "stats.collected", "stats.resolved",
            "stats.resolution_rate", "stats.on_time_rate", "stats.average_hours", "stats.satisfaction",
            "stats.overdue",
        ].map { request.t($0) }
        var rows = [header]
        func add(_ table: String, _ row: CaseStatsReport.Row) {
            let line = FigureRow(row)
            rows.append([
                request.t(table), row.key, row.parent == nil ? row.name : "  " + row.name, String(line.collected),
                String(line.resolved), line.resolutionRate, line.onTimeRate, line.averageHours, line.satisfaction,
                String(line.overdue),
            ])
        }
        add("stats.summary", .init(key: report.unit.code, name: report.unit.name, parent: nil, figures: report.summary))
        if report.kind != .village { report.byUnit.forEach { add("stats.csv.unit", $0) } }
        report.byCategory.forEach { add("stats.csv.category", $0) }
        report.byMonth.forEach { add("stats.csv.month", $0) }
        let name = "stats-\(report.unit.code)-\(report.period.first)-\(report.period.last).csv"
        return Self.csvResponse(CSVTable.excelData(rows), name: name)
    }

    /// The cases of the filter of `GET /api/v1/cases` (and the dashboard's unit and period), for
    /// those who see statistics: written page by page while they are read, so a county's year
    /// never sits in memory. Reporters' names and phones only in the rows the person may see
    /// them (`CasePolicy.maySeeReporter`), and the columns only for those who ever may.
    func casesCSV(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        guard !Policy.scope(actor, .viewCaseStats).isEmpty else { throw YunweiError.forbidden }
        var filter = try CaseAPI.filter(try request.query.decode(CaseAPI.ListQuery.self))
        filter.limit = 200
        let withContacts = [Action.dispatchCase, .superviseCase, .viewAuditLog, .handleCase].contains {
            !Policy.scope(actor, $0).isEmpty
        }
        let t = { @Sendable (key: String) in request.t(key) }
        var columns = [
            "stats.csv.case_id", "stats.csv.reported_at", "stats.csv.state", "stats.csv.category_code",
            "stats.csv.category", "stats.csv.village_code", "stats.csv.village", "stats.csv.handler_code",
            "stats.csv.deadline", "stats.csv.dispatched_at", "stats.csv.resolved_at", "stats.csv.closed_at",
            "stats.csv.overdue", "stats.csv.supervised", "stats.csv.satisfied", "stats.csv.reopen_count",
            "stats.csv.source", "stats.csv.description", "stats.csv.address",
        ].map(t)
        if withContacts { columns += ["stats.csv.reporter_name", "stats.csv.reporter_phone"].map(t) }
        let header = columns
        let yes = t("stats.csv.yes")
        let no = t("stats.csv.no")
        let language = request.language
        let database = request.db
        let first = filter
        let body = Response.Body(managedAsyncStream: { writer in
            try await writer.write(.buffer(ByteBuffer(data: CSVTable.excelData([header]))))
            var filter = first
            var names = CSVNames()
            let now = Date()
            while true {
                let page = try await CaseQuery.page(filter, for: actor, now: now, on: database)
                try await names.load(for: page.cases, language: language, on: database)
                let rows = page.cases.map { record -> [String] in
                    let state = record.caseState
                    func time(_ date: Date?) -> String { date.map { ShanghaiTime.format($0) } ?? "" }
                    var row = [
                        String(record.id ?? 0), time(record.reportedAt), t("case_state.\(state.rawValue)"),
                        names.categoryCode[record.$category.id] ?? "", names.categoryName[record.$category.id] ?? "",
                        UnitPath(rawValue: record.villagePath).codes.last?.rawValue ?? "",
                        names.village[record.$village.id] ?? "",
                        record.handlerPath.flatMap { UnitPath(rawValue: $0).codes.last?.rawValue } ?? "",
                        time(record.deadlineAt), time(record.dispatchedAt), time(record.resolvedAt),
                        time(record.closedAt),
                        CaseDeadline.isOverdue(deadline: record.deadlineAt, state: state, now: now) ? yes : no,
                        record.supervised ? yes : no, record.satisfied.map { $0 ? yes : no } ?? "",
                        String(record.reopenCount), t("case_pages.source.\(record.source)"), record.description,
                        record.address ?? "",
                    ]
                    if withContacts {
                        let shows = CasePolicy.maySeeReporter(actor, record.place)
                        row += [shows ? record.reporterName ?? "" : "", shows ? record.reporterPhone ?? "" : ""]
                    }
                    return row
                }
                if !rows.isEmpty {
                    // Without the header's byte-order mark, which belongs once at the very start.
                    let data = CSVTable.excelData(rows).dropFirst(3)
                    try await writer.write(.buffer(ByteBuffer(data: data)))
                }
                guard let next = page.next else { break }
                filter.after = next
            }
        })
        let response = Response(status: .ok, body: body)
        Self.csvHeaders(response, name: "cases.csv")
        return response
    }

    /// The unit and category names of one page of cases, looked up once per page.
    struct CSVNames {
        var categoryCode: [Int: String] = [:]
        var categoryName: [Int: String] = [:]
        var village: [Int: String] = [:]

        mutating func load(for cases: [CaseRecord], language: Language, on db: any Database) async throws {
            let categoryIDs = Array(Set(cases.map { $0.$category.id }).subtracting(categoryCode.keys))
            if !categoryIDs.isEmpty {
                for record in try await CategoryRecord.query(on: db).filter(\.$id ~~ categoryIDs).all() {
                    guard let id = record.id else { continue }
                    categoryCode[id] = record.code
                    categoryName[id] = language == .en ? record.nameEn : record.nameZh
                }
            }
            let villageIDs = Array(Set(cases.map { $0.$village.id }).subtracting(village.keys))
            if !villageIDs.isEmpty {
                for unit in try await AdminUnit.query(on: db).filter(\.$id ~~ villageIDs).all() {
                    if let id = unit.id { village[id] = unit.name }
                }
            }
        }
    }

    private func report(for request: Request) async throws -> (Actor, CaseStatsReport) {
        let actor = try request.requireActor()
        let filter = try request.query.decode(Filter.self)
        let unit = try await CaseStatsAccess.unit(code: filter.unit, for: actor, on: request.db)
        let period = try CaseStatsAccess.period(from: filter.from, to: filter.to)
        let report = try await CaseStatsReport.build(
            for: unit, period: period, language: request.language, on: request.db)
        return (actor, report)
    }

    static func query(unit: String, period: StatisticsPeriod) -> String {
        "unit=\(unit)&from=\(period.first)&to=\(period.last)"
    }

    static func csvResponse(_ data: Data, name: String) -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        csvHeaders(response, name: name)
        return response
    }

    static func csvHeaders(_ response: Response, name: String) {
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.contentDisposition = .init(.attachment, filename: name)
    }
}
