import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import SQLKit
import Vapor

extension Application {
    /// Connects Fluent to the configured database.
    func useStorage(_ storage: Settings.Storage, connectionsPerEventLoop: Int = 8) throws {
        switch storage {
        case .sqlite(let path):
            let configuration: SQLiteConfiguration =
                path == ":memory:"
                ? .init(storage: .memory, enableForeignKeys: true)
                : .init(storage: .file(path: path), enableForeignKeys: true)
            databases.use(.sqlite(configuration, sqlLogLevel: .trace), as: .sqlite)
        case .postgres(let url):
            var configuration = try SQLPostgresConfiguration(url: url)
            configuration.searchPath = ["public"]
            databases.use(
                .postgres(
                    configuration: configuration, maxConnectionsPerEventLoop: connectionsPerEventLoop,
                    sqlLogLevel: .trace), as: .psql)
        }
    }
}

extension Database {
    /// Whether this database is SQLite (the embedded default) rather than PostgreSQL.
    var isSQLite: Bool { (self as? any SQLDatabase)?.dialect.name == "sqlite" }

    var sql: any SQLDatabase { self as! any SQLDatabase }

    /// The rows of a large raw read, taken on a connection held for the whole read. On SQLite a
    /// read through the pool hands its rows to the event loop one task per row; a held
    /// connection hands them over as they are stepped (a county's 120,000 claims read in about
    /// half the time). Any database: on PostgreSQL it is a plain read.
    func rows(_ query: SQLQueryString) async throws -> [any SQLRow] {
        try await withConnection { try await $0.sql.raw(query).all() }
    }

    /// One state change: runs `body` in a single write transaction, so the change and its audit
    /// record commit together or not at all.
    ///
    /// SQLite begins the transaction IMMEDIATE (taking the write lock up front) so that two
    /// writers never fail midway with a stale snapshot; PostgreSQL uses a normal transaction and
    /// the audit trail takes its own lock.
    public func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        // The request's idempotency key goes along into the transaction's own task, where
        // `AuditTrail.record` marks it applied (`Idempotency.markApplied`).
        let held = Idempotency.heldKey
        let run: @Sendable (any Database) async throws -> T = { db in
            try await Idempotency.$heldKey.withValue(held) { try await body(db) }
        }
        guard isSQLite else { return try await transaction(run) }
        // The writers of one file in this process take turns before asking SQLite for its lock:
        // SQLiteNIO's busy handler retries at once, so two connections wanting the lock would
        // spin on the cores the holder needs.
        let file = try await withConnection {
            try await $0.sql.raw("PRAGMA database_list").all().first?.decode(column: "file", as: String.self)
        }
        await SQLiteWriteTurns.shared.take(file ?? "")
        do {
            let result = try await withConnection { connection in
                try await connection.sql.raw("BEGIN IMMEDIATE").run()
                do {
                    let result = try await run(connection)
                    try await connection.sql.raw("COMMIT").run()
                    return result
                } catch {
                    try? await connection.sql.raw("ROLLBACK").run()
                    throw error
                }
            }
            await SQLiteWriteTurns.shared.give(file ?? "")
            return result
        } catch {
            await SQLiteWriteTurns.shared.give(file ?? "")
            throw error
        }
    }
}

/// Turns at writing an SQLite file, one writer at a time, in the order they asked, by the
/// file's path (the tests' databases are files of their own and do not wait for each other).
actor SQLiteWriteTurns {
    static let shared = SQLiteWriteTurns()

    private var writing: Set<String> = []
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Returns when it is the caller's turn at `file`.
    func take(_ file: String) async {
        guard writing.contains(file) else {
            writing.insert(file)
            return
        }
        await withCheckedContinuation { waiting[file, default: []].append($0) }
    }

    /// Ends the caller's turn: the next in line writes, or no one.
    func give(_ file: String) {
        guard var line = waiting[file], !line.isEmpty else {
            writing.remove(file)
            return
        }
        let next = line.removeFirst()
        waiting[file] = line.isEmpty ? nil : line
        next.resume()
    }
}

extension Request {
    /// The database through another of the application's event loops, when there is another.
    /// On SQLite each event loop holds one connection, so one request's independent large reads
    /// run side by side only when one of them goes through another loop's connection.
    var dbOnAnotherLoop: (any Database)? {
        for loop in application.eventLoopGroup.makeIterator() where loop !== eventLoop {
            return application.databases.database(logger: logger, on: loop)
        }
        return nil
    }
}
