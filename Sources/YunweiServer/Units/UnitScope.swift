import Fluent
import Vapor
import YunweiDomain

extension QueryBuilder where Model == AdminUnit {
    /// Only the units inside `roots` (their subtrees). No roots, no rows.
    func within(_ roots: [UnitPath]) -> Self {
        guard !roots.isEmpty else { return filter(\.$id == -1) }
        return group(.or) { group in
            for root in roots { group.filter(\.$path =~ root.rawValue) }
        }
    }

    /// Only the units where the policy lets `actor` do `action`. Every unit query that
    /// answers a person goes through here.
    func scoped(to actor: Actor, _ action: Action) -> Self {
        within(Policy.scope(actor, action))
    }
}

extension AdminUnit {
    /// How many children each of `units` has, by unit id, counted in one query.
    static func childCounts(of units: [AdminUnit], on db: any Database) async throws -> [Int: Int] {
        let ids = units.compactMap(\.id)
        guard !ids.isEmpty else { return [:] }
        var counts: [Int: Int] = [:]
        for child in try await AdminUnit.query(on: db).filter(\.$parent.$id ~~ ids).field(\.$parent.$id).all() {
            counts[child.$parent.id ?? -1, default: 0] += 1
        }
        return counts
    }

    /// The unit with `code`, if `actor` may see it; 404 otherwise, so that units outside one's
    /// scope are indistinguishable from units that do not exist.
    static func visible(code: String, to actor: Actor, on database: any Database) async throws -> AdminUnit {
        guard UnitCode(code) != nil,
            let unit = try await AdminUnit.query(on: database).filter(\.$code == code).scoped(to: actor, .viewUnit)
                .first()
        else { throw YunweiError.notFound }
        return unit
    }
}
