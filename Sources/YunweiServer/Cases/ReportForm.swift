import Fluent
import Foundation
import Vapor
import YunweiDomain

/// The report form 信息收集, as grid workers see it at `/cases/new` and the public at `/report`.
/// Without JavaScript a form cannot change while one fills it in, and the category decides the
/// questions, so the subcategory is chosen first (links); the form then asks that category's
/// questions. The public of a county too large for one list of villages chooses its township in
/// between.
enum ReportForm {
    /// What the browser sends, by query (the steps) and by form (the report).
    struct Input: Content {
        var county: String?
        var township: String?
        var category: String?
        var village: String?
        var description: String?
        var lat: String?
        var lon: String?
        var address: String?
        var name: String?
        var phone: String?
        var answers: [String: String]?
        var photos: [File]?
    }

    /// Where a report is filed from: the county whose categories are offered, and the villages.
    struct Desk {
        let county: AdminUnit
        let isPublic: Bool
        /// The villages offered; empty while a public reporter must first choose a township.
        let villages: [AdminUnit]
        /// The townships to choose from first (public, large county, none chosen yet).
        let townships: [AdminUnit]
        let township: String?
        /// Their townships' names, for grouping the villages.
        let townshipNames: [Int: String]

        /// The page of the steps and the address the form posts to.
        var base: String { isPublic ? "/report" : "/cases/new" }
        var target: String { isPublic ? "/report" : "/cases" }
    }

    /// A county with more villages than this makes the public choose a township first, so that
    /// the page stays small on a cheap phone.
    static let villageListLimit = 400

    /// A grid worker reports in the villages where the policy lets her; 403 for anyone else.
    static func gridDesk(_ actor: Actor, on db: any Database) async throws -> Desk {
        let villages = try await AdminUnit.query(on: db).scoped(to: actor, .reportCase)
            .filter(\.$kind == UnitKind.village.rawValue).sort(\.$path).all()
        guard let first = villages.first, let countyCode = first.unitPath.codes.first,
            let county = try await AdminUnit.query(on: db).filter(\.$code == countyCode.rawValue).first()
        else { throw YunweiError.forbidden }
        return Desk(
            county: county, isPublic: false, villages: villages, townships: [], township: nil,
            townshipNames: try await names(ofParentsOf: villages, on: db))
    }

    /// The public reports anywhere in the county; `township` narrows a large county's villages.
    static func publicDesk(_ county: AdminUnit, township: String?, on db: any Database) async throws -> Desk {
        let inCounty = AdminUnit.query(on: db).filter(\.$path =~ county.path)
        let count = try await inCounty.copy().filter(\.$kind == UnitKind.village.rawValue).count()
        if count <= villageListLimit {
            let villages = try await inCounty.copy().filter(\.$kind == UnitKind.village.rawValue).sort(\.$path).all()
            return Desk(
                county: county, isPublic: true, villages: villages, townships: [], township: nil,
                townshipNames: try await names(ofParentsOf: villages, on: db))
        }
        if let code = township?.nilIfEmpty,
            let chosen = try await inCounty.copy().filter(\.$code == code)
                .filter(\.$kind == UnitKind.township.rawValue).first()
        {
            let villages = try await AdminUnit.query(on: db).filter(\.$parent.$id == chosen.requireID())
                .filter(\.$kind == UnitKind.village.rawValue).sort(\.$path).all()
            return Desk(
                county: county, isPublic: true, villages: villages, townships: [], township: chosen.code,
                townshipNames: [try chosen.requireID(): chosen.name])
        }
        let townships = try await inCounty.copy().filter(\.$kind == UnitKind.township.rawValue).sort(\.$path).all()
        return Desk(
            county: county, isPublic: true, villages: [], townships: townships, township: nil, townshipNames: [:])
    }

