import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YunweiDomain

@testable import YunweiServer

@Suite("JSON API")
struct APITests {
    func token(_ app: Application, _ username: String) async throws -> String {
        let response = try await app.testing().sendRequest(.POST, "/api/v1/tokens") { request in
            try request.content.encode(["username": username, "password": Fixture.password], as: .json)
        }
        #expect(response.status == .created)
        return try response.content.get(String.self, at: "token")
    }

    func get(_ app: Application, _ path: String, token: String?) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(.GET, path) { request in
            if let token { request.headers.bearerAuthorization = .init(token: token) }
        }
    }

    @Test("a token is issued for a password, shows who I am, and stops working once revoked")
    func tokens() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let token = try await token(app, "village_clerk")
            let me = try await get(app, "/api/v1/me", token: token)
            #expect(me.status == .ok)
            #expect(try me.content.get(String.self, at: "username") == "village_clerk")
            #expect(try me.content.get(String.self, at: "roles", "0", "unit") == Fixture.villageA1)
            #expect(try await APIToken.query(on: app.db).filter(\.$tokenHash == token).count() == 0)
            let revoke = try await app.testing().sendRequest(.DELETE, "/api/v1/tokens/current") { request in
                request.headers.bearerAuthorization = .init(token: token)
            }
            #expect(revoke.status == .noContent)
            #expect(try await get(app, "/api/v1/me", token: token).status == .unauthorized)
        }
    }

    @Test("errors are JSON with a code and a message")
    func errors() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let anonymous = try await get(app, "/api/v1/me", token: nil)
            #expect(anonymous.status == .unauthorized)
            #expect(try anonymous.content.get(String.self, at: "error", "code") == "unauthorized")
            #expect(!(try anonymous.content.get(String.self, at: "error", "message")).isEmpty)
            let bad = try await app.testing().sendRequest(.POST, "/api/v1/tokens") { request in
                try request.content.encode(["username": "county_admin", "password": "nope"], as: .json)
            }
            #expect(bad.status == .unauthorized)
            let garbage = try await app.testing().sendRequest(.POST, "/api/v1/tokens") { request in
                request.headers.contentType = .json
                request.body = ByteBuffer(string: "{not json")
            }
            #expect(garbage.status == .badRequest)
        }
    }

    @Test("units are scoped: a township leader's top unit is the township, another township is 404")
    func unitsScoped() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let token = try await token(app, "township_leader")
            let top = try await get(app, "/api/v1/units", token: token)
            #expect(try top.content.decode([APIController.UnitResponse].self).map(\.code) == [Fixture.townshipA])
            let children = try await get(app, "/api/v1/units?parent=\(Fixture.townshipA)", token: token)
            let codes = try children.content.decode([APIController.UnitResponse].self).map(\.code)
            #expect(Set(codes) == [Fixture.villageA1, Fixture.villageA2, Fixture.department])
            let village = try await get(app, "/api/v1/units/\(Fixture.villageA1)", token: token)
            #expect(try village.content.decode(APIController.UnitResponse.self).factors?.count == 2)
            #expect(try await get(app, "/api/v1/units/\(Fixture.villageB1)", token: token).status == .notFound)
            #expect(try await get(app, "/api/v1/units?parent=\(Fixture.townshipB)", token: token).status == .notFound)
            #expect(try await get(app, "/api/v1/units/\(Fixture.county)", token: token).status == .notFound)
        }
    }

    @Test("the API ignores the browser session, so a forged cross-site request cannot use it")
    func apiIgnoresSession() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let browser = Browser(app)
            try await browser.login("county_admin")
            #expect(try await browser.get("/api/v1/me").status == .unauthorized)
        }
    }

    @Test("the OpenAPI document describes every API route, and only those")
    func openAPICoversRoutes() async throws {
        try await withApp { app in
            let response = try await get(app, "/api/v1/openapi.json", token: nil)
            #expect(response.status == .ok)
            let document = try JSONSerialization.jsonObject(with: Data(response.body.string.utf8)) as? [String: Any]
            #expect(document?["openapi"] as? String == "3.1.0")
            let paths = document?["paths"] as? [String: [String: Any]] ?? [:]
            var documented = Set<String>()
            for (path, operations) in paths {
                for method in operations.keys { documented.insert("\(method.uppercased()) /api/v1\(path)") }
            }
            var routed = Set<String>()
            for route in app.routes.all where route.path.first?.description == "api" {
                let path = route.path.map { component -> String in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
                routed.insert("\(route.method.rawValue) /\(path)")
            }
            #expect(
                routed.subtracting(documented).isEmpty,
                "routes missing from the OpenAPI document: \(routed.subtracting(documented))")
            #expect(
                documented.subtracting(routed).isEmpty,
                "documented routes that do not exist: \(documented.subtracting(routed))")
        }
    }
}
