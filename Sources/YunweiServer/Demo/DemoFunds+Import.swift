import Fluent
import Foundation
import YunweiDomain

/// Claims the demo writes as migrated from the county's old bookkeeping system 旧系统迁移补录,
/// because `ClaimDesk` would refuse them: a claim at or above the notice threshold posted without
/// its 公示 (R10), and a claim carrying an invoice already claimed by another village (R5). Each is
/// written in one transaction — the posted claim, its invoices, its history with the five
/// signatures, its ledger entry through `LedgerBook` (so the books still balance) and the audit
/// record `demo_claim_import` — exactly as a migration would leave them for the self-inspection
/// to find.
enum DemoFundsImport {
    static let note = "旧系统迁移补录"

    /// Writes `planned` as a posted claim of `village`, signed by `people` over the days after
    /// `planned.day`; its id and posting time. Imported (`planned.imported`), it is a migrated
    /// claim without 公示; otherwise it is a finished claim of the year's history, written in one
    /// transaction with the rows `ClaimDesk` leaves — the 公示 of a large claim, its reservation
    /// (posted), its ledger entry — and one audit record `demo_claim_history`.
    static func postedClaim(
        _ planned: DemoFundsClaim, village: AdminUnit, people: DemoFundsStaff.People, calendar: DemoFundsCalendar,
        on db: any Database
    ) async throws -> (id: Int, at: Date) {
        let codes = village.unitPath.codes.map(\.rawValue)
        let ancestors = try await AdminUnit.query(on: db).filter(\.$code ~~ codes).all()
        let ids = try Dictionary(ancestors.map { ($0.code, try $0.requireID()) }) { first, _ in first }
        guard codes.count == 3, let countyID = ids[codes[0]], let townshipID = ids[codes[1]],
            let category = planned.claim.spendingCategory
        else { throw YunweiError.notFound }
        let claim = planned.claim
        let noticed = !planned.imported && PublicNotice.isRequired(for: claim.amount)
        let wait = noticed ? PublicNotice.days + 1 : 0
        let approvedState: ClaimState = noticed ? .inNotice : .villageApproved
        let steps: [(action: String, from: ClaimState?, to: ClaimState, duty: ClaimDuty, actor: Actor, day: Int)] = [
            ("draft", nil, .draft, .draft, people.clerk, 0),
            (ClaimAction.submit.rawValue, .draft, .submitted, .draft, people.clerk, 0),
            (ClaimAction.review.rawValue, .submitted, .reviewed, .review, people.financeGroup, 1),
            (ClaimAction.approve.rawValue, .reviewed, approvedState, .approve, people.head, 2),
            (
                ClaimAction.leaderReview.rawValue, approvedState, .leaderReviewed, .leaderReview,
                people.townshipLeader, 3 + wait
            ),
            (ClaimAction.post.rawValue, .leaderReviewed, .posted, .post, people.townshipFinance, 4 + wait),
        ]
        let postedAt = calendar.at(day: planned.day + 4 + wait, hour: 15)
        let submittedAt = calendar.at(day: planned.day, hour: 10)
        let approvedAt = calendar.at(day: planned.day + 2, hour: 10)
        return try await db.write { db in
            let record = ClaimRecord()
            record.countyID = countyID
            record.townshipID = townshipID
            record.$village.id = try village.requireID()
            record.villagePath = village.path
            record.state = ClaimState.posted.rawValue
            record.amountFen = claim.amount.fen
            record.category = claim.category
            record.setPayee(claim.payee)
            record.purpose = claim.purpose
            record.setLinks(claim.links)
            record.createdBy = Int(people.clerk.userID)
            record.createdAt = calendar.at(day: planned.day, hour: 9)
            record.updatedAt = postedAt
            record.noticeStartedAt = noticed ? approvedAt : nil
            try await record.create(on: db)
            let claimID = try record.requireID()
            for (position, invoice) in claim.invoices.enumerated() {
                let row = ClaimInvoiceRecord()
                row.$claim.id = claimID
                row.position = position
                row.number = invoice.number
                row.issuer = invoice.issuer
                row.issuerKey = invoice.key.issuer
                row.numberKey = invoice.key.number
                row.date = invoice.date.description
                row.amountFen = invoice.amount.fen
                try await row.create(on: db)
            }
            for step in steps {
                let event = ClaimEventRecord()
                event.$claim.id = claimID
                event.at =
                    step.action == ClaimAction.post.rawValue
                    ? postedAt : calendar.at(day: planned.day + step.day, hour: 10)
                event.actorID = Int(step.actor.userID)
                event.actorName = step.actor.username
                event.action = step.action
                event.fromState = step.from?.rawValue
                event.toState = step.to.rawValue
                event.note = step.action == "draft" && planned.imported ? note : nil
                event.duty = step.duty.rawValue
                try await event.create(on: db)
            }
            let author = AuditTrail.Author(people.townshipFinance)
            let entry: LedgerEntry
            do throws(FundIssue) {
                entry = try LedgerEntry.claimPosting(
                    claim: Int64(claimID), village: village.unitCode, category: category, amount: claim.amount,
                    date: postedAt, memo: "报账：\(claim.purpose)（\(village.name)）" + (planned.imported ? note : ""))
            } catch {
                throw LedgerBook.input(error)
            }
            let stored = try await LedgerBook.post(entry, by: author, now: postedAt, on: db)
            record.postedEntryID = stored.id.map(Int.init)
            try await record.save(on: db)
            if !planned.imported {
                let reservation = ReservationRecord()
                reservation.claimID = Int64(claimID)
                reservation.$village.id = try village.requireID()
                reservation.amountFen = claim.amount.fen
                reservation.state = ReservationState.posted.rawValue
                reservation.reservedAt = submittedAt
                reservation.closedAt = postedAt
                try await reservation.create(on: db)
            }
            var after = ClaimDesk.snapshot(record)
            if planned.imported { after["source"] = note }
            try await AuditTrail.record(
                on: db, by: AuditTrail.Author(id: nil, name: "demo"),
                action: planned.imported ? "demo_claim_import" : "demo_claim_history", entityType: "claim",
                entityID: String(claimID), unitPath: village.path, after: after, at: postedAt)
            return (claimID, postedAt)
        }
    }

