import Fluent
import Vapor
import YunweiDomain

/// Users pages for admins: list, create, grant and revoke roles, disable, reset a password.
/// Township leaders and auditors may read the list within their scope.
struct UserPages: RouteCollection {
    struct GrantRow: Encodable {
        let id: Int
        let role: String
        let unitCode: String
        let unitName: String
    }

    struct UserRow: Encodable {
        let username: String
        let displayName: String
        let phone: String?
        let disabled: Bool
        let grants: [GrantRow]
    }

    struct ListPage: Encodable {
        let page: Page
        let users: [UserRow]
        let canManage: Bool
        let roles: [String]
    }

    struct UserPage: Encodable {
        let page: Page
        let user: UserRow
        let canManage: Bool
        let roles: [String]
    }

    struct NewUserForm: Content {
        var username: String?
        var name: String?
        var phone: String?
        var password: String?
        var role: String?
        var unit: String?
    }

    struct GrantForm: Content {
        var role: String?
        var unit: String?
    }

    struct PasswordForm: Content {
        var password: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        let users = routes.grouped("users")
        users.get(use: list)
        users.post(use: create)
        users.get(":username", use: show)
        users.post(":username", "grants", use: grant)
        users.post(":username", "grants", ":grant", "revoke", use: revoke)
        users.post(":username", "disable", use: disable)
        users.post(":username", "enable", use: enable)
        users.post(":username", "password", use: resetPassword)
    }

    func list(request: Request) async throws -> View {
        let actor = try request.requireActor()
        let scope = Policy.scope(actor, .viewUsers)
        guard !scope.isEmpty else { throw YunweiError.forbidden }
        let grants = try await RoleGrant.query(on: request.db).join(
            AdminUnit.self, on: \RoleGrant.$unit.$id == \AdminUnit.$id
        )
        .group(.or) { group in for root in scope { group.filter(AdminUnit.self, \.$path =~ root.rawValue) } }
        .all()
        let userIDs = Set(grants.map { $0.$user.id })
        let users = try await User.query(on: request.db).filter(\.$id ~~ userIDs).sort(\.$username).all()
        let page = await Page.make(for: request, title: "users.title")
        return try await request.view.render(
            "users/list",
            ListPage(
                page: page, users: try await rows(users, on: request.db),
                canManage: !Policy.scope(actor, .manageUsers).isEmpty,
                roles: Role.allCases.map(\.rawValue)))
    }

    func show(request: Request) async throws -> View {
        let actor = try request.requireActor()
        let user = try await visibleUser(request, actor)
        let page = await Page.make(for: request, title: "users.title")
        let paths = try await grantPaths(of: user, on: request.db)
        return try await request.view.render(
            "users/show",
            UserPage(
                page: page, user: try await rows([user], on: request.db)[0],
                canManage: UserRegistry.canManage(actor, paths),
                roles: Role.allCases.map(\.rawValue)))
    }

    func create(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let form = try request.content.decode(NewUserForm.self)
        let (role, unit) = try await grantable(form.role, form.unit, actor, request)
        let password = form.password ?? ""
        let violations = PasswordRule.violations(of: password, username: UserRegistry.normalize(form.username ?? ""))
        if let first = violations.first { throw YunweiError.invalid(first) }
        let hash = try await request.password.async.hash(password)
        let username = UserRegistry.normalize(form.username ?? "")
        try await request.db.write { db in
            let user = try await UserRegistry.create(
                username: username, displayName: form.name ?? "", phone: form.phone, passwordHash: hash,
                by: .init(actor), on: db)
            try await UserRegistry.grant(role, at: unit, to: user, by: .init(actor), on: db)
        }
        request.setNotice("user.created")
        return request.redirect(to: "/users/\(username)")
    }

    func grant(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let user = try await managedUser(request, actor)
        let form = try request.content.decode(GrantForm.self)
        let (role, unit) = try await grantable(form.role, form.unit, actor, request)
        try await request.db.write { db in
            try await UserRegistry.grant(role, at: unit, to: user, by: .init(actor), on: db)
        }
        request.setNotice("user.granted")
        return request.redirect(to: "/users/\(user.username)")
    }

    func revoke(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let user = try await managedUser(request, actor)
        guard let grantID = request.parameters.get("grant", as: Int.self),
            let grant = try await RoleGrant.query(on: request.db).filter(\.$id == grantID).filter(
                \.$user.$id == user.requireID()
            )
            .first()
        else { throw YunweiError.notFound }
        try await request.db.write { db in
            try await UserRegistry.revoke(grant, of: user, by: .init(actor), on: db)
        }
        request.setNotice("user.revoked")
        return request.redirect(to: "/users/\(user.username)")
    }

