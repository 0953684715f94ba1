import Foundation
import Testing
import Vapor
import VaporTesting

@testable import YunweiServer

/// A person at a browser: keeps cookies between requests and posts forms with the page's
/// CSRF token, as the real pages do.
final class Browser: @unchecked Sendable {
    let app: Application
    var cookies: [String: String] = [:]
    var csrf: String?
    var language: String?

    init(_ app: Application, language: String? = nil) {
        self.app = app
        self.language = language
    }

    @discardableResult
    func get(_ path: String) async throws -> TestingHTTPResponse {
        try await send(.GET, path, form: nil)
    }

    @discardableResult
    func post(_ path: String, _ form: [String: String], withToken: Bool = true) async throws -> TestingHTTPResponse {
        var form = form
        if withToken, let csrf { form["_csrf"] = csrf }
        return try await send(.POST, path, form: form)
    }

    /// Opens the login page (for its token) and signs in.
    @discardableResult
    func login(_ username: String, _ password: String = Fixture.password) async throws -> TestingHTTPResponse {
        try await get("/login")
        return try await post("/login", ["username": username, "password": password])
    }

    /// This browser, signed in as `username`.
    func signedIn(_ username: String) async throws -> Browser {
        try await login(username)
        return self
    }

    private func send(_ method: HTTPMethod, _ path: String, form: [String: String]?) async throws -> TestingHTTPResponse
    {
        let response = try await app.testing().sendRequest(method, path) { request in
            if !cookies.isEmpty {
                request.headers.replaceOrAdd(
                    name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
            }
            if let language { request.headers.replaceOrAdd(name: .acceptLanguage, value: language) }
            request.headers.replaceOrAdd(name: .accept, value: "text/html")
            if let form { try request.content.encode(form, as: .urlEncodedForm) }
        }
        for cookie in response.headers[.setCookie] {
            let pair = cookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let expired = cookie.contains("Max-Age=0") || cookie.contains("1970")
            cookies[String(pair[0])] = expired ? nil : String(pair[1])
        }
        if let token = Self.csrfToken(in: response.body.string) { csrf = token }
        return response
    }

    static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: "name=\"_csrf\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}

extension TestingHTTPResponse {
    var location: String? { headers.first(name: .location) }
}
