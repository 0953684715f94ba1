import Foundation
import Testing
import Vapor

@testable import YunweiServer

@Suite("Sessions are written back only when a request changed them")
struct SessionStoreTests {
    /// Keeps sessions in memory and counts what it is asked to do.
    final class Recording: SessionDriver, @unchecked Sendable {
        var sessions: [String: SessionData] = [:]
        var updates = 0

        func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
            let id = SessionID(string: UUID().uuidString)
            sessions[id.string] = data
            return request.eventLoop.makeSucceededFuture(id)
        }

        func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
            request.eventLoop.makeSucceededFuture(sessions[sessionID.string])
        }

        func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request)
            -> EventLoopFuture<SessionID>
        {
            updates += 1
            sessions[sessionID.string] = data
            return request.eventLoop.makeSucceededFuture(sessionID)
        }

        func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
            sessions[sessionID.string] = nil
            return request.eventLoop.makeSucceededFuture(())
        }
    }

    @Test("an unchanged session is not written; a changed one is, and a new one is created")
    func writesOnlyChanges() async throws {
        try await withApp { app in
            let recording = Recording()
            let store = SessionStore(base: recording)
            func request() -> Request { Request(application: app, on: app.eventLoopGroup.any()) }

            let first = request()
            let id = try await store.createSession(SessionData(initialData: ["user": "5"]), for: first).get()
            #expect(recording.sessions[id.string]?["user"] == "5")

            // A page that only reads the session.
            let reading = request()
            let read = try #require(try await store.readSession(id, for: reading).get())
            _ = try await store.updateSession(id, to: read, for: reading).get()
            #expect(recording.updates == 0)

            // A request that changes it (a language switch, a new CSRF token).
            let changing = request()
            var changed = try #require(try await store.readSession(id, for: changing).get())
            changed["language"] = "en"
            _ = try await store.updateSession(id, to: changed, for: changing).get()
            #expect(recording.updates == 1)
            #expect(recording.sessions[id.string]?["language"] == "en")

            // A request that never read the session (it had none) writes what it is given.
            _ = try await store.updateSession(id, to: changed, for: request()).get()
            #expect(recording.updates == 2)
        }
    }
}
