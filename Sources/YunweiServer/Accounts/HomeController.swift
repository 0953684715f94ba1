import Fluent
import Vapor
import YunweiDomain

/// The home page: who you are, where you hold roles, and what you have to do there.
struct HomeController: RouteCollection {
    struct Place: Encodable {
        let role: String
        let unitName: String
        let unitCode: String
    }

    struct Task: Encodable {
        let key: String
        let href: String
    }

    struct HomePage: Encodable {
        let page: Page
        let displayName: String
        let places: [Place]
        let tasks: [Task]
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: home)
    }

    func home(request: Request) async throws -> View {
        let actor = try request.requireActor()
        let user = try await User.find(Int(actor.userID), on: request.db)
        let codes = actor.grants.map(\.unit.rawValue)
        let units = try await AdminUnit.query(on: request.db).filter(\.$code ~~ codes).all()
        let names = Dictionary(units.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let places = actor.grants.map {
            Place(
                role: "role." + $0.role.rawValue, unitName: names[$0.unit.rawValue] ?? $0.unit.rawValue,
                unitCode: $0.unit.rawValue)
        }
        let page = await Page.make(for: request, title: "home.title")
        return try await request.view.render(
            "home",
            HomePage(
                page: page, displayName: user?.displayName ?? actor.username, places: places,
                tasks: Self.tasks(for: actor)))
    }

    /// What each role has to do, as links. Later capabilities add their inboxes here.
    static func tasks(for actor: Actor) -> [Task] {
        var tasks: [Task] = []
        let roles = Set(actor.grants.map(\.role))
        if !Policy.scope(actor, .reportCase).isEmpty {
            tasks.append(Task(key: "task.report_case", href: "/cases/new"))
            tasks.append(Task(key: "task.my_cases", href: "/cases?box=mine"))
        }
        if !Policy.scope(actor, .dispatchCase).isEmpty || !Policy.scope(actor, .superviseCase).isEmpty {
            tasks.append(Task(key: "task.classify_cases", href: "/cases?box=classify"))
        }
        if !CasePolicy.handlingScope(actor).isEmpty {
            tasks.append(Task(key: "task.handle_cases", href: "/cases?box=handle"))
        }
        if !Policy.scope(actor, .superviseCase).isEmpty {
            tasks.append(Task(key: "task.supervise_cases", href: "/cases?box=supervised"))
        }
        if !Policy.scope(actor, .manageCategories).isEmpty {
            tasks.append(Task(key: "task.manage_categories", href: "/categories"))
        }
        if !Policy.scope(actor, .viewUnit).isEmpty { tasks.append(Task(key: "task.browse_units", href: "/units")) }
        if !Policy.scope(actor, .editFactors).isEmpty { tasks.append(Task(key: "task.keep_factors", href: "/units")) }
        if !Policy.scope(actor, .importData).isEmpty { tasks.append(Task(key: "task.import", href: "/imports")) }
        if !Policy.scope(actor, .manageUsers).isEmpty { tasks.append(Task(key: "task.manage_users", href: "/users")) }
        if !Policy.scope(actor, .viewAuditLog).isEmpty { tasks.append(Task(key: "task.review_audit", href: "/audit")) }
        if roles.isEmpty { tasks.append(Task(key: "task.no_roles", href: "/account")) }
        return tasks
    }
}

/// `/account`: the signed-in person's own details and password change.
struct AccountController: RouteCollection {
    struct PasswordForm: Content {
        var current: String?
        var new: String?
        var confirm: String?
    }

    struct AccountPage: Encodable {
        let page: Page
        let username: String
        let displayName: String
        let errors: [String]
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("account", use: show)
        routes.post("account", "password", use: changePassword)
    }

    func show(request: Request) async throws -> View {
        try await render(request, errors: [])
    }

    func changePassword(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let form = try request.content.decode(PasswordForm.self)
        guard let user = try await User.find(Int(actor.userID), on: request.db) else { throw YunweiError.unauthorized }
        let current = form.current ?? ""
        let new = form.new ?? ""
        var errors: [String] = []
        if !((try? await request.password.async.verify(current, created: user.passwordHash)) ?? false) {
            errors.append("password.current_wrong")
        }
        if new != (form.confirm ?? "") { errors.append("password.mismatch") }
        errors += PasswordRule.violations(of: new, username: user.username)
        guard errors.isEmpty else {
            return try await render(request, errors: errors).encodeResponse(status: .unprocessableEntity, for: request)
        }
        let hash = try await request.password.async.hash(new)
        try await request.db.write { db in
            guard let user = try await User.find(Int(actor.userID), on: db) else { throw YunweiError.unauthorized }
            user.passwordHash = hash
            try await user.save(on: db)
            try await AuditTrail.record(
                on: db, by: .init(actor), action: "password_change", entityType: "user", entityID: user.username)
        }
        request.setNotice("password.changed")
        return request.redirect(to: "/account")
    }

    private func render(_ request: Request, errors: [String]) async throws -> View {
        let actor = try request.requireActor()
        let user = try await User.find(Int(actor.userID), on: request.db)
        let page = await Page.make(for: request, title: "account.title")
        return try await request.view.render(
            "account",
            AccountPage(page: page, username: actor.username, displayName: user?.displayName ?? "", errors: errors))
    }
}
