import Fluent
import Foundation
import Vapor
import YunweiDomain

/// `/cases`: the inboxes 待办 — to classify, to handle, overdue, supervised, returned, reported by
/// me, all — as tabs for the boxes a person's roles give them, with a filter form and keyset pages
/// (`after` = the last case id shown). Listing goes through `CaseQuery` only.
struct CaseInboxPages: RouteCollection {
    struct Filters: Content {
        var box: String?
        var unit: String?
        var category: String?
        var state: String?
        var from: String?
        var to: String?
        var q: String?
        var after: String?
    }

    struct Tab: Encodable {
        let box: String
        let href: String
        let current: Bool
    }

    struct DateErrors: Encodable {
        var from: String?
        var to: String?
    }

    struct InboxPage: Encodable {
        let page: Page
        let box: String
        let tabs: [Tab]
        let filters: Filters
        let units: [SelectOption]
        let categories: [SelectGroup]
        let states: [SelectOption]
        let cases: [CaseLine]
        let next: String?
        let errors: DateErrors
        /// Whether the filter form shows open: some filter is set, or a date is wrong.
        let filtered: Bool
        let canReport: Bool
    }

    static let pageSize = 30
    /// More units in one's scope than this, and the unit filter offers townships and departments only.
    static let unitListLimit = 80

    func boot(routes: any RoutesBuilder) throws {
        routes.get("cases", use: inbox)
    }

    /// The boxes that concern a person's roles, the first one being where they start.
    static func boxes(for actor: Actor) -> [CaseQuery.Inbox] {
        let dispatches = !Policy.scope(actor, .dispatchCase).isEmpty
        let supervises = !Policy.scope(actor, .superviseCase).isEmpty
        let handles = !CasePolicy.handlingScope(actor).isEmpty
        var boxes: [CaseQuery.Inbox] = []
        if dispatches || supervises { boxes.append(.classify) }
        if handles { boxes.append(.handle) }
        if dispatches || supervises || handles { boxes.append(.overdue) }
        if supervises || handles { boxes.append(.supervised) }
        if dispatches { boxes.append(.returned) }
        if !Policy.scope(actor, .reportCase).isEmpty { boxes.append(.mine) }
        return boxes + [.all]
    }

    func inbox(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        var filters = try request.query.decode(Filters.self)
        let boxes = Self.boxes(for: actor)
        let box = filters.box.flatMap(CaseQuery.Inbox.init(rawValue:)) ?? boxes[0]
        filters.box = box.rawValue
        var errors = DateErrors()
        let from = day(filters.from, request) { errors.from = $0 }
        let to = day(filters.to, request) { errors.to = $0 }
        let query = CaseQuery.Filter(
            inbox: box, unitCode: filters.unit, categoryCode: filters.category,
            state: filters.state.flatMap(CaseState.init(rawValue:)), from: from, to: to.map { $0 + 86_400 },
            text: filters.q, after: filters.after.flatMap { Int($0) }, limit: Self.pageSize)
        let now = Date()
        let result = try await CaseQuery.page(query, for: actor, now: now, on: request.db)
        let page = await Page.make(for: request, title: "case_pages.inbox.title")
        let context = InboxPage(
            page: page, box: box.rawValue,
            tabs: boxes.map { Tab(box: $0.rawValue, href: "/cases?box=\($0.rawValue)", current: $0 == box) },
            filters: filters, units: try await units(for: actor, chosen: filters.unit, request),
            categories: try await categories(for: actor, chosen: filters.category, request),
            states: CaseState.allCases.map {
                SelectOption(
                    value: $0.rawValue, label: request.t("case_state." + $0.rawValue),
                    selected: $0.rawValue == filters.state)
            },
            cases: try await CaseLine.lines(result.cases, now: now, for: request),
            next: result.next.map { nextHref(request, after: $0) }, errors: errors,
            filtered: [filters.unit, filters.category, filters.state, filters.from, filters.to, filters.q]
                .contains { $0?.nilIfEmpty != nil },
            canReport: !Policy.scope(actor, .reportCase).isEmpty)
        let status: HTTPResponseStatus = errors.from == nil && errors.to == nil ? .ok : .unprocessableEntity
        return try await request.view.render("cases/inbox", context).encodeResponse(status: status, for: request)
    }

    /// The start of a day `yyyy-MM-dd` in Asia/Shanghai; a date that is no date is reported beside
    /// its field and left out of the filter.
    private func day(_ text: String?, _ request: Request, invalid: (String) -> Void) -> Date? {
        guard let text = text?.trimmingCharacters(in: .whitespaces).nilIfEmpty else { return nil }
        guard let millis = AuditPages.day(text) else {
            invalid(request.t("case_pages.filter.bad_date"))
            return nil
        }
        return Date(timeIntervalSince1970: Double(millis) / 1000)
    }

    /// The same filters, one page further.
    private func nextHref(_ request: Request, after: Int) -> String {
        var components = URLComponents()
        components.path = "/cases"
        var items = request.url.query.flatMap { URLComponents(string: "?\($0)")?.queryItems } ?? []
        items.removeAll { $0.name == "after" || ($0.value ?? "").isEmpty }
        items.append(URLQueryItem(name: "after", value: String(after)))
        components.queryItems = items
        return components.string ?? "/cases"
    }

    /// The units one may filter by: those in one's view, or only its townships and departments
    /// when the villages would make the list too long.
    private func units(for actor: Actor, chosen: String?, _ request: Request) async throws -> [SelectOption] {
        let kinds = [UnitKind.township, .village, .department].map(\.rawValue)
        var units = try await AdminUnit.query(on: request.db).scoped(to: actor, .viewCase).filter(\.$kind ~~ kinds)
            .sort(\.$path).limit(Self.unitListLimit + 1).all()
        if units.count > Self.unitListLimit {
            units = try await AdminUnit.query(on: request.db).scoped(to: actor, .viewCase)
                .filter(\.$kind ~~ [UnitKind.township.rawValue, UnitKind.department.rawValue]).sort(\.$path)
                .limit(Self.unitListLimit * 4).all()
        }
        return units.map {
            SelectOption(
                value: $0.code, label: $0.name, selected: $0.code == chosen)
        }
    }

    /// The categories of the counties in one's view: each top category (with all below it) and its
    /// subcategories.
    private func categories(for actor: Actor, chosen: String?, _ request: Request) async throws -> [SelectGroup] {
        let counties = Set(Policy.scope(actor, .viewCase).compactMap { $0.codes.first?.rawValue })
        let countyIDs = try await AdminUnit.query(on: request.db).filter(\.$code ~~ counties).all().compactMap(\.id)
        let records = try await CategoryRecord.query(on: request.db).filter(\.$county.$id ~~ countyIDs)
            .sort(\.$sort).sort(\.$id).all()
        return records.filter { $0.$parent.id == nil }.map { top in
            let name = CaseNames.pick(top.nameZh, top.nameEn, request)
            let all = SelectOption(
                value: top.code, label: request.t("case_pages.filter.all_of", ["name": name]),
                selected: top.code == chosen)
            return SelectGroup(
                label: name,
                options: [all]
                    + records.filter { $0.$parent.id == top.id }.map {
                        SelectOption(
                            value: $0.code, label: CaseNames.pick($0.nameZh, $0.nameEn, request),
                            selected: $0.code == chosen)
                    })
        }
    }
}
