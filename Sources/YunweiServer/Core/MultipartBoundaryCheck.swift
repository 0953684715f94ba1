import Vapor

/// Refuses a multipart body without a boundary, or with an empty one, with 400 before anything
/// reads it. MultipartKit stops the whole process on an empty boundary (a precondition), and the
/// CSRF check, the idempotency key and the route all decode form bodies (found by `scripts/fuzz`:
/// `Content-Type: multipart/form-data; boundary=`). Open311 answers in its own error format.
struct MultipartBoundaryCheck: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let type = request.headers.contentType, type.type.lowercased() == "multipart",
            (type.parameters["boundary"] ?? "").isEmpty
        else { return try await next.respond(to: request) }
        if request.url.path.hasPrefix("/open311/v2/") {
            let failure = Open311Failure(.badRequest, key: "error.bad_request")
            return Open311Errors.document(failure, request).response(
                Open311Format.of(path: request.url.path), status: failure.status)
        }
        throw YunweiError(.badRequest, code: "bad_request", key: "error.bad_request")
    }
}
