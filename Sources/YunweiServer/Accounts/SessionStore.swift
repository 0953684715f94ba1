import Fluent
import Vapor

/// The sessions in the database, written back only when a request changed them. Vapor's sessions
/// middleware hands the session back to its driver after every request; written unchanged, that
/// was a write transaction (on SQLite a synced commit) for every page anyone looked at.
struct SessionStore: SessionDriver {
    /// Where the sessions are kept: Fluent's table.
    let base: any SessionDriver

    /// The session data as this request read it.
    private struct ReadData: StorageKey {
        typealias Value = SessionData
    }

    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        base.createSession(data, for: request)
    }

    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        base.readSession(sessionID, for: request).map { data in
            request.storage[ReadData.self] = data
            return data
        }
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request)
        -> EventLoopFuture<SessionID>
    {
        if request.storage[ReadData.self] == data { return request.eventLoop.makeSucceededFuture(sessionID) }
        return base.updateSession(sessionID, to: data, for: request)
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        base.deleteSession(sessionID, for: request)
    }
}
