import Fluent
import Foundation
import Vapor
import YunweiDomain

/// `/categories`: the county admin keeps the county's case category tree — each category's names,
/// default handler, time limit, priority, privacy and extra questions — adds and edits categories
/// (checked whole by the domain, every problem beside its field) and retires or restores them.
struct CategoryPages: RouteCollection {
    struct TreeRow: Encodable {
        let code: String
        let nameZh: String
        let nameEn: String
        let handler: String?
        let deadlineHours: Int
        let priority: String
        let isPrivate: Bool
        let active: Bool
        let questions: [String]
        let children: [TreeRow]
    }

    struct ListPage: Encodable {
        let page: Page
        let county: String
        let counties: [SelectOption]
        let tops: [TreeRow]
    }

    struct QuestionRow: Encodable {
        let n: Int
        let key: String
        let labelZh: String
        let labelEn: String
        let kinds: [SelectOption]
        let choices: String
        let choicesEn: String
        let required: Bool
        let errors: [String]
    }

    struct Errors: Encodable {
        var code: String?
        var parent: String?
        var nameZh: String?
        var nameEn: String?
        var deadlineHours: String?
        var isPrivate: String?
        var questions: String?
        var other: [String] = []
        var any = false
    }

    struct FormPage: Encodable {
        let page: Page
        let county: String
        let isNew: Bool
        let code: String
        let parents: [SelectOption]
        let nameZh: String
        let nameEn: String
        let handlers: [SelectOption]
        let deadlineHours: String
        let priorities: [SelectOption]
        let isPrivate: Bool
        let questions: [QuestionRow]
        let errors: Errors
    }

    /// Blank question rows offered below the category's own.
    static let blankRows = 2

    func boot(routes: any RoutesBuilder) throws {
        let categories = routes.grouped("categories")
        categories.get(use: list)
        categories.post(use: save)
        categories.get("new", use: new)
        categories.get(":code", use: edit)
        categories.post(":code", "retire", use: retire)
        categories.post(":code", "restore", use: restore)
    }

    func list(request: Request) async throws -> View {
        let (actor, county) = try await county(request, code: try? request.query.get(String.self, at: "county"))
        let records = try await records(of: county, on: request.db)
        let departments = try await departments(of: county, on: request.db)
        let row = { (record: CategoryRecord, children: [TreeRow]) in
            TreeRow(
                code: record.code, nameZh: record.nameZh, nameEn: record.nameEn,
                handler: record.defaultHandler.map { raw in
                    CategoryHandler(rawValue: raw).flatMap { handler -> String? in
                        if case .unit(let code) = handler {
                            return departments.first { $0.code == code.rawValue }?.name
                        }
                        return request.t("category_handler.\(raw)")
                    } ?? raw
                },
                deadlineHours: record.deadlineHours, priority: "priority." + record.priority,
                isPrivate: record.isPrivate, active: record.active,
                questions: record.questions.map {
                    "\(CaseNames.pick($0.labelZh, $0.labelEn, request))（\(request.t("question_kind." + $0.kind.rawValue))）"
                },
                children: children)
        }
        let tops = records.filter { $0.$parent.id == nil }.map { top in
            row(top, records.filter { $0.$parent.id == top.id }.map { row($0, []) })
        }
        let counties = try await AdminUnit.query(on: request.db).scoped(to: actor, .manageCategories)
            .filter(\.$kind == UnitKind.county.rawValue).sort(\.$code).all()
        let page = await Page.make(for: request, title: "case_pages.categories.title")
        return try await request.view.render(
            "cases/categories",
            ListPage(
                page: page, county: county.code,
                counties: counties.count > 1
                    ? counties.map { SelectOption(value: $0.code, label: $0.name, selected: $0.code == county.code) }
                    : [],
                tops: tops))
    }

    func new(request: Request) async throws -> Response {
        let (_, county) = try await county(request, code: try? request.query.get(String.self, at: "county"))
        let parent = (try? request.query.get(String.self, at: "parent")) ?? ""
        var form = ["parent": parent, "code": parent.isEmpty ? "" : parent + "-", "deadline_hours": "72"]
        if let top = try await records(of: county, on: request.db).first(where: { $0.code == parent }) {
            form["private"] = top.isPrivate ? "on" : nil
            form["priority"] = top.priority
        }
        return try await render(request, county: county, isNew: true, form: form, issues: [], status: .ok)
    }

    func edit(request: Request) async throws -> Response {
        let (_, county) = try await county(request, code: try? request.query.get(String.self, at: "county"))
        let code = request.parameters.get("code") ?? ""
        let records = try await records(of: county, on: request.db)
        guard let record = records.first(where: { $0.code == code }) else { throw YunweiError.notFound }
        let parent = records.first { $0.id == record.$parent.id }?.code
        return try await render(
            request, county: county, isNew: false, form: Self.form(of: record.category(parentCode: parent)), issues: [],
            status: .ok)
    }

