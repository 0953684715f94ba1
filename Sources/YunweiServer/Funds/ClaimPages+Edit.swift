import Fluent
import Foundation
import Vapor
import YunweiDomain

/// `/claims/:id/edit`: the clerk corrects a draft or a returned claim in the same form as a new
/// one (`funds/claim-form`), filled with what the claim says now, its scans listed with a box to
/// remove each. Who may and when is `ClaimDesk.revise`'s (through `ClaimPolicy.mayEdit`).
extension ClaimPages {
    /// A scan already on the claim, as the edit form lists it.
    struct EditScan: Encodable {
        let sha: String
        let href: String
        let name: String
        let size: String
        let removing: Bool
    }

    /// What the form shows only when it edits a stored claim.
    struct EditMode: Encodable {
        let id: Int
        let scans: [EditScan]
    }

    /// The form's context with `edit` beside its fields, so that the template tells the two
    /// modes apart by `edit` alone.
    struct EditFormPage: Encodable {
        let form: FormPage
        let edit: EditMode

        enum CodingKeys: String, CodingKey { case edit }

        func encode(to encoder: any Encoder) throws {
            try form.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(edit, forKey: .edit)
        }
    }

    // MARK: - Routes

    func edit(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let loaded = try await Self.editable(try Self.id(request), by: actor, on: request.db)
        let form = PostedForm(fields: Self.fields(of: loaded), scans: [])
        return try await renderEdit(request, loaded, form: form, issues: [])
    }

    func update(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let loaded = try await Self.editable(try Self.id(request), by: actor, on: request.db)
        let id = try loaded.record.requireID()
        var form = try Self.read(request)
        form.fields["village"] = loaded.village.code
        if form.text("more") == "1" {
            form.fields["rows"] = String(min(Self.rowCount(form) + 1, Claim.maxInvoices))
            return try await renderEdit(request, loaded, form: form, issues: [])
        }
        let users = try await Self.payeeUsers(loaded.village, on: request.db)
        var (claim, rowOf, local) = Self.claim(from: form, users: users)
        // The form edits one link; any further links (from the API) stay as they are.
        claim.links += loaded.claim.links.dropFirst()
        let issues = local + ClaimScanCheck.issues(for: form.scans)
        guard issues.isEmpty else {
            // Nothing is stored: the claim's own rules name the rest of what is wrong.
            let domain = claim.issues(now: Date()).map { CaseIssue(field: $0.field, key: $0.key, args: $0.args) }
            return try await renderEdit(
                request, loaded, form: form, issues: Self.merge(issues, Self.rows(domain, rowOf)),
                status: .unprocessableEntity)
        }
        do {
            let stored = try StoredScan.save(form.scans, in: request.application.claimScans)
            try await ClaimDesk.revise(
                id, with: ClaimDesk.Draft(village: nil, claim: claim), scans: stored,
                removingScans: Self.removing(form), by: actor, on: request.db)
        } catch let error as CaseDesk.InputError {
            return try await renderEdit(
                request, loaded, form: form, issues: Self.rows(error.issues, rowOf), status: .unprocessableEntity)
        }
        request.setNotice("claim_pages.edit.saved")
        return request.redirect(to: "/claims/\(id)")
    }

    // MARK: - Helpers

    /// The claim, if `actor` may edit it now: 404 unless they may see it, then 403 or 409 as
    /// `ClaimDesk.revise` would answer.
    static func editable(_ id: Int, by actor: Actor, on db: any Database) async throws -> ClaimDesk.Loaded {
        let loaded = try await ClaimDesk.view(id, by: actor, on: db)
        let state = loaded.record.claimState
        if let refusal = ClaimPolicy.refusal(actor, .submit, on: loaded.place, in: state) {
            throw ClaimDesk.error(refusal)
        }
        guard ClaimPolicy.mayEdit(actor, on: loaded.place, in: state) else {
            throw YunweiError.conflict("claim_pages.edit.not_editable")
        }
        return loaded
    }

    /// The form's fields as the stored claim fills them.
    static func fields(of loaded: ClaimDesk.Loaded) -> [String: String] {
        let record = loaded.record
        var fields = [
            "village": loaded.village.code, "category": record.category,
            "amount": Money(fen: record.amountFen).yuanString, "purpose": record.purpose,
            "payee_kind": record.payeeKind, "payee_name": record.payeeName,
            "payee_id_number": record.payeeIDNumber ?? "",
            "payee_user": record.payeeUserID.map(String.init) ?? "",
            "rows": String(max(loaded.invoices.count, defaultRows)),
        ]
        if let link = loaded.claim.links.first.map(ClaimLinkDTO.init) {
            fields["link_kind"] = link.kind
            fields["link_id"] = String(link.id)
        }
        for (offset, invoice) in loaded.invoices.enumerated() {
            let n = offset + 1
            fields["inv_number_\(n)"] = invoice.number
            fields["inv_issuer_\(n)"] = invoice.issuer
            fields["inv_date_\(n)"] = invoice.date
            fields["inv_amount_\(n)"] = Money(fen: invoice.amountFen).yuanString
        }
        return fields
    }

    /// The scans ticked for removal: the form's `remove_scan_<sha256>` boxes.
    static func removing(_ form: PostedForm) -> Set<String> {
        let prefix = "remove_scan_"
        return Set(
            form.fields.compactMap { name, value in
                name.hasPrefix(prefix) && !value.isEmpty ? String(name.dropFirst(prefix.count)) : nil
            })
    }

    /// The form in edit mode; like `renderForm`, with the claim's village fixed and its scans.
    func renderEdit(
        _ request: Request, _ loaded: ClaimDesk.Loaded, form: PostedForm, issues: [CaseIssue],
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
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
        let id = try loaded.record.requireID()
        let village = loaded.village
        let users = try await Self.payeeUsers(village, on: request.db)
        let kind = form.text("payee_kind").isEmpty ? "organisation" : form.text("payee_kind")
        let rows = (1...Self.rowCount(form)).map { n in
            InvoiceRow(
                n: n, number: form.fields["inv_number_\(n)"] ?? "", issuer: form.fields["inv_issuer_\(n)"] ?? "",
                date: form.fields["inv_date_\(n)"] ?? "", amount: form.fields["inv_amount_\(n)"] ?? "",
                errors: rowErrors[n] ?? [])
        }
        let removing = Self.removing(form)
        let scans = try await ClaimScanRecord.query(on: request.db).filter(\.$claim.$id == id).sort(\.$id).all()
        let page = await Page.make(for: request, title: "claim_pages.edit.title")
        let context = FormPage(
            page: page, idempotencyKey: UUID().uuidString,
            villages: [Option(value: village.code, label: village.name, selected: true)],
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
        let edit = EditMode(
            id: id,
            scans: scans.map {
                EditScan(
                    sha: $0.sha256, href: "/claims/\(id)/scans/\($0.sha256)", name: $0.name,
                    size: String(format: "%.1f KB", Double($0.size) / 1024), removing: removing.contains($0.sha256))
            })
        return try await request.view.render("funds/claim-form", EditFormPage(form: context, edit: edit))
            .encodeResponse(status: status, for: request)
    }
}
