import Vapor

/// Every route, by capability. Each capability's controller registers its own.
func routes(_ app: Application) throws {
    Observability.routes(app)
    try app.register(collection: LanguageSwitch())
    try app.register(collection: SessionController())
    let signedIn = app.grouped(LoginRequired())
    try signedIn.register(collection: HomeController())
    try signedIn.register(collection: AccountController())
    try signedIn.register(collection: UnitPages())
    try signedIn.register(collection: UserPages())
    try signedIn.register(collection: ImportPages())
    try signedIn.register(collection: AuditPages())
    try app.grouped("api", "v1").register(collection: APIController())
}