    /// R5: one invoice of a claim posted in the `plan.duplicateFrom` village, migrated again a few
    /// weeks later as a claim of the `plan.duplicateInto` village — the same issuer, number, date
    /// and amount. Returns the number of claims written (0 when no invoice fits).
    static func duplicateInvoice(
        in villages: [AdminUnit], plan: DemoFundsPlan, people staff: DemoFundsStaff, calendar: DemoFundsCalendar,
        ledger: DemoFundsLedger, faults: inout [DemoFunds.Fault], on db: any Database
    ) async throws -> Int {
        let village = villages[plan.duplicateInto]
        guard let people = staff.of(village) else { return 0 }
        let available = try await LedgerBook.availability(of: village, on: db).available
        let payees = ledger.payees[plan.duplicateInto] ?? []
        let lastDay = calendar.elapsedDays - 6
        let candidates = (ledger.posted[plan.duplicateFrom] ?? []).filter {
            $0.invoice.amount <= Money(fen: available.fen / 2) && $0.invoice.amount < PublicNotice.defaultThreshold
                && !payees.contains($0.invoice.issuer)
                && Int($0.postedAt.timeIntervalSince(calendar.newYear) / 86_400) + 20 <= lastDay
        }
        guard let original = candidates.first else { return 0 }
        let day = Int(original.postedAt.timeIntervalSince(calendar.newYear) / 86_400) + 20
        let claim = Claim(
            payee: .organisation(name: original.invoice.issuer), amount: original.invoice.amount,
            category: SpendingCategory.infrastructure.rawValue, purpose: "村道边沟修复材料款",
            links: [.facility(Int64(plan.duplicateInto * 100 + 3))], invoices: [original.invoice])
        _ = try await postedClaim(
            DemoFundsClaim(day: day, claim: claim, fate: .posted, imported: true), village: village, people: people,
            calendar: calendar, on: db)
        faults.append(DemoFunds.Fault(rule: .duplicateInvoice, village: village.code))
        return 1
    }
}
