import Fluent
import Leaf
import Vapor

/// Builds the application from settings: storage, text, views, middleware, migrations, routes.
/// Tests call it with a temporary database; the command line with flags and environment.
public func configure(_ app: Application, _ settings: Settings) async throws {
    _ = Observability.registry
    app.settings = settings
    app.directory = DirectoryConfiguration(workingDirectory: app.directory.workingDirectory)
    app.directory.resourcesDirectory = settings.resourcesDirectory
    app.directory.viewsDirectory = settings.resourcesDirectory + "Views/"
    app.directory.publicDirectory = settings.resourcesDirectory + "Public/"

    guard FileManager.default.fileExists(atPath: settings.resourcesDirectory + "Localization") else {
        throw CommandError(
            "no Resources folder at \(settings.resourcesDirectory): run from the Yunwei folder or set YUNWEI_RESOURCES")
    }
    app.catalog = try Catalog.load(from: settings.resourcesDirectory + "Localization")
    try app.useStorage(settings.storage, connectionsPerEventLoop: settings.connectionsPerEventLoop)
    app.passwords.use(.bcrypt(cost: settings.bcryptCost))

    app.views.use(.leaf)
    app.leaf.tags["t"] = TranslateTag()
    app.leaf.tags["money"] = MoneyTag()
    app.leaf.tags["datetime"] = ShanghaiTimeTag(format: "yyyy-MM-dd HH:mm")
    app.leaf.tags["date"] = ShanghaiTimeTag(format: "yyyy-MM-dd")
    if app.environment != .development { app.leaf.cache.isEnabled = true }

    app.sessions.use { SessionStore(base: $0.fluent.sessions.driver()) }
    app.sessions.configuration = .init(cookieName: "yunwei_session") { id in
        HTTPCookies.Value(
            string: id.string, maxAge: Int(SignedIn.lifetime), path: "/", isHTTPOnly: true, sameSite: .lax)
    }
    app.routes.defaultMaxBodySize = "2mb"
    // Browsers never compress a request body. Decompressing one that says gzip but is not made
    // the connection drop without an answer (scripts/fuzz): bodies are read as sent instead.
    app.http.server.configuration.requestDecompression = .disabled

    app.middleware = Middlewares()
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(ErrorPages())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory, defaultFile: nil))
    app.middleware.use(SecureCookies(always: settings.secureCookies))
    app.middleware.use(app.sessions.middleware)
    app.middleware.use(SessionsReached())
    app.middleware.use(ActorMiddleware())
    app.middleware.use(MultipartBoundaryCheck())
    app.middleware.use(NulCharacterCheck())
    app.middleware.use(CSRF())
    app.middleware.use(Idempotency())

    if settings.runJobs { app.lifecycle.use(CaseJobScheduler(interval: .seconds(60))) }
    Migrations.register(on: app)
    try routes(app)
}

extension Application {
    private struct SettingsKey: StorageKey { typealias Value = Settings }

    var settings: Settings {
        get { storage[SettingsKey.self]! }
        set { storage[SettingsKey.self] = newValue }
    }
}
