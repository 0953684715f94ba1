import Fluent
import Foundation
import SQLKit
import YunweiDomain

/// 报账 — the one place that changes claims (DOMAIN.md §4.3). Who may take a step is
/// `ClaimPolicy`'s to say, whether the claim's state allows it `ClaimMachine`'s; this desk stores
/// what they decide: the claim, its history record, its money effect in the village's ledger
/// (`LedgerBook`) and the audit record, in one write transaction with the claim's row locked on
/// PostgreSQL.
///
/// Refusals: 404 for a claim or village outside the caller's funds scope, 403 for a step that is
/// not this person's (or that separation of duties forbids them), 409 for a step the claim's state
/// does not allow and for a reservation beyond the village's available fund, 422 for bad input
/// (an incomplete claim, an invoice already on another claim) with every problem beside its field.
enum ClaimDesk {
    /// What the clerk enters for a new claim.
    struct Draft: Sendable {
        /// The village's code; nil: the clerk's village.
        var village: String?
        var claim: Claim
    }

    /// A stored claim with everything its rules read.
    struct Loaded: Sendable {
        let record: ClaimRecord
        let village: AdminUnit
        let claim: Claim
        let invoices: [ClaimInvoiceRecord]
        let events: [ClaimEventRecord]
        let notice: PublicNotice?
        let place: ClaimPlace
    }

    /// Stores a new draft, its invoices, its scans' rows (the files already on disk), its first
    /// history record and the audit record.
    static func draft(
        _ draft: Draft, scans: [StoredScan] = [], by actor: Actor, now: Date = Date(), on db: any Database
    ) async throws -> ClaimRecord {
        let village = try await village(draft.village, for: actor, on: db)
        guard Policy.can(actor, .viewFunds, at: village.unitPath) else { throw YunweiError.notFound }
        guard ClaimPolicy.mayDraft(actor, in: village.unitPath) else { throw YunweiError.forbidden }
        let claim = draft.claim
        var issues = claim.issues(now: now)
        if let payeeUser = claim.payee.userID, try await User.find(Int(payeeUser), on: db) == nil {
            issues.append(FundIssue(field: "payee.user", key: "claim.input.payee_user"))
        }
        guard issues.isEmpty else { throw input(issues) }
        let codes = village.unitPath.codes.map(\.rawValue)
        let ancestors = try await AdminUnit.query(on: db).filter(\.$code ~~ codes).all()
        let ids = try Dictionary(ancestors.map { ($0.code, try $0.requireID()) }) { first, _ in first }
        guard codes.count == 3, let countyID = ids[codes[0]], let townshipID = ids[codes[1]] else {
            throw YunweiError.notFound
        }
        let villageID = try village.requireID()

        return try await db.write { db in
            let record = ClaimRecord()
            record.countyID = countyID
            record.townshipID = townshipID
            record.$village.id = villageID
            record.villagePath = village.path
            record.state = ClaimState.draft.rawValue
            record.amountFen = claim.amount.fen
            record.category = claim.category
            record.setPayee(claim.payee)
            record.purpose = claim.purpose.trimmingCharacters(in: .whitespacesAndNewlines)
            record.setLinks(claim.links)
            record.createdBy = Int(actor.userID)
            record.createdAt = now
            record.updatedAt = now
            try await record.create(on: db)
            let claimID = try record.requireID()
            var rows: [ClaimInvoiceRecord] = []
            for (position, invoice) in claim.invoices.enumerated() {
                let row = ClaimInvoiceRecord()
                row.$claim.id = claimID
                row.position = position
                row.number = invoice.number.trimmingCharacters(in: .whitespacesAndNewlines)
                row.issuer = invoice.issuer.trimmingCharacters(in: .whitespacesAndNewlines)
                row.issuerKey = invoice.key.issuer
                row.numberKey = invoice.key.number
                row.date = invoice.date.description
                row.amountFen = invoice.amount.fen
                rows.append(row)
            }
            if !rows.isEmpty { try await rows.create(on: db) }
            try await StoredScan.attach(scans, to: claimID, villagePath: village.path, by: actor, now: now, on: db)
            try await event(
                claimID, action: "draft", from: nil, to: .draft, note: nil, duty: .draft, by: actor, now: now, on: db)
            try await AuditTrail.record(
                on: db, by: AuditTrail.Author(actor), action: "claim_draft", entityType: "claim",
                entityID: String(claimID), unitPath: village.path, after: snapshot(record), at: now)
            return record
        }
    }

