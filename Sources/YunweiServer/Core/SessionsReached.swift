import Vapor

/// Marks a request that has passed the sessions middleware. An error thrown before it — the
/// static files refuse `/..%2f..` with 403 — is shown as a page too, and touching
/// `request.session` there stops the whole process (found by `scripts/fuzz`): such a page has
/// no session and no CSRF token (`CSRF.token(for:)`).
struct SessionsReached: AsyncMiddleware, StorageKey {
    typealias Value = Bool

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        request.storage[SessionsReached.self] = true
        return try await next.respond(to: request)
    }
}
