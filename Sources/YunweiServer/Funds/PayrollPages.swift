import Fluent
import Foundation
import Vapor
import YunweiDomain

/// `/payroll`: caretaker pay 管护人员工资 as pages — the contracts 管护合同 of the villages in
/// scope, a township's monthly batches, the scores of a quarter-end month, issuing, each village's
/// claim, paying, and the bank file. Every rule and refusal is `PayrollDesk`'s. ID and passbook
/// numbers are `Masked` on every page; only the bank file carries them whole.
struct PayrollPages: RouteCollection {
    struct ContractRow: Encodable {
        let id: Int
        let village: String
        let name: String
        let idNumber: String
        let duty: String
        let labour: Int
        let performance: Int
        let passbook: String
        let months: String
    }

    struct ContractsPage: Encodable {
        let page: Page
        let rows: [ContractRow]
    }

    struct Choice: Encodable {
        let code: String
        let name: String
        let selected: Bool
    }

    struct ContractFormPage: Encodable {
        let page: Page
        let action: String
        let villages: [Choice]
        let form: [String: String]
        let errors: [String: String]
        let other: [String]
        let anyError: Bool
    }

    struct BatchRow: Encodable {
        let id: Int
        let township: String
        let month: String
        let state: String
    }

    struct ListPage: Encodable {
        let page: Page
        let rows: [BatchRow]
        let mayKeepContracts: Bool
        let mayPrepare: Bool
    }

    struct BatchFormPage: Encodable {
        let page: Page
        let townships: [Choice]
        let month: String
        let errors: [String: String]
    }

    struct LineRow: Encodable {
        let contract: Int
        let village: String
        let name: String
        let idNumber: String
        let passbook: String
        let kind: String
        let score: String
        let scoreError: String?
        let amount: Int
        let asksScore: Bool
    }

    struct VillageRow: Encodable {
        let code: String
        let name: String
        let people: Int
        let total: Int
        let claim: Int?
        let claimState: String?
        let mayDraft: Bool
    }

    struct BatchPage: Encodable {
        let page: Page
        let id: Int
        let township: String
        let month: String
        let state: String
        let lines: [LineRow]
        let villages: [VillageRow]
        let total: Int
        let mayScore: Bool
        let mayIssue: Bool
        let mayPay: Bool
        let mayExport: Bool
        let errors: [String]
    }

    func boot(routes: any RoutesBuilder) throws {
        let payroll = routes.grouped("payroll")
        payroll.get(use: list)
        payroll.get("contracts", use: contracts)
        payroll.get("contracts", "new", use: newContract)
        payroll.post("contracts", use: createContract)
        payroll.get("contracts", ":id", use: editContract)
        payroll.post("contracts", ":id", use: updateContract)
        payroll.get("batches", "new", use: newBatch)
        payroll.post("batches", use: createBatch)
        payroll.get("batches", ":id", use: show)
        payroll.post("batches", ":id", "scores", use: scores)
        payroll.post("batches", ":id", "issue", use: issue)
        payroll.post("batches", ":id", "claims", use: draftClaim)
        payroll.post("batches", ":id", "pay", use: pay)
        payroll.get("batches", ":id", "bank.csv", use: bank)
    }

    // MARK: - Batches

    func list(request: Request) async throws -> View {
        let actor = try request.requireActor()
        let mayKeep = !Policy.scope(actor, .manageCaretakers).isEmpty
        let mayPrepare = !Policy.scope(actor, .preparePayroll).isEmpty
        guard mayKeep || mayPrepare else { throw YunweiError.forbidden }
        let rows = try await PayrollDesk.batches(for: actor, on: request.db).map { record, township in
            BatchRow(
                id: try record.requireID(), township: township.name, month: record.payrollMonth.description,
                state: record.batchState.catalogKey)
        }
        let page = await Page.make(for: request, title: "payroll.title")
        return try await request.view.render(
            "funds/payroll", ListPage(page: page, rows: rows, mayKeepContracts: mayKeep, mayPrepare: mayPrepare))
    }

    func newBatch(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let month = PayrollMonth(
            year: StatisticsPeriod.day(of: Date()).year, month: StatisticsPeriod.day(of: Date()).month)
        return try await batchForm(
            request, actor: actor, form: ["month": month?.description ?? ""], errors: [:], status: .ok)
    }