    func save(request: Request) async throws -> Response {
        let form = try request.content.decode([String: String].self)
        let (actor, county) = try await county(request, code: form["county"])
        let isNew = form["mode"] != "edit"
        let (category, rows) = Self.category(from: form)
        do {
            if isNew,
                try await CategoryRecord.query(on: request.db).filter(\.$county.$id == county.requireID())
                    .filter(\.$code == category.code).first() != nil
            {
                throw CaseDesk.InputError(issues: [
                    CaseIssue(field: "code", key: "category.error.code_taken", args: ["code": category.code])
                ])
            }
            try await request.db.write { db in
                _ = try await CategoryRegistry.save(category, county: county, by: .init(actor), on: db)
            }
        } catch let error as CaseDesk.InputError {
            return try await render(
                request, county: county, isNew: isNew, form: form, issues: error.issues, rows: rows,
                status: .unprocessableEntity)
        }
        request.setNotice("case_pages.categories.saved")
        return request.redirect(to: "/categories?county=\(county.code)")
    }

    func retire(request: Request) async throws -> Response {
        try await setActive(false, request)
    }

    func restore(request: Request) async throws -> Response {
        try await setActive(true, request)
    }

    private func setActive(_ active: Bool, _ request: Request) async throws -> Response {
        let (actor, county) = try await county(request, code: try? request.content.get(String.self, at: "county"))
        let code = request.parameters.get("code") ?? ""
        guard
            let recordID = try await CategoryRecord.query(on: request.db).filter(\.$county.$id == county.requireID())
                .filter(\.$code == code).first()?.requireID()
        else { throw YunweiError.notFound }
        try await request.db.write { db in
            guard let record = try await CategoryRecord.find(recordID, on: db) else { throw YunweiError.notFound }
            try await CategoryRegistry.setActive(active, record, by: .init(actor), on: db)
        }
        request.setNotice(active ? "case_pages.categories.restored" : "case_pages.categories.retired")
        return request.redirect(to: "/categories?county=\(county.code)")
    }

    /// The county whose tree is kept: the one named, if the admin keeps it, else the first one
    /// they keep; 403 for anyone who keeps none.
    private func county(_ request: Request, code: String?) async throws -> (Actor, AdminUnit) {
        let actor = try request.requireActor()
        let counties = try await AdminUnit.query(on: request.db).scoped(to: actor, .manageCategories)
            .filter(\.$kind == UnitKind.county.rawValue).sort(\.$code).all()
        guard let first = counties.first else { throw YunweiError.forbidden }
        guard let code = code?.nilIfEmpty else { return (actor, first) }
        guard let named = counties.first(where: { $0.code == code }) else { throw YunweiError.notFound }
        return (actor, named)
    }

    private func records(of county: AdminUnit, on db: any Database) async throws -> [CategoryRecord] {
        try await CategoryRecord.query(on: db).filter(\.$county.$id == county.requireID()).sort(\.$sort).sort(\.$id)
            .all()
    }

    private func departments(of county: AdminUnit, on db: any Database) async throws -> [AdminUnit] {
        try await AdminUnit.query(on: db).filter(\.$path =~ county.path)
            .filter(\.$kind == UnitKind.department.rawValue).sort(\.$path).all()
    }

    // MARK: - The form

    /// A category as the form's fields.
    static func form(of category: CaseCategory) -> [String: String] {
        var form: [String: String] = [
            "mode": "edit", "code": category.code, "parent": category.parentCode ?? "", "name_zh": category.nameZh,
            "name_en": category.nameEn, "handler": category.defaultHandler?.rawValue ?? "",
            "deadline_hours": String(category.deadlineHours), "priority": category.priority.rawValue,
        ]
        if category.isPrivate { form["private"] = "on" }
        for (index, question) in category.questions.enumerated() {
            let n = "q\(index + 1)_"
            form[n + "key"] = question.key
            form[n + "label_zh"] = question.labelZh
            form[n + "label_en"] = question.labelEn
            form[n + "kind"] = question.kind.rawValue
            form[n + "choices"] = question.choices.joined(separator: "\n")
            form[n + "choices_en"] = question.choicesEn.joined(separator: "\n")
            if question.required { form[n + "required"] = "on" }
        }
        return form
    }

