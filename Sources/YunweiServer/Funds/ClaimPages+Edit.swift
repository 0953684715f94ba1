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

    /// The form in edit mode: `formPage`, like `renderForm`, with the claim's village fixed and
    /// its scans.
    func renderEdit(
        _ request: Request, _ loaded: ClaimDesk.Loaded, form: PostedForm, issues: [CaseIssue],
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let id = try loaded.record.requireID()
        let village = loaded.village
        let users = try await Self.payeeUsers(village, on: request.db)
        let removing = Self.removing(form)
        let scans = try await ClaimScanRecord.query(on: request.db).filter(\.$claim.$id == id).sort(\.$id).all()
        let context = await Self.formPage(
            request, title: "claim_pages.edit.title", form: form, issues: issues,
            villages: [Option(value: village.code, label: village.name, selected: true)], users: users)
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
