import Fluent
import Vapor
import YunweiDomain

/// The entry points the `yunwei` command calls. Each builds the application from settings,
/// runs, and shuts it down again, also on error.
public enum Yunwei {
    /// Runs `body` with a configured, migrated application.
    public static func withApplication<T: Sendable>(
        _ settings: Settings, environment: Environment = .production, migrate: Bool = true,
        _ body: @Sendable (Application) async throws -> T
    ) async throws -> T {
        let app = try await Application.make(environment)
        do {
            try await configure(app, settings)
            if migrate { try await Migrations.run(on: app) }
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch let error as YunweiError {
            // A mistake in the command's input: say it in both languages, not as a type dump.
            let message =
                app.catalog.text(error.key, in: .en, error.args) + " / "
                + app.catalog.text(error.key, in: .zhHans, error.args)
            try? await app.asyncShutdown()
            throw CommandError(message)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Migrates and serves until stopped (SIGINT/SIGTERM).
    public static func serve(
        _ settings: Settings, host: String, port: Int, before: (@Sendable (Application) async throws -> Void)? = nil
    )
        async throws
    {
        var environment = serveEnvironment()
        environment.arguments = ["yunwei", "serve", "--hostname", host, "--port", String(port)]
        let app = try await Application.make(environment)
        do {
            try await configure(app, settings)
            try await Migrations.run(on: app)
            try await before?(app)
            try await app.execute()
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// The environment a server runs in: production (templates parsed once and cached, error
    /// details kept from the answers) unless `VAPOR_ENV` names another, e.g. `development` while
    /// editing templates.
    static func serveEnvironment(_ variables: [String: String] = ProcessInfo.processInfo.environment) -> Environment {
        switch variables["VAPOR_ENV"] {
        case nil, "": .production
        case "prod", "production": .production
        case "dev", "development": .development
        case "test", "testing": .testing
        case let name?: .init(name: name)
        }
    }

    public static func migrate(_ settings: Settings) async throws {
        try await withApplication(settings) { _ in }
    }

    /// Creates (or reuses) the demo county and serves it.
    public static func demo(
        _ settings: Settings, scale: Int, host: String, port: Int, say: @escaping @Sendable (String) -> Void
    )
        async throws
    {
        try await serve(settings, host: host, port: port) { app in
            let started = Date()
            if try await DemoSeeder.seedIfEmpty(app, scale: scale, progress: say) {
                say(String(format: "demo county created in %.1f s", Date().timeIntervalSince(started)))
            } else {
                say("reusing the existing demo database")
            }
            say("Yunwei demo: http://\(host):\(port)/")
            say("Logins (password \(DemoSeeder.password) for all):")
            let plan = DemoCounty.plan(scale: 1)
            let names = Dictionary(plan.units.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
            for user in plan.users {
                let places = user.grants.map {
                    "\(app.catalog.text("role." + $0.role.rawValue, in: .zhHans)) @ \(names[$0.unit] ?? "") \($0.unit)"
                }
                say(
                    "  " + user.username.padding(toLength: 22, withPad: " ", startingAt: 0)
                        + places.joined(separator: ", "))
            }
        }
    }

    /// Imports one CSV file; returns the lines to print. Throws `ImportRejection` for a bad file.
    public static func importFile(_ kind: String, data: Data, settings: Settings) async throws -> [String] {
        guard let kind = Importer.Kind(rawValue: kind) else { throw ImportKindError(kind: kind) }
        return try await withApplication(settings) { app in
            let outcome = try await Importer.run(
                kind, data, by: .system, scope: nil, hasher: app.password.async, on: app.db)
            return ["created \(outcome.created), updated \(outcome.updated)"]
                + outcome.generatedPasswords.map { "initial password for \($0.username): \($0.password)" }
        }
    }

    /// An import issue in English, for the terminal: `line 3, column code: …`.
    public static func describe(_ issue: ImportIssue, settings: Settings) -> String {
        let catalog = (try? Catalog.load(from: settings.resourcesDirectory + "Localization")) ?? Catalog()
        let place = issue.column.map { "line \(issue.line), column \($0)" } ?? "line \(issue.line)"
        return
            "\(place): \(catalog.text(issue.key, in: .en, issue.args)) / \(catalog.text(issue.key, in: .zhHans, issue.args))"
    }

    public static func export(_ kind: String, settings: Settings) async throws -> Data {
        guard let kind = Importer.Kind(rawValue: kind) else { throw ImportKindError(kind: kind) }
        return try await withApplication(settings) { app in
            let counties = try await AdminUnit.query(on: app.db).filter(\.$parent.$id == nil).all().map(\.unitPath)
            return try await Exporter.csv(kind, within: counties, on: app.db)
        }
    }

    /// `yunwei user add`: creates a user with one role.
    public static func addUser(
        username: String, name: String, phone: String?, role: String, unit: String, password: String, settings: Settings
    ) async throws {
        guard let role = Role(rawValue: role) else {
            throw CommandError("unknown role \(role); one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let violation = PasswordRule.violations(of: password, username: username).first {
            throw CommandError(Catalog.english(violation, settings))
        }
        try await withApplication(settings) { app in
            let hash = try await app.password.async.hash(password)
            try await app.db.write { db in
                guard let unit = try await AdminUnit.query(on: db).filter(\.$code == unit).first() else {
                    throw CommandError("no unit with code \(unit)")
                }
                let user = try await UserRegistry.create(
                    username: username, displayName: name, phone: phone, passwordHash: hash, by: .system, on: db)
                try await UserRegistry.grant(role, at: unit, to: user, by: .system, on: db)
            }
        }
    }

    /// `yunwei user passwd`: sets a new password (and lifts a lockout).
    public static func setPassword(username: String, password: String, settings: Settings) async throws {
        if let violation = PasswordRule.violations(of: password, username: username).first {
            throw CommandError(Catalog.english(violation, settings))
        }
        try await withApplication(settings) { app in
            let hash = try await app.password.async.hash(password)
            try await app.db.write { db in
                guard let user = try await User.query(on: db).filter(\.$username == username).first() else {
                    throw CommandError("no user named \(username)")
                }
                try await UserRegistry.setPassword(hash: hash, user, by: .system, on: db)
            }
        }
    }

    /// `yunwei verify`: recomputes the audit chain.
    public static func verify(settings: Settings) async throws -> AuditVerification {
        try await withApplication(settings) { app in try await AuditTrail.verify(on: app.db) }
    }

    /// `yunwei verify`'s second half: every journal entry balances, reservations match the claims
    /// waiting in the chain. Returns the counts and one English sentence per fault.
    public static func verifyLedger(settings: Settings) async throws -> (
        entries: Int, lines: Int, openClaims: Int, problems: [String]
    ) {
        try await withApplication(settings) { app in
            let report = try await LedgerVerification.check(on: app.db)
            return (report.entries, report.lines, report.openClaims, report.problems)
        }
    }

    /// `yunwei backup PATH`: a consistent copy of the SQLite database (taken while serving) and
    /// of the data directory's files. Returns what was written, as a sentence.
    public static func backup(to path: String, settings: Settings) async throws -> String {
        try await withApplication(settings, migrate: false) { app in
            let summary = try await Backup.write(to: path, from: app.db, settings: settings)
            let database = summary.database.map { "database \($0)" } ?? "no database (PostgreSQL: use pg_dump)"
            return "\(database); \(summary.files) files, \(summary.bytes) bytes"
        }
    }

    /// `yunwei restore PATH`: puts a backup folder in place at the configured (new) SQLite path
    /// and data directory, then checks it with `verify`.
    public static func restore(from path: String, settings: Settings) throws -> String {
        let summary = try Backup.restore(from: path, settings: settings)
        let database = summary.database.map { "database \($0)" } ?? "no database (PostgreSQL: use pg_restore)"
        return "\(database); \(summary.files) files, \(summary.bytes) bytes"
    }
}

/// A command-line mistake, printed as it is.
public struct CommandError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

struct ImportKindError: Error, CustomStringConvertible {
    let kind: String
    var description: String { "unknown import kind \(kind); one of units, factors, users" }
}

extension Catalog {
    static func english(_ key: String, _ settings: Settings) -> String {
        ((try? Catalog.load(from: settings.resourcesDirectory + "Localization")) ?? Catalog()).text(key, in: .en)
    }
}
