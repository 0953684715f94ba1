import Foundation
import Testing
import Vapor
import VaporTesting

@testable import YunweiServer

@Suite("Web shell")
struct WebShellTests {
    @Test("a server runs in production, with its templates cached, unless VAPOR_ENV names another environment")
    func serveEnvironment() async throws {
        #expect(Yunwei.serveEnvironment([:]) == .production)
        #expect(Yunwei.serveEnvironment(["VAPOR_ENV": "production"]) == .production)
        #expect(Yunwei.serveEnvironment(["VAPOR_ENV": "development"]) == .development)
        #expect(Yunwei.serveEnvironment(["VAPOR_ENV": "staging"]).name == "staging")
        let (storage, drop) = try await TestDatabase.make()
        let app = try await Application.make(Yunwei.serveEnvironment([:]))
        let settings = Settings(
            storage: storage, resourcesDirectory: repositoryRoot + "/Resources", dataDirectory: NSTemporaryDirectory(),
            bcryptCost: 4, connectionsPerEventLoop: 2)
        try await configure(app, settings)
        #expect(app.leaf.cache.isEnabled)
        try await app.asyncShutdown()
        await drop()
    }

    @Test("pages are in Chinese by default and in English when asked, and the switch sticks")
    func languages() async throws {
        try await withApp { app in
            let chinese = try await Browser(app).get("/login")
            #expect(chinese.body.string.contains("lang=\"zh-Hans\""))
            #expect(chinese.body.string.contains(app.catalog.text("login.title", in: .zhHans)))
            let english = try await Browser(app, language: "en-US,en;q=0.9").get("/login")
            #expect(english.body.string.contains("lang=\"en\""))
            let browser = Browser(app)
            let switched = try await browser.get("/lang/en?back=/login")
            #expect(switched.status == .seeOther)
            #expect(switched.location == "/login")
            #expect(try await browser.get("/login").body.string.contains("lang=\"en\""))
            // Only local paths are followed.
            #expect(try await browser.get("/lang/en?back=//evil.example").location == "/")
            // The switch keeps the page's query: a filtered list or a form step comes back as it was.
            let filtered = try await browser.get("/login?next=/cases%3Fbox%3Dhandle&x=1").body.string
            let link = "/lang/zh-Hans?back=/login%3Fnext%3D/cases%253Fbox%253Dhandle%26x%3D1"
            #expect(filtered.contains("href=\"\(link)\""))
            #expect(try await browser.get(link).location == "/login?next=/cases%3Fbox%3Dhandle&x=1")
        }
    }

    @Test("unknown pages get an HTML 404 page; the API gets JSON")
    func errorPages() async throws {
        try await withApp { app in
            let page = try await Browser(app).get("/no-such-page")
            #expect(page.status == .notFound)
            #expect(page.headers.contentType?.subType == "html")
            #expect(page.body.string.contains(app.catalog.text("error.not_found", in: .zhHans)))
            let api = try await app.testing().sendRequest(.GET, "/api/v1/nothing")
            #expect(api.status == .notFound)
            #expect(try api.content.get(String.self, at: "error", "code") == "not_found")
        }
    }

    @Test("health and metrics answer")
    func healthAndMetrics() async throws {
        try await withApp { app in
            #expect(try await app.testing().sendRequest(.GET, "/healthz").status == .ok)
            _ = try await app.testing().sendRequest(.GET, "/login")
            let metrics = try await app.testing().sendRequest(.GET, "/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.body.string.contains("http_requests_total"))
        }
    }

    @Test("every page of every role stays under 60 KB with its stylesheet")
    func pageWeight() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let css = try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/Resources/Public/app.css")).count
            for username in ["county_admin", "county_auditor", "township_leader", "village_clerk"] {
                let browser = Browser(app)
                try await browser.login(username)
                for path in [
                    "/", "/units", "/units/\(Fixture.county)", "/units/\(Fixture.townshipA)",
                    "/units/\(Fixture.villageA1)",
                    "/users", "/imports", "/audit", "/account",
                ] {
                    let response = try await browser.get(path)
                    guard response.status == .ok else { continue }
                    #expect(
                        response.body.readableBytes + css < 60_000,
                        "\(username) \(path) weighs \(response.body.readableBytes + css) bytes")
                }
            }
        }
    }

    @Test("each role's home page shows what that person has to do")
    func homeByRole() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let admin = Browser(app)
            try await admin.login("county_admin")
            let home = try await admin.get("/").body.string
            #expect(home.contains("href=\"/users\""))
            #expect(home.contains("href=\"/imports\""))
            let clerk = Browser(app)
            try await clerk.login("village_clerk")
            let clerkHome = try await clerk.get("/").body.string
            #expect(!clerkHome.contains("href=\"/users\""))
            #expect(!clerkHome.contains("href=\"/audit\""))
        }
    }
}
