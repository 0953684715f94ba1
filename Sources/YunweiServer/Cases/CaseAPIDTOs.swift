import Fluent
import Foundation
import Vapor
import YunweiDomain

/// The request and response bodies of the case API (`/api/v1/categories`, `/api/v1/cases`): plain
/// values with snake_case keys, never the Fluent models. Times are ISO 8601 with a zone.
enum CaseAPIDTO {
    struct Question: Content {
        var key: String?
        var labelZh: String?
        var labelEn: String?
        var kind: String?
        var choices: [String]?
        /// English labels of `choices`, same order; empty when none were given.
        var choicesEn: [String]?
        var required: Bool?

        enum CodingKeys: String, CodingKey {
            case key, kind, choices, required
            case labelZh = "label_zh"
            case labelEn = "label_en"
            case choicesEn = "choices_en"
        }

        init(_ question: CategoryQuestion) {
            key = question.key
            labelZh = question.labelZh
            labelEn = question.labelEn
            kind = question.kind.rawValue
            choices = question.choices
            choicesEn = question.choicesEn
            required = question.required
        }
    }

    /// A category as the API shows it; top categories carry their subcategories.
    struct Category: Content {
        let code: String
        let parent: String?
        let nameZh: String
        let nameEn: String
        let defaultHandler: String?
        let deadlineHours: Int
        let priority: String
        let isPrivate: Bool
        let active: Bool
        let questions: [Question]
        var subcategories: [Category]?

        enum CodingKeys: String, CodingKey {
            case code, parent, priority, active, questions, subcategories
            case nameZh = "name_zh"
            case nameEn = "name_en"
            case defaultHandler = "default_handler"
            case deadlineHours = "deadline_hours"
            case isPrivate = "private"
        }

        init(_ record: CategoryRecord, parent: String?) {
            code = record.code
            self.parent = parent
            nameZh = record.nameZh
            nameEn = record.nameEn
            defaultHandler = record.defaultHandler
            deadlineHours = record.deadlineHours
            priority = record.priority
            isPrivate = record.isPrivate
            active = record.active
            questions = record.questions.map(Question.init)
        }
    }

    /// `POST /categories`: a category to add, or to replace the one with its code.
    struct CategoryInput: Content {
        var code: String?
        var parent: String?
        var nameZh: String?
        var nameEn: String?
        var defaultHandler: String?
        var deadlineHours: Int?
        var priority: String?
        var isPrivate: Bool?
        var questions: [Question]?

        enum CodingKeys: String, CodingKey {
            case code, parent, priority, questions
            case nameZh = "name_zh"
            case nameEn = "name_en"
            case defaultHandler = "default_handler"
            case deadlineHours = "deadline_hours"
            case isPrivate = "private"
        }

        /// The domain's category; every problem of the fields the domain cannot even read is
        /// thrown at once. What the domain can read, it checks itself (`CaseCategory.issues`).
        func category() throws(CaseDesk.InputError) -> CaseCategory {
            var issues: [CaseIssue] = []
            let priority = CasePriority(rawValue: self.priority ?? CasePriority.normal.rawValue)
            if priority == nil { issues.append(CaseIssue(field: "priority", key: "api.input.priority")) }
            let handlerText = defaultHandler?.trimmingCharacters(in: .whitespaces).nilIfEmpty
            let handler = handlerText.flatMap(CategoryHandler.init(rawValue:))
            if handlerText != nil, handler == nil {
                issues.append(CaseIssue(field: "default_handler", key: "api.input.default_handler"))
            }
            var questions: [CategoryQuestion] = []
            for (index, question) in (self.questions ?? []).enumerated() {
                guard let kind = CategoryQuestion.Kind(rawValue: question.kind ?? "") else {
                    issues.append(CaseIssue(field: "questions.\(index + 1).kind", key: "api.input.question_kind"))
                    continue
                }
                questions.append(
                    CategoryQuestion(
                        key: question.key ?? "", labelZh: question.labelZh ?? "", labelEn: question.labelEn ?? "",
                        kind: kind, choices: question.choices ?? [], choicesEn: question.choicesEn ?? [],
                        required: question.required ?? false))
            }
            guard issues.isEmpty, let priority else { throw CaseDesk.InputError(issues: issues) }
            return CaseCategory(
                code: (code ?? "").trimmingCharacters(in: .whitespaces),
                parentCode: parent?.trimmingCharacters(in: .whitespaces).nilIfEmpty,
                nameZh: (nameZh ?? "").trimmingCharacters(in: .whitespaces),
                nameEn: (nameEn ?? "").trimmingCharacters(in: .whitespaces), defaultHandler: handler,
                deadlineHours: deadlineHours ?? 0, priority: priority, isPrivate: isPrivate ?? false,
                questions: questions)
        }
    }

