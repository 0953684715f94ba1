import Fluent
import Foundation
import Vapor
import YunweiDomain

/// The inboxes 待办 of the case platform: which cases a person has to look at, filtered, in
/// keyset pages (newest first, `id < after`), so a page costs the same at case one million as
/// at case one. Pages and the API list cases only through here.
enum CaseQuery {
    /// 待分类 to classify, 待办理 to handle, 已超期 overdue, 督办 supervised, 被退回 returned,
    /// 我上报的 reported by me, and every case one may see.
    enum Inbox: String, CaseIterable, Sendable, Codable {
        case classify, handle, overdue, supervised, returned, mine, all
    }

    struct Filter: Sendable {
        var inbox: Inbox = .all
        /// Only cases in this unit's subtree (village path) or handled by it.
        var unitCode: String?
        /// A category code; a top category includes its subcategories.
        var categoryCode: String?
        var state: CaseState?
        /// Reported on or after / before (exclusive) these instants.
        var from: Date?
        var to: Date?
        /// Words in the description or address.
        var text: String?
        /// The keyset cursor: only cases with a smaller id.
        var after: Int?
        var limit: Int = 50
    }

    struct Page: Sendable {
        let cases: [CaseRecord]
        /// The cursor of the next page, nil on the last one.
        let next: Int?
    }

    static func page(_ filter: Filter, for actor: Actor, now: Date = Date(), on db: any Database) async throws -> Page {
        var (query, wide) = try await narrow(CaseRecord.query(on: db), filter, actor: actor, now: now, on: db)
        if let after = filter.after { query = query.filter(\.$id < after) }
        let limit = max(1, min(filter.limit, 200))
        // A whole county is read newest first along an index of ids. Anything smaller is fetched
        // by its unit indexes and sorted: ordered by `id + 0`, which no index offers, so that
        // PostgreSQL does not walk the whole table backwards hoping to meet a quiet township's
        // cases early (it assumes they are spread evenly; a township's cases can all be old).
        query = wide ? query.sort(\.$id, .descending) : query.sort(.sql(unsafeRaw: "cases.id + 0 DESC"))
        // The page's ids first, which the indexes often answer alone; then only those rows, rather
        // than every matching row carried through the sort.
        let ids = try await query.limit(limit + 1).all(\.$id)
        let rows =
            ids.isEmpty ? [] : try await CaseRecord.query(on: db).filter(\.$id ~~ ids).sort(\.$id, .descending).all()
        let cases = Array(rows.prefix(limit))
        return Page(cases: cases, next: rows.count > limit ? cases.last?.id : nil)
    }

    /// Every case `actor` may see: in the subtrees of their roles (by village or by handler), or
    /// reported by them.
    static func visible(to actor: Actor, on db: any Database) async throws -> QueryBuilder<CaseRecord> {
        let scope = CasePolicy.viewScope(actor)
        let sight = try await CaseSight.of(scope, on: db)
        return CaseRecord.query(on: db).group(.or) { group in
            group.filter(\.$reporterUserID == Int(scope.reporterUserID))
            sight.terms(group)
        }
    }