    /// Takes `action` on the claim: asks the policy and the machine, then stores the outcome, its
    /// money effect and the history and audit records together.
    @discardableResult
    static func act(
        _ claimID: Int, _ action: ClaimAction, note: String?, by actor: Actor, now: Date = Date(),
        on db: any Database
    ) async throws -> ClaimRecord {
        try await db.write { db in
            if !db.isSQLite {
                try await db.sql.raw("SELECT id FROM claims WHERE id = \(bind: claimID) FOR UPDATE").run()
            }
            guard let record = try await ClaimRecord.find(claimID, on: db) else { throw YunweiError.notFound }
            let loaded = try await load(record, on: db)
            guard ClaimPolicy.mayView(actor, loaded.place) else { throw YunweiError.notFound }
            let from = record.claimState
            if let refusal = ClaimPolicy.refusal(actor, action, on: loaded.place, in: from) {
                throw error(refusal)
            }
            let context = ClaimTransitionContext(now: now, claim: loaded.claim, note: note, notice: loaded.notice)
            let outcome: ClaimOutcome
            switch ClaimMachine.transition(from: from, action: action, context: context) {
            case .success(let decided): outcome = decided
            case .failure(let refusal): throw error(refusal)
            }
            if action == .submit { try await checkDuplicates(loaded.claim, claimID: claimID, on: db) }

            let before = snapshot(record)
            let author = AuditTrail.Author(actor)
            let village = loaded.village
            let ledgerClaim = Int64(claimID)
            switch outcome.money {
            case .unchanged:
                break
            case .reserve(let amount):
                try await LedgerBook.reserve(
                    claimID: ledgerClaim, village: village, amount: amount, by: author, now: now, on: db)
            case .release:
                try await LedgerBook.close(
                    claimID: ledgerClaim, village: village, as: .released, by: author, now: now, on: db)
            case .post(let amount):
                try await LedgerBook.close(
                    claimID: ledgerClaim, village: village, as: .posted, by: author, now: now, on: db)
                guard let category = loaded.claim.spendingCategory else {
                    throw input([FundIssue(field: "category", key: "claim.issue.category_unknown")])
                }
                let entry: LedgerEntry
                if let payroll = try await PayrollDesk.posting(
                    of: loaded.claim, village: village, amount: amount, by: author, now: now, on: db)
                {
                    entry = payroll
                } else {
                    do throws(FundIssue) {
                        entry = try LedgerEntry.claimPosting(
                            claim: ledgerClaim, village: village.unitCode, category: category, amount: amount,
                            date: now, memo: "报账：\(record.purpose)（\(village.name)）")
                    } catch {
                        throw LedgerBook.input(error)
                    }
                }
                let stored = try await LedgerBook.post(entry, by: author, now: now, on: db)
                record.postedEntryID = stored.id.map(Int.init)
            }
            if action == .object, let text = outcome.note {
                let objection = ClaimObjectionRecord()
                objection.$claim.id = claimID
                objection.at = now
                objection.byUserID = Int(actor.userID)
                objection.byName = actor.username
                objection.text = text
                try await objection.create(on: db)
            }
            record.state = outcome.state.rawValue
            if let notice = outcome.notice { record.noticeStartedAt = notice.start }
            record.updatedAt = now
            try await record.save(on: db)
            try await event(
                claimID, action: action.rawValue, from: from, to: outcome.state,
                note: outcome.note ?? context.trimmedNote,
                duty: outcome.duty, by: actor, now: now, on: db)
            try await AuditTrail.record(
                on: db, by: author, action: "claim_\(action.rawValue)", entityType: "claim",
                entityID: String(claimID), unitPath: record.villagePath, before: before, after: snapshot(record),
                at: now)
            return record
        }
    }

