import Fluent
import Foundation
import Vapor
import YunweiDomain

/// The allocation by factors 因素法 under `/api/v1` (DOMAIN.md §4.2): a year's first draft, one
/// version with its table, and approving 审批 a draft. Every rule is `AllocationDesk`'s; this
/// file only turns JSON into its inputs and its answers into JSON.
///
/// Status codes: 403 for a person who may not manage allocations, 404 for an allocation or county
/// one may not see, 409 for a step the status does not allow, 422 with `details` for bad input.
struct AllocationAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(LoginRequired())
        signedIn.post("allocations", use: create)
        signedIn.get("allocations", ":id", use: show)
        signedIn.post("allocations", ":id", "approve", use: approve)
    }

    /// Version 1 of a year's allocation, a draft, for the caller's county (or `county`, one of the
    /// counties they manage allocations in): 201 with its table.
    func create(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let counties = Policy.scope(actor, .manageAllocations).filter { $0.codes.count == 1 }
        guard !counties.isEmpty else { throw YunweiError.forbidden }
        let input = try CaseAPI.decode(AllocationAPIDTO.CreateInput.self, from: request)
        var issues: [CaseIssue] = []
        let wanted = input.county?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        if wanted == nil, counties.count > 1 {
            issues.append(CaseIssue(field: "county", key: "allocation.input.county"))
        }
        for (field, value) in [("year", input.year.map(Int64.init)), ("pool", input.pool), ("base", input.base)]
        where value == nil {
            issues.append(CaseIssue(field: field, key: "allocation.input.required"))
        }
        let known = Set(AllocationFactor.allCases.map(\.rawValue))
        for name in (input.weights ?? [:]).keys.sorted() where !known.contains(name) {
            issues.append(CaseIssue(field: "weights." + name, key: "allocation.input.unknown_factor"))
        }
        guard issues.isEmpty, let year = input.year, let pool = input.pool, let base = input.base else {
            throw CaseDesk.InputError(issues: issues)
        }
        let codes = counties.compactMap { $0.codes.first?.rawValue }
        let code = wanted ?? codes[0]
        guard codes.contains(code),
            let county = try await AdminUnit.query(on: request.db).filter(\.$code == code).first()
        else { throw YunweiError.notFound }
        var weights: [AllocationFactor: String] = [:]
        for (name, value) in input.weights ?? [:] {
            if let factor = AllocationFactor(rawValue: name) { weights[factor] = value.description }
        }
        let setup = AllocationDesk.Setup(year: year, pool: Money(fen: pool), base: Money(fen: base), weights: weights)
        let record = try await AllocationDesk.create(setup, county: county, by: actor, on: request.db)
        let loaded = try await AllocationDesk.load(try record.requireID(), for: actor, on: request.db)
        return try await AllocationAPIDTO.Allocation(loaded).encodeResponse(status: .created, for: request)
    }

    /// One version with its table; 404 unless the caller may see it.
    func show(request: Request) async throws -> AllocationAPIDTO.Allocation {
        let actor = try request.requireActor()
        guard let id = request.parameters.get("id", as: Int.self) else { throw YunweiError.notFound }
        return try AllocationAPIDTO.Allocation(try await AllocationDesk.load(id, for: actor, on: request.db))
    }

    /// The draft, approved: 409 when it is not a draft.
    func approve(request: Request) async throws -> AllocationAPIDTO.Allocation {
        let actor = try request.requireActor()
        guard !Policy.scope(actor, .manageAllocations).isEmpty else { throw YunweiError.forbidden }
        guard let id = request.parameters.get("id", as: Int.self) else { throw YunweiError.notFound }
        try await AllocationDesk.approve(id, by: actor, on: request.db)
        return try AllocationAPIDTO.Allocation(try await AllocationDesk.load(id, for: actor, on: request.db))
    }
}
