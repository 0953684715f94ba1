import Fluent
import Foundation
import SQLKit
import YunweiDomain

/// 管护人员工资 — the one place that changes caretakers' contracts and payroll batches (DOMAIN.md
/// §4.3). The computation is `PayrollBatch`'s; the approval is the claim chain's (`ClaimDesk`):
/// each village pays its part through one labour claim linked to the batch, and posting that claim
/// writes the payroll entry here. Every change runs in one write transaction with its audit record.
///
/// Access: contracts need `manageCaretakers` at their village, batches `preparePayroll` at their
/// township; a village clerk sees a batch for her village's part. Anything outside is 404.
enum PayrollDesk {
    // MARK: Scope

    /// Whether `actor` sees payroll at `path` (a village's, or a township's when `township`).
    static func maySee(_ actor: Actor, township path: UnitPath) -> Bool {
        [Action.manageCaretakers, .preparePayroll].contains { action in
            Policy.scope(actor, action).contains { path.isWithin($0) || $0.isWithin(path) }
        }
    }

    /// Whether `actor` sees the part of a batch paid in the village at `path`.
    static func maySeeVillage(_ actor: Actor, _ path: UnitPath) -> Bool {
        Policy.can(actor, .manageCaretakers, at: path) || Policy.can(actor, .preparePayroll, at: path)
    }

    // MARK: Contracts

    /// The contracts `actor` keeps, by village and name.
    static func contracts(for actor: Actor, on db: any Database) async throws -> [CaretakerContractRecord] {
        let roots = Policy.scope(actor, .manageCaretakers)
        guard !roots.isEmpty else { throw YunweiError.forbidden }
        return try await CaretakerContractRecord.query(on: db).group(.or) { group in
            for root in roots { group.filter(\.$villagePath =~ root.rawValue) }
        }.sort(\.$villageCode).sort(\.$id).all()
    }

    /// The contract `id`, when `actor` keeps it; 404 otherwise.
    static func contract(_ id: Int, for actor: Actor, on db: any Database) async throws -> CaretakerContractRecord {
        guard let record = try await CaretakerContractRecord.find(id, on: db),
            Policy.can(actor, .manageCaretakers, at: UnitPath(rawValue: record.villagePath))
        else { throw YunweiError.notFound }
        return record
    }

    /// Stores a new contract (`id` nil) or a changed one, with its audit record.
    static func saveContract(
        _ id: Int?, _ contract: CaretakerContract, by actor: Actor, now: Date = Date(), on db: any Database
    ) async throws -> CaretakerContractRecord {
        guard let village = try await AdminUnit.query(on: db).filter(\.$code == contract.village.rawValue).first(),
            village.unitKind == .village
        else { throw ClaimDesk.input([FundIssue(field: "village", key: "payroll.issue.village")]) }
        guard Policy.can(actor, .manageCaretakers, at: village.unitPath) else { throw YunweiError.notFound }
        var found: CaretakerContractRecord?
        if let id { found = try await Self.contract(id, for: actor, on: db) }
        let existing = found
        let issues = contract.issues
        guard issues.isEmpty else { throw ClaimDesk.input(issues) }
        let codes = village.unitPath.codes.map(\.rawValue)
        guard codes.count == 3,
            let township = try await AdminUnit.query(on: db).filter(\.$code == codes[1]).first()
        else { throw YunweiError.notFound }
        let townshipID = try township.requireID()
        let villageID = try village.requireID()
        return try await db.write { db in
            let record = existing ?? CaretakerContractRecord()
            let before = existing?.snapshot
            if existing == nil {
                record.createdBy = Int(actor.userID)
                record.createdAt = now
            }
            record.townshipID = townshipID
            record.$village.id = villageID
            record.villagePath = village.path
            record.villageCode = village.code
            record.set(contract)
            record.updatedAt = now
            try await record.save(on: db)
            try await AuditTrail.record(
                on: db, by: AuditTrail.Author(actor),
                action: existing == nil ? "caretaker_contract_create" : "caretaker_contract_update",
                entityType: "caretaker_contract", entityID: String(try record.requireID()), unitPath: village.path,
                before: before, after: record.snapshot, at: now)
            return record
        }
    }

    // MARK: Batches

    /// A batch with its township and lines.
    struct Loaded: Sendable {
        let record: PayrollBatchRecord
        let township: AdminUnit
        let lines: [PayrollLineRecord]

