import Foundation

/// Everything the server needs to know about where it runs. Built once from flags and the
/// environment by the command line, or directly by tests.
public struct Settings: Sendable {
    public enum Storage: Sendable, Equatable {
        /// An SQLite file (WAL, foreign keys on); `:memory:` for tests.
        case sqlite(path: String)
        /// A PostgreSQL server, `postgres://user:pass@host:port/db`.
        case postgres(url: String)
    }

    public var storage: Storage
    /// The folder holding `Views/`, `Public/` and `Localization/`.
    public var resourcesDirectory: String
    /// Where uploaded files live (never in the database).
    public var dataDirectory: String
    /// bcrypt cost for new password hashes; tests lower it to stay fast.
    public var bcryptCost: Int
    /// Mark cookies Secure (behind TLS).
    public var secureCookies: Bool
    /// Believe `X-Forwarded-For` (only behind our own proxy; otherwise anyone could claim any
    /// address and slip past the per-address limits).
    public var trustProxy: Bool
    /// Run the background jobs (overdue escalation, auto-close) in this process.
    public var runJobs: Bool
    /// PostgreSQL connections per event loop (one event loop per core).
    public var connectionsPerEventLoop: Int

    public init(
        storage: Storage, resourcesDirectory: String, dataDirectory: String, bcryptCost: Int = 12,
        secureCookies: Bool = false, trustProxy: Bool = false, runJobs: Bool = false, connectionsPerEventLoop: Int = 8
    ) {
        self.storage = storage
        self.resourcesDirectory = resourcesDirectory.hasSuffix("/") ? resourcesDirectory : resourcesDirectory + "/"
        self.dataDirectory = dataDirectory
        self.bcryptCost = bcryptCost
        self.secureCookies = secureCookies
        self.trustProxy = trustProxy
        self.runJobs = runJobs
        self.connectionsPerEventLoop = connectionsPerEventLoop
    }

    /// Settings from the environment: `DATABASE_URL` chooses PostgreSQL when it starts with
    /// `postgres`; otherwise the SQLite file `sqlitePath`.
    public static func fromEnvironment(
        sqlitePath: String, environment: [String: String] = ProcessInfo.processInfo.environment
    )
        -> Settings
    {
        let storage: Storage
        if let url = environment["DATABASE_URL"], url.hasPrefix("postgres") {
            storage = .postgres(url: url)
        } else {
            storage = .sqlite(path: sqlitePath)
        }
        let cwd = FileManager.default.currentDirectoryPath
        return Settings(
            storage: storage,
            resourcesDirectory: environment["YUNWEI_RESOURCES"] ?? defaultResources(workingDirectory: cwd),
            dataDirectory: environment["YUNWEI_DATA_DIR"] ?? cwd + "/data",
            bcryptCost: environment["YUNWEI_BCRYPT_COST"].flatMap(Int.init) ?? 12,
            secureCookies: environment["YUNWEI_SECURE_COOKIES"] == "1",
            trustProxy: environment["YUNWEI_TRUST_PROXY"] == "1",
            runJobs: environment["YUNWEI_JOBS"] != "0"
        )
    }

    /// `./Resources` when it exists; otherwise the `Resources` folder of the checkout the
    /// executable was built in (`.build/debug/yunwei` → `./Resources`), so the built binary
    /// also works when started from another folder.
    static func defaultResources(workingDirectory: String) -> String {
        let local = workingDirectory + "/Resources/"
        if FileManager.default.fileExists(atPath: local + "Localization") { return local }
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        while folder.path != "/" && !folder.path.isEmpty {
            folder.deleteLastPathComponent()
            let candidate = folder.appendingPathComponent("Resources").path + "/"
            if FileManager.default.fileExists(atPath: candidate + "Localization") { return candidate }
        }
        return local
    }
}
