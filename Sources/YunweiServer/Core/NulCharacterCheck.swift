import Foundation
import Vapor

/// Refuses with 400 a request whose address, urlencoded form or JSON body carries a NUL
/// character (`%00`, `\u0000`). PostgreSQL cannot store or compare one in text and failed the
/// request with 500 wherever such a value reached a query (found by `scripts/fuzz` on
/// PostgreSQL); no field of ours has a use for it. Open311 answers in its own error format.
/// In a multipart body only the fields are searched, not the files.
struct NulCharacterCheck: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard try await Self.carriesNul(request) else { return try await next.respond(to: request) }
        if request.url.path.hasPrefix("/open311/v2/") {
            let failure = Open311Failure(.badRequest, key: "error.bad_request")
            return Open311Errors.document(failure, request).response(
                Open311Format.of(path: request.url.path), status: failure.status)
        }
        throw YunweiError(.badRequest, code: "bad_request", key: "error.bad_request")
    }

    static func carriesNul(_ request: Request) async throws -> Bool {
        if request.url.string.contains("%00") { return true }
        guard let type = request.headers.contentType else { return false }
        let multipart = type.type.lowercased() == "multipart"
        let marker: String
        if type == .urlEncodedForm {
            marker = "%00"
        } else if type.subType.lowercased().hasSuffix("json") {
            marker = "\\u0000"
        } else if multipart, let boundary = type.parameters["boundary"], !boundary.isEmpty {
            marker = "--" + boundary
        } else {
            return false
        }
        if request.body.data == nil {
            _ = try await request.body.collect(max: CSRF.maxBody).get()
        }
        guard let body = request.body.data else { return false }
        let bytes = Data(body.readableBytesView)
        return multipart
            ? textPartCarriesNul(bytes, boundary: Data(marker.utf8)) : bytes.range(of: Data(marker.utf8)) != nil
    }

    /// Whether a part of a multipart body that is not a file (no `filename=` in its headers)
    /// holds a NUL byte.
    static func textPartCarriesNul(_ body: Data, boundary: Data) -> Bool {
        var rest = body[...]
        while let start = rest.range(of: boundary) {
            rest = rest[start.upperBound...]
            let end = rest.range(of: boundary)?.lowerBound ?? rest.endIndex
            let part = rest[..<end]
            if let split = part.range(of: Data("\r\n\r\n".utf8)) {
                let headers = part[..<split.lowerBound]
                if headers.range(of: Data("filename=".utf8)) == nil, part[split.upperBound...].contains(0) {
                    return true
                }
            }
            rest = rest[end...]
        }
        return false
    }
}
