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
    /// SQLite: the writers of one file in this process take turns (`WriteTurns`), and the writer
    /// whose turn it is commits for everyone queued behind it (group commit): each change runs in
    /// a savepoint of one `BEGIN IMMEDIATE` transaction, a change that throws is rolled back to
    /// its savepoint alone, and one commit (one sync of the disk) makes the whole group durable.
    /// Each caller returns only after that commit.
    ///
    /// PostgreSQL: a transaction per change, and the audit trail takes its own lock. Grouping was
    /// measured there too: case creation gained 5–10%, but the claim step lost 40%, because a
    /// change's reads then wait for each other on one connection instead of running side by side
    /// up to the audit lock (docs/performance.md).
    public func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        // The request's idempotency key goes along into the transaction's own task, where
        // `AuditTrail.record` marks it applied (`Idempotency.markApplied`).
        let held = Idempotency.heldKey
        let run: @Sendable (any Database) async throws -> T = { db in
            try await Idempotency.$heldKey.withValue(held) { try await body(db) }
        }
        guard isSQLite else { return try await transaction(run) }
        let outcome = Outcome<T>()
        let change = QueuedWrite { db in outcome.value = try await run(db) }
        let target = writeTarget
        if await WriteTurns.shared.take(change, at: target) {
            let group = [change] + (await WriteTurns.shared.queued(at: target))
            await commit(group)
            await WriteTurns.shared.give(group.dropFirst(), at: target)
        }
        if let failure = change.failure { throw failure }
        guard let value = outcome.value else { throw Abort(.internalServerError) }
        return value
    }

    /// Runs a group of queued changes in one immediate transaction, each in a savepoint, and
    /// commits once. A change that throws is rolled back alone and keeps its error; when the
    /// transaction itself fails, every change in it fails with that error (none is written).
    private func commit(_ group: [QueuedWrite]) async {
        do {
            try await withConnection { connection in
                let sql = connection.sql
                try await sql.raw("BEGIN IMMEDIATE").run()
                do {
                    if group.count == 1 {
                        try await group[0].change(connection)
                    } else {
                        for change in group {
                            try await sql.raw("SAVEPOINT change").run()
                            do {
                                try await change.change(connection)
                            } catch {
                                change.failure = error
                                try await sql.raw("ROLLBACK TO change").run()
                            }
                            try await sql.raw("RELEASE change").run()
                        }
                    }
                    try await sql.raw("COMMIT").run()
                } catch {
                    try? await sql.raw("ROLLBACK").run()
                    throw error
                }
            }
        } catch {
            for change in group where change.failure == nil { change.failure = error }
        }
    }

    /// The file an SQLite database writes (or its in-memory name), the key of its writers'
    /// turns. FluentSQLiteDriver keeps its `SQLiteConfiguration` in a configuration type of its
    /// own, so the storage is read from it by reflection (a few microseconds, no query).
    var writeTarget: String {
        let configuration =
            Mirror(reflecting: context.configuration).children
            .first { $0.label == "configuration" }?.value as? SQLiteConfiguration
        switch configuration?.storage {
        case .file(let path): return path
        case .memory(let identifier): return "memory:" + identifier
        case nil: return ""
        }
    }
}

/// What a change returned, kept for its caller until the group's commit. Written by the writer
/// whose turn it is, read by the caller after `WriteTurns` resumes it (which orders the two).
private final class Outcome<T: Sendable>: @unchecked Sendable {
    var value: T?
}

/// One change waiting to be written in a group: the change, and after the group's commit, its
/// failure if it had one.
final class QueuedWrite: @unchecked Sendable {
    let change: @Sendable (any Database) async throws -> Void
    /// Set by the writer of the group (before it gives the turn on), read by the change's caller.
    var failure: (any Error)?
    fileprivate var resume: CheckedContinuation<Bool, Never>?

    init(_ change: @escaping @Sendable (any Database) async throws -> Void) {
        self.change = change
    }
}

/// Turns at writing an SQLite file, by its `writeTarget` (the tests' databases are files of
/// their own and do not wait for each other). One writer at a time holds the turn; the changes
/// that arrive meanwhile queue in order, and the next holder writes them all as one group (group
/// commit: one transaction, one sync of the disk, however many changes).
///
/// SQLite has one writer at a time anyway, and SQLiteNIO's busy handler retries at once, so
/// without turns two connections wanting the lock would spin on the cores the holder needs.
actor WriteTurns {
    static let shared = WriteTurns()

    /// The most changes one transaction takes; the rest wait for the next.
    static let largestGroup = 100

    private var writing: Set<String> = []
    private var waiting: [String: [QueuedWrite]] = [:]
    /// How many groups were written, by file (tests and the benchmark look at it).
    private(set) var groupsWritten: [String: Int] = [:]

    /// Queues `change` at `file`. Returns `true` when it is the caller's turn to write a group
    /// (its own change first), `false` when another writer has already written the change in
    /// its group (its `failure` says how that went).
    func take(_ change: QueuedWrite, at file: String) async -> Bool {
        guard writing.contains(file) else {
            writing.insert(file)
            return true
        }
        return await withCheckedContinuation { continuation in
            change.resume = continuation
            waiting[file, default: []].append(change)
        }
    }

    /// The changes queued at `file` for the turn holder's group, in the order they came.
    func queued(at file: String) -> [QueuedWrite] {
        guard let line = waiting[file] else { return [] }
        let group = Array(line.prefix(Self.largestGroup - 1))
        waiting[file] = line.count > group.count ? Array(line.dropFirst(group.count)) : nil
        return group
    }

    /// How many changes wait at `file`.
    func queuedCount(at file: String) -> Int { waiting[file]?.count ?? 0 }

    /// Ends a turn: the group's other changes learn that they are written (or failed), and the
    /// next change in line, if any, takes the turn.
    func give(_ written: ArraySlice<QueuedWrite>, at file: String) {
        groupsWritten[file, default: 0] += 1
        for change in written { change.resume?.resume(returning: false) }
        guard var line = waiting[file], !line.isEmpty else {
            writing.remove(file)
            return
        }
        let next = line.removeFirst()
        waiting[file] = line.isEmpty ? nil : line
        next.resume?.resume(returning: true)
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
