import Fluent
import Foundation
import Vapor
import YunweiDomain

/// `/cases/ID`: one case for the people who may see it — what was reported, where, its handler and
/// deadline, its timeline and photos, the cases it may duplicate — and a small form for each step
/// `CasePolicy` lets the reader take now, posting to `/cases/ID/actions`. The desk decides; a
/// refusal shows the case again with the reason beside the field, with its own status.
struct CasePages: RouteCollection {
    /// A step as its form sends it.
    struct ActionInput: Content {
        var action: String?
        var note: String?
        var handler: String?
        var deadline: String?
        var satisfied: String?
        var duplicateOf: String?
        var photos: [File]?

        enum CodingKeys: String, CodingKey {
            case action, note, handler, deadline, satisfied, photos
            case duplicateOf = "duplicate_of"
        }
    }

    /// A step the desk refused, with what was sent, to show it again.
    struct Refusal {
        let action: CaseAction
        let input: ActionInput
        /// Each message with the field it belongs to (`note`, `handler`, …), nil for the step as a whole.
        let messages: [(field: String?, text: String)]
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("cases", ":id", use: show)
        routes.on(.POST, "cases", ":id", "actions", body: .collect(maxSize: "32mb"), use: act)
    }

    func show(request: Request) async throws -> Response {
        try await CaseSheet.render(request, caseID: try caseID(request), refusal: nil, status: .ok)
    }

    func act(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let id = try caseID(request)
        _ = try await CaseDesk.visible(id, to: actor, on: request.db)
        let input = try request.content.decode(ActionInput.self)
        guard let action = input.action.flatMap(CaseAction.init(rawValue:)) else {
            throw YunweiError.invalid("case_pages.error.unknown_action")
        }
        do {
            let step = try Self.step(action, input)
            try await CaseDesk.act(step, on: id, by: .person(actor), photos: request.application.photos, on: request.db)
        } catch let error as CaseDesk.InputError {
            let messages = error.issues.map { (Self.field(ofIssue: $0.field), request.t($0.key, $0.args)) }
            return try await CaseSheet.render(
                request, caseID: id, refusal: Refusal(action: action, input: input, messages: messages),
                status: .unprocessableEntity)
        } catch let error as YunweiError where error.status != .notFound {
            let message = (Self.fieldOfRefusal[error.key], request.t(error.key, error.args))
            return try await CaseSheet.render(
                request, caseID: id, refusal: Refusal(action: action, input: input, messages: [message]),
                status: error.status)
        }
        request.setNotice("case_pages.done.\(action.rawValue)")
        return request.redirect(to: "/cases/\(id)")
    }

    private func caseID(_ request: Request) throws -> Int {
        guard let id = request.parameters.get("id", as: Int.self) else { throw YunweiError.notFound }
        return id
    }

    /// The desk's step from the form: what is typed wrong here (a deadline that is no time, a
    /// duplicate that is no case number) is refused beside its field before the desk is asked.
    static func step(_ action: CaseAction, _ input: ActionInput) throws -> CaseDesk.Step {
        var issues: [CaseIssue] = []
        var deadline: Date?
        if let text = input.deadline?.trimmingCharacters(in: .whitespaces).nilIfEmpty {
            deadline = DeadlineField.date(text)
            if deadline == nil { issues.append(CaseIssue(field: "deadline", key: "case_pages.error.deadline_format")) }
        }
        var duplicateOf: Int?
        if let text = input.duplicateOf?.trimmingCharacters(in: .whitespaces).nilIfEmpty {
            duplicateOf = Int(text.hasPrefix("#") ? String(text.dropFirst()) : text)
            if duplicateOf == nil { issues.append(CaseIssue(field: "duplicate_of", key: "case.input.duplicate_of")) }
        }
        guard issues.isEmpty else { throw CaseDesk.InputError(issues: issues) }
        let satisfied: Bool? =
            switch input.satisfied {
            case "yes": true
            case "no": false
            default: nil
            }
        return CaseDesk.Step(
            action: action, note: input.note, handlerCode: input.handler, deadline: deadline, satisfied: satisfied,
            duplicateOf: duplicateOf, photos: UploadedPhotos.data(input.photos))
    }

    /// The form field a desk issue belongs to.
    static func field(ofIssue field: String) -> String? {
        if field == "photos" || field.hasPrefix("photos.") { return "photos" }
        return ["handler", "deadline", "duplicate_of", "note", "satisfied"].contains(field) ? field : nil
    }

    /// The form field each of the machine's reasons for refusing belongs to.
    static let fieldOfRefusal: [String: String] = [
        "case.error.reason_required": "note", "case.error.result_required": "note",
        "case.error.note_required": "note", "case.error.handler_required": "handler",
        "case.error.same_handler": "handler", "case.error.deadline_required": "deadline",
        "case.error.deadline_past": "deadline", "case.error.satisfaction_required": "satisfied",
    ]
}
