import Fluent
import YunweiDomain

/// Unit subtrees as conditions on a case row's unit ids (`county_id`, `township_id`,
/// `village_id`, `handler_unit_id`), which the indexes serve, in place of prefix matches on the
/// paths, which neither database can look up by index in every collation. The inboxes scope
/// every list through here; the paths stay the policy's language and the answer is the same.
struct CaseReach: Sendable {
    /// Cases reported in a village of these counties, townships, villages.
    var counties: Set<Int> = []
    var townships: Set<Int> = []
    var villages: Set<Int> = []
    /// Cases handed to one of these units.
    var handlers: Set<Int> = []

    var isEmpty: Bool { counties.isEmpty && townships.isEmpty && villages.isEmpty && handlers.isEmpty }

    /// Cases reported in, or handed to a unit in, the subtrees of `roots`: the view scope.
    static func placedOrHandled(within roots: [UnitPath], on db: any Database) async throws -> CaseReach {
        var reach = CaseReach()
        for root in try await units(roots, on: db) {
            reach.addPlaces(in: root)
            try await reach.addHandlers(in: root, on: db)
        }
        return reach
    }

    /// Cases reported in a village in the subtrees of `roots`.
    static func placed(within roots: [UnitPath], on db: any Database) async throws -> CaseReach {
        var reach = CaseReach()
        for root in try await units(roots, on: db) { reach.addPlaces(in: root) }
        return reach
    }

    /// Cases handed to a unit of `scope`: a subtree's units, or the unit itself.
    static func handled(by scope: CaseHandlingScope, on db: any Database) async throws -> CaseReach {
        var reach = CaseReach()
        for root in try await units(scope.subtrees, on: db) { try await reach.addHandlers(in: root, on: db) }
        for unit in try await units(scope.units, on: db) { reach.handlers.insert(try unit.requireID()) }
        return reach
    }

    /// The reach as terms of an `.or` group; with no reach, a term no case meets.
    func terms(_ group: QueryBuilder<CaseRecord>) {
        if isEmpty { group.filter(\.$id == -1) }
        if !counties.isEmpty { group.filter(\.$county.$id ~~ counties.sorted()) }
        if !townships.isEmpty { group.filter(\.$township.$id ~~ townships.sorted()) }
        if !villages.isEmpty { group.filter(\.$village.$id ~~ villages.sorted()) }
        if !handlers.isEmpty { group.filter(\.$handlerUnit.$id ~~ handlers.sorted()) }
    }

    private mutating func addPlaces(in root: AdminUnit) {
        guard let id = root.id else { return }
        switch UnitKind(rawValue: root.kind) {
        case .county: counties.insert(id)
        case .township: townships.insert(id)
        case .village: villages.insert(id)
        default: break
        }
    }

    /// A county's handlers are its own units, so its cases are all of them; below a county the
    /// subtree's units are few (a township's villages, departments and groups).
    private mutating func addHandlers(in root: AdminUnit, on db: any Database) async throws {
        if UnitKind(rawValue: root.kind) == .county {
            counties.insert(try root.requireID())
            return
        }
        let ids = try await AdminUnit.query(on: db).filter(\.$path =~ root.path).all(\.$id)
        handlers.formUnion(ids)
    }

    private static func units(_ paths: [UnitPath], on db: any Database) async throws -> [AdminUnit] {
        guard !paths.isEmpty else { return [] }
        return try await AdminUnit.query(on: db).filter(\.$path ~~ paths.map(\.rawValue)).all()
    }
}

/// What a person may see (`CaseViewScope`, less their own reports) as a condition on the unit
/// ids: ordinary cases within the view reach, private ones within the private reach or handed
/// to them. Whoever sees private cases wherever they see others needs one reach for both, so a
/// county's inbox stays one index range.
struct CaseSight: Sendable {
    let reach: CaseReach
    /// Nil when private cases are seen wherever ordinary ones are.
    let privateReach: CaseReach?

    static func of(_ scope: CaseViewScope, on db: any Database) async throws -> CaseSight {
        let reach = try await CaseReach.placedOrHandled(within: scope.roots, on: db)
        guard !scope.seesPrivateEverywhere else { return CaseSight(reach: reach, privateReach: nil) }
        var secret = try await CaseReach.placedOrHandled(within: scope.privateRoots, on: db)
        secret.formUnion(try await CaseReach.handled(by: scope.handling, on: db))
        return CaseSight(reach: reach, privateReach: secret)
    }

    /// Whether the cases seen may span a whole county.
    var spansCounty: Bool { !reach.counties.isEmpty || privateReach?.counties.isEmpty == false }

    /// The sight as terms of an `.or` group.
    func terms(_ group: QueryBuilder<CaseRecord>) {
        guard let privateReach else { return reach.terms(group) }
        group.group(.and) { $0.filter(\.$isPrivate == false).within(reach) }
        group.group(.and) { $0.filter(\.$isPrivate == true).within(privateReach) }
    }
}

extension CaseReach {
    mutating func formUnion(_ other: CaseReach) {
        counties.formUnion(other.counties)
        townships.formUnion(other.townships)
        villages.formUnion(other.villages)
        handlers.formUnion(other.handlers)
    }
}

extension QueryBuilder where Model == CaseRecord {
    /// Only the cases within `reach`.
    func within(_ reach: CaseReach) -> Self {
        group(.or) { reach.terms($0) }
    }

    /// Only the cases `sight` sees.
    func within(_ sight: CaseSight) -> Self {
        group(.or) { sight.terms($0) }
    }
}