    func createBatch(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let form = try request.content.decode([String: String].self)
        guard let month = PayrollMonth(form["month"] ?? "") else {
            return try await batchForm(
                request, actor: actor, form: form, errors: ["month": request.t("payroll.issue.month")],
                status: .unprocessableEntity)
        }
        do {
            let record = try await PayrollDesk.create(
                townshipCode: form["township"], month: month, by: actor, on: request.db)
            request.setNotice("payroll.created")
            return request.redirect(to: "/payroll/batches/\(try record.requireID())")
        } catch let error as CaseDesk.InputError {
            return try await batchForm(
                request, actor: actor, form: form, errors: Self.messages(request, error.issues),
                status: .unprocessableEntity)
        } catch let error as YunweiError where error.status == .conflict {
            return try await batchForm(
                request, actor: actor, form: form, errors: ["month": request.t(error.key, error.args)],
                status: .conflict)
        }
    }

    private func batchForm(
        _ request: Request, actor: Actor, form: [String: String], errors: [String: String],
        status: HTTPResponseStatus
    ) async throws -> Response {
        let townships = try await PayrollDesk.townships(for: actor, on: request.db)
        guard !townships.isEmpty else { throw YunweiError.forbidden }
        let page = await Page.make(for: request, title: "payroll.new_batch")
        let context = BatchFormPage(
            page: page,
            townships: townships.map { Choice(code: $0.code, name: $0.name, selected: $0.code == form["township"]) },
            month: form["month"] ?? "", errors: errors)
        return try await request.view.render("funds/payroll-batch-form", context).encodeResponse(
            status: status, for: request)
    }

    func show(request: Request) async throws -> Response {
        try await renderBatch(request, id: try Self.id(request), entered: [:], issues: [], status: .ok)
    }

    func scores(request: Request) async throws -> Response {
        try await step(request, issuing: false)
    }

    func issue(request: Request) async throws -> Response {
        try await step(request, issuing: true)
    }

    /// Saves the scores, and with `issuing` locks the batch; bad scores are the batch page again
    /// with each message beside its score, 422.
    private func step(_ request: Request, issuing: Bool) async throws -> Response {
        let actor = try request.requireActor()
        let id = try Self.id(request)
        let form = try request.content.decode([String: String].self)
        var entered: [Int64: String] = [:]
        for (name, value) in form where name.hasPrefix("score_") {
            if let contract = Int64(name.dropFirst("score_".count)) { entered[contract] = value }
        }
        do {
            if issuing {
                try await PayrollDesk.issue(id, entered: entered, by: actor, on: request.db)
            } else {
                try await PayrollDesk.score(id, entered: entered, by: actor, on: request.db)
            }
        } catch let error as CaseDesk.InputError {
            return try await renderBatch(
                request, id: id, entered: entered, issues: error.issues, status: .unprocessableEntity)
        }
        request.setNotice(issuing ? "payroll.issued" : "payroll.scored")
        return request.redirect(to: "/payroll/batches/\(id)")
    }

    func draftClaim(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let id = try Self.id(request)
        let form = try request.content.decode([String: String].self)
        _ = try await PayrollDesk.draftClaim(id, village: form["village"] ?? "", by: actor, on: request.db)
        request.setNotice("payroll.claim_drafted")
        return request.redirect(to: "/payroll/batches/\(id)")
    }

    func pay(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let id = try Self.id(request)
        try await PayrollDesk.pay(id, by: actor, on: request.db)
        request.setNotice("payroll.paid")
        return request.redirect(to: "/payroll/batches/\(id)")
    }

    /// 银行代发文件: name, full passbook number, amount in yuan with two decimals, remark.
    func bank(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let (loaded, rows) = try await PayrollDesk.bankRows(try Self.id(request), by: actor, on: request.db)
        let table =
            [
                [
                    request.t("payroll.col.name"), request.t("payroll.col.passbook"),
                    request.t("payroll.col.amount_yuan"),
                    request.t("payroll.col.remark"),
                ]
            ]
            + rows.map { [$0.name, $0.passbook, $0.amount.yuanString, $0.remark] }
        let name = "payroll-\(loaded.township.code)-\(loaded.record.payrollMonth.description).csv"
        return StatsPages.csvResponse(CSVTable.excelData(table), name: name)
    }

