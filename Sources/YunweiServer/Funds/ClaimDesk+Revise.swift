import Fluent
import Foundation
import SQLKit
import YunweiDomain

/// 修改报账单 — the clerk corrects a draft or a returned claim (DOMAIN.md §4.3): a claim returned
/// "发票金额不符" is fixed here and then submitted again as before. Who may is `ClaimPolicy.mayEdit`'s
/// to say: the clerk who may submit it, while it waits on the clerk. A returned claim stays
/// returned; neither state holds a reservation (`ClaimState.holdsReservation`), so editing never
/// touches the village's ledger.
extension ClaimDesk {
    /// Replaces the claim's fields and invoices with `draft`'s (its village cannot change), adds
    /// `scans` and drops the scans named in `removingScans` (by SHA-256; the files stay on disk,
    /// where another claim may share them), with a history record and the audit record, in one
    /// write transaction with the claim's row locked on PostgreSQL.
    ///
    /// 404 for a claim the actor may not see, 403 for someone who may see but not edit it (with
    /// the separation-of-duties key when that is why), 409 once it has left the clerk, 422 for an
    /// incomplete claim or an invoice another claim carries.
    @discardableResult
    static func revise(
        _ claimID: Int, with draft: Draft, scans: [StoredScan] = [], removingScans: Set<String> = [],
        by actor: Actor, now: Date = Date(), on db: any Database
    ) async throws -> ClaimRecord {
        try await db.write { db in
            if !db.isSQLite {
                try await db.sql.raw("SELECT id FROM claims WHERE id = \(bind: claimID) FOR UPDATE").run()
            }
            guard let record = try await ClaimRecord.find(claimID, on: db) else { throw YunweiError.notFound }
            let loaded = try await load(record, on: db)
            guard ClaimPolicy.mayView(actor, loaded.place) else { throw YunweiError.notFound }
            let state = record.claimState
            if let refusal = ClaimPolicy.refusal(actor, .submit, on: loaded.place, in: state) {
                throw error(refusal)
            }
            guard ClaimPolicy.mayEdit(actor, on: loaded.place, in: state) else {
                throw YunweiError.conflict("claim_pages.edit.not_editable")
            }

            let claim = draft.claim
            var issues = claim.issues(now: now)
            if let payeeUser = claim.payee.userID, try await User.find(Int(payeeUser), on: db) == nil {
                issues.append(FundIssue(field: "payee.user", key: "claim.input.payee_user"))
            }
            let kept = try await ClaimScanRecord.query(on: db).filter(\.$claim.$id == claimID).all()
                .filter { !removingScans.contains($0.sha256) }
            if kept.count + scans.count > ClaimScanCheck.maxScans {
                issues.append(
                    FundIssue(
                        field: "scans", key: "claim_pages.scan.too_many",
                        args: ["max": String(ClaimScanCheck.maxScans)]))
            }
            guard issues.isEmpty else { throw input(issues) }
            try await checkDuplicates(claim, claimID: claimID, on: db)

            var before = snapshot(record)
            before["invoices"] = invoiceSummary(loaded.claim.invoices)
            record.amountFen = claim.amount.fen
            record.category = claim.category
            record.setPayee(claim.payee)
            record.purpose = claim.purpose.trimmingCharacters(in: .whitespacesAndNewlines)
            record.setLinks(claim.links)
            record.updatedAt = now
            try await record.save(on: db)

            try await ClaimInvoiceRecord.query(on: db).filter(\.$claim.$id == claimID).delete()
            let rows = claim.invoices.enumerated().map { position, invoice in
                let row = ClaimInvoiceRecord()
                row.$claim.id = claimID
                row.position = position
                row.number = invoice.number.trimmingCharacters(in: .whitespacesAndNewlines)
                row.issuer = invoice.issuer.trimmingCharacters(in: .whitespacesAndNewlines)
                row.issuerKey = invoice.key.issuer
                row.numberKey = invoice.key.number
                row.date = invoice.date.description
                row.amountFen = invoice.amount.fen
                return row
            }
            if !rows.isEmpty { try await rows.create(on: db) }

            let removed = try await ClaimScanRecord.query(on: db).filter(\.$claim.$id == claimID).all()
                .filter { removingScans.contains($0.sha256) }
            if !removed.isEmpty {
                try await ClaimScanRecord.query(on: db).filter(\.$claim.$id == claimID)
                    .filter(\.$sha256 ~~ removed.map(\.sha256)).delete()
                try await AuditTrail.record(
                    on: db, by: AuditTrail.Author(actor), action: "claim_scans_remove", entityType: "claim",
                    entityID: String(claimID), unitPath: record.villagePath,
                    before: ["scans": removed.map(\.sha256).joined(separator: ",")], at: now)
            }
            try await StoredScan.attach(
                scans, to: claimID, villagePath: record.villagePath, by: actor, now: now, on: db)

            let event = ClaimEventRecord()
            event.$claim.id = claimID
            event.at = now
            event.actorID = Int(actor.userID)
            event.actorName = actor.username
            event.action = reviseAction
            event.fromState = state.rawValue
            event.toState = state.rawValue
            event.duty = ClaimDuty.draft.rawValue
            try await event.create(on: db)

            var after = snapshot(record)
            after["invoices"] = invoiceSummary(claim.invoices)
            try await AuditTrail.record(
                on: db, by: AuditTrail.Author(actor), action: "claim_revise", entityType: "claim",
                entityID: String(claimID), unitPath: record.villagePath, before: before, after: after, at: now)
            return record
        }
    }

    /// The history record's action for an edit; not a `ClaimAction`, as it moves the claim nowhere.
    static let reviseAction = "revise"

    /// The invoices as the audit trail keeps them: `issuer/number/date/fen`, one after another.
    private static func invoiceSummary(_ invoices: [Invoice]) -> String {
        invoices.map { "\($0.issuer)/\($0.number)/\($0.date)/\($0.amount.fen)" }.joined(separator: "; ")
    }
}