    private static func names(ofParentsOf units: [AdminUnit], on db: any Database) async throws -> [Int: String] {
        let parents = try await AdminUnit.query(on: db).filter(\.$id ~~ Set(units.compactMap { $0.$parent.id })).all()
        return Dictionary(parents.map { ($0.id ?? 0, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    /// Files the report through the case desk. Throws `CaseDesk.InputError` with every problem.
    static func file(
        _ input: Input, source: String, by authority: CaseDesk.Authority, _ request: Request
    ) async throws -> CaseRecord {
        let report = CaseDesk.Report(
            categoryCode: input.category ?? "", villageCode: input.village ?? "",
            description: input.description ?? "", latitude: coordinate(input.lat),
            longitude: coordinate(input.lon), address: input.address, answers: input.answers ?? [:], source: source,
            reporterName: source == "public" ? input.name : nil, reporterPhone: source == "public" ? input.phone : nil,
            photos: UploadedPhotos.data(input.photos))
        return try await CaseDesk.report(report, by: authority, photos: request.application.photos, on: request.db)
    }

    /// A coordinate as typed. One that is no number at all goes to the desk as NaN, which no
    /// `GeoPoint` accepts, so it is refused beside the coordinates like one out of range.
    static func coordinate(_ text: String?) -> Double? {
        guard let text = text?.trimmingCharacters(in: .whitespaces).nilIfEmpty else { return nil }
        return Double(text) ?? .nan
    }

    // MARK: - The page

    struct CategoryLink: Encodable {
        let name: String
        let href: String
        let isPrivate: Bool
    }

    struct CategoryGroup: Encodable {
        let name: String
        let items: [CategoryLink]
    }

    struct Chosen: Encodable {
        let code: String
        let name: String
        let group: String
        let isPrivate: Bool
    }

    struct Question: Encodable {
        let key: String
        let label: String
        /// `text`, `number` or `choice`.
        let kind: String
        let required: Bool
        let choices: [SelectOption]
        let value: String
        let error: String?
    }

    struct Values: Encodable {
        let description: String
        let lat: String
        let lon: String
        let address: String
        let name: String
        let phone: String
    }

    /// Each message beside its field; `other` for any the form has no field for.
    struct Errors: Encodable {
        var category: String?
        var village: String?
        var description: String?
        var coordinates: String?
        var address: String?
        var phone: String?
        var photos: [String] = []
        var other: [String] = []
        var any = false
    }

    struct ReportPage: Encodable {
        let page: Page
        let isPublic: Bool
        let base: String
        let target: String
        let county: String
        let township: String?
        let groups: [CategoryGroup]
        let category: Chosen?
        let townships: [SelectOption]
        let villages: [SelectGroup]
        let questions: [Question]
        let values: Values
        let errors: Errors
        let maxPhotos: Int
        let maxMB: Int
        let maxDescription: Int
    }

    /// Step one (choose a subcategory) when `categoryCode` names none of the county's active ones,
    /// otherwise the form, filled in with `input` and each of `issues` beside its field.
    static func render(
        _ request: Request, _ desk: Desk, categoryCode: String?, input: Input?, issues: [CaseIssue],
        status: HTTPResponseStatus
    ) async throws -> Response {
        let records = try await CategoryRecord.query(on: request.db).filter(\.$county.$id == desk.county.requireID())
            .filter(\.$active == true).sort(\.$sort).sort(\.$id).all()
        let tops = records.filter { $0.$parent.id == nil }
        let subs = records.filter { $0.$parent.id != nil }
        let chosen = categoryCode.flatMap { code in subs.first { $0.code == code } }
        var errors = Errors()
        var answerErrors: [String: String] = [:]
        for issue in issues {
            let message = request.t(issue.key, issue.args)
            errors.any = true
            switch issue.field {
            case "category": errors.category = message
            case "village": errors.village = message
            case "description": errors.description = message
            case "lat", "lon": errors.coordinates = message
            case "address": errors.address = message
            case "phone": errors.phone = message
            case let field where field == "photos" || field.hasPrefix("photos."): errors.photos.append(message)
            case let field where field.hasPrefix("answers.") && chosen != nil:
                answerErrors[String(field.dropFirst("answers.".count))] = message
            default: errors.other.append(message)
            }
        }
        var status = status
        if categoryCode?.nilIfEmpty != nil, chosen == nil {
            errors.category = errors.category ?? request.t("case.input.category")
            errors.any = true
            status = .unprocessableEntity
        }
        let groups =
            chosen != nil
            ? []
            : tops.map { top in
                CategoryGroup(
                    name: CaseNames.pick(top.nameZh, top.nameEn, request),
                    items: subs.filter { $0.$parent.id == top.id }.map { sub in
                        CategoryLink(
                            name: CaseNames.pick(sub.nameZh, sub.nameEn, request),
                            href: href(desk, ["category": sub.code]), isPrivate: sub.isPrivate)
                    })
            }.filter { !$0.items.isEmpty }
        let answers = input?.answers ?? [:]
        let questions = (chosen?.questions ?? []).map { question in
            let answer = answers[question.key].flatMap(question.canonicalChoice)
            return Question(
                key: question.key, label: CaseNames.pick(question.labelZh, question.labelEn, request),
                kind: question.kind.rawValue, required: question.required,
                choices: question.choices.map {
                    SelectOption(
                        value: $0, label: question.choiceLabel($0, english: request.language == .en),
                        selected: answer == $0)
                },
                value: answers[question.key] ?? "", error: answerErrors[question.key])
        }
        // A grid worker reports mostly in her own village; the public must say which.
        let village = input?.village ?? (desk.isPublic ? nil : desk.villages.first?.code)
        let villageGroups = Dictionary(grouping: desk.villages, by: { $0.$parent.id ?? 0 })
            .sorted { ($0.value.first?.path ?? "") < ($1.value.first?.path ?? "") }
            .map { parentID, villages in
                SelectGroup(
                    label: desk.townshipNames[parentID] ?? "",
                    options: villages.map { SelectOption(value: $0.code, label: $0.name, selected: $0.code == village) }
                )
            }
        let page = await Page.make(
            for: request, title: desk.isPublic ? "case_pages.report.public_title" : "case_pages.report.title")
        let context = ReportPage(
            page: page, isPublic: desk.isPublic, base: desk.base, target: desk.target, county: desk.county.code,
            township: desk.township,
            groups: groups,
            category: chosen.map { sub in
                Chosen(
                    code: sub.code, name: CaseNames.pick(sub.nameZh, sub.nameEn, request),
                    group: tops.first { $0.id == sub.$parent.id }.map { CaseNames.pick($0.nameZh, $0.nameEn, request) }
                        ?? "",
                    isPrivate: sub.isPrivate)
            },
            townships: desk.townships.map { SelectOption(value: $0.code, label: $0.name, selected: false) },
            villages: villageGroups, questions: questions,
            values: Values(
                description: input?.description ?? "", lat: input?.lat ?? "", lon: input?.lon ?? "",
                address: input?.address ?? "", name: input?.name ?? "", phone: input?.phone ?? ""),
            errors: errors, maxPhotos: PhotoCheck.maxPhotos, maxMB: PhotoCheck.maxBytes / 1024 / 1024,
            maxDescription: CaseDesk.maxDescription)
        return try await request.view.render("cases/report", context).encodeResponse(status: status, for: request)
    }

    /// A link to a step of the form, keeping the county (public) and the township chosen.
    private static func href(_ desk: Desk, _ items: [String: String]) -> String {
        var components = URLComponents()
        components.path = desk.base
        var query: [URLQueryItem] = []
        if desk.isPublic { query.append(URLQueryItem(name: "county", value: desk.county.code)) }
        if let township = desk.township { query.append(URLQueryItem(name: "township", value: township)) }
        query += items.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        components.queryItems = query
        return components.string ?? desk.base
    }
}
