import Fluent
import Vapor
import YunweiDomain

/// `/imports`: upload the units, factor-data and users CSV files, and download the same three
/// tables as Excel-friendly CSV.
struct ImportPages: RouteCollection {
    struct IssueRow: Encodable {
        let line: Int
        let column: String
        let reason: String
    }

    struct ImportsPage: Encodable {
        let page: Page
        let kinds: [String]
        let canImport: Bool
        let kind: String?
        let issues: [IssueRow]
        let generated: [String]
    }

    struct Upload: Content {
        var file: File?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("imports", use: show)
        routes.on(.POST, "imports", ":kind", body: .collect(maxSize: "10mb"), use: upload)
        routes.get("exports", ":file", use: export)
    }

    func show(request: Request) async throws -> View {
        let actor = try request.requireActor()
        guard !Policy.scope(actor, .importData).isEmpty || !Policy.scope(actor, .exportData).isEmpty else {
            throw YunweiError.forbidden
        }
        return try await render(request, kind: nil, issues: [], generated: [])
    }

    func upload(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let scope = Policy.scope(actor, .importData)
        guard !scope.isEmpty else { throw YunweiError.forbidden }
        guard let kind = request.parameters.get("kind").flatMap(Importer.Kind.init(rawValue:)) else {
            throw YunweiError.notFound
        }
        guard let file = try? request.content.decode(Upload.self).file, file.data.readableBytes > 0 else {
            throw YunweiError.invalid("import.no_file")
        }
        do {
            let outcome = try await Importer.run(
                kind, Data(buffer: file.data), by: .init(actor), scope: scope, hasher: request.password.async,
                on: request.db)
            if !outcome.generatedPasswords.isEmpty {
                let lines = outcome.generatedPasswords.map { "\($0.username): \($0.password)" }
                return try await render(request, kind: kind.rawValue, issues: [], generated: lines).encodeResponse(
                    for: request)
            }
            request.setNotice("import.done")
            return request.redirect(to: "/imports")
        } catch let rejection as ImportRejection {
            let rows = rejection.issues.map {
                IssueRow(line: $0.line, column: $0.column ?? "", reason: request.t($0.key, $0.args))
            }
            return try await render(request, kind: kind.rawValue, issues: rows, generated: [])
                .encodeResponse(status: .unprocessableEntity, for: request)
        }
    }

    func export(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let name = request.parameters.get("file") ?? ""
        guard name.hasSuffix(".csv"), let kind = Importer.Kind(rawValue: String(name.dropLast(4))) else {
            throw YunweiError.notFound
        }
        let action: Action = kind == .users ? .viewUsers : .exportData
        let scope = Policy.scope(actor, action)
        guard !scope.isEmpty else { throw YunweiError.forbidden }
        let data = try await Exporter.csv(kind, within: scope, on: request.db)
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.contentDisposition = .init(.attachment, filename: name)
        return response
    }

    private func render(_ request: Request, kind: String?, issues: [IssueRow], generated: [String]) async throws -> View
    {
        let actor = try request.requireActor()
        let page = await Page.make(for: request, title: "imports.title")
        return try await request.view.render(
            "imports",
            ImportsPage(
                page: page, kinds: Importer.Kind.allCases.map(\.rawValue),
                canImport: !Policy.scope(actor, .importData).isEmpty,
                kind: kind, issues: issues, generated: generated))
    }
}

/// The three tables as CSV, in the same columns the importer reads, limited to a scope.
enum Exporter {
    static func csv(_ kind: Importer.Kind, within scope: [UnitPath], on db: any Database) async throws -> Data {
        switch kind {
        case .units:
            let units = try await AdminUnit.query(on: db).within(scope).sort(\.$path).all()
            return CSVTable.excelData(
                [["code", "name", "kind", "parent"]] + units.map { [$0.code, $0.name, $0.kind, $0.parentCode ?? ""] })
        case .factors:
            let villages = try await AdminUnit.query(on: db).within(scope).filter(\.$kind == UnitKind.village.rawValue)
                .all()
            let codes = Dictionary(
                villages.compactMap { v in v.id.map { ($0, v.code) } }, uniquingKeysWith: { a, _ in a })
            let records = try await FactorRecord.query(on: db).filter(\.$unit.$id ~~ Array(codes.keys)).all()
                .sorted { (codes[$0.$unit.id] ?? "", $0.year) < (codes[$1.$unit.id] ?? "", $1.year) }
            return CSVTable.excelData(
                [["unit", "year", "population", "households", "area", "location", "income", "performance"]]
                    + records.map {
                        [
                            codes[$0.$unit.id] ?? "", String($0.year), String($0.population), String($0.households),
                            FactorInput.areaText($0.areaHundredthsKm2), $0.location,
                            Money(fen: $0.collectiveIncomeFen).yuanString,
                            String($0.performance),
                        ]
                    })
        case .users:
            let grants = try await RoleGrant.query(on: db).join(
                AdminUnit.self, on: \RoleGrant.$unit.$id == \AdminUnit.$id
            )
            .group(.or) { group in for root in scope { group.filter(AdminUnit.self, \.$path =~ root.rawValue) } }
            .with(\.$user).with(\.$unit).all()
            .sorted { ($0.user.username, $0.role) < ($1.user.username, $1.role) }
            return CSVTable.excelData(
                [["username", "name", "phone", "role", "unit", "password"]]
                    + grants.map {
                        [$0.user.username, $0.user.displayName, $0.user.phone ?? "", $0.role, $0.unit.code, ""]
                    })
        }
    }
}