    func disable(request: Request) async throws -> Response {
        try await setDisabled(true, request)
    }

    func enable(request: Request) async throws -> Response {
        try await setDisabled(false, request)
    }

    func resetPassword(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let user = try await managedUser(request, actor)
        let password = try request.content.decode(PasswordForm.self).password ?? ""
        if let first = PasswordRule.violations(of: password, username: user.username).first {
            throw YunweiError.invalid(first)
        }
        let hash = try await request.password.async.hash(password)
        try await request.db.write { db in
            try await UserRegistry.setPassword(hash: hash, user, by: .init(actor), on: db)
        }
        request.setNotice("user.password_reset")
        return request.redirect(to: "/users/\(user.username)")
    }

    private func setDisabled(_ disabled: Bool, _ request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let user = try await managedUser(request, actor)
        guard Int64(try user.requireID()) != actor.userID else { throw YunweiError.invalid("user.error.self_disable") }
        try await request.db.write { db in
            try await UserRegistry.setDisabled(disabled, user, by: .init(actor), on: db)
        }
        request.setNotice(disabled ? "user.disabled" : "user.enabled")
        return request.redirect(to: "/users/\(user.username)")
    }

    /// The user named in the path, if one of their roles lies in the actor's view; 404 otherwise.
    private func visibleUser(_ request: Request, _ actor: Actor) async throws -> User {
        let username = request.parameters.get("username") ?? ""
        guard let user = try await User.query(on: request.db).filter(\.$username == username).first() else {
            throw YunweiError.notFound
        }
        let paths = try await grantPaths(of: user, on: request.db)
        let visible =
            paths.contains { Policy.can(actor, .viewUsers, at: $0) }
            || (paths.isEmpty && !Policy.scope(actor, .manageUsers).isEmpty)
        guard visible else { throw YunweiError.notFound }
        return user
    }

    private func managedUser(_ request: Request, _ actor: Actor) async throws -> User {
        let user = try await visibleUser(request, actor)
        guard UserRegistry.canManage(actor, try await grantPaths(of: user, on: request.db)) else {
            throw YunweiError.forbidden
        }
        return user
    }

    /// A role and unit the actor may grant, or the reason why not.
    private func grantable(_ roleText: String?, _ unitCode: String?, _ actor: Actor, _ request: Request) async throws
        -> (Role, AdminUnit)
    {
        guard let role = roleText.flatMap(Role.init(rawValue:)) else {
            throw YunweiError.invalid("user.error.bad_role")
        }
        let unit = try await AdminUnit.visible(
            code: (unitCode ?? "").trimmingCharacters(in: .whitespaces), to: actor, on: request.db)
        guard Policy.canGrant(actor, role: role, at: unit.unitPath, unitKind: unit.unitKind) else {
            if unit.unitKind != role.heldAt {
                throw YunweiError.roleHeldElsewhere(role)
            }
            throw YunweiError.forbidden
        }
        return (role, unit)
    }

    private func grantPaths(of user: User, on db: any Database) async throws -> [UnitPath] {
        try await RoleGrant.query(on: db).filter(\.$user.$id == user.requireID()).with(\.$unit).all().map(
            \.unit.unitPath)
    }

    private func rows(_ users: [User], on db: any Database) async throws -> [UserRow] {
        let ids = users.compactMap(\.id)
        let grants = ids.isEmpty ? [] : try await RoleGrant.query(on: db).filter(\.$user.$id ~~ ids).with(\.$unit).all()
        let byUser = Dictionary(grouping: grants, by: { $0.$user.id })
        return users.map { user in
            UserRow(
                username: user.username, displayName: user.displayName, phone: user.phone.map(Self.maskPhone),
                disabled: user.disabled,
                grants: (byUser[user.id ?? -1] ?? []).map {
                    GrantRow(id: $0.id ?? 0, role: "role." + $0.role, unitCode: $0.unit.code, unitName: $0.unit.name)
                })
        }
    }

    /// 138****5678: phones are personal data and only the admin's export shows them whole.
    static func maskPhone(_ phone: String) -> String {
        guard phone.count == 11 else { return phone }
        return String(phone.prefix(3)) + "****" + String(phone.suffix(4))
    }
}
