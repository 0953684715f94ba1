import Fluent
import Vapor
import YunweiDomain

/// The unit tree for people: browse from one's own units down, a village's factor data by
/// year, and (for admins) adding and renaming units and keeping factor data.
struct UnitPages: RouteCollection {
    struct UnitRow: Encodable {
        let code: String
        let name: String
        let kind: String
        let children: Int
    }

    struct FactorRow: Encodable {
        let year: Int
        let population: Int
        let households: Int
        let area: String
        let location: String
        let incomeFen: Int64
        let performance: Int
    }

    /// A top unit with the level below it, so the tree opens one step deep.
    struct TreeRow: Encodable {
        let code: String
        let name: String
        let kind: String
        let children: Int
        let below: [UnitRow]
    }

    struct TreePage: Encodable {
        let page: Page
        let roots: [TreeRow]
    }

    struct UnitPage: Encodable {
        let page: Page
        let unit: UnitRow
        let trail: [UnitRow]
        let children: [UnitRow]
        let isVillage: Bool
        let factors: [FactorRow]
        let canEdit: Bool
        let canAddChild: Bool
        let canEditFactors: Bool
        let childKinds: [String]
        let locations: [String]
        let nextYear: Int
    }

    struct UnitForm: Content {
        var code: String?
        var name: String?
        var kind: String?
        var parent: String?
    }

    struct FactorForm: Content {
        var year: String?
        var population: String?
        var households: String?
        var area: String?
        var location: String?
        var income: String?
        var performance: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        let units = routes.grouped("units")
        units.get(use: tree)
        units.post(use: create)
        units.get(":code", use: show)
        units.post(":code", use: rename)
        units.post(":code", "factors", use: saveFactors)
    }

    func tree(request: Request) async throws -> View {
        let actor = try request.requireActor()
        let roots = Policy.scope(actor, .viewUnit)
        let units = try await AdminUnit.query(on: request.db).filter(\.$path ~~ roots.map(\.rawValue)).sort(\.$code)
            .all()
        let children = try await AdminUnit.query(on: request.db).filter(\.$parent.$id ~~ units.compactMap(\.id))
            .sort(\.$kind).sort(\.$code).all()
        let childRows = Dictionary(
            grouping: zip(children, try await rows(children, on: request.db)), by: { $0.0.$parent.id ?? -1 })
        let tree = try await rows(units, on: request.db).enumerated().map { index, row in
            TreeRow(
                code: row.code, name: row.name, kind: row.kind, children: row.children,
                below: (childRows[units[index].id ?? -1] ?? []).map(\.1))
        }
        let page = await Page.make(for: request, title: "units.title")
        return try await request.view.render("units/tree", TreePage(page: page, roots: tree))
    }

    func show(request: Request) async throws -> View {
        try await render(request, code: request.parameters.get("code") ?? "")
    }

    func create(request: Request) async throws -> Response {
        let form = try request.content.decode(UnitForm.self)
        let parent = try await AdminUnit.visible(
            code: form.parent ?? "", to: try request.requireActor(), on: request.db)
        let actor = try request.authorize(.editUnit, at: parent.unitPath)
        guard let kind = form.kind.flatMap(UnitKind.init(rawValue:)) else {
            throw YunweiError.invalid("unit.error.bad_kind")
        }
        let code = (form.code ?? "").trimmingCharacters(in: .whitespaces)
        try await request.db.write { db in
            _ = try await UnitRegistry.create(
                code: code, name: form.name ?? "", kind: kind, parentCode: parent.code, by: .init(actor), on: db)
        }
        request.setNotice("unit.created")
        return request.redirect(to: "/units/\(code)")
    }

    func rename(request: Request) async throws -> Response {
        let unit = try await AdminUnit.visible(
            code: request.parameters.get("code") ?? "", to: try request.requireActor(), on: request.db)
        let actor = try request.authorize(.editUnit, at: unit.unitPath)
        let form = try request.content.decode(UnitForm.self)
        let unitID = try unit.requireID()
        try await request.db.write { db in
            guard let unit = try await AdminUnit.find(unitID, on: db) else { throw YunweiError.notFound }
            try await UnitRegistry.rename(unit, to: form.name ?? "", by: .init(actor), on: db)
        }
        request.setNotice("unit.saved")
        return request.redirect(to: "/units/\(unit.code)")
    }

    func saveFactors(request: Request) async throws -> Response {
        let unit = try await AdminUnit.visible(
            code: request.parameters.get("code") ?? "", to: try request.requireActor(), on: request.db)
        let actor = try request.authorize(.editFactors, at: unit.unitPath)
        let form = try request.content.decode(FactorForm.self)
        let factors = try FactorInput.parse(
            unit: unit.unitCode, year: form.year, population: form.population, households: form.households,
            area: form.area,
            location: form.location, income: form.income, performance: form.performance)
        let unitID = try unit.requireID()
        try await request.db.write { db in
            guard let village = try await AdminUnit.find(unitID, on: db) else { throw YunweiError.notFound }
            try await UnitRegistry.setFactors(factors, for: village, by: .init(actor), on: db)
        }
        request.setNotice("factors.saved")
        return request.redirect(to: "/units/\(unit.code)")
    }

    private func render(_ request: Request, code: String) async throws -> View {
        let actor = try request.requireActor()
        let unit = try await AdminUnit.visible(code: code, to: actor, on: request.db)
        let unitID = try unit.requireID()
        let children = try await AdminUnit.query(on: request.db).filter(\.$parent.$id == unitID).sort(\.$kind).sort(
            \.$code
        ).all()
        let ancestorCodes = unit.unitPath.codes.dropLast().map(\.rawValue)
        let ancestors = try await AdminUnit.query(on: request.db).filter(\.$code ~~ ancestorCodes).scoped(
            to: actor, .viewUnit
        )
        .sort(\.$path).all()
        let factors = try await FactorRecord.query(on: request.db).filter(\.$unit.$id == unitID).sort(
            \.$year, .descending
        ).all()
        let page = await Page.make(for: request, title: "units.title")
        let childKinds = UnitKind.allCases.filter { $0.allowedParents.contains(unit.unitKind) }.map(\.rawValue)
        let context = UnitPage(
            page: page, unit: try await rows([unit], on: request.db)[0],
            trail: ancestors.map { UnitRow(code: $0.code, name: $0.name, kind: $0.kind, children: 0) },
            children: try await rows(children, on: request.db), isVillage: unit.unitKind == .village,
            factors: factors.map {
                FactorRow(
                    year: $0.year, population: $0.population, households: $0.households,
                    area: FactorInput.areaText($0.areaHundredthsKm2), location: $0.location,
                    incomeFen: $0.collectiveIncomeFen,
                    performance: $0.performance)
            },
            canEdit: Policy.can(actor, .editUnit, at: unit.unitPath),
            canAddChild: Policy.can(actor, .editUnit, at: unit.unitPath) && !childKinds.isEmpty,
            canEditFactors: unit.unitKind == .village && Policy.can(actor, .editFactors, at: unit.unitPath),
            childKinds: childKinds, locations: LocationClass.allCases.map(\.rawValue),
            nextYear: (factors.first?.year ?? Calendar.current.component(.year, from: Date()) - 1) + 1)
        return try await request.view.render("units/show", context)
    }

    /// Rows with their number of children, counted in one query.
    private func rows(_ units: [AdminUnit], on db: any Database) async throws -> [UnitRow] {
        let counts = try await AdminUnit.childCounts(of: units, on: db)
        return units.map { UnitRow(code: $0.code, name: $0.name, kind: $0.kind, children: counts[$0.id ?? -1] ?? 0) }
    }
}
