import ArgumentParser
import Foundation
import Logging
import YunweiDomain
import YunweiServer

/// The `yunwei` command: parses arguments and calls the server library.
@main
struct YunweiCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yunwei",
        abstract: "Yunwei 运维 — rural public-service operation and maintenance.",
        subcommands: [
            Serve.self, Migrate.self, Demo.self, Import.self, Export.self, UserCommand.self, Verify.self,
            Backup.self, Restore.self,
        ]
    )
}

/// `--db PATH` or `DATABASE_URL`, shared by every command that touches data.
struct StorageOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite database file (ignored when DATABASE_URL is a postgres:// URL).")
    var db: String?

    func settings(defaultPath: String = "yunwei.sqlite") -> Settings {
        Bootstrap.logging()
        return Settings.fromEnvironment(sqlitePath: db ?? defaultPath)
    }
}

enum Bootstrap {
    nonisolated(unsafe) private static var done = false

    /// Structured logs on standard error; `LOG_LEVEL` sets the level (default info).
    static func logging() {
        guard !done else { return }
        done = true
        let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Migrate the database and serve.")
    @OptionGroup var storage: StorageOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080

    func run() async throws {
        try await Yunwei.serve(storage.settings(), host: host, port: port)
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bring the database schema up to date.")
    @OptionGroup var storage: StorageOptions

    func run() async throws {
        try await Yunwei.migrate(storage.settings())
        print("migrated")
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create (or reuse) the demo county in ./yunwei-demo.sqlite and serve it.")
    @OptionGroup var storage: StorageOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Option(help: "Build a county N times larger (for benchmarks).") var scale = 1

    func run() async throws {
        guard DemoCounty.scales.contains(scale) else {
            throw ValidationError(
                "--scale must be between \(DemoCounty.scales.lowerBound) and \(DemoCounty.scales.upperBound)")
        }
        try await Yunwei.demo(storage.settings(defaultPath: "yunwei-demo.sqlite"), scale: scale, host: host, port: port)
        {
            // Unbuffered, so progress shows at once even when piped.
            FileHandle.standardOutput.write(Data(($0 + "\n").utf8))
        }
    }
}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import units, factors or users from a CSV file (UTF-8, headers in Chinese or English).",
        discussion: "A file with any error is rejected whole; every error is listed with its line and column.")
    @OptionGroup var storage: StorageOptions
    @Argument(help: "units, factors or users") var kind: String
    @Argument(help: "The CSV file.") var file: String

    func run() async throws {
        let settings = storage.settings()
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
            throw ValidationError("cannot read \(file)")
        }
        print("importing \(kind) from \(file) (\(data.count) bytes)…")
        do {
            for line in try await Yunwei.importFile(kind, data: data, settings: settings) { print(line) }
        } catch let rejection as ImportRejection {
            print("rejected: \(rejection.issues.count) error(s), nothing was imported")
            for issue in rejection.issues { print("  " + Yunwei.describe(issue, settings: settings)) }
            throw ExitCode(1)
        }
    }
}

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export units, factors or users as Excel-friendly CSV.")
    @OptionGroup var storage: StorageOptions
    @Argument(help: "units, factors or users") var kind: String
    @Option(help: "Write to this file instead of standard output.") var out: String?

    func run() async throws {
        let data = try await Yunwei.export(kind, settings: storage.settings())
        if let out {
            try data.write(to: URL(fileURLWithPath: out))
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Add users and set passwords.", subcommands: [Add.self, Passwd.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user holding one role at one unit.")
        @OptionGroup var storage: StorageOptions
        @Argument(help: "Login name: 3–32 lowercase letters, digits or _.") var username: String
        @Option(help: "Display name.") var name: String
        @Option(help: "Mobile phone (11 digits).") var phone: String?
        @Option(help: "Role, e.g. village_clerk.") var role: String
        @Option(help: "12-digit code of the unit the role is held at.") var unit: String
        @Option(help: "Initial password (prompted for when omitted).") var password: String?

        func run() async throws {
            let password = try self.password ?? PasswordPrompt.read()
            do {
                try await Yunwei.addUser(
                    username: username, name: name, phone: phone, role: role, unit: unit, password: password,
                    settings: storage.settings())
            } catch let error as CommandError {
                throw ValidationError(error.description)
            }
            print("created \(username)")
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a user's password (also lifts a lockout).")
        @OptionGroup var storage: StorageOptions
        @Argument var username: String
        @Option(help: "New password (prompted for when omitted).") var password: String?

        func run() async throws {
            let password = try self.password ?? PasswordPrompt.read()
            do {
                try await Yunwei.setPassword(username: username, password: password, settings: storage.settings())
            } catch let error as CommandError {
                throw ValidationError(error.description)
            }
            print("password set for \(username)")
        }
    }
}

enum PasswordPrompt {
    static func read() throws -> String {
        guard let first = String(validatingCString: getpass("Password: ")), !first.isEmpty else {
            throw ValidationError("no password given")
        }
        guard let second = String(validatingCString: getpass("Again: ")), first == second else {
            throw ValidationError("the passwords differ")
        }
        return first
    }
}

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute the audit trail's hash chain; exit 1 at the first altered, inserted or deleted record.")
    @OptionGroup var storage: StorageOptions

    func run() async throws {
        let settings = storage.settings()
        var sound = true
        switch try await Yunwei.verify(settings: settings) {
        case .intact(let count):
            print("audit trail intact: \(count) records")
        case .broken(let seq, let reason):
            print("audit trail BROKEN at record \(seq): \(reason)")
            sound = false
        }
        let ledger = try await Yunwei.verifyLedger(settings: settings)
        if ledger.problems.isEmpty {
            print(
                "ledger sound: \(ledger.entries) entries, \(ledger.lines) lines, every entry balanced; "
                    + "\(ledger.openClaims) claims in the chain, each with its reservation")
        } else {
            for problem in ledger.problems { print("ledger BROKEN: \(problem)") }
            sound = false
        }
        if !sound { throw ExitCode(1) }
    }
}

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the SQLite database (safe while serving) and the data files into a new folder.")
    @OptionGroup var storage: StorageOptions
    @Argument(help: "The backup folder to create (must be new or empty).") var path: String

    func run() async throws {
        print(try await Yunwei.backup(to: path, settings: storage.settings()))
    }
}

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put a backup folder in place at a new --db path and data directory (YUNWEI_DATA_DIR).")
    @OptionGroup var storage: StorageOptions
    @Argument(help: "The backup folder made by `yunwei backup`.") var path: String

    func run() async throws {
        print(try Yunwei.restore(from: path, settings: storage.settings()))
    }
}
