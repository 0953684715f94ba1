import Fluent
import Vapor
import YunweiDomain

/// `/login` and `/logout` for browsers.
struct SessionController: RouteCollection {
    struct LoginForm: Content {
        var username: String?
        var password: String?
        var next: String?
    }

    struct LoginPage: Encodable {
        let page: Page
        let username: String
        let next: String
        let error: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("login", use: show)
        routes.post("login", use: login)
        routes.post("logout", use: logout)
    }

    func show(request: Request) async throws -> Response {
        if request.actor != nil { return request.redirect(to: "/") }
        let next = request.query[String.self, at: "next"].flatMap(LocalRedirect.safe) ?? "/"
        return try await render(request, username: "", next: next, error: nil, status: .ok)
    }

    func login(request: Request) async throws -> Response {
        let form = try request.content.decode(LoginForm.self)
        let username = (form.username ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let next = form.next.flatMap(LocalRedirect.safe) ?? "/"
        switch try await PasswordLogin.attempt(username: username, password: form.password ?? "", on: request) {
        case .success(let user):
            let oldID = request.session.id
            let csrf = request.session.data[CSRF.sessionKey]
            if let oldID { try await request.application.sessions.driver.deleteSession(oldID, for: request).get() }
            // A new session id at login, so a planted cookie cannot ride along (session fixation).
            request.session.id = nil
            request.session.data = SessionData()
            request.session.data[CSRF.sessionKey] = csrf
            SignedIn.start(request.session, userID: try user.requireID())
            return request.redirect(to: next)
        case .failure(let key, let args):
            return try await render(
                request, username: username, next: next, error: request.t(key, args), status: .unauthorized)
        }
    }

    func logout(request: Request) async throws -> Response {
        request.session.destroy()
        return request.redirect(to: "/login")
    }

    private func render(_ request: Request, username: String, next: String, error: String?, status: HTTPStatus)
        async throws -> Response
    {
        let page = await Page.make(for: request, title: "login.title")
        return try await request.view.render(
            "login", LoginPage(page: page, username: username, next: next, error: error)
        )
        .encodeResponse(status: status, for: request)
    }
}

/// Checks a username and password with lockout, for the login page and the token API alike.
enum PasswordLogin {
    enum Outcome {
        case success(User)
        case failure(key: String, args: [String: String])
    }

    static func attempt(username: String, password: String, on request: Request) async throws -> Outcome {
        let now = Date()
        guard let user = try await User.query(on: request.db).filter(\.$username == username).first(), !user.disabled
        else {
            // Hash anyway, so an unknown name takes as long as a wrong password.
            _ = try? await request.password.async.hash(password)
            return .failure(key: "login.failed", args: [:])
        }
        if case .locked(let until) = LoginThrottle.standard.check(
            failures: user.failedLogins, lastFailure: user.lastFailedAt, now: now)
        {
            return .failure(key: "login.locked", args: ["until": ShanghaiTime.format(until, "HH:mm")])
        }
        let matches = (try? await request.password.async.verify(password, created: user.passwordHash)) ?? false
        let userID = try user.requireID()
        return try await request.db.write { db in
            guard let user = try await User.find(userID, on: db) else {
                return .failure(key: "login.failed", args: [:])
            }
            if matches {
                user.failedLogins = 0
                user.lastFailedAt = nil
                try await user.save(on: db)
                try await AuditTrail.record(
                    on: db, by: .init(id: Int64(userID), name: user.username), action: "login",
                    entityType: "user", entityID: user.username)
                return .success(user)
            }
            let failures = LoginThrottle.standard.afterFailure(
                failures: user.failedLogins, lastFailure: user.lastFailedAt, now: now)
            user.failedLogins = failures
            user.lastFailedAt = now
            try await user.save(on: db)
            try await AuditTrail.record(
                on: db, by: .init(id: nil, name: user.username), action: "login_failed", entityType: "user",
                entityID: user.username, after: ["failed_logins": String(failures)])
            if case .locked(let until) = LoginThrottle.standard.check(failures: failures, lastFailure: now, now: now) {
                return .failure(key: "login.locked", args: ["until": ShanghaiTime.format(until, "HH:mm")])
            }
            return .failure(key: "login.failed", args: [:])
        }
    }
}
