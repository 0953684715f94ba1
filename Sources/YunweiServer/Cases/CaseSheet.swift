import Fluent
import Foundation
import Vapor
import YunweiDomain

/// The case page's content: the case as its reader may see it, and one form per step they may take.
enum CaseSheet {
    struct Answer: Encodable {
        let label: String
        let value: String
    }

    struct Facts: Encodable {
        let id: Int
        let category: String
        let topCategory: String
        let isPrivate: Bool
        /// Catalog keys.
        let state: String
        let priority: String
        let source: String
        let description: String
        let village: String
        let township: String
        let answers: [Answer]
        let hasLocation: Bool
        let latitude: String?
        let longitude: String?
        let address: String?
        let handler: String?
        let deadline: Double?
        let countdown: String?
        let overdue: Bool
        let supervised: Bool
        let reportedAt: Double
        let resolvedAt: Double?
        let closedAt: Double?
        let reporter: String?
        let reporterPhone: String?
        let reopenCount: Int
        let duplicateOf: Int?
        /// `case_pages.satisfied.yes|no`, once the reporter has said.
        let satisfied: String?
    }

    struct Step: Encodable {
        let at: Double
        let actor: String
        /// `case_action.…`, or `case_pages.event.…` for the system's own steps.
        let action: String
        let state: String
        let changed: Bool
        let note: String?
        let handler: String?
        let deadline: Double?
        let photos: [String]
    }

    struct FieldErrors: Encodable {
        var note: String?
        var handler: String?
        var deadline: String?
        var duplicateOf: String?
        var satisfied: String?
        var photos: String?
    }

    /// One step's form: which fields it needs, their values, and the messages beside them.
    struct ActionForm: Encodable {
        let action: String
        let open: Bool
        let multipart: Bool
        let handlers: [SelectOption]
        let showDeadline: Bool
        let deadlineRequired: Bool
        let deadline: String
        /// The note's label (a catalog key); nil when the step takes no note.
        let noteLabel: String?
        let noteRequired: Bool
        let note: String
        let showDuplicate: Bool
        let duplicateOf: String
        let showSatisfied: Bool
        let satisfied: String
        let showPhotos: Bool
        let errors: FieldErrors
    }

    struct Failure: Encodable {
        let action: String
        let messages: [String]
    }

    struct CasePage: Encodable {
        let page: Page
        let facts: Facts
        let photos: [String]
        let timeline: [Step]
        let duplicates: [CaseLine]
        let actions: [ActionForm]
        let failure: Failure?
        let maxPhotos: Int
        let maxMB: Int
    }

    /// The page of case `caseID`, 404 unless the reader may see it; after a refused step with
    /// that step's form open and filled in again.
    static func render(
        _ request: Request, caseID: Int, refusal: CasePages.Refusal?, status: HTTPResponseStatus
    ) async throws -> Response {
        let actor = try request.requireActor()
        let record = try await CaseDesk.visible(caseID, to: actor, on: request.db)
        let db = request.db
        let now = Date()
        guard let category = try await CategoryRecord.find(record.$category.id, on: db) else {
            throw YunweiError.notFound
        }
        var top: CategoryRecord?
        if let parentID = category.$parent.id { top = try await CategoryRecord.find(parentID, on: db) }
        let events = try await CaseEventRecord.query(on: db).filter(\.$caseRecord.$id == caseID).sort(\.$at)
            .sort(\.$id).all()
        let unitIDs = Set(
            [record.$village.id, record.$township.id] + [record.$handlerUnit.id].compactMap { $0 }
                + events.compactMap(\.handlerUnitID))
        let units = try await AdminUnit.query(on: db).filter(\.$id ~~ unitIDs).all()
        let unitNames = Dictionary(units.map { ($0.id ?? 0, $0.name) }, uniquingKeysWith: { a, _ in a })
        let userIDs = Set(events.compactMap(\.actorUserID) + [record.reporterUserID].compactMap { $0 })
        let users = try await User.query(on: db).filter(\.$id ~~ userIDs).all()
        let userNames = Dictionary(users.map { ($0.id ?? 0, $0.displayName) }, uniquingKeysWith: { a, _ in a })
        let photos = try await CasePhotoRecord.query(on: db).filter(\.$caseRecord.$id == caseID).sort(\.$id).all()

        let facts = Self.facts(
            of: record, category: category, top: top, unitNames: unitNames, userNames: userNames, actor: actor,
            now: now, request)
        let timeline = events.map { step($0, unitNames: unitNames, userNames: userNames, request) }
        let allowed = CasePolicy.actions(for: actor, on: record.place, in: record.caseState)
        var handlers: (units: [AdminUnit], suggested: String?) = ([], nil)
        if allowed.contains(.dispatch) || allowed.contains(.transfer) {
            handlers = try await handlerUnits(for: record, category: category, on: db)
        }
        var duplicates: [CaseLine] = []
        if record.caseState.isOpen {
            duplicates = try await CaseLine.lines(
                self.duplicates(of: record, category: category, actor: actor, on: db), now: now, for: request)
        }
        let forms = allowed.map { action in
            form(
                action, refusal: refusal?.action == action ? refusal : nil, handlers: handlers.units,
                defaultHandler: handlers.suggested,
                currentHandler: record.handlerPath.flatMap { UnitPath(rawValue: $0).codes.last?.rawValue },
                hours: category.deadlineHours, now: now)
        }
        let page = await Page.make(for: request, title: "case_pages.case.title")
        let context = CasePage(
            page: page, facts: facts, photos: photos.map(\.sha256), timeline: timeline,
            duplicates: duplicates, actions: forms,
            failure: refusal.map {
                Failure(action: "case_action." + $0.action.rawValue, messages: $0.messages.map(\.text))
            },
            maxPhotos: PhotoCheck.maxPhotos, maxMB: PhotoCheck.maxBytes / 1024 / 1024)
        return try await request.view.render("cases/show", context).encodeResponse(status: status, for: request)
    }

