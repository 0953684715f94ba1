import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YunweiDomain

@testable import YunweiServer

/// A double-clicked submit or a retried API call posts once: the same key and body replay the
/// first answer, another body is refused, and each sender's keys are their own.
@Suite("Idempotent writes")
struct IdempotencyTests {
    /// An API client that signs in once and sends `Idempotency-Key` when given one.
    struct KeyedClient {
        let app: Application
        let token: String

        init(_ app: Application, as username: String) async throws {
            self.app = app
            token = try await APIClient(app: app).token(username)
        }

        func post(_ path: String, _ body: [String: Any], key: String?) async throws -> TestingHTTPResponse {
            let data = try JSONSerialization.data(withJSONObject: body, options: .sortedKeys)
            return try await app.testing().sendRequest(.POST, path) { request in
                request.headers.bearerAuthorization = .init(token: token)
                request.headers.contentType = .json
                if let key { request.headers.replaceOrAdd(name: "Idempotency-Key", value: key) }
                request.body = ByteBuffer(data: data)
            }
        }
    }

    static func claims(_ app: Application) async throws -> Int {
        try await ClaimRecord.query(on: app.db).count()
    }

    static func text(_ app: Application, _ key: String, _ language: Language = .zhHans) -> String {
        app.catalog.text(key, in: language)
    }

