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
        var query = visible(to: actor, on: db)
        query = try await narrow(query, filter, actor: actor, now: now, on: db)
        if let after = filter.after { query = query.filter(\.$id < after) }
        let limit = max(1, min(filter.limit, 200))
        let rows = try await query.sort(\.$id, .descending).limit(limit + 1).all()
        let cases = Array(rows.prefix(limit))
        return Page(cases: cases, next: rows.count > limit ? cases.last?.id : nil)
    }

    /// Every case `actor` may see: in the subtrees of their roles (by village or by handler), or
    /// reported by them.
    static func visible(to actor: Actor, on db: any Database) -> QueryBuilder<CaseRecord> {
        let scope = CasePolicy.viewScope(actor)
        return CaseRecord.query(on: db).group(.or) { group in
            group.filter(\.$reporterUserID == Int(scope.reporterUserID))
            for root in scope.roots {
                group.filter(\.$villagePath =~ root.rawValue)
                group.filter(\.$handlerPath =~ root.rawValue)
            }
        }
    }

    private static func narrow(
        _ base: QueryBuilder<CaseRecord>, _ filter: Filter, actor: Actor, now: Date, on db: any Database
    ) async throws -> QueryBuilder<CaseRecord> {
        var query = base
        switch filter.inbox {
        case .all:
            break
        case .mine:
            query = query.filter(\.$reporterUserID == Int(actor.userID))
        case .classify:
            let dispatch = Policy.scope(actor, .dispatchCase)
            let supervise = Policy.scope(actor, .superviseCase)
            query = query.group(.or) { group in
                for root in dispatch {
                    group.group(.and) {
                        $0.filter(\.$villagePath =~ root.rawValue)
                            .filter(\.$state ~~ [CaseState.reported.rawValue, CaseState.returned.rawValue])
                    }
                }
                for root in supervise {
                    group.group(.and) {
                        $0.filter(\.$villagePath =~ root.rawValue).filter(\.$state == CaseState.referred.rawValue)
                    }
                }
                if dispatch.isEmpty && supervise.isEmpty { group.filter(\.$id == -1) }
            }
        case .returned:
            let dispatch = Policy.scope(actor, .dispatchCase)
            query = query.filter(\.$state == CaseState.returned.rawValue).group(.or) { group in
                for root in dispatch { group.filter(\.$villagePath =~ root.rawValue) }
                if dispatch.isEmpty { group.filter(\.$id == -1) }
            }
        case .handle:
            let scope = CasePolicy.handlingScope(actor)
            query = query.filter(\.$state ~~ [CaseState.dispatched.rawValue, CaseState.inProgress.rawValue])
                .group(.or) { group in
                    for root in scope.subtrees { group.filter(\.$handlerPath =~ root.rawValue) }
                    for unit in scope.units { group.filter(\.$handlerPath == unit.rawValue) }
                    if scope.isEmpty { group.filter(\.$id == -1) }
                }
        case .overdue:
            query = query.filter(\.$state ~~ CaseState.allCases.filter(\.runsAgainstDeadline).map(\.rawValue))
                .filter(\.$deadlineAt < now)
        case .supervised:
            query = query.filter(\.$supervised == true).filter(\.$state ~~ CaseState.openStates.map(\.rawValue))
        }
        if let code = filter.unitCode?.nilIfEmpty {
            guard let unit = try await AdminUnit.query(on: db).filter(\.$code == code).first() else {
                throw YunweiError.invalid("case.filter.unit")
            }
            query = query.group(.or) {
                $0.filter(\.$villagePath =~ unit.path).filter(\.$handlerPath =~ unit.path)
            }
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
        return query
    }
}
