import Fluent
import Foundation
import Vapor
import YunweiDomain

/// The public's side of the case platform, without an account: `/report` files a problem (a few
/// per address and hour, see `ReportThrottle`) and gives a query code 查询码; `/track/CODE` shows
/// how it stands — never who reported it or who handles it — and takes the reporter's feedback
/// once it is resolved. Private categories show only their state and dates.
struct PublicCasePages: RouteCollection {
    struct FeedbackInput: Content {
        var satisfied: String?
        var comment: String?
    }

    struct PublicStep: Encodable {
        let at: Double
        /// `case_action.…` and `case_state.…`.
        let action: String
        let state: String
        let note: String?
        let photos: [String]
    }

    struct PublicCase: Encodable {
        let code: String
        let grouped: String
        let isPrivate: Bool
        let category: String?
        let village: String?
        let description: String?
        let state: String
        let reportedAt: Double
        let resolvedAt: Double?
        let closedAt: Double?
        let steps: [PublicStep]
        let feedbackOpen: Bool
        let feedbackUntil: Double?
        let satisfied: String?
    }

    struct FeedbackErrors: Encodable {
        var satisfied: String?
        var comment: String?
        var other: [String] = []
    }

    struct TrackPage: Encodable {
        let page: Page
        let entered: String
        let error: String?
        let found: PublicCase?
        let feedback: FeedbackInput
        let feedbackErrors: FeedbackErrors
    }

    struct CountyChoicePage: Encodable {
        let page: Page
        let counties: [SelectOption]
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("report", use: reportForm)
        routes.on(.POST, "report", body: .collect(maxSize: "32mb"), use: report)
        routes.get("track", use: lookup)
        routes.get("track", ":code", use: track)
        routes.post("track", ":code", "feedback", use: feedback)
    }

    // MARK: - Reporting

    func reportForm(request: Request) async throws -> Response {
        let step = try request.query.decode(ReportForm.Input.self)
        guard let county = try await county(step.county, on: request.db) else { return try await chooseCounty(request) }
        let desk = try await ReportForm.publicDesk(county, township: step.township, on: request.db)
        return try await ReportForm.render(
            request, desk, categoryCode: step.category, input: nil, issues: [], status: .ok)
    }

    func report(request: Request) async throws -> Response {
        let input = try request.content.decode(ReportForm.Input.self)
        guard let county = try await county(input.county, on: request.db) else { throw YunweiError.notFound }
        let address = request.clientAddress
        let admitted = try await request.db.write { db in try await ReportThrottle.admit(address, on: db) }
        guard admitted else {
            throw YunweiError(
                .tooManyRequests, code: "too_many", key: "case_pages.report.too_many",
                args: ["max": String(ReportThrottle.perHour)])
        }
        do {
            let record = try await ReportForm.file(input, source: "public", by: .reporter(name: "public"), request)
            request.setNotice("case_pages.report.received")
            return request.redirect(to: "/track/\(record.queryCode ?? "")")
        } catch let error as CaseDesk.InputError {
            try await request.db.write { db in try await ReportThrottle.refund(address, on: db) }
            let desk = try await ReportForm.publicDesk(county, township: input.township, on: request.db)
            return try await ReportForm.render(
                request, desk, categoryCode: input.category, input: input, issues: error.issues,
                status: .unprocessableEntity)
        }
    }

    /// The county named, or the only one there is; nil when the reporter must choose.
    private func county(_ code: String?, on db: any Database) async throws -> AdminUnit? {
        let counties = AdminUnit.query(on: db).filter(\.$kind == UnitKind.county.rawValue)
        if let code = code?.nilIfEmpty { return try await counties.filter(\.$code == code).first() }
        let all = try await counties.limit(2).all()
        return all.count == 1 ? all.first : nil
    }

    private func chooseCounty(_ request: Request) async throws -> Response {
        let counties = try await AdminUnit.query(on: request.db).filter(\.$kind == UnitKind.county.rawValue)
            .sort(\.$code).all()
        let page = await Page.make(for: request, title: "case_pages.report.public_title")
        return try await request.view.render(
            "cases/counties",
            CountyChoicePage(
                page: page,
                counties: counties.map { SelectOption(value: $0.code, label: $0.name, selected: false) })
        ).encodeResponse(for: request)
    }

    // MARK: - Tracking

    func lookup(request: Request) async throws -> Response {
        guard let entered = try? request.query.get(String.self, at: "code"), !entered.isEmpty else {
            return try await render(request, entered: "", error: nil, found: nil, status: .ok)
        }
        guard let code = QueryCode(entered) else {
            return try await render(
                request, entered: entered, error: "case_pages.track.malformed", found: nil,
                status: .unprocessableEntity)
        }
        return request.redirect(to: "/track/\(code.rawValue)")
    }

