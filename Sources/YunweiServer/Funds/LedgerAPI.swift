import Fluent
import Foundation
import Vapor
import YunweiDomain

/// The special ledger 专账 under `/api/v1` (DOMAIN.md §4.3): disbursing 拨付 an approved
/// allocation to a village, a village fund's statement 对账单, and a township's summary 汇总.
/// Every rule is `DisbursementDesk`'s and `LedgerBook`'s; this file only turns JSON into their
/// inputs and their answers into JSON.
struct LedgerAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(LoginRequired())
        signedIn.post("disbursements", use: disburse)
        signedIn.get("villages", ":code", "statement", use: statement)
        signedIn.get("townships", ":code", "summary", use: summary)
    }

    /// 201 with the posted entry.
    func disburse(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let input = try CaseAPI.decode(LedgerAPIDTO.DisburseInput.self, from: request)
        var issues: [CaseIssue] = []
        if input.allocation == nil { issues.append(CaseIssue(field: "allocation", key: "ledger.input.required")) }
        let village = input.village?.trimmingCharacters(in: .whitespaces) ?? ""
        if village.isEmpty { issues.append(CaseIssue(field: "village", key: "ledger.input.required")) }
        var day: StatisticsPeriod.Day?
        if let text = input.date {
            day = StatisticsPeriod.Day(text)
            if day == nil { issues.append(CaseIssue(field: "date", key: "ledger.input.date")) }
        }
        guard issues.isEmpty, let allocation = input.allocation else { throw CaseDesk.InputError(issues: issues) }
        let order = DisbursementDesk.Order(
            allocation: allocation, village: village, amount: input.amount.map { Money(fen: $0) }, date: day)
        let done = try await DisbursementDesk.disburse(order, by: actor, on: request.db)
        return try await LedgerAPIDTO.Entry(done.entry, disbursement: done.disbursement)
            .encodeResponse(status: .created, for: request)
    }

    /// The village fund's statement over `from`…`to` (both Shanghai days, inclusive; default: the
    /// current year up to today). 404 unless the caller may see the village's funds.
    func statement(request: Request) async throws -> LedgerAPIDTO.Statement {
        let actor = try request.requireActor()
        guard let code = request.parameters.get("code"),
            let village = try await AdminUnit.query(on: request.db).filter(\.$code == code).first(),
            village.unitKind == .village, Policy.can(actor, .viewFunds, at: village.unitPath)
        else { throw YunweiError.notFound }
        let period = try LedgerPeriod.read(request).get()
        let statement = try await LedgerBook.statement(
            village: village, from: period.from, to: period.to, on: request.db)
        return LedgerAPIDTO.Statement(statement, village: village, through: period.last)
    }

    /// 乡镇专账汇总: the township's villages side by side over `from`…`to` (as the statement's),
    /// in fen. 404 unless the caller may see the funds of the whole township.
    func summary(request: Request) async throws -> LedgerAPIDTO.Summary {
        let township = try await LedgerPages.township(request, actor: try request.requireActor())
        let period = try LedgerPeriod.read(request).get()
        let summary = try await LedgerBook.summary(
            township: township, from: period.from, to: period.to, on: request.db)
        let names = try await LedgerPages.names(of: summary.rows.map(\.village), on: request.db)
        return LedgerAPIDTO.Summary(summary, township: township, names: names, through: period.last)
    }
}
