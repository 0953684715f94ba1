import Fluent
import Vapor
import YunweiDomain

/// The JSON API under `/api/v1`, described by `/api/v1/openapi.json`.
struct APIController: RouteCollection {
    struct TokenRequest: Content {
        var username: String
        var password: String
    }

    struct TokenResponse: Content {
        let token: String
        let expiresAt: Date

        enum CodingKeys: String, CodingKey {
            case token
            case expiresAt = "expires_at"
        }
    }

    struct MeResponse: Content {
        struct RoleAtUnit: Content {
            let role: String
            let unit: String
        }
        let username: String
        let displayName: String
        let roles: [RoleAtUnit]

        enum CodingKeys: String, CodingKey {
            case username, roles
            case displayName = "display_name"
        }
    }

    struct UnitResponse: Content {
        struct Factors: Content {
            let year: Int
            let population: Int
            let households: Int
            let areaKm2: String
            let location: String
            let collectiveIncomeFen: Int64
            let performance: Int

            enum CodingKeys: String, CodingKey {
                case year, population, households, location, performance
                case areaKm2 = "area_km2"
                case collectiveIncomeFen = "collective_income_fen"
            }
        }
        let code: String
        let name: String
        let kind: String
        let parent: String?
        let children: Int?
        let factors: [Factors]?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("openapi.json", use: openAPI)
        routes.post("tokens", use: createToken)
        let signedIn = routes.grouped(LoginRequired())
        signedIn.delete("tokens", "current", use: revokeToken)
        signedIn.get("me", use: me)
        signedIn.get("units", use: units)
        signedIn.get("units", ":code", use: unit)
    }

    func openAPI(request: Request) async throws -> Response {
        let path = request.application.settings.resourcesDirectory + "OpenAPI/openapi.json"
        let response = try await request.fileio.asyncStreamFile(at: path)
        response.headers.contentType = .json
        return response
    }

    func createToken(request: Request) async throws -> Response {
        guard let body = try? request.content.decode(TokenRequest.self) else {
            throw YunweiError(.badRequest, code: "bad_request", key: "api.error.token_body")
        }
        let username = body.username.trimmingCharacters(in: .whitespaces).lowercased()
        switch try await PasswordLogin.attempt(username: username, password: body.password, on: request) {
        case .success(let user):
            let userID = try user.requireID()
            let issued = try await request.db.write { db in
                let issued = try await TokenStore.issue(for: userID, on: db)
                try await AuditTrail.record(
                    on: db, by: .init(id: Int64(userID), name: user.username), action: "token_create",
                    entityType: "user",
                    entityID: user.username)
                return issued
            }
            return try await TokenResponse(token: issued.token, expiresAt: issued.expiresAt)
                .encodeResponse(status: .created, for: request)
        case .failure(let key, let args):
            let status: HTTPResponseStatus = key == "login.locked" ? .tooManyRequests : .unauthorized
            throw YunweiError(status, code: key == "login.locked" ? "locked" : "unauthorized", key: key, args: args)
        }
    }

    func revokeToken(request: Request) async throws -> HTTPStatus {
        let actor = try request.requireActor()
        guard let bearer = request.headers.bearerAuthorization else { throw YunweiError.unauthorized }
        try await request.db.write { db in
            guard let record = try await TokenStore.record(for: bearer.token, on: db) else {
                throw YunweiError.unauthorized
            }
            record.revokedAt = Date()
            try await record.save(on: db)
            try await AuditTrail.record(
                on: db, by: .init(actor), action: "token_revoke", entityType: "user", entityID: actor.username)
        }
        return .noContent
    }

    func me(request: Request) async throws -> MeResponse {
        let actor = try request.requireActor()
        let user = try await User.find(Int(actor.userID), on: request.db)
        return MeResponse(
            username: actor.username, displayName: user?.displayName ?? actor.username,
            roles: actor.grants.map { .init(role: $0.role.rawValue, unit: $0.unit.rawValue) })
    }

    /// Without `parent`: the top units the caller may see. With `parent=CODE`: its children.
    func units(request: Request) async throws -> [UnitResponse] {
        let actor = try request.requireActor()
        let units: [AdminUnit]
        if let parentCode = request.query[String.self, at: "parent"] {
            let parent = try await AdminUnit.visible(code: parentCode, to: actor, on: request.db)
            units = try await AdminUnit.query(on: request.db).filter(\.$parent.$id == parent.requireID()).sort(\.$code)
                .all()
        } else {
            let roots = Policy.scope(actor, .viewUnit).map(\.rawValue)
            units = try await AdminUnit.query(on: request.db).filter(\.$path ~~ roots).sort(\.$code).all()
        }
        return try await responses(units, on: request.db)
    }

    func unit(request: Request) async throws -> UnitResponse {
        let actor = try request.requireActor()
        let unit = try await AdminUnit.visible(code: request.parameters.get("code") ?? "", to: actor, on: request.db)
        var response = try await responses([unit], on: request.db)[0]
        if unit.unitKind == .village {
            let records = try await FactorRecord.query(on: request.db).filter(\.$unit.$id == unit.requireID())
                .sort(\.$year).all()
            response = UnitResponse(
                code: response.code, name: response.name, kind: response.kind, parent: response.parent,
                children: response.children,
                factors: records.map {
                    .init(
                        year: $0.year, population: $0.population, households: $0.households,
                        areaKm2: FactorInput.areaText($0.areaHundredthsKm2), location: $0.location,
                        collectiveIncomeFen: $0.collectiveIncomeFen, performance: $0.performance)
                })
        }
        return response
    }

    private func responses(_ units: [AdminUnit], on db: any Database) async throws -> [UnitResponse] {
        let counts = try await AdminUnit.childCounts(of: units, on: db)
        return units.map {
            UnitResponse(
                code: $0.code, name: $0.name, kind: $0.kind, parent: $0.parentCode, children: counts[$0.id ?? -1] ?? 0,
                factors: nil)
        }
    }
}