    @Test("the same claim sent twice with one key is created once; the second answer is the first, replayed")
    func replayedClaim() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let clerk = try await KeyedClient(app, as: "village_clerk")
            let body = ClaimAPITests.body(amount: 52_000)
            let first = try await clerk.post("/api/v1/claims", body, key: "claim-7f3a")
            let second = try await clerk.post("/api/v1/claims", body, key: "claim-7f3a")
            #expect(first.status == .created, "\(first.body.string)")
            #expect(second.status == .created)
            #expect(first.json["id"] as? Int != nil)
            #expect(second.json["id"] as? Int == first.json["id"] as? Int)
            #expect(second.body.string == first.body.string)
            #expect(second.headers.first(name: .contentType) == first.headers.first(name: .contentType))
            #expect(first.headers.first(name: "Idempotent-Replayed") == nil)
            #expect(second.headers.first(name: "Idempotent-Replayed") == "true")
            #expect(try await Self.claims(app) == 1)
            #expect(try await AuditRecord.query(on: app.db).filter(\.$entityType == "claim").count() == 1)
        }
    }

    @Test("two sends at once with one key create one claim; the other replays it or is told to wait")
    func concurrentSends() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let clerk = try await KeyedClient(app, as: "village_clerk")
            let responses = try await withThrowingTaskGroup(of: TestingHTTPResponse.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        try await clerk.post("/api/v1/claims", ClaimAPITests.body(amount: 52_000), key: "twice-at-once")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(try await Self.claims(app) == 1)
            let created = responses.filter { $0.status == .created }
            #expect(!created.isEmpty)
            for response in responses {
                switch response.status {
                case .created:
                    #expect(response.json["id"] as? Int == created[0].json["id"] as? Int)
                case .conflict:
                    #expect(response.headers.first(name: .retryAfter) != nil)
                    #expect((response.json["error"] as? [String: Any])?["code"] as? String == "idempotency_key_running")
                default:
                    Issue.record("unexpected \(response.status): \(response.body.string)")
                }
            }
        }
    }

    @Test("the same key with another body is refused in the user's language; so is a malformed key")
    func reusedAndMalformedKeys() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let clerk = try await KeyedClient(app, as: "village_clerk")
            #expect(
                try await clerk.post("/api/v1/claims", ClaimAPITests.body(amount: 52_000), key: "k1").status == .created
            )
            let reused = try await clerk.post("/api/v1/claims", ClaimAPITests.body(amount: 53_000), key: "k1")
            #expect(reused.status == .unprocessableEntity)
            let error = reused.json["error"] as? [String: Any]
            #expect(error?["code"] as? String == "idempotency_key_reused")
            #expect(error?["message"] as? String == Self.text(app, "idempotency.error.key_reused"))
            #expect(reused.headers.first(name: "Idempotent-Replayed") == nil)

            for bad in ["", String(repeating: "k", count: 256), "键-1"] {
                let refused = try await clerk.post("/api/v1/claims", ClaimAPITests.body(amount: 1_000), key: bad)
                #expect(refused.status == .unprocessableEntity, "\(bad)")
                #expect(
                    (refused.json["error"] as? [String: Any])?["message"] as? String
                        == Self.text(app, "idempotency.error.key_invalid"))
            }
            #expect(
                try await clerk.post(
                    "/api/v1/claims", ClaimAPITests.body(amount: 1_000), key: String(repeating: "k", count: 255)
                ).status == .created)
            #expect(try await Self.claims(app) == 2)
        }
    }

    @Test("without a key every send creates a claim, as before")
    func withoutKey() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let clerk = try await KeyedClient(app, as: "village_clerk")
            let body = ClaimAPITests.body(amount: 52_000)
            let first = try await clerk.post("/api/v1/claims", body, key: nil)
            let second = try await clerk.post("/api/v1/claims", body, key: nil)
            #expect(first.status == .created && second.status == .created)
            #expect(first.json["id"] as? Int != second.json["id"] as? Int)
            #expect(second.headers.first(name: "Idempotent-Replayed") == nil)
            #expect(try await Self.claims(app) == 2)
            #expect(try await IdempotencyRecord.query(on: app.db).count() == 0)
        }
    }

    @Test("a key belongs to its sender: another clerk's same key posts her own claim")
    func scopedPerUser() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let body = ClaimAPITests.body(amount: 52_000)
            let mine = try await KeyedClient(app, as: "village_clerk").post("/api/v1/claims", body, key: "shared")
            let hers = try await KeyedClient(app, as: "village_clerk2").post("/api/v1/claims", body, key: "shared")
            #expect(mine.status == .created && hers.status == .created, "\(hers.body.string)")
            #expect(hers.headers.first(name: "Idempotent-Replayed") == nil)
            #expect(mine.json["id"] as? Int != hers.json["id"] as? Int)
            #expect(hers.json["village"] as? String == Fixture.villageB1)
            #expect(try await Self.claims(app) == 2)
        }
    }

    @Test("a refused claim (422) is answered the same way again, replayed, and nothing is stored")
    func refusalReplayed() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let clerk = try await KeyedClient(app, as: "village_clerk")
            var body = ClaimAPITests.body(amount: 52_000)
            body["purpose"] = nil
            let first = try await clerk.post("/api/v1/claims", body, key: "incomplete")
            let second = try await clerk.post("/api/v1/claims", body, key: "incomplete")
            #expect(first.status == .unprocessableEntity)
            #expect(first.detailFields.contains("purpose"))
            #expect(second.status == .unprocessableEntity)
            #expect(second.body.string == first.body.string)
            #expect(second.headers.first(name: "Idempotent-Replayed") == "true")
            #expect(try await Self.claims(app) == 0)
        }
    }

    @Test("a double-clicked approve button approves once and both clicks land on the allocation")
    func doubleClickedForm() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let (admin, id) = try await AllocationPagesTests.created(app)
            try await admin.get("/allocations/\(id)")
            let click = ["idempotency_key": UUID().uuidString]
            let first = try await admin.post("/allocations/\(id)/approve", click)
            let second = try await admin.post("/allocations/\(id)/approve", click)
            #expect(first.status == .seeOther && first.location == "/allocations/\(id)")
            #expect(second.status == .seeOther && second.location == "/allocations/\(id)")
            #expect(second.headers.first(name: "Idempotent-Replayed") == "true")
            #expect(
                try await AuditRecord.query(on: app.db).filter(\.$action == "allocation_approve").count() == 1)
            // A fresh click (a new key) is a new request: the allocation is no longer a draft.
            let again = try await admin.post("/allocations/\(id)/approve", ["idempotency_key": UUID().uuidString])
            #expect(again.status == .conflict)
            // The same page's key sent with other content is refused, in words for a form.
            let changed = try await admin.post("/allocations/\(id)/publish", click)
            #expect(changed.status == .seeOther)
            let resent = try await admin.post("/allocations/\(id)/publish", click.merging(["note": "x"]) { $1 })
            #expect(resent.status == .unprocessableEntity)
            #expect(resent.body.string.contains(Self.text(app, "idempotency.error.form_reused")))
        }
    }

    @Test("a key left running by a request that died is run again after two minutes; a recent one waits")
    func abandonedKey() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let clerk = try await KeyedClient(app, as: "village_clerk")
            let body = ClaimAPITests.body(amount: 52_000)
            let data = try JSONSerialization.data(withJSONObject: body, options: .sortedKeys)
            let fingerprint = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            let userID = try #require(
                try await User.query(on: app.db).filter(\.$username == "village_clerk").first()?.id)
            for (key, age) in [("recent", 10.0), ("abandoned", 180.0)] {
                try await IdempotencyRecord(
                    key: key, scope: "user:\(userID)", method: "POST", path: "/api/v1/claims", fingerprint: fingerprint,
                    createdAt: Date().addingTimeInterval(-age)
                ).create(on: app.db)
            }
            let waiting = try await clerk.post("/api/v1/claims", body, key: "recent")
            #expect(waiting.status == .conflict)
            #expect(waiting.headers.first(name: .retryAfter) == "1")
            #expect(try await Self.claims(app) == 0)
            let rerun = try await clerk.post("/api/v1/claims", body, key: "abandoned")
            #expect(rerun.status == .created)
            #expect(rerun.headers.first(name: "Idempotent-Replayed") == nil)
            #expect(try await Self.claims(app) == 1)
        }
    }

    @Test("a browser's repeat while the first click still runs waits for it and lands where it landed")
    func doubleClickWaits() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let admin = try await Browser(app).signedIn("county_admin")
            try await admin.get("/")
            let csrf = try #require(admin.csrf)
            let key = UUID().uuidString
            let userID = try #require(
                try await User.query(on: app.db).filter(\.$username == "county_admin").first()?.id)
            let body = Data("_csrf=\(csrf)&idempotency_key=\(key)".utf8)
            let running = IdempotencyRecord(
                key: key, scope: "user:\(userID)", method: "POST", path: "/allocations/77/approve",
                fingerprint: SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined(), createdAt: Date())
            try await running.create(on: app.db)
            let first = Task {
                try await Task.sleep(for: .milliseconds(400))
                running.state = IdempotencyRecord.done
                running.status = 303
                running.location = "/allocations/77"
                try await running.update(on: app.db)
            }
            let second = try await admin.post("/allocations/77/approve", ["idempotency_key": key])
            try await first.value
            #expect(second.status == .seeOther)
            #expect(second.location == "/allocations/77")
            #expect(second.headers.first(name: "Idempotent-Replayed") == "true")
        }
    }

    static func request(_ app: Application, type: String, body: String) -> Request {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: type)
        return Request(
            application: app, method: .POST, url: "/cases", headers: headers,
            collectedBody: ByteBuffer(string: body), on: app.eventLoopGroup.any())
    }

    static func multipart(boundary: String, description: String) -> String {
        [
            "--\(boundary)", "Content-Disposition: form-data; name=\"idempotency_key\"", "", "k-42",
            "--\(boundary)", "Content-Disposition: form-data; name=\"description\"", "", description,
            "--\(boundary)--", "",
        ].joined(separator: "\r\n")
    }

    @Test("a form sent twice has one fingerprint, whatever its multipart boundary or field order")
    func formFingerprints() async throws {
        try await withApp { app in
            let first = Self.request(
                app, type: "multipart/form-data; boundary=AaB03x",
                body: Self.multipart(boundary: "AaB03x", description: "路灯不亮"))
            let again = Self.request(
                app, type: "multipart/form-data; boundary=zz91",
                body: Self.multipart(boundary: "zz91", description: "路灯不亮"))
            let other = Self.request(
                app, type: "multipart/form-data; boundary=zz91",
                body: Self.multipart(boundary: "zz91", description: "路灯亮了"))
            let multipartKey = try await Idempotency.key(of: first)
            #expect(multipartKey == "k-42")
            #expect(Idempotency.fingerprint(of: first) == Idempotency.fingerprint(of: again))
            #expect(Idempotency.fingerprint(of: first) != Idempotency.fingerprint(of: other))

            let form = "application/x-www-form-urlencoded"
            let ordered = Self.request(app, type: form, body: "a=1&idempotency_key=k-7&b=2")
            let shuffled = Self.request(app, type: form, body: "b=2&a=1&idempotency_key=k-7")
            let formKey = try await Idempotency.key(of: shuffled)
            #expect(formKey == "k-7")
            #expect(Idempotency.fingerprint(of: ordered) == Idempotency.fingerprint(of: shuffled))
            #expect(
                Idempotency.fingerprint(of: ordered)
                    != Idempotency.fingerprint(of: Self.request(app, type: form, body: "a=1&idempotency_key=k-7&b=3")))
        }
    }
}
