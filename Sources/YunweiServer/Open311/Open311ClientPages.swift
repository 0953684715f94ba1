import Fluent
import Vapor
import YunweiDomain

/// The county admin's page of Open311 client applications: list them, issue a key (shown once,
/// on the page answering the form), withdraw one. Keeping the category tree and deciding who
/// may file into it are one responsibility, so both ask `manageCategories`.
struct Open311ClientPages: RouteCollection {
    struct ClientRow: Encodable {
        let id: Int
        let name: String
        let county: String
        let createdAt: Double
        let revokedAt: Double?
    }

    struct CountyOption: Encodable {
        let code: String
        let name: String
    }

    struct ListPage: Encodable {
        let page: Page
        let clients: [ClientRow]
        let counties: [CountyOption]
        /// The key just issued, shown this once.
        let newKey: String?
        let newName: String?
        let endpoint: String
    }

    struct NewClientForm: Content {
        var name: String?
        var county: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        let clients = routes.grouped("open311", "clients")
        clients.get(use: list)
        clients.post(use: create)
        clients.post(":id", "revoke", use: revoke)
    }

    func list(request: Request) async throws -> View {
        try await render(request, counties: try await managedCounties(request), newKey: nil, newName: nil)
    }

    func create(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let counties = try await managedCounties(request)
        let form = try request.content.decode(NewClientForm.self)
        let code = form.county?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        guard
            let county = code.map({ code in counties.first { $0.code == code } })
                ?? (counties.count == 1 ? counties.first : nil)
        else { throw YunweiError.invalid("open311.client.error.county") }
        let key = Open311Clients.newKey()
        let name = form.name ?? ""
        let client = try await request.db.write { db in
            try await Open311Clients.issue(name: name, county: county, key: key, by: .init(actor), on: db)
        }
        let response = try await render(request, counties: counties, newKey: key, newName: client.name)
            .encodeResponse(for: request)
        // The key is on this page only: no cache keeps a copy.
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    func revoke(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        guard let id = request.parameters.get("id", as: Int.self),
            let client = try await Open311ClientRecord.find(id, on: request.db)
        else { throw YunweiError.notFound }
        let county = try await client.$county.get(on: request.db)
        guard Policy.can(actor, .manageCategories, at: county.unitPath) else { throw YunweiError.notFound }
        try await request.db.write { db in
            try await Open311Clients.revoke(client, county: county, by: .init(actor), on: db)
        }
        request.setNotice("open311.client.revoked")
        return request.redirect(to: "/open311/clients")
    }

    /// The counties where the actor keeps the categories; 403 when none.
    private func managedCounties(_ request: Request) async throws -> [AdminUnit] {
        let actor = try request.requireActor()
        let roots = Policy.scope(actor, .manageCategories)
        guard !roots.isEmpty else { throw YunweiError.forbidden }
        return try await AdminUnit.query(on: request.db).filter(\.$path ~~ roots.map(\.rawValue))
            .filter(\.$kind == UnitKind.county.rawValue).sort(\.$code).all()
    }

    private func render(_ request: Request, counties: [AdminUnit], newKey: String?, newName: String?) async throws
        -> View
    {
        let ids = counties.compactMap(\.id)
        let names = Dictionary(
            counties.compactMap { county in county.id.map { ($0, county.name) } }, uniquingKeysWith: { a, _ in a })
        let clients =
            ids.isEmpty
            ? [] : try await Open311ClientRecord.query(on: request.db).filter(\.$county.$id ~~ ids).sort(\.$id).all()
        let page = await Page.make(for: request, title: "open311.clients.title")
        return try await request.view.render(
            "open311/clients",
            ListPage(
                page: page,
                clients: clients.map {
                    ClientRow(
                        id: $0.id ?? 0, name: $0.name, county: names[$0.$county.id] ?? "",
                        createdAt: $0.createdAt.timeIntervalSince1970, revokedAt: $0.revokedAt?.timeIntervalSince1970)
                },
                counties: counties.map { CountyOption(code: $0.code, name: $0.name) }, newKey: newKey, newName: newName,
                endpoint: "/open311/v2/discovery.json"))
    }
}
