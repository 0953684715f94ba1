import Fluent
import Foundation
import Vapor
import YunweiDomain

/// 拨付 as a page: township finance chooses an approved or published allocation of its county, a
/// village of its township, the amount (by default what remains of the village's share, shown
/// for every allocation and village) and the day. Every rule and refusal is
/// `DisbursementDesk.disburse`'s; the form puts each problem beside its field, keeps what was
/// entered, and answers with the desk's status (422, 409).
extension LedgerPages {
    struct Choice: Encodable {
        let value: String
        let label: String
        let selected: Bool
    }

    /// What remains of one village's share of one allocation.
    struct Remaining: Encodable {
        let allocation: Int
        let year: Int
        let version: Int
        let village: String
        let name: String
        let allocated: Int
        let disbursed: Int
        let remaining: Int
    }

    struct DisbursementErrors: Encodable {
        var allocation: String?
        var village: String?
        var amount: String?
        var date: String?
        var other: [String] = []
        var any = false
    }

    struct DisbursementForm: Encodable {
        let page: Page
        let allocations: [Choice]
        let villages: [Choice]
        let amount: String
        let date: String
        let remaining: [Remaining]
        let errors: DisbursementErrors
        /// A fresh key per rendered form, so that the form sent twice disburses once.
        let idempotencyKey: String
    }

    func newDisbursement(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        guard !Policy.scope(actor, .disburseFunds).isEmpty else { throw YunweiError.forbidden }
        var form = [
            "allocation": request.query["allocation"] ?? "", "village": request.query["village"] ?? "",
            "date": StatisticsPeriod.day(of: Date()).description,
        ]
        let remaining = try await Self.remaining(for: actor, on: request.db)
        if let chosen = remaining.first(where: {
            String($0.allocation) == form["allocation"] && $0.village == form["village"]
        }) {
            form["amount"] = Money(fen: Int64(chosen.remaining)).yuanString
        }
        return try await render(request, actor: actor, form: form, remaining: remaining, issues: [], status: .ok)
    }

