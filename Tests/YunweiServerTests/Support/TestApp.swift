import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import YunweiDomain

@testable import YunweiServer

/// The repository root, found from this file, so tests run from any working directory.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
    }
    return FileManager.default.currentDirectoryPath
}()

/// Which database the suite runs on: SQLite by default, PostgreSQL when
/// `YUNWEI_TEST_DATABASE_URL` is set (each test then gets a fresh database of its own).
enum TestDatabase {
    static var postgresURL: String? { ProcessInfo.processInfo.environment["YUNWEI_TEST_DATABASE_URL"] }

    /// A fresh, empty database for one test, and how to drop it afterwards.
    static func make() async throws -> (Settings.Storage, @Sendable () async -> Void) {
        let name = "yw_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        guard let url = postgresURL else {
            let path = NSTemporaryDirectory() + "\(name).sqlite"
            return (
                .sqlite(path: path),
                {
                    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
                }
            )
        }
        try await psql(url, "CREATE DATABASE \(name)")
        guard var components = URLComponents(string: url) else { throw TestSetupError("bad YUNWEI_TEST_DATABASE_URL") }
        components.path = "/\(name)"
        return (
            .postgres(url: components.string!), { try? await psql(url, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        )
    }

    /// Runs one statement on the admin database with a short-lived application.
    private static func psql(_ url: String, _ statement: String) async throws {
        let app = try await Application.make(.testing)
        do {
            try app.useStorage(.postgres(url: url), connectionsPerEventLoop: 1)
            try await app.db.sql.raw(SQLQueryString(stringLiteral: statement)).run()
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body` against a freshly configured and migrated application on its own database.
func withApp(_ body: (Application) async throws -> Void) async throws {
    let (storage, drop) = try await TestDatabase.make()
    let app = try await Application.make(.testing)
    do {
        let settings = Settings(
            storage: storage, resourcesDirectory: repositoryRoot + "/Resources", dataDirectory: NSTemporaryDirectory(),
            bcryptCost: 4, connectionsPerEventLoop: 2)
        try await configure(app, settings)
        try await Migrations.run(on: app)
        try await body(app)
        try await app.asyncShutdown()
    } catch {
        try? await app.asyncShutdown()
        await drop()
        throw error
    }
    await drop()
}
