import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import YunweiDomain

@testable import YunweiServer

/// A process killed between a change's commit and the storing of its answer (found by
/// `scripts/crash-test`: on SQLite about half the keys a killed process held had in fact
/// committed). The change's own transaction marks the key "applied", so a retry is told the answer
/// was lost and is never run again, where before it ran again after two minutes and posted twice.
@Suite("Idempotent writes after a crash")
struct IdempotencyCrashTests {
    struct Failure: Error {}

    static func state(_ app: Application, _ id: Int) async throws -> String? {
        try await IdempotencyRecord.find(id, on: app.db)?.state
    }

    @Test("a change made under a held key marks it applied in its own transaction; a rolled-back one does not")
    func marksApplied() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            var ids: [Int] = []
            for key in ["committed", "rolled-back"] {
                let record = IdempotencyRecord(
                    key: key, scope: "user:1", method: "POST", path: "/api/v1/claims", fingerprint: "f",
                    createdAt: Date())
                try await record.create(on: app.db)
                ids.append(try #require(record.id))
            }
            try await Idempotency.$heldKey.withValue(ids[0]) {
                try await app.db.write { db in
                    try await AuditTrail.record(
                        on: db, by: .system, action: "crash_test", entityType: "test", entityID: "1")
                }
            }
            await #expect(throws: Failure.self) {
                try await Idempotency.$heldKey.withValue(ids[1]) {
                    try await app.db.write { db in
                        try await AuditTrail.record(
                            on: db, by: .system, action: "crash_test", entityType: "test", entityID: "2")
                        throw Failure()
                    }
                }
            }
            #expect(try await Self.state(app, ids[0]) == IdempotencyRecord.applied)
            #expect(try await Self.state(app, ids[1]) == IdempotencyRecord.running)
            // Outside a request nothing is marked.
            try await app.db.write { db in
                try await AuditTrail.record(
                    on: db, by: .system, action: "crash_test", entityType: "test", entityID: "3")
            }
            #expect(try await Self.state(app, ids[1]) == IdempotencyRecord.running)
        }
    }

    @Test("through the API a claim's draft marks its key applied before the answer is stored")
    func markedThroughTheAPI() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            // Every state the key row takes, in order, noted by a trigger.
            let sql = app.db.sql
            try await sql.raw("CREATE TABLE key_states (state TEXT NOT NULL)").run()
            if app.db.isSQLite {
                try await sql.raw(
                    """
                    CREATE TRIGGER note_key_state AFTER UPDATE ON idempotency_keys
                    BEGIN INSERT INTO key_states (state) VALUES (NEW.state); END
                    """
                ).run()
            } else {
                try await sql.raw(
                    """
                    CREATE FUNCTION note_key_state() RETURNS trigger AS $$
                    BEGIN INSERT INTO key_states (state) VALUES (NEW.state); RETURN NEW; END $$ LANGUAGE plpgsql
                    """
                ).run()
                try await sql.raw(
                    """
                    CREATE TRIGGER note_key_state AFTER UPDATE ON idempotency_keys
                    FOR EACH ROW EXECUTE FUNCTION note_key_state()
                    """
                ).run()
            }
            let clerk = try await IdempotencyTests.KeyedClient(app, as: "village_clerk")
            let created = try await clerk.post("/api/v1/claims", ClaimAPITests.body(amount: 52_000), key: "marked")
            #expect(created.status == .created, "\(created.body.string)")
            let states = try await sql.raw("SELECT state FROM key_states").all().map {
                try $0.decode(column: "state", as: String.self)
            }
            #expect(states == [IdempotencyRecord.applied, IdempotencyRecord.done])
        }
    }

    @Test("a retry of a key whose change committed but whose answer was lost is refused, never run again")
    func answerLost() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let clerk = try await IdempotencyTests.KeyedClient(app, as: "village_clerk")
            let body = ClaimAPITests.body(amount: 52_000)
            let data = try JSONSerialization.data(withJSONObject: body, options: .sortedKeys)
            let fingerprint = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            let userID = try #require(
                try await User.query(on: app.db).filter(\.$username == "village_clerk").first()?.id)
            for (key, age) in [("lost-recent", 10.0), ("lost-long-ago", 180.0)] {
                let record = IdempotencyRecord(
                    key: key, scope: "user:\(userID)", method: "POST", path: "/api/v1/claims", fingerprint: fingerprint,
                    createdAt: Date().addingTimeInterval(-age))
                record.state = IdempotencyRecord.applied
                try await record.create(on: app.db)
            }
            // A young one may still be storing its answer: wait, as for a running key.
            let waiting = try await clerk.post("/api/v1/claims", body, key: "lost-recent")
            #expect(waiting.status == .conflict)
            #expect(waiting.headers.first(name: .retryAfter) == "1")
            // Past two minutes its process is gone: the change was made, the answer is lost.
            let lost = try await clerk.post("/api/v1/claims", body, key: "lost-long-ago")
            #expect(lost.status == .conflict, "\(lost.body.string)")
            let error = try #require(lost.json["error"] as? [String: Any])
            #expect(error["code"] as? String == "idempotency_answer_lost")
            #expect(error["message"] as? String == IdempotencyTests.text(app, "idempotency.error.answer_lost"))
            let again = try await clerk.post("/api/v1/claims", body, key: "lost-long-ago")
            #expect(again.status == .conflict)
            #expect(try await IdempotencyTests.claims(app) == 0)
        }
    }
}