        var batch: PayrollBatch { PayrollBatch(month: record.payrollMonth, lines: lines.map(\.line)) }
    }

    /// The townships where `actor` prepares payrolls.
    static func townships(for actor: Actor, on db: any Database) async throws -> [AdminUnit] {
        let roots = Policy.scope(actor, .preparePayroll)
        guard !roots.isEmpty else { return [] }
        return try await AdminUnit.query(on: db).filter(\.$kind == UnitKind.township.rawValue).all()
            .filter { unit in roots.contains { unit.unitPath.isWithin($0) } }.sorted { $0.code < $1.code }
    }

    /// The batches `actor` sees, newest month first.
    static func batches(for actor: Actor, on db: any Database) async throws -> [(PayrollBatchRecord, AdminUnit)] {
        let records = try await PayrollBatchRecord.query(on: db).sort(\.$month, .descending).sort(\.$id).all()
        let ids = Array(Set(records.map { $0.$township.id }))
        let units = ids.isEmpty ? [] : try await AdminUnit.query(on: db).filter(\.$id ~~ ids).all()
        let byID = Dictionary(units.compactMap { unit in unit.id.map { ($0, unit) } }) { first, _ in first }
        return records.compactMap { record in
            guard let township = byID[record.$township.id], maySee(actor, township: township.unitPath) else {
                return nil
            }
            return (record, township)
        }
    }

    /// The batch `id` as `actor` may see it; 404 otherwise.
    static func load(_ id: Int, for actor: Actor, on db: any Database) async throws -> Loaded {
        guard let record = try await PayrollBatchRecord.find(id, on: db) else { throw YunweiError.notFound }
        let township = try await record.$township.get(on: db)
        guard maySee(actor, township: township.unitPath) else { throw YunweiError.notFound }
        let lines = try await PayrollLineRecord.query(on: db).filter(\.$batch.$id == id).sort(\.$position).all()
        return Loaded(record: record, township: township, lines: lines)
    }

    /// Loads the batch for a township-level step: 404 outside, 403 without `preparePayroll` there.
    private static func loadForPreparing(_ id: Int, by actor: Actor, on db: any Database) async throws -> Loaded {
        let loaded = try await load(id, for: actor, on: db)
        guard Policy.can(actor, .preparePayroll, at: loaded.township.unitPath) else { throw YunweiError.forbidden }
        return loaded
    }

    /// 制表 — the month's payroll of `townshipCode` (nil: the actor's one township) from the
    /// contracts active that month. 409 when the month already has a batch.
    static func create(
        townshipCode: String?, month: PayrollMonth, by actor: Actor, now: Date = Date(), on db: any Database
    ) async throws -> PayrollBatchRecord {
        let mine = try await townships(for: actor, on: db)
        guard !mine.isEmpty else { throw YunweiError.forbidden }
        let wanted = townshipCode?.trimmingCharacters(in: .whitespaces) ?? ""
        guard
            let township = wanted.isEmpty ? (mine.count == 1 ? mine[0] : nil) : mine.first(where: { $0.code == wanted })
        else { throw ClaimDesk.input([FundIssue(field: "township", key: "payroll.issue.township")]) }
        let townshipID = try township.requireID()
        return try await db.write { db in
            if try await PayrollBatchRecord.query(on: db).filter(\.$township.$id == townshipID)
                .filter(\.$month == month.key).count() > 0
            {
                throw YunweiError.conflict("payroll.error.batch_exists", ["month": month.description])
            }
            let contracts = try await activeContracts(township: townshipID, month: month, on: db)
            guard !contracts.isEmpty else {
                throw ClaimDesk.input([FundIssue(field: "month", key: "payroll.issue.no_contracts")])
            }
            let record = PayrollBatchRecord()
            record.$township.id = townshipID
            record.townshipPath = township.path
            record.month = month.key
            record.state = PayrollBatchState.draft.rawValue
            record.createdBy = Int(actor.userID)
            record.createdAt = now
            try await record.create(on: db)
            try await store(PayrollBatch(month: month, contracts: contracts.map(\.contract)), of: record, on: db)
            try await AuditTrail.record(
                on: db, by: AuditTrail.Author(actor), action: "payroll_create", entityType: "payroll_batch",
                entityID: String(try record.requireID()), unitPath: township.path, after: record.snapshot, at: now)
            return record
        }
    }

