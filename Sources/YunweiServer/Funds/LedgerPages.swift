import Fluent
import Foundation
import Vapor
import YunweiDomain

/// `/ledger`: the special ledger 专账 (DOMAIN.md §4.3) as pages — the villages and townships whose
/// funds one may see with their balances, a village's statement 对账单 by period, its vouchers
/// 记账凭证 as CSV, and a township's summary 汇总; all printable. The figures are `LedgerBook`'s
/// and the domain's (`LedgerStatement`, `LedgerSummary`, `VoucherSheet`); who sees what is
/// `Policy`'s `viewFunds`, and a unit outside it is a 404. Township finance's disbursement form
/// 拨付 is in `LedgerPages+Disbursement.swift`.
struct LedgerPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let ledger = routes.grouped("ledger")
        ledger.get(use: entry)
        ledger.get("villages", ":code", use: statement)
        ledger.get("villages", ":code", "vouchers.csv", use: vouchers)
        ledger.get("townships", ":code", use: summary)
        ledger.get("disbursements", "new", use: newDisbursement)
        ledger.post("disbursements", use: disburse)
    }

    // MARK: - The entry page

    struct VillageLine: Encodable {
        let code: String
        let name: String
        let balance: Int
        let reserved: Int
        let available: Int
    }

    struct TownshipGroup: Encodable {
        let code: String
        let name: String
        let maySummarize: Bool
        let villages: [VillageLine]
        /// The villages' sums.
        let balance: Int
        let reserved: Int
        let available: Int
    }

    struct EntryPage: Encodable {
        let page: Page
        let townships: [TownshipGroup]
        let mayDisburse: Bool
        /// Each township as one line of sums, its villages a click away (`?township=`): a county
        /// has thousands of villages, too many for one page on a weak network.
        let collapsed: Bool
        /// Set when one township of several is shown: the way back to all of them.
        let chosenTownship: String?
    }

    /// The villages whose funds `actor` sees, by township, each with its balance now; a person
    /// who sees one village's funds only goes straight to its statement. Someone who sees
    /// several townships (the county) gets one line per township, and one township's villages
    /// with `?township=CODE`.
    func entry(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        guard !Policy.scope(actor, .viewFunds).isEmpty else { throw YunweiError.forbidden }
        let villages = try await AdminUnit.query(on: request.db).scoped(to: actor, .viewFunds)
            .filter(\.$kind == UnitKind.village.rawValue).sort(\.$code).all()
        let mayDisburse = !Policy.scope(actor, .disburseFunds).isEmpty
        if villages.count == 1, !mayDisburse,
            !Policy.scope(actor, .viewFunds).contains(where: { !$0.isWithin(villages[0].unitPath) })
        {
            return request.redirect(to: "/ledger/villages/\(villages[0].code)")
        }
        let townshipIDs = Array(Set(villages.compactMap { $0.$parent.id }))
        var townships =
            townshipIDs.isEmpty
            ? [] : try await AdminUnit.query(on: request.db).filter(\.$id ~~ townshipIDs).sort(\.$code).all()
        let chosen: String? = request.query["township"]
        if let chosen {
            // Another township's code, or no township at all, is not found.
            townships = townships.filter { $0.code == chosen }
            guard !townships.isEmpty else { throw YunweiError.notFound }
        }
        let collapsed = chosen == nil && townships.count > 1
        var byTownship: [Int: [VillageLine]] = [:]
        let shownIDs = Set(try townships.map { try $0.requireID() })
        let shown = villages.filter { shownIDs.contains($0.$parent.id ?? -1) }
        let availabilities = try await LedgerBook.availabilities(of: shown, on: request.db)
        for village in shown {
            guard let money = availabilities[try village.requireID()] else { continue }
            byTownship[village.$parent.id ?? -1, default: []].append(
                VillageLine(
                    code: village.code, name: village.name, balance: Int(money.balance.fen),
                    reserved: Int(money.reserved.fen), available: Int(money.available.fen)))
        }
        let groups = try townships.map { township in
            let lines = byTownship[try township.requireID()] ?? []
            return TownshipGroup(
                code: township.code, name: township.name,
                maySummarize: Policy.can(actor, .viewFunds, at: township.unitPath),
                villages: collapsed ? [] : lines, balance: lines.reduce(0) { $0 + $1.balance },
                reserved: lines.reduce(0) { $0 + $1.reserved }, available: lines.reduce(0) { $0 + $1.available })
        }
        let page = await Page.make(for: request, title: "ledger_pages.title")
        return try await request.view.render(
            "funds/ledger",
            EntryPage(
                page: page, townships: groups, mayDisburse: mayDisburse, collapsed: collapsed,
                chosenTownship: chosen)
        ).encodeResponse(for: request)
    }

    // MARK: - A village's statement

    struct PeriodForm: Encodable {
        let from: String
        let to: String
        var fromError: String?
        var toError: String?
    }

    struct StatementRow: Encodable {
        let date: String
        let voucher: String
        let memo: String
        let source: String
        let sourceHref: String?
        let debit: Int
        let credit: Int
        let balance: Int
    }

    struct OpenReservation: Encodable {
        let claim: Int
        let amount: Int
    }

    struct Figures: Encodable {
        let from: String
        let to: String
        let opening: Int
        let rows: [StatementRow]
        let inflow: Int
        let outflow: Int
        let closing: Int
        let reservations: [OpenReservation]
        let reserved: Int
        let available: Int
    }

    struct StatementPage: Encodable {
        let page: Page
        let code: String
        let name: String
        let township: String?
        let townshipCode: String?
        let form: PeriodForm
        let figures: Figures?
        let csv: String
    }

    func statement(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let village = try await Self.village(request, actor: actor)
        let township = try await village.$parent.get(on: request.db)
        let period: LedgerPeriod
        switch LedgerPeriod.read(request) {
        case .success(let read): period = read
        case .failure(let error):
            let page = await Page.make(for: request, title: "ledger_pages.statement_title")
            let context = StatementPage(
                page: page, code: village.code, name: village.name, township: township?.name,
                townshipCode: township?.code,
                form: Self.form(request, issues: error.issues), figures: nil, csv: "")
            return try await request.view.render("funds/ledger-statement", context).encodeResponse(
                status: .unprocessableEntity, for: request)
        }
        let statement = try await LedgerBook.statement(
            village: village, from: period.from, to: period.to, on: request.db)
        let vouchers = Self.voucherNumbers(
            try await Self.entries(of: village, from: period.from, to: period.to, on: request.db), in: village.unitCode)
        let rows = statement.rows.map { row in
            StatementRow(
                date: row.accountingDate.description, voucher: row.entryID.flatMap { vouchers[$0] } ?? "",
                memo: row.memo,
                source: request.t(
                    "ledger_pages.source_n",
                    ["kind": "ledger_source." + row.source.kind.rawValue, "id": String(row.source.id)]),
                sourceHref: row.source.kind == .claim ? "/claims/\(row.source.id)" : nil, debit: Int(row.debit.fen),
                credit: Int(row.credit.fen), balance: Int(row.balance.fen))
        }
        let figures = Figures(
            from: period.from.description, to: period.last.description, opening: Int(statement.opening.fen),
            rows: rows, inflow: Int(statement.inflow.fen), outflow: Int(statement.outflow.fen),
            closing: Int(statement.closing.fen),
            reservations: statement.openReservations.map {
                OpenReservation(claim: Int($0.claim), amount: Int($0.amount.fen))
            },
            reserved: Int(statement.reserved.fen), available: Int(statement.available.fen))
        let page = await Page.make(for: request, title: "ledger_pages.statement_title")
        let context = StatementPage(
            page: page, code: village.code, name: village.name, township: township?.name, townshipCode: township?.code,
            form: PeriodForm(from: period.from.description, to: period.last.description), figures: figures,
            csv: "/ledger/villages/\(village.code)/vouchers.csv?from=\(period.from)&to=\(period.last)")
        return try await request.view.render("funds/ledger-statement", context).encodeResponse(for: request)
    }

    // MARK: - Vouchers

    /// 记账凭证 of the village's books over the period, as CSV Excel opens (UTF-8 with a BOM); the
    /// header and account names are in Chinese, the bookkeeping software's import format.
    func vouchers(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let village = try await Self.village(request, actor: actor)
        let period = try LedgerPeriod.read(request).get()
        let entries = try await Self.entries(of: village, from: period.from, to: period.to, on: request.db)
        let catalog = request.application.catalog
        let rows = VoucherSheet.rows(of: entries, in: village.unitCode) {
            catalog.text($0.nameKey, in: .zhHans)
        }
        // Numbered from the first of the month, listed from the first day of the period.
        let listed = [rows[0]] + rows.dropFirst().filter { $0[1] >= period.from.description }
        let name = "vouchers-\(village.code)-\(period.from)-\(period.last).csv"
        return StatsPages.csvResponse(CSVTable.excelData(listed), name: name)
    }

    // MARK: - A township's summary

    struct SummaryRow: Encodable {
        let code: String
        let name: String
        let opening: Int
        let inflow: Int
        let outflow: Int
        let closing: Int
        let reserved: Int
        let available: Int
    }

    struct SummaryPage: Encodable {
        let page: Page
        let code: String
        let name: String
        let form: PeriodForm
        let rows: [SummaryRow]
        let total: SummaryRow?
    }

    func summary(request: Request) async throws -> Response {
        let township = try await Self.township(request, actor: try request.requireActor())
        let page = await Page.make(for: request, title: "ledger_pages.summary_title")
        let period: LedgerPeriod
        switch LedgerPeriod.read(request) {
        case .success(let read): period = read
        case .failure(let error):
            let context = SummaryPage(
                page: page, code: township.code, name: township.name, form: Self.form(request, issues: error.issues),
                rows: [], total: nil)
            return try await request.view.render("funds/ledger-summary", context).encodeResponse(
                status: .unprocessableEntity, for: request)
        }
        let summary = try await LedgerBook.summary(township: township, from: period.from, to: period.to, on: request.db)
        let names = try await Self.names(of: summary.rows.map(\.village), on: request.db)
        func row(_ code: String, _ name: String, _ figures: LedgerSummary.Figures) -> SummaryRow {
            SummaryRow(
                code: code, name: name, opening: Int(figures.opening.fen), inflow: Int(figures.inflow.fen),
                outflow: Int(figures.outflow.fen), closing: Int(figures.closing.fen),
                reserved: Int(figures.reserved.fen), available: Int(figures.available.fen))
        }
        let context = SummaryPage(
            page: page, code: township.code, name: township.name,
            form: PeriodForm(from: period.from.description, to: period.last.description),
            rows: summary.rows.map { row($0.village.rawValue, names[$0.village] ?? "", $0.figures) },
            total: row("", "", summary.total))
        return try await request.view.render("funds/ledger-summary", context).encodeResponse(for: request)
    }

    // MARK: - Helpers

    /// The village in the path, if `actor` sees its funds; 404 otherwise.
    static func village(_ request: Request, actor: Actor) async throws -> AdminUnit {
        guard let code = request.parameters.get("code"),
            let village = try await AdminUnit.query(on: request.db).filter(\.$code == code).first(),
            village.unitKind == .village, Policy.can(actor, .viewFunds, at: village.unitPath)
        else { throw YunweiError.notFound }
        return village
    }

    /// The township in the path, if `actor` sees the funds of all of it; 404 otherwise.
    static func township(_ request: Request, actor: Actor) async throws -> AdminUnit {
        guard let code = request.parameters.get("code"),
            let township = try await AdminUnit.query(on: request.db).filter(\.$code == code).first(),
            township.unitKind == .township, Policy.can(actor, .viewFunds, at: township.unitPath)
        else { throw YunweiError.notFound }
        return township
    }

    /// The period form as entered, with each problem beside its field.
    static func form(_ request: Request, issues: [CaseIssue]) -> PeriodForm {
        var form = PeriodForm(from: request.query["from"] ?? "", to: request.query["to"] ?? "")
        for issue in issues {
            let message = request.t(issue.key, issue.args)
            if issue.field == "from" { form.fromError = message } else { form.toError = message }
        }
        return form
    }

    /// The entries in `village`'s books booked from the first of `from`'s month up to `to`: a
    /// voucher's number counts from the first of its month.
    static func entries(
        of village: AdminUnit, from: StatisticsPeriod.Day, to: StatisticsPeriod.Day, on db: any Database
    ) async throws -> [LedgerEntry] {
        let monthStart = StatisticsPeriod.Day(year: from.year, month: from.month, day: 1)
        let ids = try await LedgerLineRecord.query(on: db).filter(\.$unit.$id == village.requireID())
            .filter(\.$accountingDate >= monthStart.description).filter(\.$accountingDate < to.description)
            .all(\.$entry.$id)
        return try await LedgerBook.load(Array(Set(ids)), on: db)
    }

    /// Each entry's voucher number 记-001 as `VoucherSheet` gives it: its rows come in posting
    /// order, one per line of the unit's books, so walking the entries in that order pairs them.
    static func voucherNumbers(_ entries: [LedgerEntry], in unit: UnitCode) -> [Int64: String] {
        let rows = VoucherSheet.rows(of: entries, in: unit) { _ in "" }.dropFirst()
        let ordered = entries.sorted { ($0.date, $0.id ?? .max) < ($1.date, $1.id ?? .max) }
        var numbers: [Int64: String] = [:]
        var index = rows.startIndex
        for entry in ordered {
            let count = entry.lines.filter { $0.account.unit == unit }.count
            guard count > 0, index < rows.endIndex else { continue }
            if let id = entry.id { numbers[id] = rows[index][0] }
            index += count
        }
        return numbers
    }

    /// Unit names by code.
    static func names(of codes: [UnitCode], on db: any Database) async throws -> [UnitCode: String] {
        guard !codes.isEmpty else { return [:] }
        let units = try await AdminUnit.query(on: db).filter(\.$code ~~ codes.map(\.rawValue)).all()
        return Dictionary(units.map { ($0.unitCode, $0.name) }) { first, _ in first }
    }
}
