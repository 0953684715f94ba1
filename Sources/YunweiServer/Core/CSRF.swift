import Vapor

/// Cross-site request forgery protection for the browser: every session carries a random
/// token, every form posts it back as `_csrf`, and a state-changing request from a browser
/// without the right token is refused with 403 before it reaches a handler. API calls with a
/// bearer token carry no cookies a forger could ride on, so they are exempt.
struct CSRF: AsyncMiddleware {
    static let field = "_csrf"
    static let sessionKey = "csrf"
    /// The largest form body read here: six photos of 5 MB and the fields around them. Routes
    /// still apply their own, usually smaller, limits.
    static let maxBody = 32 * 1024 * 1024

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let changesState = ![.GET, .HEAD, .OPTIONS].contains(request.method)
        if changesState, request.storage[BearerAuthenticated.self] != true, !Self.exempt(request) {
            // The token is in the body: collect it first (a streamed upload is not yet read here).
            if request.body.data == nil {
                _ = try await request.body.collect(max: CSRF.maxBody).get()
            }
            let sent =
                (try? request.content.get(String.self, at: Self.field)) ?? request.headers.first(name: "X-CSRF-Token")
            guard let expected = request.hasSession ? request.session.data[Self.sessionKey] : nil,
                let sent, Self.constantTimeEqual(sent, expected)
            else { throw YunweiError.badCSRF }
        }
        return try await next.respond(to: request)
    }

    /// Requests that authenticate by other means: token creation (username + password in a JSON
    /// body, no cookie) and the Open311 API (api_key). The Open311 admin pages (`/open311/clients`)
    /// are browser forms like any other and keep the check.
    static func exempt(_ request: Request) -> Bool {
        let path = request.url.path
        return path.hasPrefix("/api/") || path.hasPrefix("/open311/v2/")
    }

    /// The session's token, created on first use; empty on a page answered before the sessions
    /// middleware ran (`SessionsReached`).
    static func token(for request: Request) -> String {
        guard request.storage[SessionsReached.self] == true else { return "" }
        if let token = request.session.data[sessionKey] { return token }
        let token = [UInt8].random(count: 24).base64URLEncoded
        request.session.data[sessionKey] = token
        return token
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
