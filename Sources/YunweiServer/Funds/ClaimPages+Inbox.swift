import Fluent
import Foundation
import Vapor
import YunweiDomain

/// `/claims?tab=…`: the inboxes, one per step of the chain, newest first and paged. A step's
/// inbox shows only to those who take that step somewhere (`ClaimPolicy.inboxScope`), and lists
/// only the claims they may take it on now (separation of duties and the payee rule, from each
/// claim's history). Every list is scoped to the viewer's funds scope.
extension ClaimPages {
    /// The tabs, in the order of the chain.
    enum Tab: String, CaseIterable {
        case review, approve, notice, township, post, returned, mine, all

        /// The step the inbox is for, if it is one person's step.
        var duty: ClaimDuty? {
            switch self {
            case .review: .review
            case .approve: .approve
            case .township: .leaderReview
            case .post: .post
            case .notice, .returned, .mine, .all: nil
            }
        }

        /// The claims' states the tab lists; nil: every state.
        var states: [ClaimState]? {
            switch self {
            case .review: [.submitted]
            case .approve: [.reviewed]
            case .notice: [.inNotice]
            case .township: [.villageApproved, .inNotice]
            case .post: [.leaderReviewed]
            case .returned: [.returned]
            case .mine, .all: nil
            }
        }
    }

    struct TabLink: Encodable {
        let key: String
        let href: String
        let current: Bool
    }

    struct Row: Encodable {
        let id: Int
        let village: String
        let purpose: String
        let category: String
        let payee: String
        let amount: Int
        let state: String
        let updatedAt: Double
        let daysLeft: Int?
        let objections: Int?
    }

    struct InboxPage: Encodable {
        let page: Page
        let tab: String
        let tabs: [TabLink]
        let rows: [Row]
        let mayDraft: Bool
        let isAll: Bool
        let isNotice: Bool
        let states: [Option]
        let villages: [Option]
        let previous: String?
        let next: String?
    }

    static let pageSize = 50
    /// The deepest page offered: older claims are found by the filters.
    static let maxPage = 200

    func inbox(request: Request) async throws -> View {
        let actor = try request.requireActor()
        let viewScope = ClaimPolicy.viewScope(actor)
        guard !viewScope.isEmpty else { throw YunweiError.forbidden }
        let mayDraft = !Policy.scope(actor, .draftClaim).isEmpty
        let tabs = Tab.allCases.filter { tab in
            if let duty = tab.duty { return !ClaimPolicy.inboxScope(actor, for: duty).isEmpty }
            return tab != .mine || mayDraft
        }
        let asked = (try? request.query.get(String.self, at: "tab")).flatMap(Tab.init(rawValue:))
        let tab = asked.flatMap { tabs.contains($0) ? $0 : nil } ?? Self.defaultTab(tabs, mayDraft: mayDraft)
        let pageNumber = min(max((try? request.query.get(Int.self, at: "page")) ?? 1, 1), Self.maxPage)
        let stateFilter = (try? request.query.get(String.self, at: "state")).flatMap(ClaimState.init(rawValue:))
        let villageFilter = (try? request.query.get(String.self, at: "village")) ?? ""

        let scope = tab.duty.map { ClaimPolicy.inboxScope(actor, for: $0) } ?? viewScope
        let units = try await Self.units(scope, on: request.db)
        var query = ClaimRecord.query(on: request.db)
        Self.within(units, &query)
        let now = Date()
        if tab == .township {
            let cutoff = PublicNotice.overCutoff(now: now)
            query = query.group(.or) { group in
                group.filter(\.$state == ClaimState.villageApproved.rawValue)
                group.group(.and) { both in
                    both.filter(\.$state == ClaimState.inNotice.rawValue).filter(\.$noticeStartedAt <= cutoff)
                }
            }
        } else if let states = tab.states {
            query = query.filter(\.$state ~~ states.map(\.rawValue))
        }
        if tab == .mine { query = query.filter(\.$createdBy == Int(actor.userID)) }
        var villageOptions: [Option] = []
        if tab == .all {
            if let stateFilter { query = query.filter(\.$state == stateFilter.rawValue) }
            let villages = try await Self.villages(viewScope, on: request.db)
            if let chosen = villages.first(where: { $0.code == villageFilter }), let id = chosen.id {
                query = query.filter(\.$village.$id == id)
            }
            villageOptions = villages.map { Option(value: $0.code, label: $0.name, selected: $0.code == villageFilter) }
        }
        let records = try await query.sort(\.$updatedAt, .descending).sort(\.$id, .descending)
            .range(((pageNumber - 1) * Self.pageSize)..<(pageNumber * Self.pageSize + 1)).all()
        let hasNext = records.count > Self.pageSize && pageNumber < Self.maxPage
        var shown = Array(records.prefix(Self.pageSize))
        if let duty = tab.duty { shown = try await Self.takeable(shown, duty: duty, by: actor, on: request.db) }
        let rows = try await Self.rows(shown, now: now, notice: tab == .notice, on: request.db)

        func link(page: Int) -> String {
            var items = ["tab=\(tab.rawValue)", "page=\(page)"]
            if tab == .all, let stateFilter { items.append("state=\(stateFilter.rawValue)") }
            if tab == .all, !villageFilter.isEmpty, villageOptions.contains(where: { $0.selected }) {
                items.append("village=\(villageFilter)")
            }
            return "/claims?" + items.joined(separator: "&")
        }
        let page = await Page.make(for: request, title: "claim_pages.title")
        return try await request.view.render(
            "funds/claims",
            InboxPage(
                page: page, tab: tab.rawValue,
                tabs: tabs.map {
                    TabLink(
                        key: "claim_pages.tab.\($0.rawValue)", href: "/claims?tab=\($0.rawValue)", current: $0 == tab)
                },
                rows: rows, mayDraft: mayDraft, isAll: tab == .all, isNotice: tab == .notice,
                states: ClaimState.allCases.map {
                    Option(
                        value: $0.rawValue, label: request.t("claim_state.\($0.rawValue)"), selected: $0 == stateFilter)
                },
                villages: villageOptions, previous: pageNumber > 1 ? link(page: pageNumber - 1) : nil,
                next: hasNext ? link(page: pageNumber + 1) : nil))
    }

