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
    try signedIn.register(collection: CaseInboxPages())
    try signedIn.register(collection: CaseReportPages())
    try signedIn.register(collection: CasePages())
    try signedIn.register(collection: CategoryPages())
    try app.register(collection: PublicCasePages())
    try app.register(collection: PhotoRoutes())
    try signedIn.register(collection: StatsPages())
    try signedIn.register(collection: Open311ClientPages())
    try app.grouped("api", "v1").register(collection: APIController())
    try app.grouped("api", "v1").register(collection: CaseAPI())
    try app.grouped("api", "v1").register(collection: CaseStatsAPI())
    try app.grouped("api", "v1").register(collection: AllocationAPI())
    try app.register(collection: Open311API())
}