    /// An answer to a category's question: clients may send `12` or `"12"` alike.
    struct AnswerText: Codable, Sendable {
        let text: String

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self.text = text
            } else if let number = try? container.decode(Int.self) {
                text = String(number)
            } else if let number = try? container.decode(Double.self) {
                text = String(number)
            } else if let flag = try? container.decode(Bool.self) {
                text = String(flag)
            } else {
                throw DecodingError.typeMismatch(
                    String.self,
                    .init(codingPath: decoder.codingPath, debugDescription: "an answer is text or a number"))
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(text)
        }
    }

    /// `POST /cases`: a report. Photos are optional, as base64 (a `data:` URL prefix is allowed).
    struct ReportInput: Content {
        var category: String?
        var village: String?
        var description: String?
        var lat: Double?
        var long: Double?
        var address: String?
        var answers: [String: AnswerText]?
        var photos: [String]?
    }

    /// `POST /cases/{id}/actions`: one step.
    struct ActionInput: Content {
        var action: String?
        var note: String?
        var handler: String?
        var deadline: String?
        var satisfied: Bool?
        var duplicateOf: Int?
        var photos: [String]?

        enum CodingKeys: String, CodingKey {
            case action, note, handler, deadline, satisfied, photos
            case duplicateOf = "duplicate_of"
        }
    }

    struct Reporter: Content {
        let name: String?
        let phone: String?
        let queryCode: String?

        enum CodingKeys: String, CodingKey {
            case name, phone
            case queryCode = "query_code"
        }
    }

    struct Event: Content {
        let id: Int
        let at: Date
        let action: String
        let fromState: String?
        let toState: String
        /// The username of the person who took the step, `system` for the jobs; nil when it was
        /// the public reporter and the caller may not see reporters.
        let actor: String?
        let note: String?
        let handler: String?
        let deadline: Date?
        let photos: [String]

        enum CodingKeys: String, CodingKey {
            case id, at, action, actor, note, handler, deadline, photos
            case fromState = "from_state"
            case toState = "to_state"
        }
    }

    struct Photo: Content {
        let sha256: String
        let contentType: String
        let bytes: Int
        /// `GET` it with the same bearer token.
        let url: String

        init(sha256: String, contentType: String, bytes: Int) {
            self.sha256 = sha256
            self.contentType = contentType
            self.bytes = bytes
            url = "/api/v1/photos/\(sha256)"
        }

        enum CodingKeys: String, CodingKey {
            case sha256, bytes, url
            case contentType = "content_type"
        }
    }

    /// A case as the API shows it. `reporter` only for those who may see reporters
    /// (`CasePolicy.maySeeReporter`); `timeline` and `photos` only on `GET /cases/{id}` and the
    /// answers to steps.
    struct Case: Content {
        let id: Int
        let state: String
        let category: String
        let priority: String
        let isPrivate: Bool
        let description: String
        let lat: Double?
        let long: Double?
        let address: String?
        let answers: [String: String]
        let source: String
        let county: String
        let township: String
        let village: String
        let handler: String?
        let deadline: Date?
        let overdue: Bool
        let supervised: Bool
        let reopenCount: Int
        let satisfied: Bool?
        let duplicateOf: Int?
        let reportedAt: Date
        let dispatchedAt: Date?
        let resolvedAt: Date?
        let closedAt: Date?
        let updatedAt: Date
        let reporter: Reporter?
        /// The steps the caller may take now.
        let actions: [String]
        var timeline: [Event]?
        var photos: [Photo]?

        enum CodingKeys: String, CodingKey {
            case id, state, category, priority, description, lat, long, address, answers, source, county, township,
                village, handler, deadline, overdue, supervised, satisfied, reporter, actions, timeline, photos
            case isPrivate = "private"
            case reopenCount = "reopen_count"
            case duplicateOf = "duplicate_of"
            case reportedAt = "reported_at"
            case dispatchedAt = "dispatched_at"
            case resolvedAt = "resolved_at"
            case closedAt = "closed_at"
            case updatedAt = "updated_at"
        }
    }

    /// `GET /cases`: one keyset page. `next_cursor` is null on the last page.
    struct CasePage: Content {
        let cases: [Case]
        let nextCursor: String?

        enum CodingKeys: String, CodingKey {
            case cases
            case nextCursor = "next_cursor"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(cases, forKey: .cases)
            try container.encode(nextCursor, forKey: .nextCursor)
        }
    }
}

