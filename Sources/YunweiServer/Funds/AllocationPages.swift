import Fluent
import Foundation
import Vapor
import YunweiDomain

/// `/allocations`: the allocation by factors 因素法 (DOMAIN.md §4.2) as pages — a county's versions
/// by year, the form of a year's first draft, one version's table with a village's explanation
/// factor by factor, its steps (approve 审批, publish 公开, revise 调整) as buttons, and the table as
/// an Excel-friendly CSV. Every rule and every refusal is `AllocationDesk`'s; who sees what is
/// `AllocationDesk.mayView`'s.
struct AllocationPages: RouteCollection {
    struct ListRow: Encodable {
        let id: Int
        let county: String
        let year: Int
        let version: Int
        let status: String
        let pool: Int
        let reason: String?
    }

    struct ListPage: Encodable {
        let page: Page
        let rows: [ListRow]
        let mayCreate: Bool
    }

    struct Errors: Encodable {
        var year: String?
        var pool: String?
        var base: String?
        var weights: [String: String] = [:]
        var weightsSum: String?
        var other: [String] = []
        var any = false
    }

    struct WeightField: Encodable {
        let factor: String
        let name: String
        let value: String
        let error: String?
    }

    struct FormPage: Encodable {
        let page: Page
        let year: String
        let pool: String
        let base: String
        let weights: [WeightField]
        let errors: Errors
    }

    struct Column: Encodable {
        let name: String
        let weight: String
    }

    struct Cell: Encodable {
        let value: String
        let share: String
    }

    struct TableRow: Encodable {
        let code: String
        let name: String
        let cells: [Cell]
        let amount: Int
        let selected: Bool
    }

    struct ExplainLine: Encodable {
        let name: String
        let value: String
        let largest: String?
        let total: String
        let share: String
        let weight: String
        let money: String
    }

    struct Explanation: Encodable {
        let code: String
        let name: String
        let base: Int
        let lines: [ExplainLine]
        let unrounded: String
        let remainderFen: Bool
        let amount: Int
    }

    struct ShowPage: Encodable {
        let page: Page
        let id: Int
        let county: String
        let year: Int
        let version: Int
        let status: String
        let reason: String?
        let pool: Int
        let base: Int
        let shared: Int
        let columns: [Column]
        let rows: [TableRow]
        let total: Int
        let explanation: Explanation?
        let mayApprove: Bool
        let mayPublish: Bool
        let mayRevise: Bool
        let poolText: String
        let baseText: String
        let weights: [WeightField]
    }

    /// The weights a new allocation's form starts with.
    static let defaultWeights: [AllocationFactor: String] = [
        .population: "0.4", .area: "0.2", .location: "0.15", .income: "0.15", .performance: "0.1",
    ]

    func boot(routes: any RoutesBuilder) throws {
        let allocations = routes.grouped("allocations")
        allocations.get(use: list)
        allocations.post(use: create)
        allocations.get("new", use: new)
        allocations.get(":id", use: show)
        allocations.post(":id", "approve", use: approve)
        allocations.post(":id", "publish", use: publish)
        allocations.post(":id", "revise", use: revise)
    }

    // MARK: - The list

    func list(request: Request) async throws -> View {
        let actor = try request.requireActor()
        let mayCreate = !Self.counties(actor).isEmpty
        guard mayCreate || !Policy.scope(actor, .viewFunds).isEmpty else { throw YunweiError.forbidden }
        let records = try await AllocationRecord.query(on: request.db).sort(\.$year, .descending)
            .sort(\.$version, .descending).all()
        let countyIDs = Array(Set(records.map { $0.$county.id }))
        var counties: [Int: AdminUnit] = [:]
        if !countyIDs.isEmpty {
            for county in try await AdminUnit.query(on: request.db).filter(\.$id ~~ countyIDs).all() {
                counties[try county.requireID()] = county
            }
        }
        let rows = try records.compactMap { record -> ListRow? in
            guard let county = counties[record.$county.id],
                AllocationPolicy.mayView(actor, county: county.unitPath, status: record.allocationStatus)
            else { return nil }
            return ListRow(
                id: try record.requireID(), county: county.name, year: record.year, version: record.version,
                status: record.allocationStatus.catalogKey, pool: Int(record.poolFen), reason: record.reason)
        }
        let page = await Page.make(for: request, title: "allocation_pages.title")
        return try await request.view.render(
            "funds/allocations", ListPage(page: page, rows: rows, mayCreate: mayCreate))
    }

    // MARK: - The form of a new allocation

    func new(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        guard !Self.counties(actor).isEmpty else { throw YunweiError.forbidden }
        var form = ["year": String(Calendar.current.component(.year, from: Date()))]
        for (factor, weight) in Self.defaultWeights { form["w_" + factor.rawValue] = weight }
        return try await render(request, form: form, issues: [], status: .ok)
    }

