import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import YunweiDomain

@testable import YunweiServer

/// Access probes generated from the route table (docs/security.md): every route of
/// `app.routes.all`, its parameters filled with the first county's resources, is asked anonymously,
/// with an expired or deleted session and a revoked token, by every role of a second county, and by
/// every role of township B / village B1 for village- and township-scoped resources. All are
/// refused and no table changes. A new route is probed without touching this file; a route whose
/// parameter no rule knows is reported.
@Suite("Access probes from the route table")
struct AccessProbeTests {
    /// Routes anyone may use, each with the reason.
    static let publicRoutes: [String: String] = [
        "GET healthz": "load balancer health check; says only that the process and database answer",
        "GET metrics": "Prometheus scrape: request counts per route pattern, no data of any unit",
        "GET lang/:language": "language switch: sets a cookie",
        "GET login": "the login form",
        "POST login": "signing in",
        "POST logout": "signing out ends one's own session only",
        "GET report": "the public report form 群众上报",
        "POST report": "a public report: a new case with a query code, throttled",
        "GET track": "looking up a public report by its query code",
        "GET track/:code": "a public report's progress, to whoever holds its query code",
        "POST track/:code/feedback": "the reporter's feedback, with the query code",
        "GET public/funds/villages/:code": "the fund's openness page 五个公开, published data only",
        "GET public/funds/townships/:code": "the township's openness page, published data only",
        "GET api/v1/openapi.json": "the API description",
        "POST api/v1/tokens": "exchanges a username and password for a token",
    ]

    /// Open311 GeoReport v2: reads are public by the standard (private cases never appear), and a
    /// POST needs a client's api_key.
    static func isPublic(_ route: ProbeRoute) -> Bool {
        publicRoutes[route.key] != nil || route.pattern.hasPrefix("open311/v2")
    }

    /// Routes outside the login wall that answer 404 to anyone who may not see, signed in or not,
    /// so as not to tell a missing resource from a hidden one.
    static let hidingRoutes: [String: String] = [
        "GET photos/:hash": "a case photo: 404 unless one may see a case it belongs to or holds its query code"
    ]

    /// A session whose row is gone has no CSRF token either: the CSRF check, which runs before the
    /// login wall, refuses its forms as forged (403) before any handler reads them.
    static let sessionlessCaller = "deleted session"

    /// Bodies a real client would send to an action route, besides the empty one.
    static let plausible: [String: [String: String]] = [
        "cases/:id/actions": ["action": "accept"],
        "claims/:id/actions": ["action": "review", "note": "probe"],
        "units/:code": ["name": "改名村"],
        "units/:code/factors": ["year": "2026", "population": "1", "households": "1"],
        "users/:username/grants": ["role": "county_admin", "unit": Fixture.county],
        "users/:username/password": ["password": "probe-password-123"],
        "payroll/contracts/:id": PayrollTests.contractForm(PayrollTests.people[1]),
        "allocations/:id/revise": ["reason": "probe"],
    ]

    /// People of the first county who, between them, may read every resource the probes name.
    static let insiders = ["county_admin", "township_finance", "village_clerk", "township_leader"]

    /// Tables a request may legitimately write while refusing: the session store (the session
    /// middleware saves a session's CSRF token and language on any request).
    static let writableTables: Set<String> = ["_fluent_sessions"]

