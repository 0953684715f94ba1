import Fluent
import SQLKit
import Vapor

/// A double-clicked submit or a retried API call posts once. A POST may carry a key — the
/// `Idempotency-Key` header (API) or the form field `idempotency_key` (the pages' forms carry a
/// fresh UUID). The first request with a key runs and its answer is stored; a repeat with the
/// same key and the same body gets that answer again, marked `Idempotent-Replayed: true`, and
/// changes nothing. The same key with another body is refused (422); a repeat while the first
/// is still running gets 409 with `Retry-After`. A key belongs to its sender (the signed-in
/// user, else the session or address) and to one method and path, and lives 24 hours.
///
/// The answer is stored after the handler's own transaction has committed. That transaction
/// marks the key "applied" (`markApplied`, called with every audit record), so if the process
/// dies between the two a retry is told the change was made and its answer lost (409), never run
/// again; a key left "running" (the process died before its change committed) is run again after
/// `abandonedAfter`. Answers with 5xx (and errors that become one) are not stored, so a retry
/// runs again.
struct Idempotency: AsyncMiddleware {
    static let header: HTTPHeaders.Name = "Idempotency-Key"
    static let field = "idempotency_key"
    static let replayedHeader: HTTPHeaders.Name = "Idempotent-Replayed"
    static let lifetime: TimeInterval = 24 * 3600
    /// A key still "running" after this long belongs to a request that died: it is run again.
    static let abandonedAfter: TimeInterval = 120
    /// How long a browser's repeat waits for the first request before it is told to wait (409).
    static let formPatience: TimeInterval = 5
    /// Larger answers are remembered by status and Location only.
    static let maxStoredBody = 256 * 1024
    /// Routes that hand out or take away credentials: a replay cannot give back a session or
    /// a token, and a token must not be stored.
    static let exemptPaths: Set<String> = ["/login", "/logout", "/api/v1/tokens"]
    /// The key row the current request holds while its handler runs (nil outside one).
    @TaskLocal static var heldKey: Int?

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method == .POST, !Self.exemptPaths.contains(request.url.path),
            let key = try await Self.key(of: request)
        else { return try await next.respond(to: request) }
        guard Self.isValid(key) else { throw YunweiError.invalid("idempotency.error.key_invalid") }
        if request.body.data == nil {
            _ = try await request.body.collect(max: CSRF.maxBody).get()
        }
        let attempt = IdempotencyRecord(
            key: key, scope: Self.scope(of: request), method: request.method.rawValue, path: request.url.path,
            fingerprint: Self.fingerprint(of: request), createdAt: Date())
        switch try await Self.begin(attempt, on: request.db) {
        case .first(let record):
            return try await Self.run(record, request, next)
        case .finished(let record):
            return Self.replay(record)
        case .differentRequest:
            // In a browser the key came with the page: the form was sent, changed and sent again.
            let message = request.wantsJSON ? "idempotency.error.key_reused" : "idempotency.error.form_reused"
            throw YunweiError(.unprocessableEntity, code: "idempotency_key_reused", key: message)
        case .answerLost:
            throw YunweiError(.conflict, code: "idempotency_answer_lost", key: "idempotency.error.answer_lost")
        case .stillRunning:
            // A double click: the browser shows only the second answer, so it waits for the first.
            if !request.wantsJSON, let record = try await Self.awaitFinished(attempt, on: request.db) {
                return Self.replay(record)
            }
            let response = try await ErrorPages().respond(
                to: request,
                chainingTo: Refusal(
                    error: YunweiError(.conflict, code: "idempotency_key_running", key: "idempotency.error.running")))
            response.headers.replaceOrAdd(name: .retryAfter, value: "1")
            return response
        }
    }

    /// The key the request carries: the header, else the form field; nil when there is none.
    static func key(of request: Request) async throws -> String? {
        if let key = request.headers.first(name: header) { return key }
        guard let type = request.headers.contentType, type == .urlEncodedForm || type == .formData else { return nil }
        if request.body.data == nil {
            _ = try await request.body.collect(max: CSRF.maxBody).get()
        }
        return try? request.content.get(String.self, at: field)
    }

    /// 1–255 printable ASCII characters.
    static func isValid(_ key: String) -> Bool {
        (1...255).contains(key.utf8.count) && key.utf8.allSatisfy { (0x20...0x7E).contains($0) }
    }

    /// Whose key it is. Session ids are hashed: the table must not hold a way into a session.
    static func scope(of request: Request) -> String {
        if let actor = request.actor { return "user:\(actor.userID)" }
        let cookie = request.application.sessions.configuration.cookieName
        if let session = request.cookies[cookie]?.string {
            return "session:" + hex(SHA256.hash(data: Data(session.utf8)))
        }
        return "address:" + (request.remoteAddress?.ipAddress ?? "unknown")
    }

    /// SHA-256 of the body. A browser sends a multipart form with a new boundary each time, so
    /// the boundary is left out, and a client may order a urlencoded form's fields differently
    /// each time, so they are sorted: the same form sent twice has the same fingerprint.
    static func fingerprint(of request: Request) -> String {
        var body = request.body.data.map { Data($0.readableBytesView) } ?? Data()
        if request.headers.contentType?.type == "multipart",
            let boundary = request.headers.contentType?.parameters["boundary"], !boundary.isEmpty
        {
            body = removing(Data(boundary.utf8), from: body)
        } else if request.headers.contentType == .urlEncodedForm {
            body = Data(
                body.split(separator: UInt8(ascii: "&")).map { Data($0) }.sorted { $0.lexicographicallyPrecedes($1) }
                    .joined(separator: [UInt8(ascii: "&")]))
        }
        return hex(SHA256.hash(data: body))
    }

    enum Start {
        /// This request is the first with the key: run it.
        case first(IdempotencyRecord)
        /// The first request has answered: replay its answer.
        case finished(IdempotencyRecord)
        case differentRequest
        case stillRunning
        /// The first request's change committed, but its process died before storing the answer.
        case answerLost
    }

    /// Takes the key under the table's unique constraint, or finds who holds it. Expired and
    /// abandoned rows are removed and the key taken afresh.
    static func begin(_ attempt: IdempotencyRecord, on db: any Database) async throws -> Start {
        try await purgeIfDue(on: db)
        for _ in 0..<3 {
            let record = IdempotencyRecord(
                key: attempt.key, scope: attempt.scope, method: attempt.method, path: attempt.path,
                fingerprint: attempt.fingerprint, createdAt: Date())
            do {
                try await record.create(on: db)
                return .first(record)
            } catch let error as any DatabaseError where error.isConstraintFailure {}
            guard
                let held = try await IdempotencyRecord.query(on: db)
                    .filter(\.$scope == attempt.scope).filter(\.$method == attempt.method)
                    .filter(\.$path == attempt.path).filter(\.$key == attempt.key).first(),
                let heldID = held.id
            else { continue }
            let age = Date().timeIntervalSince(held.createdAt)
            if age > lifetime || (held.state == IdempotencyRecord.running && age > abandonedAfter) {
                try await IdempotencyRecord.query(on: db).filter(\.$id == heldID)
                    .filter(\.$createdMillis == held.createdMillis).delete()
                continue
            }
            guard held.fingerprint == attempt.fingerprint else { return .differentRequest }
            if held.state == IdempotencyRecord.done { return .finished(held) }
            // A young "applied" key may still be storing its answer: the repeat waits as for "running".
            return held.state == IdempotencyRecord.applied && age > abandonedAfter ? .answerLost : .stillRunning
        }
        return .stillRunning
    }

    /// The held key's answer once its first request has finished, polled for up to
    /// `formPatience`; nil if it has not finished by then (or gave its key back).
    static func awaitFinished(_ attempt: IdempotencyRecord, on db: any Database) async throws -> IdempotencyRecord? {
        let deadline = Date().addingTimeInterval(formPatience)
        while Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            guard
                let held = try await IdempotencyRecord.query(on: db)
                    .filter(\.$scope == attempt.scope).filter(\.$method == attempt.method)
                    .filter(\.$path == attempt.path).filter(\.$key == attempt.key).first()
            else { return nil }
            if held.state == IdempotencyRecord.done { return held }
        }
        return nil
    }

    /// Runs the handler; keeps its answer unless it is a 5xx, whose key is given back.
    static func run(_ record: IdempotencyRecord, _ request: Request, _ next: any AsyncResponder) async throws
        -> Response
    {
        // Errors become their answer here, so a refused request (4xx) is replayed as refused.
        let response = try await $heldKey.withValue(record.id) {
            try await ErrorPages().respond(to: request, chainingTo: next)
        }
        do {
            if response.status.code >= 500 {
                try await record.delete(on: request.db)
                return response
            }
            record.state = IdempotencyRecord.done
            record.status = Int(response.status.code)
            record.contentType = response.headers.first(name: .contentType)
            record.location = response.headers.first(name: .location)
            if let body = response.body.buffer, body.readableBytes <= maxStoredBody {
                record.body = Data(body.readableBytesView)
            }
            try await record.update(on: request.db)
        } catch {
            // The handler has done its work; its answer goes out. The key stays "running" and
            // is run again only once abandoned.
            request.logger.report(error: error)
        }
        return response
    }

    /// Marks the key the current request holds as applied, in the transaction of the change
    /// being made (`AuditTrail.record` calls it with every audit record): once that commits, the
    /// request is never run again with this key, even if its answer is never stored.
    static func markApplied(on database: any Database) async throws {
        guard let id = heldKey else { return }
        try await database.sql.raw(
            """
            UPDATE idempotency_keys SET state = \(bind: IdempotencyRecord.applied)
            WHERE id = \(bind: id) AND state = \(bind: IdempotencyRecord.running)
            """
        ).run()
    }

    static func replay(_ record: IdempotencyRecord) -> Response {
        let response = Response(status: HTTPResponseStatus(statusCode: record.status ?? 200))
        if let contentType = record.contentType {
            response.headers.replaceOrAdd(name: .contentType, value: contentType)
        }
        if let location = record.location { response.headers.replaceOrAdd(name: .location, value: location) }
        response.headers.replaceOrAdd(name: replayedHeader, value: "true")
        if let body = record.body { response.body = .init(data: body) }
        return response
    }

    /// Removes expired keys, at most once a minute per process.
    static func purgeIfDue(on db: any Database) async throws {
        guard PurgeClock.shared.due(every: 60) else { return }
        let cutoff = Int64((Date().addingTimeInterval(-lifetime).timeIntervalSince1970 * 1000).rounded())
        try await IdempotencyRecord.query(on: db).filter(\.$createdMillis < cutoff).delete()
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    private static func removing(_ needle: Data, from data: Data) -> Data {
        var result = Data()
        var start = data.startIndex
        while let found = data.range(of: needle, in: start..<data.endIndex) {
            result.append(data[start..<found.lowerBound])
            start = found.upperBound
        }
        result.append(data[start..<data.endIndex])
        return result
    }
}

/// A responder that only refuses, so `ErrorPages` renders an error this middleware answers with.
private struct Refusal: AsyncResponder {
    let error: any Error
    func respond(to request: Request) async throws -> Response { throw error }
}

/// When expired keys were last removed.
private final class PurgeClock: @unchecked Sendable {
    static let shared = PurgeClock()
    private let lock = NSLock()
    private var last = Date.distantPast

    /// True, and the clock reset, when `seconds` have passed since the last purge.
    func due(every seconds: TimeInterval) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard Date().timeIntervalSince(last) >= seconds else { return false }
        last = Date()
        return true
    }
}