    private func renderBatch(
        _ request: Request, id: Int, entered: [Int64: String], issues: [CaseIssue], status: HTTPResponseStatus
    ) async throws -> Response {
        let actor = try request.requireActor()
        let loaded = try await PayrollDesk.load(id, for: actor, on: request.db)
        let record = loaded.record
        let batch = loaded.batch
        let prepares = Policy.can(actor, .preparePayroll, at: loaded.township.unitPath)
        let state = record.batchState
        let visible = loaded.lines.filter {
            prepares
                || PayrollDesk.maySeeVillage(actor, UnitPath(rawValue: loaded.township.path + $0.villageCode + "/"))
        }
        let visibleCodes = Set(visible.map(\.villageCode))
        let units = try await AdminUnit.query(on: request.db).filter(\.$code ~~ Array(visibleCodes)).all()
        let names = Dictionary(units.map { ($0.code, $0) }) { first, _ in first }
        let messages = Dictionary(
            issues.map { ($0.field, request.t($0.key, $0.args)) }
        ) { first, _ in first }
        let asksScore = state == .draft && prepares && batch.month.endsQuarter
        let lines = visible.map { line in
            let field = "scores.\(line.$contract.id)"
            let isPerformance = line.kind == PayrollBatch.Kind.performance.rawValue
            return LineRow(
                contract: line.$contract.id, village: names[line.villageCode]?.name ?? line.villageCode,
                name: line.name, idNumber: Masked.idNumber(line.idNumber), passbook: Masked.account(line.passbook),
                kind: "payroll.kind.\(line.kind)",
                score: entered[Int64(line.$contract.id)] ?? line.score.map(String.init) ?? "",
                scoreError: isPerformance ? messages[field] : nil, amount: Int(line.amountFen),
                asksScore: asksScore && isPerformance)
        }
        let claims = try await PayrollDesk.claims(of: id, on: request.db)
        let villages = batch.villages.filter { visibleCodes.contains($0.rawValue) }.map { code in
            let unit = names[code.rawValue]
            let claim = claims[code.rawValue]
            return VillageRow(
                code: code.rawValue, name: unit?.name ?? code.rawValue, people: batch.people(in: code),
                total: Int(batch.villageTotals[code]?.fen ?? 0), claim: claim?.id,
                claimState: claim.map { "claim_state." + $0.state },
                mayDraft: state == .issued && claim == nil
                    && unit.map { ClaimPolicy.mayDraft(actor, in: $0.unitPath) } == true)
        }
        let other = issues.filter { !$0.field.hasPrefix("scores.") }.map { request.t($0.key, $0.args) }
        let page = await Page.make(for: request, title: "payroll.batch_title")
        let context = BatchPage(
            page: page, id: id, township: loaded.township.name, month: batch.month.description,
            state: state.catalogKey, lines: lines, villages: villages,
            total: Int(visible.reduce(Int64(0)) { $0 + $1.amountFen }), mayScore: asksScore,
            mayIssue: prepares && state == .draft, mayPay: prepares && state == .posted,
            mayExport: prepares && (state == .posted || state == .paid), errors: other)
        return try await request.view.render("funds/payroll-batch", context).encodeResponse(
            status: status, for: request)
    }

    // MARK: - Contracts

    func contracts(request: Request) async throws -> View {
        let actor = try request.requireActor()
        let records = try await PayrollDesk.contracts(for: actor, on: request.db)
        let codes = Array(Set(records.map(\.villageCode)))
        let units = codes.isEmpty ? [] : try await AdminUnit.query(on: request.db).filter(\.$code ~~ codes).all()
        let names = Dictionary(units.map { ($0.code, $0.name) }) { first, _ in first }
        let rows = try records.map { record in
            let contract = record.contract
            return ContractRow(
                id: try record.requireID(), village: names[record.villageCode] ?? record.villageCode,
                name: record.name, idNumber: Masked.idNumber(record.idNumber), duty: record.duty,
                labour: Int(record.monthlyLabourFen), performance: Int(record.quarterlyPerformanceFen),
                passbook: Masked.account(record.passbook),
                months: contract.firstMonth.description + " – " + (contract.lastMonth?.description ?? ""))
        }
        let page = await Page.make(for: request, title: "payroll.contracts")
        return try await request.view.render("funds/contracts", ContractsPage(page: page, rows: rows))
    }

    func newContract(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        return try await contractForm(
            request, actor: actor, action: "/payroll/contracts", form: [:], issues: [], status: .ok)
    }

    func createContract(request: Request) async throws -> Response {
        try await saveContract(request, id: nil)
    }

    func editContract(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let id = try Self.id(request)
        let record = try await PayrollDesk.contract(id, for: actor, on: request.db)
        // The numbers are not shown again: left empty, they stay as stored.
        let form = [
            "village": record.villageCode, "name": record.name, "duty": record.duty,
            "monthly_labour": Money(fen: record.monthlyLabourFen).yuanString,
            "quarterly_performance": Money(fen: record.quarterlyPerformanceFen).yuanString,
            "first_month": PayrollMonth(key: record.firstMonth)?.description ?? "",
            "last_month": record.lastMonth.flatMap { PayrollMonth(key: $0)?.description } ?? "",
            "id_number_masked": Masked.idNumber(record.idNumber), "passbook_masked": Masked.account(record.passbook),
        ]
        return try await contractForm(
            request, actor: actor, action: "/payroll/contracts/\(id)", form: form, issues: [], status: .ok)
    }

