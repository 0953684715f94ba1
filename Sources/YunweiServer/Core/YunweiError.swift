import Vapor
import YunweiDomain

/// An error a user can cause, with its message as a catalog key so it is shown in their
/// language, and the HTTP status it deserves.
public struct YunweiError: AbortError, Sendable {
    public let status: HTTPResponseStatus
    /// A short machine-readable code for API clients, e.g. `not_found`.
    public let code: String
    public let key: String
    public let args: [String: String]

    public init(_ status: HTTPResponseStatus, code: String, key: String, args: [String: String] = [:]) {
        self.status = status
        self.code = code
        self.key = key
        self.args = args
    }

    public var reason: String { key }

    public static let notFound = YunweiError(.notFound, code: "not_found", key: "error.not_found")
    public static let forbidden = YunweiError(.forbidden, code: "forbidden", key: "error.forbidden")
    public static let unauthorized = YunweiError(.unauthorized, code: "unauthorized", key: "error.unauthorized")
    public static let badCSRF = YunweiError(.forbidden, code: "csrf", key: "error.csrf")

    public static func invalid(_ key: String, _ args: [String: String] = [:]) -> YunweiError {
        YunweiError(.unprocessableEntity, code: "invalid", key: key, args: args)
    }

    /// A role granted at the wrong kind of unit. The names are translated where shown.
    static func roleHeldElsewhere(_ role: Role) -> YunweiError {
        .invalid(
            "user.error.role_unit_kind", ["role": "role." + role.rawValue, "kind": "unit_kind." + role.heldAt.rawValue])
    }

    public static func conflict(_ key: String, _ args: [String: String] = [:]) -> YunweiError {
        YunweiError(.conflict, code: "conflict", key: key, args: args)
    }
}
