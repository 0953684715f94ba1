import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YunweiDomain

@testable import YunweiServer

@Suite("Signing in")
struct AccountsTests {
    @Test("a person signs in with the right password and lands on their home page")
    func signIn() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let browser = Browser(app)
            let response = try await browser.login("village_clerk")
            #expect(response.status == .seeOther)
            #expect(response.location == "/")
            let home = try await browser.get("/")
            #expect(home.status == .ok)
            #expect(home.body.string.contains("village_clerk"))
            let cookie = response.headers[.setCookie].first { $0.hasPrefix("yunwei_session=") } ?? ""
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
        }
    }

    @Test("an anonymous visitor is sent to the login page")
    func anonymousRedirect() async throws {
        try await withApp { app in
            let response = try await Browser(app).get("/units")
            #expect(response.status == .seeOther)
            #expect(response.location?.hasPrefix("/login?next=") == true)
        }
    }

    @Test("a wrong password is refused with 401 and a message, and counts as a failure")
    func wrongPassword() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let response = try await Browser(app).login("village_clerk", "wrong-password1")
            #expect(response.status == .unauthorized)
            #expect(response.body.string.contains("class=\"error\""))
            let user = try await User.query(on: app.db).filter(\.$username == "village_clerk").first()
            #expect(user?.failedLogins == 1)
        }
    }

    @Test("after five failures the account is locked even for the right password")
    func lockout() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let browser = Browser(app)
            for _ in 1...5 { try await browser.login("village_clerk", "wrong-password1") }
            let response = try await browser.login("village_clerk")
            #expect(response.status == .unauthorized)
            #expect(
                response.body.string.contains(app.catalog.text("login.locked", in: .zhHans, ["until": ""]).prefix(6)))
            #expect(try await browser.get("/units").status == .seeOther)
            // The token API obeys the same lock.
            let api = try await app.testing().sendRequest(.POST, "/api/v1/tokens") { request in
                try request.content.encode(["username": "village_clerk", "password": Fixture.password], as: .json)
            }
            #expect(api.status == .tooManyRequests)
        }
    }

    @Test("a form posted without the CSRF token is refused with 403 and changes nothing")
    func csrfRejected() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let browser = Browser(app)
            try await browser.login("county_admin")
            let before = try await AdminUnit.query(on: app.db).count()
            let response = try await browser.post(
                "/units", ["code": "510121100203", "name": "新村", "kind": "village", "parent": Fixture.townshipA],
                withToken: false)
            #expect(response.status == .forbidden)
            #expect(try await AdminUnit.query(on: app.db).count() == before)
            let forged = try await browser.post(
                "/units",
                [
                    "code": "510121100203", "name": "新村", "kind": "village", "parent": Fixture.townshipA,
                    "_csrf": "forged",
                ],
                withToken: false)
            #expect(forged.status == .forbidden)
            #expect(try await AdminUnit.query(on: app.db).count() == before)
        }
    }

    @Test("logging out ends the session")
    func logout() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let browser = Browser(app)
            try await browser.login("county_admin")
            #expect(try await browser.get("/units").status == .ok)
            #expect(try await browser.post("/logout", [:]).status == .seeOther)
            #expect(try await browser.get("/units").status == .seeOther)
        }
    }

    @Test("a person changes their password; the old one stops working")
    func changePassword() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let browser = Browser(app)
            try await browser.login("village_head")
            let weak = try await browser.post(
                "/account/password", ["current": Fixture.password, "new": "short", "confirm": "short"])
            #expect(weak.status == .unprocessableEntity)
            let done = try await browser.post(
                "/account/password", ["current": Fixture.password, "new": "newpass2026", "confirm": "newpass2026"])
            #expect(done.status == .seeOther)
            #expect(try await Browser(app).login("village_head").status == .unauthorized)
            #expect(try await Browser(app).login("village_head", "newpass2026").status == .seeOther)
        }
    }

    @Test("an admin creates a user, grants and revokes a role, and disables the user")
    func userAdministration() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let admin = Browser(app)
            try await admin.login("county_admin")
            let created = try await admin.post(
                "/users",
                [
                    "username": "wang_fang", "name": "王芳", "phone": "13800138000", "password": "start2026",
                    "role": "grid_worker",
                    "unit": Fixture.villageA2,
                ])
            #expect(created.status == .seeOther)
            let page = try await admin.get("/users/wang_fang")
            #expect(page.body.string.contains("138****8000"))
            #expect(!page.body.string.contains("13800138000"))
            let wrongKind = try await admin.post(
                "/users/wang_fang/grants", ["role": "township_leader", "unit": Fixture.villageA2])
            #expect(wrongKind.status == .unprocessableEntity)
            #expect(
                try await admin.post("/users/wang_fang/grants", ["role": "caretaker", "unit": Fixture.villageA2]).status
                    == .seeOther)
            let user = try #require(try await User.query(on: app.db).filter(\.$username == "wang_fang").first())
            let grants = try await RoleGrant.query(on: app.db).filter(\.$user.$id == user.requireID()).all()
            #expect(Set(grants.map(\.role)) == ["grid_worker", "caretaker"])
            let caretaker = try #require(grants.first { $0.role == "caretaker" })
            #expect(
                try await admin.post("/users/wang_fang/grants/\(caretaker.requireID())/revoke", [:]).status == .seeOther
            )
            #expect(try await RoleGrant.query(on: app.db).filter(\.$user.$id == user.requireID()).count() == 1)
            #expect(try await Browser(app).login("wang_fang", "start2026").status == .seeOther)
            #expect(try await admin.post("/users/wang_fang/disable", [:]).status == .seeOther)
            #expect(try await Browser(app).login("wang_fang", "start2026").status == .unauthorized)
        }
    }

    @Test("a village clerk cannot manage users, and an admin cannot grant outside their county")
    func userAdministrationIsScoped() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let clerk = Browser(app)
            try await clerk.login("village_clerk")
            #expect(try await clerk.get("/users").status == .forbidden)
            let forged = try await clerk.post(
                "/users",
                [
                    "username": "mole", "name": "x", "password": "start2026", "role": "county_admin",
                    "unit": Fixture.county,
                ])
            #expect([.forbidden, .notFound].contains(forged.status))
            #expect(try await User.query(on: app.db).filter(\.$username == "mole").count() == 0)
        }
    }
}