    /// 评分 — stores the entered scores of a draft batch in a quarter-end month and recomputes it
    /// from the contracts. A score outside 0–100 is 422 beside its field; nothing is stored.
    static func score(
        _ id: Int, entered: [Int64: String], by actor: Actor, now: Date = Date(), on db: any Database
    ) async throws {
        try await recompute(id, entered: entered, issuing: false, by: actor, now: now, on: db)
    }

    /// 下发 — locks a draft batch (with every score, in a quarter-end month); the villages then
    /// draft their claims.
    static func issue(
        _ id: Int, entered: [Int64: String]? = nil, by actor: Actor, now: Date = Date(), on db: any Database
    )
        async throws
    {
        try await recompute(id, entered: entered, issuing: true, by: actor, now: now, on: db)
    }

    private static func recompute(
        _ id: Int, entered: [Int64: String]?, issuing: Bool, by actor: Actor, now: Date, on db: any Database
    ) async throws {
        let loaded = try await loadForPreparing(id, by: actor, on: db)
        try await db.write { db in
            try await lockBatch(id, on: db)
            guard let record = try await PayrollBatchRecord.find(id, on: db) else { throw YunweiError.notFound }
            guard record.batchState == .draft else {
                throw YunweiError.conflict("payroll.error.not_draft", ["state": record.batchState.catalogKey])
            }
            let month = record.payrollMonth
            let contracts = try await activeContracts(township: record.$township.id, month: month, on: db)
            let ids = contracts.compactMap { $0.id.map(Int64.init) }
            var texts: [Int64: String] = [:]
            for line in try await lines(id, on: db) where line.kind == PayrollBatch.Kind.performance.rawValue {
                if let score = line.score { texts[Int64(line.$contract.id)] = String(score) }
            }
            for (contract, text) in entered ?? [:] { texts[contract] = text }
            let (scores, issues) = PayrollBatch.scoreIssues(
                month: month, contracts: ids, entered: texts, complete: issuing)
            guard issues.isEmpty else { throw ClaimDesk.input(issues) }
            guard !contracts.isEmpty else {
                throw ClaimDesk.input([FundIssue(field: "month", key: "payroll.issue.no_contracts")])
            }
            let before = record.snapshot
            try await PayrollLineRecord.query(on: db).filter(\.$batch.$id == id).delete()
            let batch = PayrollBatch(month: month, contracts: contracts.map(\.contract), scores: scores)
            try await store(batch, of: record, on: db, entered: Set(scores.keys))
            if issuing {
                record.state = PayrollBatchState.issued.rawValue
                record.issuedBy = Int(actor.userID)
                record.issuedAt = now
                try await record.save(on: db)
            }
            var after = record.snapshot
            after["total_fen"] = String(batch.total.fen)
            if month.endsQuarter {
                after["scores"] = scores.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(
                    separator: ",")
            }
            try await AuditTrail.record(
                on: db, by: AuditTrail.Author(actor), action: issuing ? "payroll_issue" : "payroll_score",
                entityType: "payroll_batch", entityID: String(id), unitPath: loaded.township.path, before: before,
                after: after, at: now)
        }
    }

    /// The claim of `villageCode`'s part of an issued batch, drafted by its clerk through
    /// `ClaimDesk.draft` (so the chain, reservation and notice are the claims'). 409 when the batch
    /// is not issued or the village already has a claim for it that is not withdrawn.
    static func draftClaim(
        _ id: Int, village villageCode: String, by actor: Actor, now: Date = Date(), on db: any Database
    ) async throws -> ClaimRecord {
        let loaded = try await load(id, for: actor, on: db)
        guard let code = UnitCode(villageCode), loaded.lines.contains(where: { $0.villageCode == code.rawValue }),
            let village = try await AdminUnit.query(on: db).filter(\.$code == code.rawValue).first(),
            maySeeVillage(actor, village.unitPath)
        else { throw YunweiError.notFound }
        guard ClaimPolicy.mayDraft(actor, in: village.unitPath) else { throw YunweiError.forbidden }
        guard loaded.record.batchState == .issued else {
            throw YunweiError.conflict("payroll.error.not_issued", ["state": loaded.record.batchState.catalogKey])
        }
        if try await claims(of: id, on: db)[code.rawValue] != nil {
            throw YunweiError.conflict("payroll.error.claim_exists", ["village": village.name])
        }
        let claim = loaded.batch.claim(for: code, batchID: Int64(id))
        return try await ClaimDesk.draft(.init(village: code.rawValue, claim: claim), by: actor, now: now, on: db)
    }