extension CaseAPIDTO.Case {
    /// The API's view of `records` for `actor`, with two lookups for the whole list (category
    /// codes) rather than one per case.
    static func list(_ records: [CaseRecord], for actor: Actor, now: Date = Date(), on db: any Database) async throws
        -> [Self]
    {
        let categoryIDs = Array(Set(records.map { $0.$category.id }))
        let categories =
            categoryIDs.isEmpty ? [] : try await CategoryRecord.query(on: db).filter(\.$id ~~ categoryIDs).all()
        let codes = Dictionary(
            categories.compactMap { record in record.id.map { ($0, record.code) } }, uniquingKeysWith: { a, _ in a })
        return records.map { Self(record: $0, categoryCode: codes[$0.$category.id] ?? "", for: actor, now: now) }
    }

    /// One case with its timeline and photos.
    static func detail(_ record: CaseRecord, for actor: Actor, now: Date = Date(), on db: any Database) async throws
        -> Self
    {
        var dto = try await list([record], for: actor, now: now, on: db)[0]
        let caseID = try record.requireID()
        let events = try await CaseEventRecord.query(on: db).filter(\.$caseRecord.$id == caseID).sort(\.$id).all()
        let handlerIDs = Array(Set(events.compactMap(\.handlerUnitID)))
        let handlers =
            handlerIDs.isEmpty ? [] : try await AdminUnit.query(on: db).filter(\.$id ~~ handlerIDs).all()
        let handlerCodes = Dictionary(
            handlers.compactMap { unit in unit.id.map { ($0, unit.code) } }, uniquingKeysWith: { a, _ in a })
        let showsReporter = dto.reporter != nil
        dto.timeline = events.map { event in
            let isPerson = event.actorUserID != nil || event.actorName == AuditTrail.Author.system.name
            return CaseAPIDTO.Event(
                id: event.id ?? 0, at: event.at, action: event.action, fromState: event.fromState,
                toState: event.toState, actor: isPerson || showsReporter ? event.actorName : nil, note: event.note,
                handler: event.handlerUnitID.flatMap { handlerCodes[$0] }, deadline: event.deadlineAt,
                photos: (try? JSONDecoder().decode([String].self, from: Data(event.photosJSON.utf8))) ?? [])
        }
        dto.photos = try await CasePhotoRecord.query(on: db).filter(\.$caseRecord.$id == caseID).sort(\.$id).all()
            .map { CaseAPIDTO.Photo(sha256: $0.sha256, contentType: $0.contentType, bytes: $0.bytes) }
        return dto
    }

    init(record: CaseRecord, categoryCode: String, for actor: Actor, now: Date) {
        let place = record.place
        let codes = UnitPath(rawValue: record.villagePath).codes.map(\.rawValue)
        let state = record.caseState
        id = record.id ?? 0
        self.state = record.state
        category = categoryCode
        priority = record.priority
        isPrivate = record.isPrivate
        description = record.description
        lat = record.latE6.map { Double($0) / 1_000_000 }
        long = record.lonE6.map { Double($0) / 1_000_000 }
        address = record.address
        answers = (try? JSONDecoder().decode([String: String].self, from: Data(record.answersJSON.utf8))) ?? [:]
        source = record.source
        county = codes.first ?? ""
        township = codes.count >= 2 ? codes[1] : ""
        village = codes.last ?? ""
        handler = record.handlerPath.flatMap { UnitPath(rawValue: $0).codes.last?.rawValue }
        deadline = record.deadlineAt
        overdue = CaseDeadline.isOverdue(deadline: record.deadlineAt, state: state, now: now)
        supervised = record.supervised
        reopenCount = record.reopenCount
        satisfied = record.satisfied
        duplicateOf = record.duplicateOfID
        reportedAt = record.reportedAt
        dispatchedAt = record.dispatchedAt
        resolvedAt = record.resolvedAt
        closedAt = record.closedAt
        updatedAt = record.updatedAt
        let hasContact = record.reporterName != nil || record.reporterPhone != nil || record.queryCode != nil
        reporter =
            hasContact && CasePolicy.maySeeReporter(actor, place)
            ? CaseAPIDTO.Reporter(name: record.reporterName, phone: record.reporterPhone, queryCode: record.queryCode)
            : nil
        actions = CasePolicy.actions(for: actor, on: place, in: state).map(\.rawValue)
    }
}