    /// The actor's own step first; a clerk's own claims; else everything they may see.
    static func defaultTab(_ tabs: [Tab], mayDraft: Bool) -> Tab {
        tabs.first { $0.duty != nil } ?? (mayDraft ? .mine : .all)
    }

    /// Only the claims on which `actor` may take `duty`'s step now, by each claim's history.
    static func takeable(_ records: [ClaimRecord], duty: ClaimDuty, by actor: Actor, on db: any Database)
        async throws -> [ClaimRecord]
    {
        let ids = records.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let events = try await ClaimEventRecord.query(on: db).filter(\.$claim.$id ~~ ids).sort(\.$id).all()
        let byClaim = Dictionary(grouping: events) { $0.$claim.id }
        let action: ClaimAction =
            switch duty {
            case .draft: .submit
            case .review: .review
            case .approve: .approve
            case .leaderReview: .leaderReview
            case .post: .post
            }
        return records.filter { record in
            let history = ClaimHistory(
                entries: (byClaim[record.id ?? 0] ?? []).compactMap { event in
                    event.duty.flatMap(ClaimDuty.init(rawValue:)).map {
                        ClaimHistory.Entry(duty: $0, userID: Int64(event.actorID))
                    }
                })
            let place = ClaimPlace(
                villagePath: UnitPath(rawValue: record.villagePath), payeeUserID: record.payeeUserID, history: history)
            return ClaimPolicy.may(actor, action, on: place, in: record.claimState)
        }
    }

    static func rows(_ records: [ClaimRecord], now: Date, notice: Bool, on db: any Database) async throws -> [Row] {
        let villageIDs = Array(Set(records.map { $0.$village.id }))
        var names: [Int: String] = [:]
        if !villageIDs.isEmpty {
            for unit in try await AdminUnit.query(on: db).filter(\.$id ~~ villageIDs).all() {
                if let id = unit.id { names[id] = unit.name }
            }
        }
        var objections: [Int: Int] = [:]
        let ids = records.compactMap(\.id)
        if notice, !ids.isEmpty {
            for row in try await ClaimObjectionRecord.query(on: db).filter(\.$claim.$id ~~ ids).all() {
                objections[row.$claim.id, default: 0] += 1
            }
        }
        return try records.map { record in
            let id = try record.requireID()
            var daysLeft: Int?
            if notice, let start = record.noticeStartedAt {
                let left = PublicNotice(start: start).end.timeIntervalSince(now)
                daysLeft = max(0, Int((left / 86_400).rounded(.up)))
            }
            return Row(
                id: id, village: names[record.$village.id] ?? "", purpose: record.purpose,
                category: SpendingCategory.catalogKey(of: record.category), payee: record.payeeName,
                amount: Int(record.amountFen),
                state: "claim_state.\(record.state)", updatedAt: record.updatedAt.timeIntervalSince1970,
                daysLeft: daysLeft, objections: notice ? objections[id, default: 0] : nil)
        }
    }

    /// The units (by id and depth) whose claims a scope's subtree roots reach.
    struct ScopeUnits {
        var counties: [Int] = []
        var townships: [Int] = []
        var villages: [Int] = []
    }

    static func units(_ roots: [UnitPath], on db: any Database) async throws -> ScopeUnits {
        var units = ScopeUnits()
        let codes = roots.compactMap { $0.codes.last?.rawValue }
        guard !codes.isEmpty else { return units }
        for unit in try await AdminUnit.query(on: db).filter(\.$code ~~ codes).all() {
            guard let id = unit.id, roots.contains(unit.unitPath) else { continue }
            switch unit.unitPath.codes.count {
            case 1: units.counties.append(id)
            case 2: units.townships.append(id)
            case 3: units.villages.append(id)
            default: break
            }
        }
        return units
    }

    /// The claims in the scope's units, by the claim's county, township and village columns; none
    /// when the scope is empty.
    static func within(_ units: ScopeUnits, _ query: inout QueryBuilder<ClaimRecord>) {
        guard !(units.counties.isEmpty && units.townships.isEmpty && units.villages.isEmpty) else {
            query = query.filter(\.$id == -1)
            return
        }
        query = query.group(.or) { group in
            if !units.counties.isEmpty { group.filter(\.$countyID ~~ units.counties) }
            if !units.townships.isEmpty { group.filter(\.$townshipID ~~ units.townships) }
            if !units.villages.isEmpty { group.filter(\.$village.$id ~~ units.villages) }
        }
    }

    /// The villages within the scope, for the filter.
    static func villages(_ roots: [UnitPath], on db: any Database) async throws -> [AdminUnit] {
        guard !roots.isEmpty else { return [] }
        return try await AdminUnit.query(on: db).filter(\.$kind == UnitKind.village.rawValue)
            .group(.or) { group in for root in roots { group.filter(\.$path =~ root.rawValue) } }
            .sort(\.$code).limit(500).all()
    }
}
