import Fluent
import Foundation
import Vapor
import YunweiDomain

/// `/claims`: claims 报账 as pages (DOMAIN.md §4.3) — the inboxes by step, the clerk's form, one
/// claim with its invoices, scans, history, notice and money effect and the steps its viewer may
/// take now, and the printable 报账单. Every rule and refusal is `ClaimDesk`'s (who may see and
/// do what, `ClaimPolicy`'s); these pages only show its answers.
struct ClaimPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let claims = routes.grouped("claims")
        claims.get(use: inbox)
        claims.on(.POST, body: .collect(maxSize: "32mb"), use: create)
        claims.get("new", use: new)
        claims.get(":id", use: show)
        claims.get(":id", "print", use: print)
        claims.get(":id", "edit", use: edit)
        claims.on(.POST, ":id", "edit", body: .collect(maxSize: "32mb"), use: update)
        claims.get(":id", "scans", ":sha", use: scan)
        claims.post(":id", "actions", use: act)
    }

    struct Line: Encodable {
        let label: String
        let value: String
    }

    struct InvoiceLine: Encodable {
        let number: String
        let issuer: String
        let date: String
        let amount: Int
    }

    struct ScanLink: Encodable {
        let href: String
        let name: String
        let size: String
    }

    struct Event: Encodable {
        let who: String
        let step: String
        let at: Double
        let note: String?
    }

    struct Notice: Encodable {
        let start: Double
        let end: Double
        let running: Bool
        let objections: [Event]
    }

    struct Step: Encodable {
        let action: String
        let label: String
        let noteRequired: Bool
        let idempotencyKey: String
    }

    struct ShowPage: Encodable {
        let page: Page
        let id: Int
        let villageName: String
        let state: String
        let stateKey: String
        let category: String
        let payee: String
        let payeeKind: String
        let payeeIDNumber: String?
        let amount: Int
        let amountCapital: String
        let purpose: String
        let links: [Line]
        let invoices: [InvoiceLine]
        let invoiceTotal: Int
        let scans: [ScanLink]
        let history: [Event]
        let notice: Notice?
        let reservation: String?
        let reservedAmount: Int?
        let postedEntry: Int?
        let steps: [Step]
        let error: String?
        let createdAt: Double
        let updatedAt: Double
    }

    // MARK: - One claim

    func show(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let loaded = try await ClaimDesk.view(try Self.id(request), by: actor, on: request.db)
        return try await render(request, loaded, actor: actor)
    }

    /// Takes the step and comes back with a notice, or shows the claim again with the refusal and
    /// its status (409 for the wrong state, 403 for the wrong person, 422 for a missing reason).
    func act(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let id = try Self.id(request)
        let form = (try? request.content.decode([String: String].self)) ?? [:]
        let note = form["note"].flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        guard let action = form["action"].flatMap(ClaimAction.init(rawValue:)) else {
            let loaded = try await ClaimDesk.view(id, by: actor, on: request.db)
            return try await render(
                request, loaded, actor: actor, error: request.t("claim.input.action"), status: .unprocessableEntity)
        }
        do {
            try await ClaimDesk.act(id, action, note: note, by: actor, on: request.db)
        } catch let error as YunweiError where error.status != .notFound {
            let loaded = try await ClaimDesk.view(id, by: actor, on: request.db)
            return try await render(
                request, loaded, actor: actor, error: request.t(error.key, error.args),
                status: error.status)
        } catch let error as CaseDesk.InputError {
            let loaded = try await ClaimDesk.view(id, by: actor, on: request.db)
            let message = error.issues.map { request.t($0.key, $0.args) }
                .joined(separator: " ")
            return try await render(request, loaded, actor: actor, error: message, status: .unprocessableEntity)
        }
        request.setNotice("claim_pages.done.\(action.rawValue)")
        return request.redirect(to: "/claims/\(id)")
    }

    private func render(
        _ request: Request, _ loaded: ClaimDesk.Loaded, actor: Actor, error: String? = nil,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let record = loaded.record
        let id = try record.requireID()
        let now = Date()
        let names = try await Self.names(loaded.events.map(\.actorID), on: request.db)
        let scans = try await ClaimScanRecord.query(on: request.db).filter(\.$claim.$id == id).sort(\.$id).all()
        let reservation = try await ReservationRecord.query(on: request.db).filter(\.$claimID == Int64(id)).first()
        let steps = ClaimPolicy.actions(
            for: actor, on: loaded.place, in: record.claimState, notice: loaded.notice, now: now
        )
        .map { action in
            Step(
                action: action.rawValue, label: request.t("claim_action.\(action.rawValue)"),
                noteRequired: action == .return || action == .object, idempotencyKey: UUID().uuidString)
        }
        let page = await Page.make(for: request, title: "claim_pages.show_title")
        let context = ShowPage(
            page: page, id: id, villageName: loaded.village.name,
            state: record.state, stateKey: "claim_state.\(record.state)",
            category: SpendingCategory.catalogKey(of: record.category),
            payee: record.payeeName, payeeKind: "claim_pages.payee_kind.\(record.payeeKind)",
            payeeIDNumber: record.payeeIDNumber.map(Masked.idNumber), amount: Int(record.amountFen),
            amountCapital: Money(fen: record.amountFen).chineseCapital, purpose: record.purpose,
            links: record.claimLinks.map(ClaimLinkDTO.init).map {
                Line(label: request.t("claim_pages.link_kind.\($0.kind)"), value: String($0.id))
            },
            invoices: Self.invoiceLines(loaded), invoiceTotal: Int(loaded.claim.invoiceSum?.fen ?? 0),
            scans: scans.map {
                ScanLink(
                    href: "/claims/\(id)/scans/\($0.sha256)", name: $0.name,
                    size: String(format: "%.1f KB", Double($0.size) / 1024))
            },
            history: loaded.events.map {
                Event(
                    who: names[$0.actorID] ?? $0.actorName, step: request.t(Self.eventKey($0.action)),
                    at: $0.at.timeIntervalSince1970, note: $0.note)
            },
            notice: loaded.notice.map { notice in
                Notice(
                    start: notice.start.timeIntervalSince1970, end: notice.end.timeIntervalSince1970,
                    running: notice.isRunning(at: now),
                    objections: notice.objections.map { objection in
                        Event(
                            who: Self.objector(request, objection.by), step: "", at: objection.at.timeIntervalSince1970,
                            note: objection.text)
                    })
            },
            reservation: reservation.map { "claim_pages.reservation.\($0.state)" },
            reservedAmount: reservation.map { Int($0.amountFen) }, postedEntry: record.postedEntryID, steps: steps,
            error: error, createdAt: record.createdAt.timeIntervalSince1970,
            updatedAt: record.updatedAt.timeIntervalSince1970)
        return try await request.view.render("funds/claim", context).encodeResponse(status: status, for: request)
    }

    // MARK: - Scans

    /// A scan of a claim the caller may see; 404 for anyone else, as for a scan that is not there.
    func scan(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let id = try Self.id(request)
        _ = try await ClaimDesk.view(id, by: actor, on: request.db)
        let sha = request.parameters.get("sha") ?? ""
        guard sha.utf8.count == 64,
            let row = try await ClaimScanRecord.query(on: request.db).filter(\.$claim.$id == id)
                .filter(\.$sha256 == sha).first()
        else { throw YunweiError.notFound }
        let path = request.application.claimScans.path(for: sha, contentType: row.contentType)
        guard FileManager.default.fileExists(atPath: path) else { throw YunweiError.notFound }
        let type = HTTPMediaType.fileExtension((path as NSString).pathExtension) ?? .binary
        let response = try await request.fileio.asyncStreamFile(at: path, mediaType: type)
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=31536000, immutable")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return response
    }

    // MARK: - Helpers

    static func id(_ request: Request) throws -> Int {
        guard let id = request.parameters.get("id", as: Int.self) else { throw YunweiError.notFound }
        return id
    }

    /// The catalog key of a history record's step: the clerk's draft, or the action taken.
    static func eventKey(_ action: String) -> String {
        if ClaimAction(rawValue: action) != nil { return "claim_action.\(action)" }
        return action == ClaimDesk.reviseAction ? "claim_pages.event.revise" : "claim_pages.event.draft"
    }

    static func invoiceLines(_ loaded: ClaimDesk.Loaded) -> [InvoiceLine] {
        loaded.invoices.map {
            InvoiceLine(number: $0.number, issuer: $0.issuer, date: $0.date, amount: Int($0.amountFen))
        }
    }

    /// Display names of the people who took steps, by user id.
    static func names(_ ids: [Int], on db: any Database) async throws -> [Int: String] {
        let unique = Array(Set(ids))
        guard !unique.isEmpty else { return [:] }
        var names: [Int: String] = [:]
        for user in try await User.query(on: db).filter(\.$id ~~ unique).all() {
            if let id = user.id { names[id] = user.displayName }
        }
        return names
    }

    static func objector(_ request: Request, _ objector: Objector) -> String {
        switch objector {
        case .user(_, let name), .named(let name): name
        case .public: request.t("claim_objector.public")
        }
    }
}