    /// What the case page says about the case. Reporters from the public are named, with their
    /// phone, only to those the policy lets see them (`CasePolicy.maySeeReporter`).
    private static func facts(
        of record: CaseRecord, category: CategoryRecord, top: CategoryRecord?, unitNames: [Int: String],
        userNames: [Int: String], actor: Actor, now: Date, _ request: Request
    ) -> Facts {
        let seesReporter = CasePolicy.maySeeReporter(actor, record.place)
        let countdown = Countdown.text(deadline: record.deadlineAt, state: record.caseState, now: now, request)
        let storedAnswers =
            (try? JSONDecoder().decode([String: String].self, from: Data(record.answersJSON.utf8))) ?? [:]
        let questions = category.questions
        let answers =
            questions.compactMap { question in
                storedAnswers[question.key].map {
                    Answer(
                        label: CaseNames.pick(question.labelZh, question.labelEn, request),
                        value: question.choiceLabel($0, english: request.language == .en))
                }
            }
            + storedAnswers.keys.filter { key in !questions.contains { $0.key == key } }.sorted().map {
                Answer(label: $0, value: storedAnswers[$0] ?? "")
            }
        return Facts(
            id: record.id ?? 0, category: CaseNames.pick(category.nameZh, category.nameEn, request),
            topCategory: top.map { CaseNames.pick($0.nameZh, $0.nameEn, request) } ?? "", isPrivate: record.isPrivate,
            state: "case_state." + record.state, priority: "priority." + record.priority,
            source: "case_pages.source." + record.source, description: record.description,
            village: unitNames[record.$village.id] ?? "", township: unitNames[record.$township.id] ?? "",
            answers: answers, hasLocation: record.latE6 != nil || record.address != nil,
            latitude: record.latE6.map(degrees), longitude: record.lonE6.map(degrees),
            address: record.address, handler: record.$handlerUnit.id.flatMap { unitNames[$0] },
            deadline: record.deadlineAt?.timeIntervalSince1970, countdown: countdown?.text,
            overdue: countdown?.overdue ?? false, supervised: record.supervised,
            reportedAt: record.reportedAt.timeIntervalSince1970, resolvedAt: record.resolvedAt?.timeIntervalSince1970,
            closedAt: record.closedAt?.timeIntervalSince1970,
            reporter: record.reporterUserID.flatMap { userNames[$0] }
                ?? (seesReporter ? record.reporterName : nil),
            reporterPhone: seesReporter ? record.reporterPhone : nil, reopenCount: record.reopenCount,
            duplicateOf: record.duplicateOfID,
            satisfied: record.satisfied.map { "case_pages.satisfied." + ($0 ? "yes" : "no") })
    }

    /// One record of the timeline, with the names of the people and units in it.
    private static func step(
        _ event: CaseEventRecord, unitNames: [Int: String], userNames: [Int: String], _ request: Request
    ) -> Step {
        Step(
            at: event.at.timeIntervalSince1970,
            actor: event.actorUserID.flatMap { userNames[$0] } ?? actorName(event.actorName, request),
            action: actionKey(event.action), state: "case_state." + event.toState,
            changed: event.fromState != event.toState,
            note: event.note,
            handler: ["dispatch", "transfer"].contains(event.action)
                ? event.handlerUnitID.flatMap { unitNames[$0] } : nil,
            deadline: ["dispatch", "transfer", "supervise"].contains(event.action)
                ? event.deadlineAt?.timeIntervalSince1970 : nil,
            photos: (try? JSONDecoder().decode([String].self, from: Data(event.photosJSON.utf8))) ?? [])
    }