    /// The claims of batch `id` that are not withdrawn, by village code.
    static func claims(of id: Int, on db: any Database) async throws -> [String: ClaimRecord] {
        var found: [String: ClaimRecord] = [:]
        for claim in try await claimList(of: id, on: db) {
            found[UnitPath(rawValue: claim.villagePath).codes.last?.rawValue ?? ""] = claim
        }
        return found
    }

    /// Every claim of batch `id` that is not withdrawn, oldest first.
    private static func claimList(of id: Int, on db: any Database) async throws -> [ClaimRecord] {
        try await ClaimRecord.query(on: db).filter(\.$category == SpendingCategory.labour.rawValue)
            .filter(\.$state != ClaimState.withdrawn.rawValue).sort(\.$id).all()
            .filter { batchID(of: $0.claimLinks) == Int64(id) }
    }

    /// The payroll batch a claim pays, if any.
    static func batchID(of links: [ClaimLink]) -> Int64? {
        for link in links { if case .payrollBatch(let id) = link { return id } }
        return nil
    }

    /// 工资入账 — called by `ClaimDesk` inside its transaction when it posts a claim: for a claim
    /// paying a payroll batch, the payroll entry (labour expense owed on 202) instead of a claim
    /// posting; nil for any other claim. The batch becomes posted with its village's last claim.
    /// 409 when the batch is not issued or the claim's amount is not the village's total.
    static func posting(
        of claim: Claim, village: AdminUnit, amount: Money, by author: AuditTrail.Author, now: Date,
        on db: any Database
    ) async throws -> LedgerEntry? {
        guard let batchID = batchID(of: claim.links) else { return nil }
        let id = Int(batchID)
        try await lockBatch(id, on: db)
        guard let record = try await PayrollBatchRecord.find(id, on: db) else { throw YunweiError.notFound }
        guard record.batchState == .issued else {
            throw YunweiError.conflict("payroll.error.not_issued", ["state": record.batchState.catalogKey])
        }
        let batch = PayrollBatch(month: record.payrollMonth, lines: try await lines(id, on: db).map(\.line))
        guard batch.villageTotals[village.unitCode] == amount else {
            throw YunweiError.conflict("payroll.error.amount_mismatch", ["village": village.name])
        }
        let entry: LedgerEntry
        do throws(FundIssue) {
            entry = try LedgerEntry.payrollPosting(
                batch: batchID, village: village.unitCode, amount: amount, date: now,
                memo: "工资入账：\(batch.month.chineseLabel)管护人员工资（\(village.name)）")
        } catch {
            throw LedgerBook.input(error)
        }
        // The claim being posted is not stored as posted yet: any posted one of its village is another.
        let postedBefore = try await claimList(of: id, on: db).filter { $0.claimState == .posted }
        let villageOf = { (claim: ClaimRecord) in UnitPath(rawValue: claim.villagePath).codes.last?.rawValue ?? "" }
        if postedBefore.contains(where: { villageOf($0) == village.code }) {
            throw YunweiError.conflict("payroll.error.claim_exists", ["village": village.name])
        }
        var posted = Set(postedBefore.map(villageOf))
        posted.insert(village.code)
        if Set(batch.villages.map(\.rawValue)).isSubset(of: posted) {
            let before = record.snapshot
            record.state = PayrollBatchState.posted.rawValue
            record.postedAt = now
            try await record.save(on: db)
            try await AuditTrail.record(
                on: db, by: author, action: "payroll_post", entityType: "payroll_batch", entityID: String(id),
                unitPath: record.townshipPath, before: before, after: record.snapshot, at: now)
        }
        return entry
    }

