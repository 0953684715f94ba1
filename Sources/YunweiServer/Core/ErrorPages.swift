import Leaf
import Vapor

/// Turns every error into a response with its real status: a JSON `{"error": {"code",
/// "message"}}` body for API clients, an HTML page in the user's language for browsers.
/// Anything that is not a known user error is logged and shown as a 500 without details.
/// Input refused field by field (`CaseDesk.InputError`) is a 422 listing every problem: as
/// `details` `[{"field", "message"}]` in JSON, as a list on the page.
struct ErrorPages: AsyncMiddleware {
    struct JSONBody: Content {
        struct Detail: Content {
            let code: String
            let message: String
            var details: [FieldMessage]?
        }
        let error: Detail
    }

    struct FieldMessage: Content {
        let field: String
        let message: String
    }

    struct PageContext: Encodable {
        let page: Page
        let status: UInt
        let message: String
        let details: [String]
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return await response(for: error, to: request)
        }
    }

    private func response(for error: any Error, to request: Request) async -> Response {
        let status: HTTPResponseStatus
        let code: String
        let message: String
        var headers = HTTPHeaders()
        var details: [FieldMessage]?
        switch error {
        case let error as CaseDesk.InputError:
            (status, code, message) = (.unprocessableEntity, "invalid", request.t("error.invalid"))
            details = error.issues.map { FieldMessage(field: $0.field, message: request.t($0.key, $0.args)) }
        case let error as YunweiError:
            (status, code, message) = (error.status, error.code, request.t(error.key, error.args))
        case let error as any AbortError:
            status = error.status
            code = error.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
            message = Self.message(for: status, request)
            headers = error.headers
        case is DecodingError:
            (status, code, message) = (.badRequest, "bad_request", request.t("error.bad_request"))
        default:
            request.logger.report(error: error)
            (status, code, message) = (.internalServerError, "internal", request.t("error.internal"))
        }
        if status == .internalServerError, error is any AbortError {
            request.logger.report(error: error)
        }
        if request.wantsJSON {
            let response = Response(status: status, headers: headers)
            try? response.content.encode(JSONBody(error: .init(code: code, message: message, details: details)))
            return response
        }
        do {
            let page = await Page.make(for: request, title: "error.title.\(status.code)")
            let context = PageContext(
                page: page, status: status.code, message: message, details: details?.map(\.message) ?? [])
            let view = try await request.view.render("error", context)
            let response = try await view.encodeResponse(status: status, for: request)
            headers.forEach { response.headers.replaceOrAdd(name: $0.name, value: $0.value) }
            return response
        } catch {
            request.logger.report(error: error)
            return Response(status: status, body: .init(string: message))
        }
    }

    private static func message(for status: HTTPResponseStatus, _ request: Request) -> String {
        switch status.code {
        case 400: request.t("error.bad_request")
        case 401: request.t("error.unauthorized")
        case 403: request.t("error.forbidden")
        case 404: request.t("error.not_found")
        case 405: request.t("error.method_not_allowed")
        case 413: request.t("error.too_large")
        case 415: request.t("error.unsupported_media")
        case 422: request.t("error.invalid")
        case 429: request.t("error.too_many")
        default: status.code >= 500 ? request.t("error.internal") : request.t("error.bad_request")
        }
    }
}

extension Request {
    /// API routes answer in JSON; so does any client that asks for JSON and not HTML.
    var wantsJSON: Bool {
        if url.path.hasPrefix("/api/") { return true }
        let accept = headers[.accept].joined(separator: ",")
        return accept.contains("application/json") && !accept.contains("text/html")
    }
}
