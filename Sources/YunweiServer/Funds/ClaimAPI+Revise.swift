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
        let claim = try input.claim()
        try await ClaimDesk.revise(id, with: ClaimDesk.Draft(village: nil, claim: claim), by: actor, on: request.db)
        return try ClaimAPIDTO.ClaimOutput(try await ClaimDesk.view(id, by: actor, on: request.db), for: actor)
    }
}