    /// 工资发放 — the bank file of a posted batch has been paid: each village's payable is paid
    /// from its bank account, and the batch is paid.
    static func pay(_ id: Int, by actor: Actor, now: Date = Date(), on db: any Database) async throws {
        let loaded = try await loadForPreparing(id, by: actor, on: db)
        try await db.write { db in
            try await lockBatch(id, on: db)
            guard let record = try await PayrollBatchRecord.find(id, on: db) else { throw YunweiError.notFound }
            guard record.batchState == .posted else {
                throw YunweiError.conflict("payroll.error.not_posted", ["state": record.batchState.catalogKey])
            }
            let batch = PayrollBatch(month: record.payrollMonth, lines: try await lines(id, on: db).map(\.line))
            let author = AuditTrail.Author(actor)
            let villages = try await AdminUnit.query(on: db).filter(\.$code ~~ batch.villages.map(\.rawValue)).all()
            for village in villages.sorted(by: { $0.code < $1.code }) {
                guard let amount = batch.villageTotals[village.unitCode], amount > .zero else { continue }
                try await LedgerBook.lockVillage(try village.requireID(), on: db)
                let entry: LedgerEntry
                do throws(FundIssue) {
                    entry = try LedgerEntry.payrollPayment(
                        batch: Int64(id), village: village.unitCode, amount: amount, date: now,
                        memo: "工资发放：\(batch.month.chineseLabel)管护人员工资（\(village.name)）")
                } catch {
                    throw LedgerBook.input(error)
                }
                _ = try await LedgerBook.post(entry, by: author, now: now, on: db)
            }
            let before = record.snapshot
            record.state = PayrollBatchState.paid.rawValue
            record.paidBy = Int(actor.userID)
            record.paidAt = now
            try await record.save(on: db)
            try await AuditTrail.record(
                on: db, by: author, action: "payroll_pay", entityType: "payroll_batch", entityID: String(id),
                unitPath: loaded.township.path, before: before, after: record.snapshot, at: now)
        }
    }

    /// The bank file's rows of a posted or paid batch, full numbers and all; only those who
    /// prepare the township's payroll get them.
    static func bankRows(_ id: Int, by actor: Actor, on db: any Database) async throws -> (
        Loaded, [PayrollBatch.BankRow]
    ) {
        let loaded = try await loadForPreparing(id, by: actor, on: db)
        guard [.posted, .paid].contains(loaded.record.batchState) else {
            throw YunweiError.conflict("payroll.error.not_posted", ["state": loaded.record.batchState.catalogKey])
        }
        return (loaded, loaded.batch.bankRows)
    }

    // MARK: Helpers

    private static func lines(_ id: Int, on db: any Database) async throws -> [PayrollLineRecord] {
        try await PayrollLineRecord.query(on: db).filter(\.$batch.$id == id).sort(\.$position).all()
    }

    private static func activeContracts(township: Int, month: PayrollMonth, on db: any Database) async throws
        -> [CaretakerContractRecord]
    {
        try await CaretakerContractRecord.query(on: db).filter(\.$townshipID == township)
            .filter(\.$firstMonth <= month.key).all()
            .filter { $0.lastMonth.map { $0 >= month.key } ?? true }
    }

    private static func store(
        _ batch: PayrollBatch, of record: PayrollBatchRecord, on db: any Database, entered: Set<Int64> = []
    ) async throws {
        let batchID = try record.requireID()
        let codes = batch.villages.map(\.rawValue)
        let units = codes.isEmpty ? [] : try await AdminUnit.query(on: db).filter(\.$code ~~ codes).all()
        let ids = Dictionary(units.compactMap { unit in unit.id.map { (unit.code, $0) } }) { first, _ in first }
        var rows: [PayrollLineRecord] = []
        for (position, line) in batch.lines.enumerated() {
            let row = PayrollLineRecord()
            row.$batch.id = batchID
            row.$contract.id = Int(line.contractID)
            row.position = position
            row.villageID = ids[line.village.rawValue] ?? 0
            row.villageCode = line.village.rawValue
            row.name = line.name
            row.idNumber = line.idNumber
            row.passbook = line.passbook
            row.kind = line.kind.rawValue
            // A performance line keeps its score only once one was entered.
            row.score = line.kind == .performance && entered.contains(line.contractID) ? line.score : nil
            row.amountFen = line.amount.fen
            rows.append(row)
        }
        if !rows.isEmpty { try await rows.create(on: db) }
    }

    private static func lockBatch(_ id: Int, on db: any Database) async throws {
        guard !db.isSQLite else { return }
        try await db.sql.raw("SELECT id FROM payroll_batches WHERE id = \(bind: id) FOR UPDATE").run()
    }
}