    func create(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let codes = Self.counties(actor)
        guard let code = codes.first,
            let county = try await AdminUnit.query(on: request.db).filter(\.$code == code).first()
        else { throw YunweiError.forbidden }
        let form = try request.content.decode([String: String].self)
        let (setup, local) = Self.setup(from: form)
        do {
            let record = try await AllocationDesk.create(setup, county: county, by: actor, on: request.db)
            request.setNotice("allocation_pages.created")
            return request.redirect(to: "/allocations/\(try record.requireID())")
        } catch let error as CaseDesk.InputError {
            return try await render(
                request, form: form, issues: Self.merge(local, error.issues), status: .unprocessableEntity)
        } catch let error as YunweiError where error.status == .conflict {
            return try await render(
                request, form: form, issues: [CaseIssue(field: "year", key: error.key, args: error.args)],
                status: .unprocessableEntity)
        }
    }

    /// The desk's input from the form, and the problems only the form can have (amounts that are
    /// no amounts). An amount that does not read is sent as −1 fen, which the desk always
    /// refuses, so that nothing is stored and every other problem is still named.
    static func setup(from form: [String: String]) -> (AllocationDesk.Setup, [CaseIssue]) {
        let text = { (name: String) in (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        var local: [CaseIssue] = []
        func money(_ field: String) -> Money {
            if let money = Money(yuan: text(field)) { return money }
            local.append(
                CaseIssue(
                    field: field,
                    key: text(field).isEmpty ? "allocation_pages.error.required" : "allocation_pages.error.money",
                    args: ["value": text(field)]))
            return Money(fen: -1)
        }
        let pool = money("pool")
        let base = money("base")
        var weights: [AllocationFactor: String] = [:]
        for factor in AllocationFactor.allCases { weights[factor] = text("w_" + factor.rawValue) }
        let setup = AllocationDesk.Setup(year: Int(text("year")) ?? 0, pool: pool, base: base, weights: weights)
        return (setup, local)
    }

    /// The form's own problems in place of the desk's on the same amount, and no village's missing
    /// data when the year itself is wrong.
    static func merge(_ local: [CaseIssue], _ desk: [CaseIssue]) -> [CaseIssue] {
        let replaced = Set(local.map(\.field))
        let badYear = desk.contains { $0.field == "year" }
        return local + desk.filter { !replaced.contains($0.field) && !(badYear && $0.field.hasPrefix("villages.")) }
    }

    private func render(
        _ request: Request, form: [String: String], issues: [CaseIssue], status: HTTPResponseStatus
    ) async throws -> Response {
        var errors = Errors()
        for issue in issues {
            let message = request.t(issue.key, issue.args)
            errors.any = true
            switch issue.field {
            case "year": errors.year = message
            case "pool": errors.pool = message
            case "base": errors.base = message
            case "weights": errors.weightsSum = message
            case let field where field.hasPrefix("weights."):
                errors.weights[String(field.dropFirst("weights.".count))] = message
            default: errors.other.append(message)
            }
        }
        let page = await Page.make(for: request, title: "allocation_pages.new_title")
        let context = FormPage(
            page: page, year: form["year"] ?? "", pool: form["pool"] ?? "", base: form["base"] ?? "",
            weights: Self.weightFields(request, form: form, errors: errors.weights), errors: errors)
        return try await request.view.render("funds/allocation-form", context).encodeResponse(
            status: status, for: request)
    }

    static func weightFields(_ request: Request, form: [String: String], errors: [String: String] = [:])
        -> [WeightField]
    {
        AllocationFactor.allCases.map {
            WeightField(
                factor: $0.rawValue, name: request.t($0.catalogKey), value: form["w_" + $0.rawValue] ?? "",
                error: errors[$0.rawValue])
        }
    }

    // MARK: - One version

    func show(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let raw = request.parameters.get("id") ?? ""
        if raw.hasSuffix(".csv") {
            guard let id = Int(raw.dropLast(4)) else { throw YunweiError.notFound }
            return try await csv(request, id: id, actor: actor)
        }
        guard let id = Int(raw) else { throw YunweiError.notFound }
        let loaded = try await AllocationDesk.load(id, for: actor, on: request.db)
        let allocation = loaded.version.allocation
        let status = loaded.version.status
        let selected: UnitCode? = (try? request.query.get(String.self, at: "village")).flatMap { UnitCode($0) }
        let rows = allocation.rows.map { row in
            TableRow(
                code: row.unit.rawValue, name: loaded.names[row.unit] ?? "",
                cells: AllocationFactor.allCases.map { factor in
                    Cell(
                        value: factor.text(of: factor.value(of: row.factors)), share: row.share(of: factor).decimalText)
                }, amount: Int(row.amount.fen), selected: row.unit == selected)
        }
        let explanation = selected.flatMap { allocation.row(for: $0) }.map { row in
            Explanation(row, of: allocation, name: loaded.names[row.unit] ?? "", translate: { request.t($0) })
        }
        let manages = Policy.can(actor, .manageAllocations, at: loaded.county.unitPath)
        var form = [
            "pool": allocation.pool.yuanString, "base": allocation.base.yuanString,
        ]
        for factor in AllocationFactor.allCases { form["w_" + factor.rawValue] = allocation.weights.text(of: factor) }
        let page = await Page.make(for: request, title: "allocation_pages.show_title")
        let context = ShowPage(
            page: page, id: id, county: loaded.county.name, year: allocation.year, version: loaded.version.number,
            status: status.catalogKey, reason: loaded.version.reason, pool: Int(allocation.pool.fen),
            base: Int(allocation.base.fen), shared: Int(allocation.sharedByFactors.fen),
            columns: allocation.columns.map {
                Column(name: request.t($0.factor.catalogKey), weight: allocation.weights.text(of: $0.factor))
            }, rows: rows, total: Int(allocation.total.fen), explanation: explanation,
            mayApprove: manages && status == .draft, mayPublish: manages && status == .approved,
            mayRevise: manages && status != .draft, poolText: form["pool"] ?? "", baseText: form["base"] ?? "",
            weights: Self.weightFields(request, form: form))
        return try await request.view.render("funds/allocation", context).encodeResponse(for: request)
    }

    /// The table as CSV: a header of translated names, one line per village, then the total;
    /// amounts in yuan with two decimals.
    private func csv(_ request: Request, id: Int, actor: Actor) async throws -> Response {
        let loaded = try await AllocationDesk.load(id, for: actor, on: request.db)
        let allocation = loaded.version.allocation
        var header = [request.t("allocation_pages.col.code"), request.t("allocation_pages.col.village")]
        for factor in AllocationFactor.allCases {
            let name = request.t(factor.catalogKey)
            header += [
                request.t("allocation_pages.col.value_of", ["factor": name]),
                request.t("allocation_pages.col.share_of", ["factor": name]),
            ]
        }
        header.append(request.t("allocation_pages.col.amount_yuan"))
        var rows = [header]
        for row in allocation.rows {
            var line = [row.unit.rawValue, loaded.names[row.unit] ?? ""]
            for factor in AllocationFactor.allCases {
                line += [factor.text(of: factor.value(of: row.factors)), row.share(of: factor).decimalText]
            }
            line.append(row.amount.yuanString)
            rows.append(line)
        }
        rows.append(
            [request.t("allocation_pages.total"), ""] + Array(repeating: "", count: AllocationFactor.allCases.count * 2)
                + [allocation.total.yuanString])
        let name = "allocation-\(loaded.county.code)-\(allocation.year)-v\(loaded.version.number).csv"
        return StatsPages.csvResponse(CSVTable.excelData(rows), name: name)
    }

    // MARK: - Steps

    func approve(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let id = try Self.id(request)
        try await AllocationDesk.approve(id, by: actor, on: request.db)
        request.setNotice("allocation_pages.approved")
        return request.redirect(to: "/allocations/\(id)")
    }

    func publish(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let id = try Self.id(request)
        try await AllocationDesk.publish(id, by: actor, on: request.db)
        request.setNotice("allocation_pages.published")
        return request.redirect(to: "/allocations/\(id)")
    }

    /// Version n + 1 from the revise form; bad input is the 422 page listing every problem.
    func revise(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let id = try Self.id(request)
        _ = try await AllocationDesk.load(id, for: actor, on: request.db)
        let form = try request.content.decode([String: String].self)
        let (setup, local) = Self.setup(from: form)
        guard local.isEmpty else { throw CaseDesk.InputError(issues: local) }
        let record = try await AllocationDesk.revise(
            id, with: setup, reason: form["reason"] ?? "", by: actor, on: request.db)
        request.setNotice("allocation_pages.revised")
        return request.redirect(to: "/allocations/\(try record.requireID())")
    }

    // MARK: - Helpers

    private static func id(_ request: Request) throws -> Int {
        guard let id = request.parameters.get("id", as: Int.self) else { throw YunweiError.notFound }
        return id
    }

    /// The codes of the counties whose allocations `actor` manages.
    static func counties(_ actor: Actor) -> [String] {
        Policy.scope(actor, .manageAllocations).filter { $0.codes.count == 1 }.compactMap { $0.codes.first?.rawValue }
    }
}

extension AllocationPages.Explanation {
    /// One village's explanation of an allocation factor by factor, in the words of the
    /// allocation page (`translate` names the factors); the public village page shows the same.
    init(_ row: AllocationRow, of allocation: Allocation, name: String, translate: (String) -> String) {
        let lines = row.explanation.lines.map { line in
            let total = allocation.columns.first { $0.factor == line.factor }?.total ?? 0
            return AllocationPages.ExplainLine(
                name: translate(line.factor.catalogKey), value: line.factor.text(of: line.value),
                largest: line.largest.map { line.factor.text(of: $0) },
                total: line.rule == .equal ? String(total) : line.factor.text(of: total), share: line.share.decimalText,
                weight: allocation.weights.text(of: line.factor), money: line.contribution.yuanText)
        }
        self.init(
            code: row.unit.rawValue, name: name, base: Int(row.explanation.base.fen), lines: lines,
            unrounded: row.explanation.unroundedYuanText, remainderFen: row.explanation.receivedRemainderFen,
            amount: Int(row.amount.fen))
    }
}