    func track(request: Request) async throws -> Response {
        let entered = request.parameters.get("code") ?? ""
        guard let code = QueryCode(entered) else {
            return try await render(
                request, entered: entered, error: "case_pages.track.malformed", found: nil,
                status: .unprocessableEntity)
        }
        guard let record = try await find(code, on: request.db) else {
            return try await render(
                request, entered: code.grouped, error: "case_pages.track.unknown", found: nil, status: .notFound)
        }
        return try await render(request, record: record, code: code, status: .ok)
    }

    func feedback(request: Request) async throws -> Response {
        guard let code = QueryCode(request.parameters.get("code") ?? ""),
            let record = try await find(code, on: request.db)
        else { throw YunweiError.notFound }
        let input = try request.content.decode(FeedbackInput.self)
        let satisfied: Bool? =
            switch input.satisfied {
            case "yes": true
            case "no": false
            default: nil
            }
        do {
            try await CaseDesk.act(
                CaseDesk.Step(action: .feedback, note: input.comment, satisfied: satisfied), on: record.requireID(),
                by: .reporter(name: "public"), photos: request.application.photos, on: request.db)
        } catch let error as YunweiError where error.status != .notFound {
            var errors = FeedbackErrors()
            let message = request.t(error.key, error.args)
            if error.key == "case.error.satisfaction_required" {
                errors.satisfied = message
            } else {
                errors.other.append(message)
            }
            guard let fresh = try await find(code, on: request.db) else { throw YunweiError.notFound }
            return try await render(
                request, record: fresh, code: code, feedback: input, errors: errors, status: error.status)
        }
        request.setNotice("case_pages.track.thanks")
        return request.redirect(to: "/track/\(code.rawValue)")
    }

    private func find(_ code: QueryCode, on db: any Database) async throws -> CaseRecord? {
        try await CaseRecord.query(on: db).filter(\.$queryCode == code.rawValue).first()
    }

    private func render(
        _ request: Request, entered: String, error: String?, found: PublicCase?, feedback: FeedbackInput = .init(),
        errors: FeedbackErrors = .init(), status: HTTPResponseStatus
    ) async throws -> Response {
        let page = await Page.make(for: request, title: "case_pages.track.title")
        return try await request.view.render(
            "cases/track",
            TrackPage(
                page: page, entered: entered, error: error, found: found, feedback: feedback, feedbackErrors: errors)
        ).encodeResponse(status: status, for: request)
    }

    /// The public view of a case: its category, place, description and the steps that changed its
    /// state with the handler's result — none of the people, nor the internal notes. A private
    /// case shows its state and dates only.
    private func render(
        _ request: Request, record: CaseRecord, code: QueryCode, feedback: FeedbackInput = .init(),
        errors: FeedbackErrors = .init(), status: HTTPResponseStatus
    ) async throws -> Response {
        let db = request.db
        let caseID = try record.requireID()
        var category: CategoryRecord?
        var village: AdminUnit?
        var steps: [PublicStep] = []
        if !record.isPrivate {
            category = try await CategoryRecord.find(record.$category.id, on: db)
            village = try await AdminUnit.find(record.$village.id, on: db)
            let events = try await CaseEventRecord.query(on: db).filter(\.$caseRecord.$id == caseID).sort(\.$at)
                .sort(\.$id).all()
            steps =
                events.filter { $0.action == "report" || ($0.fromState != $0.toState && $0.action != "overdue") }
                .map { event in
                    let shown = ["report", "resolve"].contains(event.action)
                    return PublicStep(
                        at: event.at.timeIntervalSince1970,
                        action: CaseSheet.actionKey(event.action),
                        state: "case_state." + event.toState, note: event.action == "resolve" ? event.note : nil,
                        photos: shown
                            ? (try? JSONDecoder().decode([String].self, from: Data(event.photosJSON.utf8))) ?? [] : [])
                }
        }
        let feedbackOpen =
            record.caseState == .resolved
            && record.resolvedAt.map { FeedbackWindow.isOpen(resolvedAt: $0, now: Date()) } == true
        let found = PublicCase(
            code: code.rawValue, grouped: code.grouped, isPrivate: record.isPrivate,
            category: category.map { CaseNames.pick($0.nameZh, $0.nameEn, request) }, village: village?.name,
            description: record.isPrivate ? nil : record.description, state: "case_state." + record.state,
            reportedAt: record.reportedAt.timeIntervalSince1970, resolvedAt: record.resolvedAt?.timeIntervalSince1970,
            closedAt: record.closedAt?.timeIntervalSince1970, steps: steps, feedbackOpen: feedbackOpen,
            feedbackUntil: feedbackOpen
                ? record.resolvedAt.map { FeedbackWindow.end(resolvedAt: $0).timeIntervalSince1970 } : nil,
            satisfied: record.satisfied.map { "case_pages.satisfied." + ($0 ? "yes" : "no") })
        return try await render(
            request, entered: code.grouped, error: nil, found: found, feedback: feedback, errors: errors, status: status
        )
    }
}
