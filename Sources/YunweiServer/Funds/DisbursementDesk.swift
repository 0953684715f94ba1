import Fluent
import Foundation
import SQLKit
import YunweiDomain

/// 拨付 — township finance passes an approved allocation's money down to a village's special
/// account (DOMAIN.md §4.3): one disbursement row and its `LedgerEntry.disbursement` (Dr 已拨付,
/// Cr 资金池 in the county's books; Dr 102 银行存款, Cr 241 专项应付款 in the village's), with
/// the audit record, in one write transaction.
///
/// The county pool is funded lazily: the first disbursement of an allocation posts
/// `LedgerEntry.poolFunding` for its pool (for a revised version, for what its pool exceeds what
/// earlier versions of the year already funded), in the same transaction, so the pool never goes
/// below zero and an allocation that is never disbursed leaves no trace in the ledger.
///
/// Refusals: 404 for a village or allocation outside the caller's funds scope (or a village the
/// allocation does not share to), 403 for a person who sees the village's funds but may not
/// disburse there, 409 for an allocation that is not approved or published or has been
/// superseded, and for more than remains of the village's share; 422 for a bad amount or date.
enum DisbursementDesk {
    /// What township finance enters.
    struct Order: Sendable {
        var allocation: Int
        var village: String
        /// Nil: all that remains of the village's share.
        var amount: Money?
        /// The Shanghai day to book on; nil: today.
        var date: StatisticsPeriod.Day?
    }

    struct Done: Sendable {
        let disbursement: DisbursementRecord
        let entry: LedgerEntry
    }

    static func disburse(_ order: Order, by actor: Actor, now: Date = Date(), on db: any Database) async throws
        -> Done
    {
        guard let village = try await AdminUnit.query(on: db).filter(\.$code == order.village).first(),
            village.unitKind == .village, Policy.can(actor, .viewFunds, at: village.unitPath)
        else { throw YunweiError.notFound }
        guard Policy.can(actor, .disburseFunds, at: village.unitPath) else { throw YunweiError.forbidden }
        let today = StatisticsPeriod.day(of: now)
        let day = order.date ?? today
        if day > today { throw input("date", "ledger.error.date_in_future", ["date": day.description]) }
        if let amount = order.amount, amount <= .zero {
            throw input("amount", "ledger.error.amount_not_positive", ["amount": amount.formatted])
        }
        // A day before today is booked at its noon, so that the entry falls on that Shanghai day.
        let instant = day == today ? now : day.start.addingTimeInterval(12 * 3600)
        let villageID = try village.requireID()

        return try await db.write { db in
            if !db.isSQLite {
                try await db.sql.raw("SELECT id FROM allocations WHERE id = \(bind: order.allocation) FOR UPDATE")
                    .run()
            }
            try await LedgerBook.lockVillage(villageID, on: db)
            guard let allocation = try await AllocationRecord.find(order.allocation, on: db),
                let row = try await AllocationRowRecord.query(on: db).filter(\.$allocation.$id == order.allocation)
                    .filter(\.$village.$id == villageID).first()
            else { throw YunweiError.notFound }
            let status = allocation.allocationStatus
            guard status == .approved || status == .published else {
                throw YunweiError.conflict("ledger.error.allocation_not_approved", ["status": status.rawValue])
            }
            let versions = try await AllocationRecord.query(on: db).filter(\.$county.$id == allocation.$county.id)
                .filter(\.$year == allocation.year).all()
            if versions.contains(where: {
                $0.version > allocation.version && [.approved, .published].contains($0.allocationStatus)
            }) {
                throw YunweiError.conflict(
                    "ledger.error.allocation_superseded", ["version": String(allocation.version)])
            }
            if let approvedAt = allocation.approvedAt, day < StatisticsPeriod.day(of: approvedAt) {
                throw input(
                    "date", "ledger.error.before_approval",
                    ["date": StatisticsPeriod.day(of: approvedAt).description])
            }
            let versionIDs = try versions.map { try $0.requireID() }
            let disbursed = try await disbursedFen(allocations: versionIDs, village: villageID, on: db)
            let remaining = Money(fen: row.amountFen - disbursed)
            let amount = order.amount ?? remaining
            guard amount > .zero, amount <= remaining else {
                throw YunweiError.conflict(
                    "ledger.error.over_allocated",
                    [
                        "allocated": Money(fen: row.amountFen).formatted, "disbursed": Money(fen: disbursed).formatted,
                        "remaining": remaining.formatted, "requested": amount.formatted,
                    ])
            }

            let author = AuditTrail.Author(actor)
            try await fundPool(allocation, versions: versionIDs, at: instant, by: author, now: now, on: db)

            let record = DisbursementRecord()
            record.$allocation.id = try allocation.requireID()
            record.$village.id = villageID
            record.amountFen = amount.fen
            record.accountingDate = day.description
            record.createdAt = now
            record.createdBy = Int(actor.userID)
            try await record.create(on: db)
            let memo = "拨付\(allocation.year)年村级公益设施运行维护补助资金（\(village.name)）"
            let recordID = Int64(try record.requireID())
            let entry: LedgerEntry
            do throws(FundIssue) {
                entry = try LedgerEntry.disbursement(
                    village: village.unitCode, amount: amount, date: instant, disbursement: recordID, memo: memo)
            } catch {
                throw LedgerBook.input(error)
            }
            let stored = try await LedgerBook.post(entry, by: author, now: now, on: db)
            record.$entry.id = stored.id.map(Int.init)
            try await record.save(on: db)
            return Done(disbursement: record, entry: stored)
        }
    }

