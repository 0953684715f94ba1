import Fluent
import Foundation
import Vapor
import YunweiDomain

/// The clerk's claim form 报账单 without JavaScript: three invoice rows, and "add row" posts the
/// form back (`more=1`) to show one more, keeping what was typed. What the form alone can get
/// wrong (an amount or a date that does not read, a scan that is no JPEG, PNG or PDF) is named
/// here; everything else is the claim's own rules, through `ClaimDesk`.
extension ClaimPages {
    struct Option: Encodable {
        let value: String
        let label: String
        let selected: Bool
    }

    struct InvoiceRow: Encodable {
        let n: Int
        let number: String
        let issuer: String
        let date: String
        let amount: String
        let errors: [String]
    }

    struct FormErrors: Encodable {
        var village: [String] = []
        var category: [String] = []
        var payeeKind: [String] = []
        var payeeName: [String] = []
        var payeeIDNumber: [String] = []
        var payeeUser: [String] = []
        var amount: [String] = []
        var purpose: [String] = []
        var links: [String] = []
        var invoices: [String] = []
        var scans: [String] = []
        var other: [String] = []
        var any = false
    }

    struct FormPage: Encodable {
        let page: Page
        let idempotencyKey: String
        let villages: [Option]
        let categories: [Option]
        let payeeKinds: [Option]
        let payeeUsers: [Option]
        let linkKinds: [Option]
        let payeeName: String
        let payeeIDNumber: String
        let amount: String
        let purpose: String
        let linkID: String
        let rows: [InvoiceRow]
        let rowCount: Int
        let errors: FormErrors
    }

    /// The form as posted: its text fields and its scans.
    struct PostedForm {
        var fields: [String: String]
        var scans: [UploadedScan]

