import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import YunweiServer

@Suite("One write at a time: SQLite writers of one file take turns in the process")
struct WriteTurnsTests {
    /// A log of the order things happened in.
    actor Log {
        var events: [String] = []
        func add(_ event: String) { events.append(event) }
    }

    @Test("writers of one file write in the order they asked; another file does not wait")
    func turns() async throws {
        let turns = SQLiteWriteTurns()
        let log = Log()
        await turns.take("a.sqlite")
        let second = Task {
            await turns.take("a.sqlite")
            await log.add("second")
            await turns.give("a.sqlite")
        }
        // Let the second writer get in line before the third.
        try await Task.sleep(for: .milliseconds(50))
        let third = Task {
            await turns.take("a.sqlite")
            await log.add("third")
            await turns.give("a.sqlite")
        }
        try await Task.sleep(for: .milliseconds(50))
        await turns.take("b.sqlite")
        await log.add("other file")
        await turns.give("b.sqlite")
        await log.add("first done")
        await turns.give("a.sqlite")
        await second.value
        await third.value
        #expect(await log.events == ["other file", "first done", "second", "third"])
        // All turns are given back: a new writer gets one at once.
        await turns.take("a.sqlite")
        await turns.give("a.sqlite")
    }

    @Test("40 concurrent read-modify-write transactions lose no update and none fails")
    func noLostUpdates() async throws {
        try await withApp { app in
            try await app.db.sql.raw("CREATE TABLE turn_counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)").run()
            try await app.db.sql.raw("INSERT INTO turn_counter (id, n) VALUES (1, 0)").run()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    // Through both event loops' connections, as requests arrive.
                    let loop = app.eventLoopGroup.any()
                    let db = app.databases.database(logger: app.logger, on: loop)!
                    group.addTask {
                        try await db.write { db in
                            // PostgreSQL's transactions run side by side: the row lock orders them.
                            let lock: SQLQueryString = db.isSQLite ? "" : " FOR UPDATE"
                            let n =
                                try await db.sql.raw("SELECT n FROM turn_counter WHERE id = 1\(lock)").first()?
                                .decode(column: "n", as: Int.self) ?? -1
                            if index % 10 == 0 { try await Task.sleep(for: .milliseconds(1)) }
                            try await db.sql.raw("UPDATE turn_counter SET n = \(bind: n + 1) WHERE id = 1").run()
                        }
                    }
                }
                try await group.waitForAll()
            }
            let n = try await app.db.sql.raw("SELECT n FROM turn_counter WHERE id = 1").first()?
                .decode(column: "n", as: Int.self)
            #expect(n == 40)
        }
    }
}