    func disburse(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        guard !Policy.scope(actor, .disburseFunds).isEmpty else { throw YunweiError.forbidden }
        let form = try request.content.decode([String: String].self)
        let text = { (name: String) in (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        var issues: [CaseIssue] = []
        let allocation = Int(text("allocation"))
        if allocation == nil { issues.append(CaseIssue(field: "allocation", key: "ledger.input.required")) }
        if text("village").isEmpty { issues.append(CaseIssue(field: "village", key: "ledger.input.required")) }
        var amount: Money?
        if !text("amount").isEmpty {
            amount = Money(yuan: text("amount"))
            if amount == nil {
                issues.append(
                    CaseIssue(field: "amount", key: "ledger_pages.error.money", args: ["value": text("amount")]))
            }
        }
        var day: StatisticsPeriod.Day?
        if !text("date").isEmpty {
            day = StatisticsPeriod.Day(text("date"))
            if day == nil { issues.append(CaseIssue(field: "date", key: "ledger.input.date")) }
        }
        guard issues.isEmpty, let allocation else {
            return try await render(
                request, actor: actor, form: form, remaining: try await Self.remaining(for: actor, on: request.db),
                issues: issues, status: .unprocessableEntity)
        }
        let order = DisbursementDesk.Order(allocation: allocation, village: text("village"), amount: amount, date: day)
        do {
            _ = try await DisbursementDesk.disburse(order, by: actor, on: request.db)
        } catch let error as CaseDesk.InputError {
            return try await render(
                request, actor: actor, form: form, remaining: try await Self.remaining(for: actor, on: request.db),
                issues: error.issues, status: .unprocessableEntity)
        } catch let error as YunweiError where error.status == .conflict {
            let field = error.key == "ledger.error.over_allocated" ? "amount" : "allocation"
            return try await render(
                request, actor: actor, form: form, remaining: try await Self.remaining(for: actor, on: request.db),
                issues: [CaseIssue(field: field, key: error.key, args: error.args)], status: .conflict)
        }
        request.setNotice("ledger_pages.disbursed")
        return request.redirect(to: "/ledger/villages/\(text("village"))")
    }

    private func render(
        _ request: Request, actor: Actor, form: [String: String], remaining: [Remaining], issues: [CaseIssue],
        status: HTTPResponseStatus
    ) async throws -> Response {
        var errors = DisbursementErrors()
        for issue in issues {
            let message = request.t(issue.key, issue.args)
            errors.any = true
            switch issue.field {
            case "allocation": errors.allocation = message
            case "village": errors.village = message
            case "amount": errors.amount = message
            case "date": errors.date = message
            default: errors.other.append(message)
            }
        }
        var allocations: [Choice] = []
        var seen = Set<Int>()
        for row in remaining where seen.insert(row.allocation).inserted {
            allocations.append(
                Choice(
                    value: String(row.allocation),
                    label: request.t(
                        "ledger_pages.allocation_label", ["year": String(row.year), "version": String(row.version)]),
                    selected: String(row.allocation) == form["allocation"]))
        }
        var villages: [Choice] = []
        var seenVillages = Set<String>()
        for row in remaining where seenVillages.insert(row.village).inserted {
            villages.append(
                Choice(
                    value: row.village, label: "\(row.name) \(row.village)", selected: row.village == form["village"]))
        }
        let page = await Page.make(for: request, title: "ledger_pages.disburse_title")
        let context = DisbursementForm(
            page: page, allocations: allocations, villages: villages, amount: form["amount"] ?? "",
            date: form["date"] ?? "", remaining: remaining, errors: errors, idempotencyKey: UUID().uuidString)
        return try await request.view.render("funds/ledger-disburse", context).encodeResponse(
            status: status, for: request)
    }

    /// Every approved or published allocation, not superseded, of the counties of the townships
    /// where `actor` disburses, with what remains of each of those townships' villages' shares.
    static func remaining(for actor: Actor, on db: any Database) async throws -> [Remaining] {
        let scope = Policy.scope(actor, .disburseFunds)
        let villages = try await AdminUnit.query(on: db).within(scope).filter(\.$kind == UnitKind.village.rawValue)
            .sort(\.$code).all()
        let townships = try await AdminUnit.query(on: db).within(scope).filter(\.$kind == UnitKind.township.rawValue)
            .all()
        let countyIDs = Array(Set(townships.compactMap { $0.$parent.id }))
        guard !villages.isEmpty, !countyIDs.isEmpty else { return [] }
        let usable: [AllocationStatus] = [.approved, .published]
        let records = try await AllocationRecord.query(on: db).filter(\.$county.$id ~~ countyIDs)
            .sort(\.$year, .descending).sort(\.$version, .descending).all()
        var result: [Remaining] = []
        let byYear = Dictionary(grouping: records) { "\($0.$county.id)-\($0.year)" }
        for record in records {
            let versions = byYear["\(record.$county.id)-\(record.year)"] ?? []
            // Only the newest approved or published version of a year may be disbursed.
            guard usable.contains(record.allocationStatus),
                let newest = versions.first(where: { usable.contains($0.allocationStatus) }), newest === record
            else { continue }
            let id = try record.requireID()
            let versionIDs = try versions.map { try $0.requireID() }
            let rows = try await AllocationRowRecord.query(on: db).filter(\.$allocation.$id == id)
                .filter(\.$village.$id ~~ villages.map { try $0.requireID() }).all()
            let shares = Dictionary(rows.map { ($0.$village.id, $0.amountFen) }) { first, _ in first }
            for village in villages {
                let villageID = try village.requireID()
                guard let share = shares[villageID] else { continue }
                let disbursed = try await DisbursementDesk.disbursedFen(
                    allocations: versionIDs, village: villageID, on: db)
                result.append(
                    Remaining(
                        allocation: id, year: record.year, version: record.version, village: village.code,
                        name: village.name, allocated: Int(share), disbursed: Int(disbursed),
                        remaining: Int(share - disbursed)))
            }
        }
        return result
    }
}
