import Fluent
import Foundation
import NIOCore
import NIOPosix
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import YunweiServer

/// The storage helpers of `Core/Storage.swift` that the large reads use: `Database.rows(_:)` (a
/// raw read on a held connection) and `Request.dbOnAnotherLoop` (the database through another
/// event loop than the request's). On SQLite by default, on PostgreSQL with
/// `YUNWEI_TEST_DATABASE_URL`.
@Suite("Storage helpers")
struct StorageHelpersTests {
    static let count = 300

    /// A table of `count` numbered rows with labels, inserted in shuffled order.
    static func fillProbe(_ db: any Database) async throws {
        try await db.sql.raw("CREATE TABLE storage_probe (n INTEGER PRIMARY KEY, label TEXT NOT NULL)").run()
        let values = (1...count).shuffled().map { "(\($0), '行\($0)-row')" }.joined(separator: ", ")
        try await db.sql.raw(SQLQueryString(stringLiteral: "INSERT INTO storage_probe (n, label) VALUES \(values)"))
            .run()
    }

    static func decoded(_ rows: [any SQLRow]) throws -> [Pair] {
        try rows.map {
            Pair(n: try $0.decode(column: "n", as: Int.self), label: try $0.decode(column: "label", as: String.self))
        }
    }

    struct Pair: Equatable {
        let n: Int
        let label: String
    }

    /// Runs `body` with an application on its own fresh database whose event loop group has
    /// `loops` loops.
    static func withLoops(_ loops: Int, _ body: (Application) async throws -> Void) async throws {
        let (storage, drop) = try await TestDatabase.make()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: loops)
        let app = try await Application.make(.testing, .shared(group))
        do {
            try app.useStorage(storage, connectionsPerEventLoop: 1)
            try await body(app)
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            try? await group.shutdownGracefully()
            await drop()
            throw error
        }
        try await group.shutdownGracefully()
        await drop()
    }

    @Test("rows(_:) returns the same rows, in the same order, as a read through the pool")
    func rowsMatchPooledRead() async throws {
        try await withApp { app in
            try await Self.fillProbe(app.db)
            let query: SQLQueryString = "SELECT n, label FROM storage_probe WHERE n % 7 <> 3 ORDER BY n DESC"
            let held = try Self.decoded(try await app.db.rows(query))
            let pooled = try Self.decoded(try await app.db.sql.raw(query).all())
            #expect(held == pooled)
            let expected = (1...Self.count).reversed().filter { $0 % 7 != 3 }
            #expect(held.map(\.n) == Array(expected))
            #expect(held.first == Pair(n: 300, label: "行300-row"))
            #expect(try await app.db.rows("SELECT n FROM storage_probe WHERE n > 1000").isEmpty)
        }
    }

    @Test("dbOnAnotherLoop on the testing app: another loop's database when the group has another loop")
    func anotherLoopOfTheTestingApp() async throws {
        try await withApp { app in
            let loops = Array(app.eventLoopGroup.makeIterator())
            let request = Request(application: app, on: loops[0])
            guard loops.count > 1 else {
                #expect(request.dbOnAnotherLoop == nil)
                return
            }
            let other = try #require(request.dbOnAnotherLoop)
            #expect(other.eventLoop !== request.eventLoop)
            #expect(loops.contains { $0 === other.eventLoop })
        }
    }

    @Test("dbOnAnotherLoop with two loops: the same database through the other loop")
    func anotherLoopOfTwo() async throws {
        try await Self.withLoops(2) { app in
            let loops = Array(app.eventLoopGroup.makeIterator())
            #expect(loops.count == 2)
            for loop in loops {
                let request = Request(application: app, on: loop)
                let other = try #require(request.dbOnAnotherLoop)
                #expect(other.eventLoop === loops.first { $0 !== loop })
            }
            // Written through the request's loop, read through the other: one database.
            let request = Request(application: app, on: loops[1])
            try await Self.fillProbe(request.db)
            let other = try #require(request.dbOnAnotherLoop)
            let rows = try Self.decoded(try await other.sql.raw("SELECT n, label FROM storage_probe ORDER BY n").all())
            #expect(rows.count == Self.count)
            #expect(rows.last == Pair(n: 300, label: "行300-row"))
        }
    }

    @Test("dbOnAnotherLoop with one loop: nil")
    func noOtherLoop() async throws {
        try await Self.withLoops(1) { app in
            let loops = Array(app.eventLoopGroup.makeIterator())
            #expect(loops.count == 1)
            #expect(Request(application: app, on: loops[0]).dbOnAnotherLoop == nil)
        }
    }
}
