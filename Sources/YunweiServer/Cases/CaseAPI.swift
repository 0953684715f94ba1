import Fluent
import Foundation
import Vapor
import YunweiDomain

/// The case platform under `/api/v1` for the app's own clients: the category tree, reporting,
/// the inboxes, a case with its timeline, and steps on it. Every rule is `CaseDesk`'s and
/// `CaseQuery`'s; this file only turns JSON into their inputs and their answers into JSON.
///
/// Status codes: 404 for a case or unit one may not see, 403 for a step that is not this
/// person's, 409 for a step the case's state does not allow, 422 with `details` for bad input.
struct CaseAPI: RouteCollection {
    /// Six photos of 5 MB in base64, with room for the rest of the body.
    static let maxBody: ByteCount = "48mb"

    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(LoginRequired())
        signedIn.get("categories", use: categories)
        signedIn.post("categories", use: saveCategory)
        signedIn.on(.POST, "cases", body: .collect(maxSize: Self.maxBody), use: report)
        signedIn.get("cases", use: list)
        signedIn.get("cases", ":id", use: show)
        signedIn.on(.POST, "cases", ":id", "actions", body: .collect(maxSize: Self.maxBody), use: act)
        // The same photos and the same rule as the pages' `/photos/HASH`, for bearer tokens.
        signedIn.get("photos", ":hash", use: PhotoRoutes().photo)
    }

    // MARK: Categories

    /// The category tree of the caller's county (or of `county=CODE`, one of the counties the
    /// caller holds a role in): top categories with their subcategories, retired ones included.
    func categories(request: Request) async throws -> [CaseAPIDTO.Category] {
        let actor = try request.requireActor()
        let counties = Set(actor.grants.filter(\.isCoherent).compactMap { $0.path.codes.first?.rawValue })
        let wanted = request.query[String.self, at: "county"]?.nilIfEmpty ?? counties.sorted().first
        guard let wanted, counties.contains(wanted),
            let county = try await AdminUnit.query(on: request.db).filter(\.$code == wanted).first()
        else { throw YunweiError.notFound }
        let records = try await CategoryRecord.query(on: request.db).filter(\.$county.$id == county.requireID())
            .sort(\.$sort).sort(\.$id).all()
        return records.filter { $0.$parent.id == nil }.map { top in
            var category = CaseAPIDTO.Category(top, parent: nil)
            category.subcategories = records.filter { $0.$parent.id == top.id }.map {
                CaseAPIDTO.Category($0, parent: top.code)
            }
            return category
        }
    }

    /// Adds a category to the county admin's county, or replaces the one with its code: 201 when
    /// new, 200 when replaced, 422 listing every problem.
    func saveCategory(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        guard let countyCode = Policy.scope(actor, .manageCategories).first?.codes.first?.rawValue,
            let county = try await AdminUnit.query(on: request.db).filter(\.$code == countyCode).first()
        else { throw YunweiError.forbidden }
        try request.authorize(.manageCategories, at: county.unitPath)
        let input = try Self.decode(CaseAPIDTO.CategoryInput.self, from: request)
        let category = try input.category()
        let countyID = try county.requireID()
        let (record, created): (CategoryRecord, Bool)
        do {
            (record, created) = try await request.db.write { db in
                let existed =
                    try await CategoryRecord.query(on: db).filter(\.$county.$id == countyID)
                    .filter(\.$code == category.code).first() != nil
                let record = try await CategoryRegistry.save(category, county: county, by: .init(actor), on: db)
                return (record, !existed)
            }
        } catch let error as CaseDesk.InputError {
            // The domain names the fields as its forms do; the API's body says `parent` and `private`.
            let renamed = ["parent_code": "parent", "is_private": "private"]
            throw CaseDesk.InputError(
                issues: error.issues.map {
                    CaseIssue(field: renamed[$0.field] ?? $0.field, key: $0.key, args: $0.args)
                })
        }
        return try await CaseAPIDTO.Category(record, parent: category.parentCode)
            .encodeResponse(status: created ? .created : .ok, for: request)
    }

    // MARK: Cases

    /// Files a report as the caller (source `api`). The village defaults to the caller's own
    /// when they report for exactly one.
    func report(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let input = try Self.decode(CaseAPIDTO.ReportInput.self, from: request)
        let reportRoots = Policy.scope(actor, .reportCase)
        let ownVillage = reportRoots.count == 1 ? reportRoots[0].codes.last?.rawValue : nil
        let report = CaseDesk.Report(
            categoryCode: input.category?.trimmingCharacters(in: .whitespaces) ?? "",
            villageCode: input.village?.trimmingCharacters(in: .whitespaces).nilIfEmpty ?? ownVillage ?? "",
            description: input.description ?? "", latitude: input.lat, longitude: input.long, address: input.address,
            answers: (input.answers ?? [:]).mapValues(\.text), source: "api", photos: Self.photos(input.photos))
        let record = try await CaseDesk.report(
            report, by: .person(actor), photos: request.application.photos, on: request.db)
        return try await CaseAPIDTO.Case.detail(record, for: actor, on: request.db)
            .encodeResponse(status: .created, for: request)
    }

    struct ListQuery: Content {
        var box: String?
        var unit: String?
        var category: String?
        var state: String?
        var from: String?
        var to: String?
        var q: String?
        var cursor: String?
        var limit: String?
    }

    /// One keyset page of the cases the caller may see, newest first, through `CaseQuery`.
    func list(request: Request) async throws -> CaseAPIDTO.CasePage {
        let actor = try request.requireActor()
        let filter = try Self.filter(try request.query.decode(ListQuery.self))
        let page = try await CaseQuery.page(filter, for: actor, on: request.db)
        return CaseAPIDTO.CasePage(
            cases: try await CaseAPIDTO.Case.list(page.cases, for: actor, on: request.db),
            nextCursor: page.next.map(String.init))
    }

    /// The filter of `GET /api/v1/cases` and of `/cases.csv`, every bad parameter listed.
    /// Dates are whole Shanghai days, `to` included.
    static func filter(_ query: ListQuery) throws -> CaseQuery.Filter {
        var filter = CaseQuery.Filter()
        var issues: [CaseIssue] = []
        if let box = query.box?.nilIfEmpty {
            if let inbox = CaseQuery.Inbox(rawValue: box) {
                filter.inbox = inbox
            } else {
                issues.append(CaseIssue(field: "box", key: "api.input.box"))
            }
        }
        if let state = query.state?.nilIfEmpty {
            if let known = CaseState(rawValue: state) {
                filter.state = known
            } else {
                issues.append(CaseIssue(field: "state", key: "api.input.state"))
            }
        }
        for (field, text) in [("from", query.from), ("to", query.to)] {
            guard let text = text?.nilIfEmpty else { continue }
            guard let day = StatisticsPeriod.Day(text) else {
                issues.append(CaseIssue(field: field, key: "stats.error.date"))
                continue
            }
            if field == "from" { filter.from = day.start } else { filter.to = day.end }
        }
        if let cursor = query.cursor?.nilIfEmpty {
            if let after = Int(cursor), after > 0 {
                filter.after = after
            } else {
                issues.append(CaseIssue(field: "cursor", key: "api.input.cursor"))
            }
        }
        if let limit = query.limit?.nilIfEmpty {
            if let count = Int(limit), (1...200).contains(count) {
                filter.limit = count
            } else {
                issues.append(CaseIssue(field: "limit", key: "api.input.limit"))
            }
        }
        guard issues.isEmpty else { throw CaseDesk.InputError(issues: issues) }
        filter.unitCode = query.unit?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        filter.categoryCode = query.category?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        filter.text = query.q
        return filter
    }

    /// One case with its timeline and photos; 404 unless the caller may see it.
    func show(request: Request) async throws -> CaseAPIDTO.Case {
        let actor = try request.requireActor()
        guard let id = request.parameters.get("id", as: Int.self) else { throw YunweiError.notFound }
        let record = try await CaseDesk.visible(id, to: actor, on: request.db)
        return try await CaseAPIDTO.Case.detail(record, for: actor, on: request.db)
    }

    /// One step on a case through `CaseDesk.act`; answers with the case as it now stands.
    func act(request: Request) async throws -> CaseAPIDTO.Case {
        let actor = try request.requireActor()
        guard let id = request.parameters.get("id", as: Int.self) else { throw YunweiError.notFound }
        _ = try await CaseDesk.visible(id, to: actor, on: request.db)
        let input = try Self.decode(CaseAPIDTO.ActionInput.self, from: request)
        var issues: [CaseIssue] = []
        let action = CaseAction(rawValue: input.action?.trimmingCharacters(in: .whitespaces) ?? "")
        if action == nil { issues.append(CaseIssue(field: "action", key: "api.input.action")) }
        var deadline: Date?
        if let text = input.deadline?.trimmingCharacters(in: .whitespaces).nilIfEmpty {
            deadline = Self.instant(text)
            if deadline == nil { issues.append(CaseIssue(field: "deadline", key: "api.input.deadline")) }
        }
        guard issues.isEmpty, let action else { throw CaseDesk.InputError(issues: issues) }
        let step = CaseDesk.Step(
            action: action, note: input.note, handlerCode: input.handler, deadline: deadline,
            satisfied: input.satisfied, duplicateOf: input.duplicateOf, photos: Self.photos(input.photos))
        let record = try await CaseDesk.act(
            step, on: id, by: .person(actor), photos: request.application.photos, on: request.db)
        return try await CaseAPIDTO.Case.detail(record, for: actor, on: request.db)
    }

    // MARK: Reading input

    /// The JSON body as `T`. A value of the wrong type is a 422 naming its field (`lat`,
    /// `questions.2.required`); a body that is not JSON at all stays a 400.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request) throws -> T {
        do {
            return try request.content.decode(T.self)
        } catch let error as DecodingError {
            let path: [any CodingKey]
            switch error {
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context):
                path = context.codingPath
            case .dataCorrupted(let context):
                path = context.codingPath
            @unknown default:
                path = []
            }
            guard !path.isEmpty else { throw error }
            let field = path.map { $0.intValue.map { String($0 + 1) } ?? $0.stringValue }.joined(separator: ".")
            throw CaseDesk.InputError(issues: [CaseIssue(field: field, key: "api.input.type")])
        }
    }

    /// Base64 photos (a `data:image/…;base64,` prefix is allowed). Text that is not base64 is
    /// passed on empty, so that `PhotoCheck` names it beside every other problem of the step.
    static func photos(_ texts: [String]?) -> [Data] {
        (texts ?? []).map { text in
            let payload = text.range(of: ";base64,").map { String(text[$0.upperBound...]) } ?? text
            return Data(base64Encoded: payload, options: .ignoreUnknownCharacters) ?? Data()
        }
    }

    /// An ISO 8601 time with its zone, `2026-03-01T18:00:00+08:00` or with fractions of a second.
    static func instant(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