    /// The form of one step, with the fields it needs; filled in again after a refusal.
    private static func form(
        _ action: CaseAction, refusal: CasePages.Refusal?, handlers: [AdminUnit], defaultHandler: String?,
        currentHandler: String?, hours: Int, now: Date
    ) -> ActionForm {
        var errors = FieldErrors()
        for (field, text) in refusal?.messages ?? [] {
            switch field {
            case "note": errors.note = text
            case "handler": errors.handler = text
            case "deadline": errors.deadline = text
            case "duplicate_of": errors.duplicateOf = text
            case "satisfied": errors.satisfied = text
            case "photos": errors.photos = [errors.photos, text].compactMap { $0 }.joined(separator: " ")
            default: break
            }
        }
        let input = refusal?.input
        let assigns = action == .dispatch || action == .transfer
        // A transfer goes elsewhere: the default is offered only when it is not the handler now.
        let offered = action == .transfer && defaultHandler == currentHandler ? nil : defaultHandler
        let chosenHandler = input?.handler ?? offered
        let noteLabel: String? =
            switch action {
            case .accept, .close: nil
            case .resolve: "case_pages.field.result"
            case .reject, .return, .reopen: "case_pages.field.reason"
            case .supervise: "case_pages.field.supervision"
            case .feedback: "case_pages.field.comment"
            case .dispatch, .transfer, .refer: "case_pages.field.instruction"
            }
        return ActionForm(
            action: action.rawValue, open: refusal != nil, multipart: action == .resolve,
            handlers: assigns
                ? handlers.map {
                    SelectOption(
                        value: $0.code, label: $0.name, selected: $0.code == chosenHandler)
                } : [],
            showDeadline: assigns || action == .supervise, deadlineRequired: assigns,
            deadline: input?.deadline ?? (assigns ? DeadlineField.text(CaseDeadline.from(now, hours: hours)) : ""),
            noteLabel: noteLabel, noteRequired: [.resolve, .reject, .return, .supervise].contains(action),
            note: input?.note ?? "", showDuplicate: action == .reject, duplicateOf: input?.duplicateOf ?? "",
            showSatisfied: action == .feedback, satisfied: input?.satisfied ?? "", showPhotos: action == .resolve,
            errors: errors)
    }

    /// Who may be handed the case: its village, its township, and the departments of the township
    /// and of the county; the category's default handler first in mind.
    private static func handlerUnits(for record: CaseRecord, category: CategoryRecord, on db: any Database)
        async throws -> (units: [AdminUnit], suggested: String?)
    {
        let path = UnitPath(rawValue: record.villagePath)
        let suggested = category.defaultHandler.flatMap(CategoryHandler.init(rawValue:))?.unit(forCaseAt: path)?
            .rawValue
        var units = try await AdminUnit.query(on: db).group(.or) { group in
            group.filter(\.$id ~~ [record.$village.id, record.$township.id])
            group.group(.and) {
                $0.filter(\.$kind == UnitKind.department.rawValue)
                    .filter(\.$parent.$id ~~ [record.$township.id, record.$county.id])
            }
        }.sort(\.$path).all()
        if let suggested, !units.contains(where: { $0.code == suggested }),
            let pinned = try await AdminUnit.query(on: db).filter(\.$code == suggested).first()
        {
            units.append(pinned)
        }
        return (units, suggested)
    }

    /// 疑似重复: the open cases of the same subcategory and village that are near or name the same
    /// facility, as `DuplicateCheck` judges, among those the reader may see.
    private static func duplicates(of record: CaseRecord, category: CategoryRecord, actor: Actor, on db: any Database)
        async throws -> [CaseRecord]
    {
        guard let village = UnitPath(rawValue: record.villagePath).codes.last else { return [] }
        let others = try await CaseQuery.visible(to: actor, on: db)
            .filter(\.$village.$id == record.$village.id).filter(\.$category.$id == record.$category.id)
            .filter(\.$id != record.requireID()).filter(\.$state ~~ CaseState.openStates.map(\.rawValue))
            .sort(\.$id, .descending).limit(200).all()
        let sighting = { (record: CaseRecord) in
            DuplicateCheck.Sighting(
                category: category.code, village: village, state: record.caseState, point: point(of: record),
                facilityID: record.facilityID.map(Int64.init))
        }
        let this = sighting(record)
        return others.filter { DuplicateCheck.isPossibleDuplicate(this, of: sighting($0)) }
    }

    private static func point(of record: CaseRecord) -> GeoPoint? {
        guard let lat = record.latE6, let lon = record.lonE6 else { return nil }
        return GeoPoint(latitude: Double(lat) / 1_000_000, longitude: Double(lon) / 1_000_000)
    }

    /// Millionths of a degree as decimal degrees, `30.100000`, exactly as stored.
    static func degrees(_ e6: Int) -> String {
        let magnitude = e6.magnitude
        let fraction = String(magnitude % 1_000_000)
        return (e6 < 0 ? "-" : "") + "\(magnitude / 1_000_000)."
            + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    /// The catalog key naming a timeline record's action: a step's name, or one of the system's
    /// own records (`report`, `overdue`, `auto_close`).
    static func actionKey(_ action: String) -> String {
        CaseAction(rawValue: action) != nil ? "case_action." + action : "case_pages.event." + action
    }

    /// Steps taken by no person: the system's jobs, or a reporter from the public.
    private static func actorName(_ name: String, _ request: Request) -> String {
        switch name {
        case "system": request.t("case_pages.actor.system")
        case "public": request.t("case_pages.actor.public")
        default: name
        }
    }
}
