import Foundation
import Testing
import Vapor
import VaporTesting
import YunweiDomain

@testable import YunweiServer

/// One route of `app.routes.all` with its parameters filled by the first county's resources.
struct ProbeRoute: CustomStringConvertible {
    /// How far a resource reaches: `local` ones belong to one village or township (cases, claims,
    /// the ledger, payroll, inspections, photos, units, people); `county` ones to the whole county
    /// (allocations, categories, Open311 clients), which every unit of the county may share.
    enum Reach { case none, county, local }

    let method: HTTPMethod
    /// The route as registered, e.g. `claims/:id/actions`.
    let pattern: String
    /// The request path with its parameters filled, e.g. `/claims/12/actions`.
    let path: String
    let reach: Reach
    /// Parameters no rule knew; filled with village A1's code and reported.
    let unknown: [String]

    var key: String { "\(method.rawValue) \(pattern)" }
    var isAPI: Bool { pattern.hasPrefix("api/") }
    var changesState: Bool { ![.GET, .HEAD, .OPTIONS].contains(method) }
    var description: String { "\(method.rawValue) \(path)" }

    static func all(in app: Application, _ world: ProbeWorld) -> [ProbeRoute] {
        app.routes.all.map { ProbeRoute($0.method, $0.path, world) }
    }

    init(_ method: HTTPMethod, _ components: [PathComponent], _ world: ProbeWorld) {
        self.method = method
        pattern = components.map(\.description).joined(separator: "/")
        var reach = Reach.none
        var unknown: [String] = []
        var previous = ""
        var parts: [String] = []
        for component in components {
            switch component {
            case .constant(let text):
                parts.append(text)
                previous = text
            case .parameter(let name):
                let (value, kind) = Self.value(name, after: previous, world)
                if kind == nil, value == nil { unknown.append(name) }
                parts.append(value ?? Fixture.villageA1)
                if let kind, kind == .local || reach == .none { reach = kind }
                if value == nil { reach = .local }
            case .anything, .catchall:
                parts.append("probe")
            }
        }
        path = "/" + parts.joined(separator: "/")
        self.reach = reach
        self.unknown = unknown
    }

    /// A parameter's value, by its name and the path segment before it, and what it names.
    private static func value(_ name: String, after previous: String, _ world: ProbeWorld) -> (String?, Reach?) {
        switch (name, previous) {
        case ("code", "townships"), ("code", "inspections"): (Fixture.townshipA, .local)
        case ("code", "villages"), ("code", "units"): (Fixture.villageA1, .local)
        case ("code", "categories"): (world.categoryCode, .county)
        case ("code", "track"): ("PROBE0000", Reach.none)
        case ("year", _): (String(StatisticsPeriod.day(of: Date()).year), Reach.none)
        case ("id", "cases"): (String(world.caseID), .local)
        case ("id", "claims"): (String(world.claimID), .local)
        case ("id", "contracts"): (String(world.contractID), .local)
        case ("id", "batches"): (String(world.batchID), .local)
        case ("id", "allocations"): (String(world.allocationID), .county)
        case ("id", "clients"): (String(world.clientID), .county)
        case ("hash", _): (world.photoHash, .local)
        case ("sha", _): (world.scanHash, .local)
        case ("username", _): ("village_clerk", .local)
        case ("grant", _): (String(world.grantID), .local)
        case ("kind", "imports"): ("units", Reach.none)
        case ("file", "exports"): ("units.csv", Reach.none)
        case ("file", "services"): (world.categoryCode + ".json", Reach.none)
        case ("file", "requests"): ("\(world.caseID).json", Reach.none)
        case ("language", _): ("en", Reach.none)
        default: (nil, nil)
        }
    }
}

/// Who asks: a browser session (cookie and its CSRF token), an API token, or neither.
struct ProbeCaller: Sendable {
    let name: String
    var cookie: String?
    var csrf: String?
    var bearer: String?

    /// Sends `route` as this caller with `body`: its form for a browser, its JSON for the API.
    func send(_ route: ProbeRoute, _ body: ProbeBody = ProbeBody(), in app: Application) async throws
        -> TestingHTTPResponse
    {
        let path = body.query.map { route.path + "?" + $0 } ?? route.path
        return try await app.testing().sendRequest(route.method, path) { request in
            if route.isAPI || cookie == nil {
                if let bearer { request.headers.bearerAuthorization = .init(token: bearer) }
            } else if let cookie {
                request.headers.replaceOrAdd(name: .cookie, value: cookie)
            }
            request.headers.replaceOrAdd(name: .accept, value: route.isAPI ? "application/json" : "text/html")
            guard route.changesState else { return }
            if route.isAPI {
                request.headers.contentType = .json
                request.body = ByteBuffer(data: body.json)
            } else {
                var form = body.form
                if let csrf { form[CSRF.field] = csrf }
                try request.content.encode(form, as: .urlEncodedForm)
            }
        }
    }

    /// A browser signed in as `username` (or only holding a session, when nil).
    static func browser(_ app: Application, _ username: String?) async throws -> (Browser, ProbeCaller) {
        let browser = Browser(app)
        if let username { try await browser.login(username) } else { try await browser.get("/login") }
        let cookie = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        return (browser, ProbeCaller(name: username ?? "anonymous", cookie: cookie, csrf: browser.csrf))
    }
}

/// What a probe sends besides the path: a query, and a form or JSON body.
struct ProbeBody: Sendable {
    var query: String?
    var form: [String: String] = [:]
    var json = Data("{}".utf8)

    /// The same fields as a form and as JSON (a JSON object may nest, a form may not).
    init(query: String? = nil, form: [String: String] = [:], json: [String: Any]? = nil) {
        self.query = query
        self.form = form
        let object: [String: Any] = json ?? form
        self.json = (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8)
    }

    /// The names of what is sent, for the report.
    var summary: String {
        var parts: [String] = []
        if let query { parts.append("?\(query)") }
        if !form.isEmpty { parts.append("form \(form.keys.sorted())") } else if json.count > 2 { parts.append("json") }
        return parts.isEmpty ? "" : " with " + parts.joined(separator: " ")
    }
}