        func text(_ name: String) -> String {
            (fields[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    static let defaultRows = 3

    // MARK: - Routes

    func new(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let villages = try await Self.draftVillages(actor, on: request.db)
        guard !villages.isEmpty else { throw YunweiError.forbidden }
        return try await renderForm(request, form: PostedForm(fields: [:], scans: []), villages: villages, issues: [])
    }

    func create(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let villages = try await Self.draftVillages(actor, on: request.db)
        guard !villages.isEmpty else { throw YunweiError.forbidden }
        var form = try Self.read(request)
        if form.text("more") == "1" {
            form.fields["rows"] = String(min(Self.rowCount(form) + 1, Claim.maxInvoices))
            return try await renderForm(request, form: form, villages: villages, issues: [])
        }
        let village = villages.count == 1 ? villages[0] : villages.first { $0.code == form.text("village") }
        let users = try await Self.payeeUsers(village, on: request.db)
        let (claim, rowOf, local) = Self.claim(from: form, users: users)
        let scanIssues = ClaimScanCheck.issues(for: form.scans)
        var issues = local + scanIssues
        if village == nil { issues.append(CaseIssue(field: "village", key: "claim.input.village")) }
        guard issues.isEmpty, let village else {
            // Nothing is stored: the claim's own rules name the rest of what is wrong.
            let domain = claim.issues(now: Date()).map { CaseIssue(field: $0.field, key: $0.key, args: $0.args) }
            return try await renderForm(
                request, form: form, villages: villages, issues: Self.merge(issues, Self.rows(domain, rowOf)),
                status: .unprocessableEntity)
        }
        do {
            let stored = try StoredScan.save(form.scans, in: request.application.claimScans)
            let record = try await ClaimDesk.draft(
                ClaimDesk.Draft(village: village.code, claim: claim), scans: stored, by: actor, on: request.db)
            request.setNotice("claim_pages.drafted")
            return request.redirect(to: "/claims/\(try record.requireID())")
        } catch let error as CaseDesk.InputError {
            return try await renderForm(
                request, form: form, villages: villages, issues: Self.rows(error.issues, rowOf),
                status: .unprocessableEntity)
        }
    }

    // MARK: - Reading the form

    /// The posted fields and scans: `multipart/form-data` when the form carries files, else a
    /// plain form. Repeated `scans` parts are all kept (a browser sends one part per file, and an
    /// empty one when none was chosen).
    static func read(_ request: Request) throws -> PostedForm {
        guard let type = request.headers.contentType, type.type == "multipart",
            let boundary = type.parameters["boundary"], let body = request.body.data
        else {
            return PostedForm(fields: (try? request.content.decode([String: String].self)) ?? [:], scans: [])
        }
        let parser = MultipartParser(boundary: boundary)
        var parts: [MultipartPart] = []
        var headers = HTTPHeaders()
        var data = ByteBuffer()
        parser.onHeader = { name, value in headers.add(name: name, value: value) }
        parser.onBody = { chunk in data.writeBuffer(&chunk) }
        parser.onPartComplete = {
            parts.append(MultipartPart(headers: headers, body: data))
            headers = HTTPHeaders()
            data = ByteBuffer()
        }
        do { try parser.execute(body) } catch { throw Abort(.badRequest) }
        var form = PostedForm(fields: [:], scans: [])
        for part in parts {
            guard let name = part.name else { continue }
            if name == "scans" || name == "scans[]" {
                guard part.body.readableBytes > 0 else { continue }
                form.scans.append(UploadedScan(name: filename(part) ?? "", data: Data(buffer: part.body)))
            } else {
                form.fields[name] = String(buffer: part.body)
            }
        }
        return form
    }

    private static func filename(_ part: MultipartPart) -> String? {
        guard let disposition = part.headers.first(name: "Content-Disposition"),
            let range = disposition.range(of: "filename=\"")
        else { return nil }
        let rest = disposition[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    static func rowCount(_ form: PostedForm) -> Int {
        min(max(Int(form.text("rows")) ?? defaultRows, defaultRows), Claim.maxInvoices)
    }

    /// The claim the form describes, which form row each of its invoices came from, and the
    /// problems only the form can have. An amount that does not read goes to the rules as −1 fen
    /// and a date that does not read as today, so that every other problem is still named.
    static func claim(from form: PostedForm, users: [User]) -> (Claim, [Int], [CaseIssue]) {
        var local: [CaseIssue] = []
        func money(_ name: String, field: String) -> Money {
            let text = form.text(name)
            if let money = Money(yuan: text) { return money }
            local.append(
                CaseIssue(
                    field: field, key: text.isEmpty ? "claim_pages.error.required" : "claim_pages.error.money",
                    args: ["value": text]))
            return Money(fen: -1)
        }
        let amount = money("amount", field: "amount")
        if form.text("category").isEmpty {
            local.append(CaseIssue(field: "category", key: "claim_pages.error.required"))
        }
        let name = form.text("payee_name")
        let payee: ClaimPayee
        switch form.text("payee_kind") {
        case "person":
            payee = .person(name: name, idNumber: form.text("payee_id_number"))
        case "user":
            if let user = users.first(where: { $0.id.map(String.init) == form.text("payee_user") }),
                let id = user.id
            {
                payee = .user(id: Int64(id), name: user.displayName)
            } else {
                local.append(CaseIssue(field: "payee.user", key: "claim.input.payee_user"))
                payee = .user(id: 0, name: "—")
            }
        default:
            payee = .organisation(name: name)
        }
        var links: [ClaimLink] = []
        let linkText = form.text("link_id")
        if !linkText.isEmpty {
            if let id = Int64(linkText), id > 0,
                let link = ClaimLinkDTO(kind: form.text("link_kind"), id: id).link
            {
                links.append(link)
            } else {
                local.append(CaseIssue(field: "links", key: "claim_pages.error.link"))
            }
        }
        var invoices: [Invoice] = []
        var rowOf: [Int] = []
        let today = StatisticsPeriod.day(of: Date())
        for n in 1...rowCount(form) {
            let values = ["number", "issuer", "date", "amount"].map { form.text("inv_\($0)_\(n)") }
            guard values.contains(where: { !$0.isEmpty }) else { continue }
            var day = today
            if let read = StatisticsPeriod.Day(values[2]) {
                day = read
            } else {
                local.append(
                    CaseIssue(
                        field: "row.\(n).date",
                        key: values[2].isEmpty ? "claim_pages.error.required" : "claim_pages.error.date",
                        args: ["value": values[2]]))
            }
            let amount = money("inv_amount_\(n)", field: "row.\(n).amount")
            invoices.append(Invoice(number: values[0], issuer: values[1], date: day, amount: amount))
            rowOf.append(n)
        }
        let claim = Claim(
            payee: payee, amount: amount, category: form.text("category"), purpose: form.fields["purpose"] ?? "",
            links: links, invoices: invoices)
        return (claim, rowOf, local)
    }

    /// The rules' `invoices.K.field` as the form's row `row.N.field`.
    static func rows(_ issues: [CaseIssue], _ rowOf: [Int]) -> [CaseIssue] {
        issues.map { issue in
            let parts = issue.field.split(separator: ".")
            guard parts.count == 3, parts[0] == "invoices", let k = Int(parts[1]), k >= 1, k <= rowOf.count else {
                return issue
            }
            return CaseIssue(field: "row.\(rowOf[k - 1]).\(parts[2])", key: issue.key, args: issue.args)
        }
    }

    /// The form's own problems in place of the rules' on the same field.
    static func merge(_ local: [CaseIssue], _ domain: [CaseIssue]) -> [CaseIssue] {
        let replaced = Set(local.map(\.field))
        return local + domain.filter { !replaced.contains($0.field) }
    }

    // MARK: - Rendering

    func renderForm(
        _ request: Request, form: PostedForm, villages: [AdminUnit], issues: [CaseIssue],
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let chosenVillage = villages.count == 1 ? villages[0].code : form.text("village")
        let village = villages.first { $0.code == chosenVillage }
        let users = try await Self.payeeUsers(village, on: request.db)
        let context = await Self.formPage(
            request, title: "claim_pages.new_title", form: form, issues: issues,
            villages: villages.map { Option(value: $0.code, label: $0.name, selected: $0.code == chosenVillage) },
            users: users)
        return try await request.view.render("funds/claim-form", context).encodeResponse(status: status, for: request)
    }

    /// The form's context, new or edited alike: what `form` holds, the choices beside it (the
    /// `villages` offered, the payees `users`), and `issues` each beside its field or its
    /// invoice row (`row.N.field`), anything else above the form.
    static func formPage(
        _ request: Request, title: String, form: PostedForm, issues: [CaseIssue], villages: [Option], users: [User]
    ) async -> FormPage {
        let (errors, rowErrors) = formErrors(issues, request)
        let kind = form.text("payee_kind").isEmpty ? "organisation" : form.text("payee_kind")
        let rows = (1...rowCount(form)).map { n in
            InvoiceRow(
                n: n, number: form.fields["inv_number_\(n)"] ?? "", issuer: form.fields["inv_issuer_\(n)"] ?? "",
                date: form.fields["inv_date_\(n)"] ?? "", amount: form.fields["inv_amount_\(n)"] ?? "",
                errors: rowErrors[n] ?? [])
        }
        let page = await Page.make(for: request, title: title)
        return FormPage(
            page: page, idempotencyKey: UUID().uuidString, villages: villages,
            categories: SpendingCategory.allCases.map {
                Option(
                    value: $0.rawValue, label: request.t($0.catalogKey),
                    selected: $0.rawValue == form.text("category"))
            },
            payeeKinds: ["organisation", "person", "user"].map {
                Option(value: $0, label: request.t("claim_pages.payee_kind.\($0)"), selected: $0 == kind)
            },
            payeeUsers: users.compactMap { user in
                user.id.map {
                    Option(value: String($0), label: user.displayName, selected: String($0) == form.text("payee_user"))
                }
            },
            linkKinds: ClaimLinkDTO.kinds.map {
                Option(
                    value: $0, label: request.t("claim_pages.link_kind.\($0)"),
                    selected: $0 == (form.text("link_kind").isEmpty ? "project" : form.text("link_kind")))
            },
            payeeName: form.fields["payee_name"] ?? "", payeeIDNumber: form.fields["payee_id_number"] ?? "",
            amount: form.fields["amount"] ?? "", purpose: form.fields["purpose"] ?? "",
            linkID: form.fields["link_id"] ?? "", rows: rows, rowCount: rows.count, errors: errors)
    }

    /// `issues` as the form shows them, in the request's language: the messages of each field,
    /// and those of each invoice row by its number.
    static func formErrors(_ issues: [CaseIssue], _ request: Request) -> (FormErrors, [Int: [String]]) {
        var errors = FormErrors()
        var rowErrors: [Int: [String]] = [:]
        for issue in issues {
            let message = request.t(issue.key, issue.args)
            errors.any = true
            let parts = issue.field.split(separator: ".")
            if parts.count == 3, parts[0] == "row", let n = Int(parts[1]) {
                rowErrors[n, default: []].append(message)
                continue
            }
            switch issue.field {
            case "village": errors.village.append(message)
            case "category": errors.category.append(message)
            case "payee.kind": errors.payeeKind.append(message)
            case "payee.name": errors.payeeName.append(message)
            case "payee.id_number": errors.payeeIDNumber.append(message)
            case "payee.user": errors.payeeUser.append(message)
            case "amount": errors.amount.append(message)
            case "purpose": errors.purpose.append(message)
            case let field where field == "links" || field.hasPrefix("links."): errors.links.append(message)
            case "invoices": errors.invoices.append(message)
            case "scans": errors.scans.append(message)
            default: errors.other.append(message)
            }
        }
        return (errors, rowErrors)
    }

    // MARK: - Helpers

    /// The villages where `actor` may draft claims, by code.
    static func draftVillages(_ actor: Actor, on db: any Database) async throws -> [AdminUnit] {
        let roots = Policy.scope(actor, .draftClaim)
        guard !roots.isEmpty else { return [] }
        return try await AdminUnit.query(on: db).filter(\.$kind == UnitKind.village.rawValue)
            .group(.or) { group in for root in roots { group.filter(\.$path =~ root.rawValue) } }
            .sort(\.$code).all()
            .filter { ClaimPolicy.mayDraft(actor, in: $0.unitPath) }
    }

    /// The people holding a role at `village`, whom a claim may pay by their account.
    static func payeeUsers(_ village: AdminUnit?, on db: any Database) async throws -> [User] {
        guard let id = village?.id else { return [] }
        let grants = try await RoleGrant.query(on: db).filter(\.$unit.$id == id).with(\.$user).all()
        var seen = Set<Int>()
        return grants.map(\.user).filter { $0.id.map { seen.insert($0).inserted } ?? false }
            .sorted { $0.displayName < $1.displayName }
    }
}
