import Fluent
import Vapor
import YunweiDomain

extension Request {
    private struct ActorKey: StorageKey { typealias Value = Actor }
    private struct DisplayNameKey: StorageKey { typealias Value = String }

    /// The signed-in person's name as shown in the header.
    var displayName: String? {
        get { storage[DisplayNameKey.self] }
        set { storage[DisplayNameKey.self] = newValue }
    }

    /// The signed-in person making this request, if any (set by `ActorMiddleware`).
    var actor: Actor? {
        get { storage[ActorKey.self] }
        set { storage[ActorKey.self] = newValue }
    }

    /// The signed-in person, or 401.
    func requireActor() throws -> Actor {
        guard let actor else { throw YunweiError.unauthorized }
        return actor
    }

    /// The signed-in person, provided the policy lets them do `action` at `path`; 403 otherwise.
    /// Every handler asks here, so access is decided in one place.
    @discardableResult
    func authorize(_ action: Action, at path: UnitPath) throws -> Actor {
        let actor = try requireActor()
        guard Policy.can(actor, action, at: path) else { throw YunweiError.forbidden }
        return actor
    }
}

enum ActorLoader {
    /// Builds the domain actor from a user and their grants, with each grant's unit path.
    static func load(userID: Int, on database: any Database) async throws -> (actor: Actor, displayName: String)? {
        guard let user = try await User.find(userID, on: database), !user.disabled else { return nil }
        let grants = try await RoleGrant.query(on: database)
            .filter(\.$user.$id == userID)
            .with(\.$unit)
            .all()
        let actor = Actor(
            userID: Int64(userID), username: user.username,
            grants: grants.compactMap { grant in
                guard let role = Role(rawValue: grant.role) else { return nil }
                return Grant(role: role, unit: grant.unit.unitCode, path: grant.unit.unitPath)
            })
        return (actor, user.displayName)
    }
}

/// Finds who is asking: a bearer token for API clients, the session for browsers. The API
/// never accepts the session cookie, which is why it needs no CSRF token.
struct ActorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let bearer = request.headers.bearerAuthorization {
            guard let userID = try await TokenStore.userID(for: bearer.token, on: request.db),
                let loaded = try await ActorLoader.load(userID: userID, on: request.db)
            else { throw YunweiError.unauthorized }
            request.actor = loaded.actor
            request.displayName = loaded.displayName
            request.storage[BearerAuthenticated.self] = true
        } else if !request.url.path.hasPrefix("/api/"), request.hasSession,
            let userID = SignedIn.userID(in: request.session)
        {
            if let loaded = try await ActorLoader.load(userID: userID, on: request.db) {
                request.actor = loaded.actor
                request.displayName = loaded.displayName
            } else {
                request.session.destroy()
            }
        }
        return try await next.respond(to: request)
    }
}

struct BearerAuthenticated: StorageKey { typealias Value = Bool }

/// Pages behind the login: an anonymous browser is sent to `/login` and comes back after.
struct LoginRequired: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.actor == nil else { return try await next.respond(to: request) }
        if request.wantsJSON { throw YunweiError.unauthorized }
        var components = URLComponents()
        components.path = "/login"
        components.queryItems = [URLQueryItem(name: "next", value: request.url.string)]
        return request.redirect(to: components.string ?? "/login")
    }
}

/// What the session remembers about the person signed in.
enum SignedIn {
    static let userKey = "user"
    static let sinceKey = "since"
    /// A session older than this must sign in again.
    static let lifetime: TimeInterval = 12 * 3600

    static func userID(in session: Session) -> Int? {
        guard let id = session.data[userKey].flatMap(Int.init),
            let since = session.data[sinceKey].flatMap(Double.init),
            Date().timeIntervalSince1970 - since < lifetime
        else { return nil }
        return id
    }

    static func start(_ session: Session, userID: Int) {
        session.data[userKey] = String(userID)
        session.data[sinceKey] = String(Date().timeIntervalSince1970)
    }
}