    func updateContract(request: Request) async throws -> Response {
        try await saveContract(request, id: try Self.id(request))
    }

    private func saveContract(_ request: Request, id: Int?) async throws -> Response {
        let actor = try request.requireActor()
        let form = try request.content.decode([String: String].self)
        var found: CaretakerContractRecord?
        if let id { found = try await PayrollDesk.contract(id, for: actor, on: request.db) }
        let existing = found
        let text = { (name: String) in (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        var local: [CaseIssue] = []
        func money(_ field: String) -> Money {
            if let money = Money(yuan: text(field)) { return money }
            local.append(CaseIssue(field: field, key: "payroll.issue.money", args: ["value": text(field)]))
            return Money(fen: 1)
        }
        func month(_ field: String, optional: Bool) -> PayrollMonth? {
            if optional, text(field).isEmpty { return nil }
            if let month = PayrollMonth(text(field)) { return month }
            local.append(CaseIssue(field: field, key: "payroll.issue.month"))
            return nil
        }
        let villageCode = text("village").isEmpty ? (existing?.villageCode ?? "") : text("village")
        let idNumber = text("id_number").isEmpty ? (existing?.idNumber ?? "") : text("id_number")
        let passbook = text("passbook").isEmpty ? (existing?.passbook ?? "") : text("passbook")
        let labour = money("monthly_labour")
        let performance = money("quarterly_performance")
        let first = month("first_month", optional: false)
        let last = month("last_month", optional: true)
        guard let village = UnitCode(villageCode) else {
            local.append(CaseIssue(field: "village", key: "payroll.issue.village"))
            return try await contractForm(
                request, actor: actor, action: request.url.path, form: form, issues: local,
                status: .unprocessableEntity)
        }
        let contract = CaretakerContract(
            village: village, name: form["name"] ?? "", idNumber: idNumber, duty: form["duty"] ?? "",
            monthlyLabour: labour, quarterlyPerformance: performance, passbook: passbook,
            firstMonth: first ?? PayrollMonth(year: 2000, month: 1)!, lastMonth: last)
        let issues =
            local
            + contract.issues.filter { issue in !local.contains { $0.field == issue.field } }
            .map { CaseIssue(field: $0.field, key: $0.key, args: $0.args) }
        do {
            guard local.isEmpty else { throw CaseDesk.InputError(issues: issues) }
            _ = try await PayrollDesk.saveContract(id, contract, by: actor, on: request.db)
        } catch let error as CaseDesk.InputError {
            return try await contractForm(
                request, actor: actor, action: request.url.path, form: form,
                issues: local.isEmpty ? error.issues : issues, status: .unprocessableEntity)
        }
        request.setNotice("payroll.contract_saved")
        return request.redirect(to: "/payroll/contracts")
    }

    private func contractForm(
        _ request: Request, actor: Actor, action: String, form: [String: String], issues: [CaseIssue],
        status: HTTPResponseStatus
    ) async throws -> Response {
        let roots = Policy.scope(actor, .manageCaretakers)
        guard !roots.isEmpty else { throw YunweiError.forbidden }
        let villages = try await AdminUnit.query(on: request.db).filter(\.$kind == UnitKind.village.rawValue)
            .sort(\.$code).all().filter { unit in roots.contains { unit.unitPath.isWithin($0) } }
        var safe = form
        // What was typed is shown again, but never a full number that is already stored.
        safe["_csrf"] = nil
        safe["id_number"] = nil
        safe["passbook"] = nil
        let page = await Page.make(for: request, title: "payroll.contract_title")
        let context = ContractFormPage(
            page: page, action: action,
            villages: villages.map { Choice(code: $0.code, name: $0.name, selected: $0.code == form["village"]) },
            form: safe, errors: Self.messages(request, issues),
            other: issues.filter { !Self.contractFields.contains($0.field) }.map { request.t($0.key, $0.args) },
            anyError: !issues.isEmpty)
        return try await request.view.render("funds/contract-form", context).encodeResponse(
            status: status, for: request)
    }

    static let contractFields: Set<String> = [
        "village", "name", "id_number", "duty", "passbook", "monthly_labour", "quarterly_performance", "first_month",
        "last_month",
    ]

    // MARK: - Helpers

    private static func messages(_ request: Request, _ issues: [CaseIssue]) -> [String: String] {
        Dictionary(issues.map { ($0.field, request.t($0.key, $0.args)) }) { first, _ in first }
    }

    private static func id(_ request: Request) throws -> Int {
        guard let id = request.parameters.get("id", as: Int.self) else { throw YunweiError.notFound }
        return id
    }
}