    /// The claim `claimID` as `actor` may see it; 404 otherwise.
    static func view(_ claimID: Int, by actor: Actor, on db: any Database) async throws -> Loaded {
        guard let record = try await ClaimRecord.find(claimID, on: db) else { throw YunweiError.notFound }
        let loaded = try await load(record, on: db)
        guard ClaimPolicy.mayView(actor, loaded.place) else { throw YunweiError.notFound }
        return loaded
    }

    /// Reads a claim's invoices, history and notice, and builds its domain values.
    static func load(_ record: ClaimRecord, on db: any Database) async throws -> Loaded {
        let id = try record.requireID()
        let village = try await record.$village.get(on: db)
        let invoices = try await ClaimInvoiceRecord.query(on: db).filter(\.$claim.$id == id).sort(\.$position).all()
        let events = try await ClaimEventRecord.query(on: db).filter(\.$claim.$id == id).sort(\.$id).all()
        let claim = Claim(
            id: Int64(id), payee: record.payee, amount: Money(fen: record.amountFen), category: record.category,
            purpose: record.purpose, links: record.claimLinks, invoices: invoices.compactMap(\.invoice))
        let history = ClaimHistory(
            entries: events.compactMap { event in
                event.duty.flatMap(ClaimDuty.init(rawValue:)).map {
                    ClaimHistory.Entry(duty: $0, userID: Int64(event.actorID))
                }
            })
        var notice: PublicNotice?
        if let start = record.noticeStartedAt {
            let objections = try await ClaimObjectionRecord.query(on: db).filter(\.$claim.$id == id).sort(\.$id).all()
            notice = PublicNotice(
                start: start,
                objections: objections.map { row in
                    Objection(
                        at: row.at,
                        by: row.byUserID.map { .user(id: Int64($0), name: row.byName) } ?? .named(row.byName),
                        text: row.text)
                })
        }
        let place = ClaimPlace(
            villagePath: UnitPath(rawValue: record.villagePath), payeeUserID: record.payeeUserID, history: history)
        return Loaded(
            record: record, village: village, claim: claim, invoices: invoices, events: events, notice: notice,
            place: place)
    }

    // MARK: Helpers

    /// The village named by `code`, or the clerk's own village.
    private static func village(_ code: String?, for actor: Actor, on db: any Database) async throws -> AdminUnit {
        let wanted = code?.trimmingCharacters(in: .whitespaces) ?? ""
        let chosen: String
        if !wanted.isEmpty {
            chosen = wanted
        } else if let grant = actor.grants.first(where: { $0.role == .villageClerk }) {
            chosen = grant.unit.rawValue
        } else {
            // Only a clerk drafts claims; anyone else has no village to default to.
            throw YunweiError.forbidden
        }
        guard let village = try await AdminUnit.query(on: db).filter(\.$code == chosen).first(),
            village.unitKind == .village
        else { throw input([FundIssue(field: "village", key: "claim.input.village")]) }
        return village
    }

    /// Refuses an invoice that another claim, not withdrawn, already carries (rule R5). On
    /// PostgreSQL submissions take a transaction lock first, so that two claims cannot slip the
    /// same invoice past each other. Drafts and revisions (`ClaimDesk+Revise.swift`) ask too.
    static func checkDuplicates(_ claim: Claim, claimID: Int, on db: any Database) async throws {
        guard !claim.invoices.isEmpty else { return }
        if !db.isSQLite { try await db.sql.raw("SELECT pg_advisory_xact_lock(72830002)").run() }
        let numbers = Array(Set(claim.invoices.map(\.key.number)))
        let rows = try await ClaimInvoiceRecord.query(on: db)
            .join(ClaimRecord.self, on: \ClaimInvoiceRecord.$claim.$id == \ClaimRecord.$id)
            .filter(ClaimRecord.self, \.$state != ClaimState.withdrawn.rawValue)
            .filter(\.$numberKey ~~ numbers).filter(\.$claim.$id != claimID).all()
        var existing: [InvoiceKey: Int64] = [:]
        for row in rows where existing[InvoiceKey(issuer: row.issuer, number: row.number)] == nil {
            existing[InvoiceKey(issuer: row.issuer, number: row.number)] = Int64(row.$claim.id)
        }
        let issues = Claim.duplicateInvoices(claim, against: existing)
        guard issues.isEmpty else { throw input(issues) }
    }