    /// What has been disbursed to the village under `allocations` (the versions of one county's
    /// year), leaving out disbursements whose entry was reversed.
    static func disbursedFen(allocations: [Int], village: Int, on db: any Database) async throws -> Int64 {
        guard !allocations.isEmpty else { return 0 }
        let rows = try await DisbursementRecord.query(on: db).filter(\.$allocation.$id ~~ allocations)
            .filter(\.$village.$id == village).all()
        let entryIDs = rows.compactMap { $0.$entry.id }
        let reversed =
            entryIDs.isEmpty
            ? Set<Int>()
            : Set(
                try await LedgerEntryRecord.query(on: db).filter(\.$reversesID ~~ entryIDs).all()
                    .compactMap(\.reversesID))
        return rows.filter { $0.$entry.id.map { !reversed.contains($0) } ?? true }.reduce(0) { $0 + $1.amountFen }
    }

    /// Posts `poolFunding` for what `allocation`'s pool exceeds what the year's versions have
    /// already funded (net of reversals); nothing when the pool is funded.
    private static func fundPool(
        _ allocation: AllocationRecord, versions: [Int], at instant: Date, by author: AuditTrail.Author, now: Date,
        on db: any Database
    ) async throws {
        let entries = try await LedgerEntryRecord.query(on: db)
            .filter(\.$sourceKind == LedgerSource.Kind.allocation.rawValue)
            .filter(\.$sourceID ~~ versions.map(Int64.init)).all()
        let county = try await allocation.$county.get(on: db)
        let fund = LedgerAccount.fund(of: county.unitCode)
        let funded = try await LedgerBook.load(try entries.map { try $0.requireID() }, on: db)
            .reduce(Money.zero) { $0 + fund.balance(in: [$1]) }
        let missing = Money(fen: allocation.poolFen) - funded
        guard missing > .zero else { return }
        do {
            let entry = try LedgerEntry.poolFunding(
                county: county.unitCode, amount: missing, date: instant, allocation: Int64(try allocation.requireID()),
                memo: "\(allocation.year)年村级公益设施运行维护补助资金入池（第\(allocation.version)版）")
            _ = try await LedgerBook.post(entry, by: author, now: now, on: db)
        } catch let issue as FundIssue {
            throw LedgerBook.input(issue)
        }
    }

    private static func input(_ field: String, _ key: String, _ args: [String: String] = [:]) -> CaseDesk.InputError {
        CaseDesk.InputError(issues: [CaseIssue(field: field, key: key, args: args)])
    }
}