    @Test("every route refuses other counties, other townships and villages, and stale credentials; nothing changes")
    func probeEveryRoute() async throws {
        try await withApp { app in
            let started = Date()
            let world = try await ProbeWorld.build(app)
            let routes = ProbeRoute.all(in: app, world)
            let unknown = routes.filter { !$0.unknown.isEmpty }.map { "\($0.key): \($0.unknown)" }
            #expect(unknown.isEmpty, "parameters no rule fills (add a rule in ProbeRoute.value): \(unknown)")

            // Stale credentials of the county admin, who could otherwise see everything.
            let (_, anonymous) = try await ProbeCaller.browser(app, nil)
            var (_, expired) = try await ProbeCaller.browser(app, "county_admin")
            expired = ProbeCaller(name: "expired session", cookie: expired.cookie, csrf: expired.csrf)
            try await Self.expireSession(of: expired, on: app.db, delete: false)
            var (_, deleted) = try await ProbeCaller.browser(app, "county_admin")
            deleted = ProbeCaller(name: Self.sessionlessCaller, cookie: deleted.cookie, csrf: deleted.csrf)
            try await Self.expireSession(of: deleted, on: app.db, delete: true)
            let revoked = ProbeCaller(name: "revoked token", bearer: try await Self.revokedToken("county_admin", app))
            let stale = [anonymous, expired, deleted, revoked]

            var strangers: [ProbeCaller] = []
            for username in world.otherCounty { strangers.append(try await Self.caller(username, app)) }
            var neighbours: [ProbeCaller] = []
            for username in world.otherUnits { neighbours.append(try await Self.caller(username, app)) }

            var insiders: [ProbeCaller] = []
            for username in Self.insiders { insiders.append(try await Self.caller(username, app)) }

            let before = try await Self.rowCounts(on: app.db)
            let resources = try await Self.resourceStates(on: app.db)
            var requests = 0
            var staleOffences: [String] = []
            var strangerOffences: [String] = []
            var neighbourOffences: [String] = []

            for route in routes where !Self.isPublic(route) {
                for caller in stale {
                    for body in Self.bodies(for: route, world) {
                        let response = try await caller.send(route, body, in: app)
                        requests += 1
                        guard !Self.refusesStale(route, caller, response) else { continue }
                        staleOffences.append(Self.offence(route, caller, response, body))
                    }
                }
                let named = Self.namedInBody(world)[route.key]
                guard route.reach != .none || named != nil else { continue }
                let callers = strangers + (route.reach == .county ? [] : neighbours)
                for caller in callers {
                    for body in named.map({ [$0] }) ?? Self.bodies(for: route, world) {
                        let response = try await caller.send(route, body, in: app)
                        requests += 1
                        guard ![.forbidden, .notFound].contains(response.status) else { continue }
                        if named != nil, response.status == .unprocessableEntity, Self.choiceRoutes[route.key] != nil {
                            continue
                        }
                        let line = Self.offence(route, caller, response, body)
                        if world.otherCounty.contains(caller.name) {
                            strangerOffences.append(line)
                        } else {
                            neighbourOffences.append(line)
                        }
                    }
                }
            }

            // The control: the filled paths name real resources, which people of the first county
            // can read (or are told the resource is not in the state for it, 409) — otherwise
            // every refusal above would prove nothing.
            var unread: [String] = []
            for route in routes where !Self.isPublic(route) && route.reach != .none && !route.changesState {
                var statuses: [UInt] = []
                for caller in insiders {
                    let status = try await caller.send(route, Self.bodies(for: route, world).last!, in: app).status
                    requests += 1
                    statuses.append(status.code)
                    if Self.reached(status) { break }
                }
                if !statuses.contains(where: { Self.reached(HTTPStatus(statusCode: Int($0))) }) {
                    unread.append("\(route): \(statuses)")
                }
            }
            #expect(
                unread.isEmpty,
                "routes no one of the first county can read, so their probe proves nothing:\n\(unread.lines)")
            #expect(staleOffences.isEmpty, "not refused with 401 or a redirect to /login:\n\(staleOffences.lines)")
            #expect(
                strangerOffences.isEmpty, "another county's people not refused (403/404):\n\(strangerOffences.lines)")
            #expect(
                neighbourOffences.isEmpty, "township B / village B1 not refused (403/404):\n\(neighbourOffences.lines)")
            let after = try await Self.rowCounts(on: app.db)
            let changed = after.keys.sorted().filter { !Self.writableTables.contains($0) && before[$0] != after[$0] }
                .map { "\($0): \(before[$0] ?? -1) → \(after[$0] ?? -1)" }
            #expect(changed.isEmpty, "rows changed by refused requests: \(changed)")
            #expect(try await Self.resourceStates(on: app.db) == resources)
            let probed = routes.filter { !Self.isPublic($0) }
            print(
                "access probes: \(routes.count) routes (\(probed.count) behind access, "
                    + "\(probed.filter { $0.reach != .none }.count) naming a resource), "
                    + "\(stale.count) stale callers, \(strangers.count) + \(neighbours.count) other-unit callers, "
                    + "\(requests) requests in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        }
    }

    /// The request got past access to the resource.
    static func reached(_ status: HTTPStatus) -> Bool { (200..<300).contains(status.code) || status == .conflict }

    /// 401, or a redirect to the login page; 404 where the route hides what exists from everyone.
    static func refusesStale(_ route: ProbeRoute, _ caller: ProbeCaller, _ response: TestingHTTPResponse) -> Bool {
        if response.status == .unauthorized { return true }
        if response.status == .forbidden, caller.name == sessionlessCaller, route.changesState, !route.isAPI {
            return true
        }
        if [.seeOther, .found].contains(response.status), response.location?.hasPrefix("/login") == true {
            return true
        }
        return response.status == .notFound && hidingRoutes[route.key] != nil
    }

    /// The empty body, and a plausible one where the route has one, or the one naming a
    /// first-county unit for routes that take it in the body or query.
    static func bodies(for route: ProbeRoute, _ world: ProbeWorld) -> [ProbeBody] {
        if let named = namedInBody(world)[route.key] { return [ProbeBody(), named] }
        guard route.changesState else { return [ProbeBody()] }
        let name = route.isAPI ? String(route.pattern.dropFirst("api/v1/".count)) : route.pattern
        guard let body = plausible[name] else { return [ProbeBody()] }
        return [ProbeBody(), ProbeBody(form: body)]
    }

    /// Routes without a resource in the path that take a unit of the first county in their query
    /// or body: probed like the others by the second county and by township B / village B1.
    static func namedInBody(_ world: ProbeWorld) -> [String: ProbeBody] {
        let year = StatisticsPeriod.day(of: Date()).year
        let report = [
            "category": world.categoryCode, "village": Fixture.villageA1, "description": "村口道路塌陷一处，约两米宽",
        ]
        return [
            "GET inspections": ProbeBody(query: "unit=\(Fixture.townshipA)&year=\(year)"),
            "GET api/v1/inspections": ProbeBody(query: "unit=\(Fixture.townshipA)&year=\(year)"),
            "POST cases": ProbeBody(form: report),
            "POST api/v1/cases": ProbeBody(form: report),
            "POST api/v1/claims": ProbeBody(
                json: ClaimAPITests.body(amount: 100, number: "No.PROBE", village: Fixture.villageA1)),
            "POST api/v1/disbursements": ProbeBody(
                json: ["allocation": world.allocationID, "village": Fixture.villageA1, "amount": 100]),
            "POST ledger/disbursements": ProbeBody(
                form: ["allocation": String(world.allocationID), "village": Fixture.villageA1, "amount": "1.00"]),
            "POST payroll/contracts": ProbeBody(form: PayrollTests.contractForm(PayrollTests.people[1])),
            "POST payroll/batches": ProbeBody(form: ["township": Fixture.townshipA, "month": "2026-10"]),
        ]
    }

    /// Body-named routes whose unit is a choice among one's own units: any other code, existing
    /// or not, is refused as an invalid choice beside its field (422), which tells nothing.
    static let choiceRoutes: [String: String] = [
        "POST payroll/batches": "the township is chosen among the actor's own (PayrollDesk.create)"
    ]

    static func offence(
        _ route: ProbeRoute, _ caller: ProbeCaller, _ response: TestingHTTPResponse, _ body: ProbeBody
    ) -> String {
        let location = response.location.map { " → \($0)" } ?? ""
        return "\(route) [\(route.pattern)] as \(caller.name)\(body.summary): \(response.status.code)\(location)"
    }

    /// A browser session and an API token of `username`.
    static func caller(_ username: String, _ app: Application) async throws -> ProbeCaller {
        var (_, caller) = try await ProbeCaller.browser(app, username)
        let user = try #require(try await User.query(on: app.db).filter(\.$username == username).first())
        caller.bearer = try await TokenStore.issue(for: user.requireID(), on: app.db).token
        return caller
    }

    /// Makes the session older than `SignedIn.lifetime`, or removes its row.
    static func expireSession(of caller: ProbeCaller, on db: any Database, delete: Bool) async throws {
        let value = try #require(
            caller.cookie?.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                .first { $0.hasPrefix("yunwei_session=") }?.dropFirst("yunwei_session=".count))
        let record = try #require(
            try await SessionRecord.query(on: db).filter(\.$key == SessionID(string: String(value))).first())
        if delete {
            try await record.delete(on: db)
        } else {
            var data = record.data
            data[SignedIn.sinceKey] = String(Date().timeIntervalSince1970 - SignedIn.lifetime - 60)
            record.data = data
            try await record.save(on: db)
        }
    }

    /// A token issued to `username` and revoked.
    static func revokedToken(_ username: String, _ app: Application) async throws -> String {
        let user = try #require(try await User.query(on: app.db).filter(\.$username == username).first())
        let token = try await TokenStore.issue(for: user.requireID(), on: app.db).token
        let record = try #require(try await TokenStore.record(for: token, on: app.db))
        record.revokedAt = Date()
        try await record.save(on: app.db)
        return token
    }

    /// Rows in every table of the database, by table.
    static func rowCounts(on db: any Database) async throws -> [String: Int] {
        let sql = db as! any SQLDatabase
        let names: [String] =
            switch sql.dialect.name {
            case "sqlite":
                try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                    .all().map { try $0.decode(column: "name", as: String.self) }
            default:
                try await sql.raw(
                    """
                    SELECT table_name AS name FROM information_schema.tables
                    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                    """
                ).all().map { try $0.decode(column: "name", as: String.self) }
            }
        var counts: [String: Int] = [:]
        for name in names {
            let row = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: name)").first()
            counts[name] = try row?.decode(column: "n", as: Int.self) ?? -1
        }
        return counts
    }

    /// What a refused step could have changed without adding a row: states, names, passwords.
    static func resourceStates(on db: any Database) async throws -> [String] {
        var states: [String] = []
        states += try await CaseRecord.query(on: db).sort(\.$id).all().map { "case \($0.id ?? 0) \($0.state)" }
        states += try await ClaimRecord.query(on: db).sort(\.$id).all().map { "claim \($0.id ?? 0) \($0.state)" }
        states += try await PayrollBatchRecord.query(on: db).sort(\.$id).all().map { "batch \($0.id ?? 0) \($0.state)" }
        states += try await CaretakerContractRecord.query(on: db).sort(\.$id).all().map { "contract \($0.name)" }
        states += try await AdminUnit.query(on: db).sort(\.$code).all().map { "unit \($0.code) \($0.name)" }
        states += try await User.query(on: db).sort(\.$username).all().map {
            "user \($0.username) \($0.disabled) \($0.passwordHash)"
        }
        states += try await Open311ClientRecord.query(on: db).sort(\.$id).all().map {
            "client \($0.id ?? 0) \($0.revokedAt == nil)"
        }
        return states
    }
}

extension [String] {
    fileprivate var lines: String { joined(separator: "\n") }
}