    /// The category the form describes, and for each of its questions the form row it came from
    /// (blank rows are left out, so the domain's question numbers differ from the rows').
    static func category(from form: [String: String]) -> (CaseCategory, [Int]) {
        let text = { (name: String) in (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        var questions: [CategoryQuestion] = []
        var rows: [Int] = []
        for n in 1...(CaseCategory.maxQuestions + blankRows) {
            let p = "q\(n)_"
            let fields = Self.questionFields.map { text(p + $0) }
            guard fields.contains(where: { !$0.isEmpty }) else { continue }
            questions.append(
                CategoryQuestion(
                    key: fields[0], labelZh: fields[1], labelEn: fields[2],
                    kind: CategoryQuestion.Kind(rawValue: text(p + "kind")) ?? .text, choices: choiceList(fields[3]),
                    choicesEn: choiceList(fields[4]), required: form[p + "required"] != nil))
            rows.append(n)
        }
        // Hours that are no number go to the domain as 0, which it refuses with the allowed range.
        let category = CaseCategory(
            code: text("code").uppercased(), parentCode: text("parent").nilIfEmpty, nameZh: text("name_zh"),
            nameEn: text("name_en"),
            defaultHandler: text("handler").nilIfEmpty.flatMap(CategoryHandler.init(rawValue:)),
            deadlineHours: Int(text("deadline_hours")) ?? 0,
            priority: CasePriority(rawValue: text("priority")) ?? .normal, isPrivate: form["private"] != nil,
            questions: questions)
        return (category, rows)
    }

    /// The text fields of a question row; a row with all of them blank is no question.
    static let questionFields = ["key", "label_zh", "label_en", "choices", "choices_en"]

    /// The choices typed in a box: one a line, or on a single line separated by commas (a
    /// choice such as “是，已答复” or “Yes, answered” then needs a line of its own).
    static func choiceList(_ text: String) -> [String] {
        let parts =
            text.contains(where: \.isNewline)
            ? text.split(whereSeparator: \.isNewline) : text.split(whereSeparator: { ",，、".contains($0) })
        return parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private func render(
        _ request: Request, county: AdminUnit, isNew: Bool, form: [String: String], issues: [CaseIssue],
        rows: [Int] = [], status: HTTPResponseStatus
    ) async throws -> Response {
        var errors = Errors()
        var rowErrors: [Int: [String]] = [:]
        for issue in issues {
            let message = request.t(issue.key, issue.args)
            errors.any = true
            switch issue.field {
            case "code": errors.code = message
            case "parent_code": errors.parent = message
            case "name_zh": errors.nameZh = message
            case "name_en": errors.nameEn = message
            case "deadline_hours": errors.deadlineHours = message
            case "is_private": errors.isPrivate = message
            case "questions": errors.questions = message
            case let field where field.hasPrefix("questions."):
                let index = field.split(separator: ".").dropFirst().first.flatMap { Int($0) } ?? 0
                if rows.indices.contains(index - 1) {
                    rowErrors[rows[index - 1], default: []].append(message)
                } else {
                    errors.other.append(message)
                }
            default: errors.other.append(message)
            }
        }
        let records = try await records(of: county, on: request.db)
        let parent = form["parent"] ?? ""
        let handler = form["handler"] ?? ""
        let filled =
            (1...(CaseCategory.maxQuestions + Self.blankRows)).filter { n in
                Self.questionFields.contains { !(form["q\(n)_\($0)"] ?? "").isEmpty }
            }.max() ?? 0
        let rowCount = min(CaseCategory.maxQuestions + Self.blankRows, filled + Self.blankRows)
        let handlerKinds = ["village", "township", "department"].map {
            SelectOption(value: $0, label: request.t("category_handler." + $0), selected: handler == $0)
        }
        let departments = try await departments(of: county, on: request.db).map {
            SelectOption(value: $0.code, label: $0.name, selected: handler == $0.code)
        }
        let page = await Page.make(for: request, title: "case_pages.categories.form_title")
        let context = FormPage(
            page: page, county: county.code, isNew: isNew, code: form["code"] ?? "",
            parents: records.filter { $0.$parent.id == nil }.map {
                SelectOption(
                    value: $0.code, label: "\($0.code) \(CaseNames.pick($0.nameZh, $0.nameEn, request))",
                    selected: $0.code == parent)
            },
            nameZh: form["name_zh"] ?? "", nameEn: form["name_en"] ?? "", handlers: handlerKinds + departments,
            deadlineHours: form["deadline_hours"] ?? "",
            priorities: CasePriority.allCases.map {
                SelectOption(
                    value: $0.rawValue, label: request.t("priority." + $0.rawValue),
                    selected: $0.rawValue == (form["priority"] ?? CasePriority.normal.rawValue))
            },
            isPrivate: form["private"] != nil,
            questions: (0..<rowCount).map { index in
                let n = index + 1
                let p = "q\(n)_"
                return QuestionRow(
                    n: n, key: form[p + "key"] ?? "", labelZh: form[p + "label_zh"] ?? "",
                    labelEn: form[p + "label_en"] ?? "",
                    kinds: CategoryQuestion.Kind.allCases.map {
                        SelectOption(
                            value: $0.rawValue, label: request.t("question_kind." + $0.rawValue),
                            selected: $0.rawValue == (form[p + "kind"] ?? "text"))
                    }, choices: form[p + "choices"] ?? "", choicesEn: form[p + "choices_en"] ?? "",
                    required: form[p + "required"] != nil,
                    errors: rowErrors[n] ?? [])
            }, errors: errors)
        return try await request.view.render("cases/category-form", context).encodeResponse(
            status: status, for: request)
    }
}
