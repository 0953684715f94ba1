import Fluent
import Vapor
import YunweiDomain

/// Open311 GeoReport v2 at `/open311/v2` (DOMAIN.md §3; docs/open311.md): discovery, services,
/// service definitions, and service requests to read and to file, each as `.json` and `.xml`.
/// Reading needs nothing; filing needs an api_key (`Open311Clients`). Registered on the
/// application itself, outside the sign-in, and answers its own errors (`Open311Errors`).
struct Open311API: RouteCollection {
    static let specification = "http://wiki.open311.org/GeoReport_v2"

    /// When this server started: the discovery document's changeset, so clients refresh what they
    /// cached after an upgrade.
    let started = Date()

    func boot(routes: any RoutesBuilder) throws {
        let v2 = routes.grouped("open311", "v2").grouped(Open311Errors())
        for format in Open311Format.allCases {
            let ext = format.rawValue
            v2.get("discovery.\(ext)") { request in discovery(request, format) }
            v2.get("services.\(ext)") { request in try await services(request, format) }
            v2.get("requests.\(ext)") { request in try await requests(request, format) }
            v2.post("requests.\(ext)") { request in try await submit(request, format) }
        }
        // The root shows the discovery document, as the discovery specification suggests.
        v2.get { request in discovery(request, .xml) }
        v2.get("services", ":file") { request in try await definition(request) }
        v2.get("requests", ":file") { request in try await serviceRequest(request) }
        // Anything else under /open311/v2 is a GeoReport 404, never an HTML page.
        v2.get("**") { _ -> Response in throw Open311Failure.notFound }
        v2.post("**") { _ -> Response in throw Open311Failure.notFound }
    }

    func discovery(_ request: Request, _ format: Open311Format) -> Response {
        let changeset = W3CDateTime.format(started)
        let document = Open311Document(
            root: "discovery",
            value: .record([
                ("changeset", .text(changeset)),
                ("contact", .text(request.t("open311.discovery.contact"))),
                ("key_service", .text(request.t("open311.discovery.key_service"))),
                (
                    "endpoints",
                    .list(
                        item: "endpoint",
                        [
                            .record([
                                ("specification", .text(Self.specification)),
                                ("url", .text(baseURL(request) + "/open311/v2")),
                                ("changeset", .text(changeset)),
                                ("type", .text("production")),
                                (
                                    "formats",
                                    .list(item: "format", [.text("text/xml"), .text("application/json")])
                                ),
                            ])
                        ])
                ),
            ]))
        return document.response(format)
    }

    func services(_ request: Request, _ format: Open311Format) async throws -> Response {
        let county = try await Open311Jurisdiction.county(for: request)
        let services = try await Open311Services.all(of: county, on: request.db)
        return Open311Services.list(services, request).response(format)
    }

    func definition(_ request: Request) async throws -> Response {
        let (code, format) = try Self.split(request.parameters.get("file"))
        let county = try await Open311Jurisdiction.county(for: request)
        guard let service = try await Open311Services.find(code, of: county, on: request.db) else {
            throw Open311Failure(
                .notFound, parameter: "service_code", key: "open311.error.service_unknown", args: ["code": code])
        }
        let villages = try await Open311Services.villages(of: county, on: request.db)
        return Open311Services.definition(service, villages: villages, request).response(format)
    }

    func requests(_ request: Request, _ format: Open311Format) async throws -> Response {
        let county = try await Open311Jurisdiction.county(for: request)
        let filter = try Open311Requests.Filter.parse(request)
        let records = try await Open311Requests.find(filter, in: county, on: request.db)
        return try await Open311Requests.document(records, in: county, request).response(format)
    }

    func serviceRequest(_ request: Request) async throws -> Response {
        let (id, format) = try Self.split(request.parameters.get("file"))
        let county = try await Open311Jurisdiction.county(for: request)
        guard let number = Int(id), let record = try await Open311Requests.find(id: number, in: county, on: request.db)
        else {
            throw Open311Failure(
                .notFound, parameter: "service_request_id", key: "open311.error.request_unknown", args: ["id": id])
        }
        return try await Open311Requests.document([record], in: county, request).response(format)
    }

    func submit(_ request: Request, _ format: Open311Format) async throws -> Response {
        let form = try request.content.decode(Open311Submission.Form.self)
        let (record, service) = try await Open311Submission.submit(form, request)
        return Open311Submission.receipt(record, service, request).response(format)
    }

    /// `ROAD.json` → (`ROAD`, .json); any other extension is a 404.
    private static func split(_ file: String?) throws -> (String, Open311Format) {
        guard let file, let split = Open311Format.split(file), !split.name.isEmpty else {
            throw Open311Failure.notFound
        }
        return split
    }

    /// This server as the client reached it, for the discovery document's endpoint URL.
    private func baseURL(_ request: Request) -> String {
        let settings = request.application.settings
        let forwarded = settings.trustProxy ? request.headers.first(name: "X-Forwarded-Proto") : nil
        let scheme = forwarded ?? (settings.secureCookies ? "https" : "http")
        let host = request.headers.first(name: .host) ?? "localhost"
        return "\(scheme)://\(host)"
    }
}