    /// The inbox's own condition, which always lies within what `actor` may see: the lists name
    /// the indexed columns first and leave out the reporter's own cases (they are in `mine`),
    /// so each inbox is one index range however large the county. Also says whether the cases
    /// may span a whole county (`wide`), or lie within townships, villages or one reporter's.
    private static func narrow(
        _ base: QueryBuilder<CaseRecord>, _ filter: Filter, actor: Actor, now: Date, on db: any Database
    ) async throws -> (QueryBuilder<CaseRecord>, wide: Bool) {
        var query = base
        var wide = false
        let scope = CasePolicy.viewScope(actor)
        var unit: (path: UnitPath, reach: CaseReach)?
        if let code = filter.unitCode?.nilIfEmpty {
            guard let record = try await AdminUnit.query(on: db).filter(\.$code == code).first() else {
                throw YunweiError.invalid("case.filter.unit")
            }
            let path = UnitPath(rawValue: record.path)
            unit = (path, try await CaseReach.placedOrHandled(within: [path], on: db))
        }
        var unitApplied = false
        /// What the person sees; or, asked for a unit inside it by someone who sees private cases
        /// wherever they see others, that unit alone: the same cases, by the narrower index.
        func sight() async throws -> CaseSight {
            let whole = try await CaseSight.of(scope, on: db)
            guard let unit, whole.privateReach == nil, scope.roots.contains(where: { unit.path.isWithin($0) })
            else { return whole }
            unitApplied = true
            return CaseSight(reach: unit.reach, privateReach: nil)
        }
        switch filter.inbox {
        case .all:
            let sight = try await sight()
            wide = sight.spansCounty
            query = query.within(sight)
        case .mine:
            // `(reporter_user_id, id)` keeps one person's reports in id order.
            wide = true
            query = query.filter(\.$reporterUserID == Int(actor.userID))
        case .classify:
            let dispatch = try await CaseReach.placed(within: Policy.scope(actor, .dispatchCase), on: db)
            let supervise = try await CaseReach.placed(within: Policy.scope(actor, .superviseCase), on: db)
            wide = !dispatch.counties.isEmpty || !supervise.counties.isEmpty
            query = query.group(.or) { group in
                if !dispatch.isEmpty {
                    group.group(.and) {
                        $0.within(dispatch).filter(
                            \.$state ~~ [CaseState.reported.rawValue, CaseState.returned.rawValue])
                    }
                }
                if !supervise.isEmpty {
                    group.group(.and) { $0.within(supervise).filter(\.$state == CaseState.referred.rawValue) }
                }
                if dispatch.isEmpty && supervise.isEmpty { group.filter(\.$id == -1) }
            }
        case .returned:
            let dispatch = try await CaseReach.placed(within: Policy.scope(actor, .dispatchCase), on: db)
            wide = !dispatch.counties.isEmpty
            query = query.filter(\.$state == CaseState.returned.rawValue).within(dispatch)
        case .handle:
            let handled = try await CaseReach.handled(by: CasePolicy.handlingScope(actor), on: db)
            wide = !handled.counties.isEmpty
            query = query.filter(\.$state ~~ [CaseState.dispatched.rawValue, CaseState.inProgress.rawValue])
                .within(handled)
        case .overdue:
            let sight = try await sight()
            wide = sight.spansCounty
            // Across a county, the partial index of running cases, named word for word; below it,
            // the same states said as "none of the others", which no state index serves, so that
            // the units' indexes lead.
            let running =
                wide
                ? query.filter(.sql(unsafeRaw: CaseStatSQL.runningCondition))
                : query.filter(\.$state !~ CaseState.allCases.filter { !$0.runsAgainstDeadline }.map(\.rawValue))
            query = running.filter(\.$deadlineAt < now).within(sight)
        case .supervised:
            // "Not finished" rather than "in an open state": the same cases, but a condition no
            // state index can serve, so the scope's unit indexes lead.
            let finished = CaseState.allCases.filter { !$0.isOpen }.map(\.rawValue)
            let sight = try await sight()
            wide = sight.spansCounty
            query = query.filter(\.$supervised == true).filter(\.$state !~ finished).within(sight)
        }
        if let unit, !unitApplied {
            wide = wide && !unit.reach.counties.isEmpty
            query = query.within(unit.reach)
        }
        if let code = filter.categoryCode?.nilIfEmpty {
            let childPrefix = code + "-"
            let categories = try await CategoryRecord.query(on: db).group(.or) {
                $0.filter(\.$code == code).filter(\.$code =~ childPrefix)
            }.all()
            query = query.filter(\.$category.$id ~~ categories.compactMap(\.id))
        }
        if let state = filter.state { query = query.filter(\.$state == state.rawValue) }
        if let from = filter.from { query = query.filter(\.$reportedAt >= from) }
        if let to = filter.to { query = query.filter(\.$reportedAt < to) }
        if let text = filter.text?.trimmingCharacters(in: .whitespaces).nilIfEmpty {
            query = query.group(.or) { $0.filter(\.$description ~~ text).filter(\.$address ~~ text) }
        }
        return (query, wide)
    }
}