    private static func event(
        _ claimID: Int, action: String, from: ClaimState?, to: ClaimState, note: String?, duty: ClaimDuty?,
        by actor: Actor, now: Date, on db: any Database
    ) async throws {
        let event = ClaimEventRecord()
        event.$claim.id = claimID
        event.at = now
        event.actorID = Int(actor.userID)
        event.actorName = actor.username
        event.action = action
        event.fromState = from?.rawValue
        event.toState = to.rawValue
        event.note = note
        event.duty = duty?.rawValue
        try await event.create(on: db)
    }

    /// What the audit trail keeps of a claim.
    static func snapshot(_ record: ClaimRecord) -> [String: String] {
        var fields = [
            "state": record.state, "amount_fen": String(record.amountFen), "category": record.category,
            "payee": record.payeeName, "purpose": record.purpose,
        ]
        if let entry = record.postedEntryID { fields["posted_entry"] = String(entry) }
        if let start = record.noticeStartedAt { fields["notice_started_at"] = start.formatted(.iso8601) }
        return fields
    }

    /// A domain refusal as the server's answer: 422 with details, 409 or 403.
    static func error(_ refusal: ClaimRefusal) -> any Error {
        if !refusal.issues.isEmpty { return input(refusal.issues) }
        switch refusal.kind {
        case .conflict: return YunweiError(.conflict, code: "conflict", key: refusal.key, args: refusal.args)
        case .invalid: return YunweiError(.unprocessableEntity, code: "invalid", key: refusal.key, args: refusal.args)
        case .forbidden: return YunweiError(.forbidden, code: "forbidden", key: refusal.key, args: refusal.args)
        }
    }

    /// Problems with what was entered, as a 422 listing each beside its field.
    static func input(_ issues: [FundIssue]) -> CaseDesk.InputError {
        CaseDesk.InputError(issues: issues.map { CaseIssue(field: $0.field, key: $0.key, args: $0.args) })
    }
}

extension LedgerBook {
    /// Ends the claim's reservation, inside the caller's `db.write`: `released` when the claim is
    /// returned or withdrawn, `posted` when it is posted; with the audit record. 409 when the
    /// claim holds no open reservation.
    static func close(
        claimID: Int64, village: AdminUnit, as state: ReservationState, by author: AuditTrail.Author,
        now: Date = Date(), on db: any Database
    ) async throws {
        try await lockVillage(try village.requireID(), on: db)
        guard let record = try await ReservationRecord.query(on: db).filter(\.$claimID == claimID).first() else {
            throw YunweiError.conflict("ledger.error.reservation_missing", ["claim": String(claimID)])
        }
        let current = record.reservation(village: village.unitCode)
        let closed: Reservation
        do throws(FundIssue) {
            closed = state == .posted ? try current.posted(at: now) : try current.released(at: now)
        } catch {
            throw YunweiError.conflict(error.key, error.args)
        }
        record.state = closed.state.rawValue
        record.closedAt = closed.closedAt
        try await record.save(on: db)
        try await AuditTrail.record(
            on: db, by: author, action: state == .posted ? "ledger_reservation_post" : "ledger_release",
            entityType: "reservation", entityID: String(claimID), unitPath: village.path,
            before: ["state": current.state.rawValue],
            after: ["village": village.code, "amount_fen": String(record.amountFen), "state": closed.state.rawValue],
            at: now)
    }
}
