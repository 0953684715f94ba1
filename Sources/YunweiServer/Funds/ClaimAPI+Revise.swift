import Fluent
import Foundation
import Vapor
import YunweiDomain

extension ClaimAPI {
    /// `PUT /api/v1/claims/{id}`: the clerk corrects a draft or a returned claim with the same
    /// body as `POST /api/v1/claims` (its `village` is ignored: a claim stays in its village).
    /// 200 with the claim; 404, 403, 409 and 422 are `ClaimDesk.revise`'s.
    func revise(request: Request) async throws -> ClaimAPIDTO.ClaimOutput {
        let actor = try request.requireActor()
        guard let id = request.parameters.get("id", as: Int.self) else { throw YunweiError.notFound }
        _ = try await ClaimDesk.view(id, by: actor, on: request.db)
        let input = try CaseAPI.decode(ClaimAPIDTO.DraftInput.self, from: request)
        var issues: [CaseIssue] = []
        func required(_ field: String) { issues.append(CaseIssue(field: field, key: "claim.input.required")) }
        if input.category == nil { required("category") }
        if input.amount == nil { required("amount") }
        if input.payee == nil { required("payee.name") }
        if input.purpose == nil { required("purpose") }
        var invoices: [Invoice] = []
        for (offset, item) in (input.invoices ?? []).enumerated() {
            let field = "invoices.\(offset + 1)"
            let day = item.date.flatMap { StatisticsPeriod.Day($0) }
            if day == nil { issues.append(CaseIssue(field: "\(field).date", key: "claim.input.date")) }
            if item.amount == nil { required("\(field).amount") }
            guard let day, let amount = item.amount else { continue }
            invoices.append(
                Invoice(number: item.number ?? "", issuer: item.issuer ?? "", date: day, amount: Money(fen: amount)))
        }
        var links: [ClaimLink] = []
        for (offset, item) in (input.links ?? []).enumerated() {
            guard let link = item.link else {
                issues.append(CaseIssue(field: "links.\(offset + 1)", key: "claim.input.link_kind"))
                continue
            }
            links.append(link)
        }
        guard issues.isEmpty, let category = input.category, let amount = input.amount, let payee = input.payee,
            let purpose = input.purpose
        else { throw CaseDesk.InputError(issues: issues) }
        let claim = Claim(
            payee: payee.payee, amount: Money(fen: amount), category: category, purpose: purpose, links: links,
            invoices: invoices)
        try await ClaimDesk.revise(id, with: ClaimDesk.Draft(village: nil, claim: claim), by: actor, on: request.db)
        return try ClaimAPIDTO.ClaimOutput(try await ClaimDesk.view(id, by: actor, on: request.db), for: actor)
    }
}
