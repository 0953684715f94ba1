import Fluent
import Foundation
import Vapor
import YunweiDomain

/// Claims 报账 under `/api/v1` (DOMAIN.md §4.3): the clerk's draft, a claim with its history and
/// the steps its viewer may take, and each step of the chain. Every rule is `ClaimDesk`'s; this
/// file only turns JSON into its inputs and its answers into JSON.
struct ClaimAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(LoginRequired())
        signedIn.post("claims", use: draft)
        signedIn.get("claims", ":id", use: show)
        signedIn.put("claims", ":id", use: revise)
        signedIn.post("claims", ":id", "actions", use: act)
    }

    /// 201 with the stored draft.
    func draft(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let input = try CaseAPI.decode(ClaimAPIDTO.DraftInput.self, from: request)
        let claim = try input.claim()
        let record = try await ClaimDesk.draft(
            ClaimDesk.Draft(village: input.village, claim: claim), by: actor, on: request.db)
        let loaded = try await ClaimDesk.view(try record.requireID(), by: actor, on: request.db)
        return try await ClaimAPIDTO.ClaimOutput(loaded, for: actor).encodeResponse(status: .created, for: request)
    }

    /// The claim, 404 unless the caller may see its village's funds.
    func show(request: Request) async throws -> ClaimAPIDTO.ClaimOutput {
        let actor = try request.requireActor()
        guard let id = request.parameters.get("id", as: Int.self) else { throw YunweiError.notFound }
        return try ClaimAPIDTO.ClaimOutput(try await ClaimDesk.view(id, by: actor, on: request.db), for: actor)
    }

    /// 200 with the claim after the step.
    func act(request: Request) async throws -> ClaimAPIDTO.ClaimOutput {
        let actor = try request.requireActor()
        guard let id = request.parameters.get("id", as: Int.self) else { throw YunweiError.notFound }
        _ = try await ClaimDesk.view(id, by: actor, on: request.db)
        let input = try CaseAPI.decode(ClaimAPIDTO.ActionInput.self, from: request)
        guard let action = input.action.flatMap(ClaimAction.init(rawValue:)) else {
            throw CaseDesk.InputError(issues: [CaseIssue(field: "action", key: "claim.input.action")])
        }
        try await ClaimDesk.act(id, action, note: input.note, by: actor, on: request.db)
        return try ClaimAPIDTO.ClaimOutput(try await ClaimDesk.view(id, by: actor, on: request.db), for: actor)
    }
}
