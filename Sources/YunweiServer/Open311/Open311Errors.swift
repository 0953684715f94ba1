import Vapor
import YunweiDomain

/// A request GeoReport v2 refuses, with the status the specification asks for — 404 for what
/// does not exist, 403 for a missing or wrong api_key, 400 for anything else — and each problem
/// as a catalog key, shown in the request's language.
struct Open311Failure: Error, Sendable {
    struct Problem: Sendable {
        /// The request parameter it concerns, e.g. `attribute[village]`; nil for the request as a whole.
        var parameter: String?
        var key: String
        var args: [String: String] = [:]
    }

    let status: HTTPResponseStatus
    let problems: [Problem]

    init(_ status: HTTPResponseStatus, _ problems: [Problem]) {
        self.status = status
        self.problems = problems
    }

    init(_ status: HTTPResponseStatus, parameter: String? = nil, key: String, args: [String: String] = [:]) {
        self.init(status, [Problem(parameter: parameter, key: key, args: args)])
    }

    static let notFound = Open311Failure(.notFound, key: "open311.error.not_found")
}

/// Answers every error under `/open311/v2` as the specification's `errors` document, in the
/// format of the URL's extension and with the real HTTP status, so an Open311 client never
/// receives an HTML page. Report problems from `CaseDesk` become one error each, named by the
/// Open311 parameter they concern.
struct Open311Errors: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let failure = Self.failure(for: error, request)
            return Self.document(failure, request).response(
                Open311Format.of(path: request.url.path), status: failure.status)
        }
    }

    static func document(_ failure: Open311Failure, _ request: Request) -> Open311Document {
        let errors = failure.problems.map { problem -> Open311Value in
            let message = request.t(problem.key, problem.args)
            return .record([
                ("code", .number(String(failure.status.code))),
                ("description", .text(problem.parameter.map { "\($0): \(message)" } ?? message)),
            ])
        }
        return Open311Document(root: "errors", value: .list(item: "error", errors))
    }

    private static func failure(for error: any Error, _ request: Request) -> Open311Failure {
        switch error {
        case let failure as Open311Failure:
            return failure
        case let input as CaseDesk.InputError:
            return Open311Failure(
                .badRequest,
                input.issues.map {
                    Open311Failure.Problem(parameter: parameter(for: $0.field), key: $0.key, args: $0.args)
                })
        case let error as YunweiError:
            return Open311Failure(status(for: error.status, request, error), key: error.key, args: error.args)
        case let error as any AbortError:
            let status = status(for: error.status, request, error)
            return Open311Failure(status, key: key(for: error.status))
        case is DecodingError:
            return Open311Failure(.badRequest, key: "error.bad_request")
        default:
            request.logger.report(error: error)
            return Open311Failure(.internalServerError, key: "error.internal")
        }
    }

    /// The specification knows 404, 403 and 400; a failure of ours stays a 500 (and is logged).
    private static func status(for status: HTTPResponseStatus, _ request: Request, _ error: any Error)
        -> HTTPResponseStatus
    {
        switch status.code {
        case 403, 404: return status
        case 500...:
            request.logger.report(error: error)
            return status
        default: return .badRequest
        }
    }

    private static func key(for status: HTTPResponseStatus) -> String {
        switch status.code {
        case 403: "error.forbidden"
        case 404: "open311.error.not_found"
        case 405: "error.method_not_allowed"
        case 413: "error.too_large"
        case 415: "error.unsupported_media"
        case 500...: "error.internal"
        default: "error.bad_request"
        }
    }

    /// `CaseDesk`'s field names as the Open311 parameters a client sent.
    static func parameter(for field: String) -> String {
        if field.hasPrefix("answers.") { return "attribute[\(field.dropFirst("answers.".count))]" }
        switch field {
        case "village": return "attribute[\(Open311Services.villageAttribute)]"
        case "category": return "service_code"
        case "lat": return "lat/long"
        case "address": return "address_string"
        default: return field
        }
    }
}
