import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import YunweiServer

@Suite("Group commit: the SQLite writers of one file take turns, and each turn commits a group")
struct WriteTurnsTests {
    /// A log of the order things happened in.
    actor Log {
        var events: [String] = []
        func add(_ event: String) { events.append(event) }
    }

    @Test("changes queued behind the turn holder form its group, in order; another file does not wait")
    func turns() async throws {
        let turns = WriteTurns()
        let log = Log()
        let first = QueuedWrite { _ in }
        #expect(await turns.take(first, at: "a.sqlite"))
        func queue(_ name: String) -> (QueuedWrite, Task<Bool, Never>) {
            let change = QueuedWrite { _ in }
            return (
                change,
                Task {
                    let leads = await turns.take(change, at: "a.sqlite")
                    await log.add(name + (leads ? " leads" : " written"))
                    return leads
                }
            )
        }
        let (second, secondTask) = queue("second")
        // Let the second change get in line before the third.
        try await Task.sleep(for: .milliseconds(50))
        let (third, thirdTask) = queue("third")
        try await Task.sleep(for: .milliseconds(50))
        // Another file's writer does not wait for this one's.
        #expect(await turns.take(QueuedWrite { _ in }, at: "b.sqlite"))
        await turns.give([], at: "b.sqlite")

        let group = await turns.queued(at: "a.sqlite")
        #expect(group.map(ObjectIdentifier.init) == [second, third].map(ObjectIdentifier.init))
        // A change that comes while the group is written waits for the next turn, and leads it.
        let (_, fourthTask) = queue("fourth")
        try await Task.sleep(for: .milliseconds(50))
        #expect(await log.events.isEmpty)
        await turns.give(group[...], at: "a.sqlite")
        #expect(await secondTask.value == false)
        #expect(await thirdTask.value == false)
        #expect(await fourthTask.value == true)
        #expect(await turns.queued(at: "a.sqlite").isEmpty)
        await turns.give([], at: "a.sqlite")
        #expect(Set(await log.events) == ["second written", "third written", "fourth leads"])
        #expect(await turns.groupsWritten["a.sqlite"] == 2)
        // All turns are given back: a new writer gets one at once.
        #expect(await turns.take(QueuedWrite { _ in }, at: "a.sqlite"))
    }

    @Test("a group holds at most largestGroup changes; the rest wait for the next turn")
    func largestGroup() async throws {
        let turns = WriteTurns()
        #expect(await turns.take(QueuedWrite { _ in }, at: "a.sqlite"))
        let count = WriteTurns.largestGroup + 20
        let waiting = (0..<count).map { _ in
            Task { await turns.take(QueuedWrite { _ in }, at: "a.sqlite") }
        }
        while await turns.queuedCount(at: "a.sqlite") < count { try await Task.sleep(for: .milliseconds(5)) }
        let group = await turns.queued(at: "a.sqlite")
        #expect(group.count == WriteTurns.largestGroup - 1)
        await turns.give(group[...], at: "a.sqlite")
        // Of the 21 left, the first leads the next group, and the other 20 are in it.
        #expect(await turns.queuedCount(at: "a.sqlite") == 20)
        let next = await turns.queued(at: "a.sqlite")
        #expect(next.count == 20)
        await turns.give(next[...], at: "a.sqlite")
        var leaders = 0
        var written = 0
        for task in waiting { if await task.value { leaders += 1 } else { written += 1 } }
        #expect(leaders == 1)
        #expect(written == count - 1)
        #expect(await turns.groupsWritten["a.sqlite"] == 2)
    }

    @Test("concurrent changes commit in groups on SQLite; on both databases a change that throws is rolled back alone")
    func groupCommit() async throws {
        struct Refused: Error, Equatable { let index: Int }
        try await withApp { app in
            try await app.db.sql.raw("CREATE TABLE turn_rows (n INTEGER PRIMARY KEY)").run()
            let file = app.db.writeTarget
            let groupsBefore = await WriteTurns.shared.groupsWritten[file] ?? 0
            let outcomes = await withTaskGroup(of: (Int, Result<Int, any Error>).self) { group in
                for index in 0..<40 {
                    let db = app.databases.database(logger: app.logger, on: app.eventLoopGroup.any())!
                    group.addTask {
                        do {
                            return (
                                index,
                                .success(
                                    try await db.write { db in
                                        try await db.sql.raw("INSERT INTO turn_rows (n) VALUES (\(bind: index))").run()
                                        if index % 5 == 0 { throw Refused(index: index) }
                                        return index * 10
                                    })
                            )
                        } catch {
                            return (index, .failure(error))
                        }
                    }
                }
                return await group.reduce(into: [Int: Result<Int, any Error>]()) { $0[$1.0] = $1.1 }
            }
            for (index, outcome) in outcomes {
                switch outcome {
                case .success(let value): #expect(index % 5 != 0 && value == index * 10)
                case .failure(let error): #expect((error as? Refused) == Refused(index: index))
                }
            }
            let rows = try await app.db.sql.raw("SELECT n FROM turn_rows ORDER BY n").all()
                .map { try $0.decode(column: "n", as: Int.self) }
            #expect(rows == (0..<40).filter { $0 % 5 != 0 })
            if app.db.isSQLite {
                // Fewer transactions than changes: the queued ones were committed together.
                let groups = await WriteTurns.shared.groupsWritten[file, default: 0] - groupsBefore
                #expect(groups >= 1 && groups < 40)
            }
        }
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
