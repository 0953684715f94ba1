import Fluent
import Foundation
import SQLKit
import Vapor
import YunweiDomain

/// Every change to the allocations by factors 因素法 (DOMAIN.md §4.2), each in one write
/// transaction with its audit record: a year's first draft, approving 审批, publishing 公开, and
/// revising 调整 (a new draft version with a reason). The rules are the domain's —
/// `AllocationByFactors` computes the table, `AllocationVersion` decides the steps — and who may
/// take them is `Policy`'s (`manageAllocations`, the county admin).
///
/// Refusals: 403 for a person who may not manage allocations there, 404 for an allocation they
/// may not see, 409 for a step its status does not allow (or a year that already has one), and
/// `CaseDesk.InputError` (422, every problem beside its field) for bad input.
enum AllocationDesk {
    /// What a county admin sets up: the year, the pool and base in fen, and the weights as
    /// decimal texts (`"0.4"`), read by `AllocationWeights.parse` so that every door judges alike.
    struct Setup: Sendable {
        var year: Int
        var pool: Money
        var base: Money
        var weights: [AllocationFactor: String]
    }

    /// A stored version with its table recomputed, and the names of its county and villages.
    struct Loaded: Sendable {
        let record: AllocationRecord
        let county: AdminUnit
        let version: AllocationVersion
        /// Village names by unit code.
        let names: [UnitCode: String]
    }

    /// Version 1 of `setup.year`'s allocation for `county`, a draft, shared among every village of
    /// the county by its factor data of that year. A village without factor data of that year is a
    /// problem named with the village; a year that already has an allocation is a conflict (it is
    /// edited or revised, not created again).
    static func create(
        _ setup: Setup, county: AdminUnit, by actor: Actor, now: Date = Date(), on db: any Database
    ) async throws -> AllocationRecord {
        guard Policy.can(actor, .manageAllocations, at: county.unitPath) else { throw YunweiError.forbidden }
        let countyID = try county.requireID()
        return try await db.write { db in
            try await serialize(on: db)
            if let latest = try await latest(county: countyID, year: setup.year, on: db) {
                throw YunweiError.conflict(
                    "allocation.error.year_exists", ["year": String(setup.year), "version": String(latest.version)])
            }
            let (allocation, villageIDs) = try await table(setup, county: county, on: db)
            let record = AllocationRecord()
            record.$county.id = countyID
            record.version = 1
            record.reason = nil
            try await store(allocation, as: record, villageIDs: villageIDs, by: actor, now: now, on: db)
            try await AuditTrail.record(
                on: db, by: .init(actor), action: "allocation_create", entityType: "allocation",
                entityID: String(try record.requireID()), unitPath: county.path, after: record.snapshot, at: now)
            return record
        }
    }

    /// The draft, approved 审批: never edited again.
    @discardableResult
    static func approve(_ id: Int, by actor: Actor, now: Date = Date(), on db: any Database) async throws
        -> AllocationRecord
    {
        try await move(id, by: actor, now: now, on: db) { version, record in
            let moved = version.approving()
            if case .success = moved {
                record.approvedAt = now
                record.approvedBy = Int(actor.userID)
            }
            return (moved, "allocation_approve")
        }
    }

    /// The approved version, published 公开 to the villages.
    @discardableResult
    static func publish(_ id: Int, by actor: Actor, now: Date = Date(), on db: any Database) async throws
        -> AllocationRecord
    {
        try await move(id, by: actor, now: now, on: db) { version, record in
            let moved = version.publishing()
            if case .success = moved {
                record.publishedAt = now
                record.publishedBy = Int(actor.userID)
            }
            return (moved, "allocation_publish")
        }
    }

    /// Version n + 1 of an approved or published version n, a draft computed from `setup` and the
    /// villages' factor data as they now stand, for `reason`. Only the year's latest version is
    /// revised; the year is the revised version's.
    static func revise(
        _ id: Int, with setup: Setup, reason: String, by actor: Actor, now: Date = Date(), on db: any Database
    ) async throws -> AllocationRecord {
        try await db.write { db in
            try await serialize(on: db)
            let loaded = try await load(id, for: actor, on: db)
            let old = loaded.record
            guard Policy.can(actor, .manageAllocations, at: loaded.county.unitPath) else { throw YunweiError.forbidden }
            if let latest = try await latest(county: old.$county.id, year: old.year, on: db),
                latest.version != old.version
            {
                throw YunweiError.conflict(
                    "allocation.error.superseded", ["version": String(old.version), "latest": String(latest.version)])
            }
            var setup = setup
            setup.year = old.year
            let (allocation, villageIDs) = try await table(setup, county: loaded.county, on: db)
            let revised: AllocationVersion
            switch loaded.version.revising(to: allocation, reason: reason) {
            case .success(let version): revised = version
            case .failure(let issue) where issue.field == "status":
                throw YunweiError.conflict(issue.key, issue.args)
            case .failure(let issue):
                throw CaseDesk.InputError(issues: [CaseIssue(field: issue.field, key: issue.key, args: issue.args)])
            }
            let record = AllocationRecord()
            record.$county.id = old.$county.id
            record.version = revised.number
            record.reason = revised.reason
            record.$revises.id = try old.requireID()
            try await store(allocation, as: record, villageIDs: villageIDs, by: actor, now: now, on: db)
            try await AuditTrail.record(
                on: db, by: .init(actor), action: "allocation_revise", entityType: "allocation",
                entityID: String(try record.requireID()), unitPath: loaded.county.path, before: old.snapshot,
                after: record.snapshot, at: now)
            return record
        }
    }

    // MARK: Reading

    /// The allocation `id` with its table recomputed from the stored inputs; 404 unless `actor`
    /// may see it.
    static func load(_ id: Int, for actor: Actor, on db: any Database) async throws -> Loaded {
        guard let record = try await AllocationRecord.find(id, on: db) else { throw YunweiError.notFound }
        let county = try await record.$county.get(on: db)
        guard AllocationPolicy.mayView(actor, county: county.unitPath, status: record.allocationStatus) else {
            throw YunweiError.notFound
        }
        let rows = try await AllocationRowRecord.query(on: db).filter(\.$allocation.$id == id).all()
        let villageIDs = rows.map { $0.$village.id }
        let villages = villageIDs.isEmpty ? [] : try await AdminUnit.query(on: db).filter(\.$id ~~ villageIDs).all()
        let allocation = try recompute(record, rows: rows)
        let version = AllocationVersion(
            number: record.version, status: record.allocationStatus, allocation: allocation, reason: record.reason)
        return Loaded(
            record: record, county: county, version: version,
            names: Dictionary(villages.map { ($0.unitCode, $0.name) }) { first, _ in first })
    }

    /// The table of a stored version, computed again from its inputs. The computation is exact
    /// and deterministic, so it gives the stored amounts; anything else means the rows were
    /// changed behind the desk's back, and is refused rather than shown.
    static func recompute(_ record: AllocationRecord, rows: [AllocationRowRecord]) throws -> Allocation {
        guard case .success(let weights) = AllocationWeights.make(millionths: record.weightMillionths) else {
            throw Abort(.internalServerError, reason: "allocation \(record.id ?? 0) has weights not summing to one")
        }
        let request = AllocationRequest(
            year: record.year, pool: Money(fen: record.poolFen), base: Money(fen: record.baseFen), weights: weights,
            villages: rows.map { $0.factors(year: record.year) })
        let stored = Dictionary(rows.map { ($0.unitCode, $0.amountFen) }) { first, _ in first }
        guard case .success(let allocation) = AllocationByFactors.allocate(request),
            allocation.rows.allSatisfy({ stored[$0.unit.rawValue] == $0.amount.fen })
        else { throw Abort(.internalServerError, reason: "allocation \(record.id ?? 0) does not recompute") }
        return allocation
    }

    // MARK: Inside the transactions

    /// One status step on a stored version, decided by the domain; 409 when its status does not
    /// allow it.
    private static func move(
        _ id: Int, by actor: Actor, now: Date, on db: any Database,
        _ step:
            @escaping @Sendable (AllocationVersion, AllocationRecord) -> (Result<AllocationVersion, FundIssue>, String)
    ) async throws -> AllocationRecord {
        try await db.write { db in
            try await lock(id, on: db)
            let loaded = try await load(id, for: actor, on: db)
            guard Policy.can(actor, .manageAllocations, at: loaded.county.unitPath) else { throw YunweiError.forbidden }
            let record = loaded.record
            let before = record.snapshot
            let (moved, action) = step(loaded.version, record)
            switch moved {
            case .success(let version): record.status = version.status.rawValue
            case .failure(let issue): throw YunweiError.conflict(issue.key, issue.args)
            }
            try await record.save(on: db)
            try await AuditTrail.record(
                on: db, by: .init(actor), action: action, entityType: "allocation", entityID: String(id),
                unitPath: loaded.county.path, before: before, after: record.snapshot, at: now)
            return record
        }
    }

    /// The table for `setup` among every village of `county`, with each village's id; every
    /// problem at once otherwise, on the fields `year`, `pool`, `base`, `weights…` and
    /// `villages.<code>` for a village without factor data of the year.
    private static func table(_ setup: Setup, county: AdminUnit, on db: any Database) async throws
        -> (Allocation, [UnitCode: Int])
    {
        var issues: [FundIssue] = []
        let weights: AllocationWeights?
        switch AllocationWeights.parse(setup.weights) {
        case .success(let parsed): weights = parsed
        case .failure(let rejection):
            weights = nil
            issues += rejection.issues
        }
        if !(2000...2100).contains(setup.year) {
            issues.append(FundIssue(field: "year", key: "allocation.input.year"))
        }
        let villages = try await AdminUnit.query(on: db).filter(\.$kind == UnitKind.village.rawValue)
            .filter(\.$path =~ county.path).sort(\.$code).all()
        let villageIDs = try Dictionary(villages.map { ($0.unitCode, try $0.requireID()) }) { first, _ in first }
        let records =
            villages.isEmpty
            ? []
            : try await FactorRecord.query(on: db).filter(\.$unit.$id ~~ Array(villageIDs.values))
                .filter(\.$year == setup.year).all()
        let byUnit = Dictionary(records.map { ($0.$unit.id, $0) }) { first, _ in first }
        var factors: [VillageFactors] = []
        for village in villages {
            if let record = byUnit[try village.requireID()] {
                factors.append(record.factors(unit: village.unitCode))
            } else {
                issues.append(
                    FundIssue(
                        field: "villages." + village.code, key: "allocation.error.factors_missing",
                        args: ["unit": village.code, "name": village.name, "year": String(setup.year)]))
            }
        }
        // Checked with any weights, so that the pool and base are judged even when the weights are not.
        let request = AllocationRequest(
            year: setup.year, pool: setup.pool, base: setup.base, weights: weights ?? Self.anyWeights,
            villages: factors)
        let missing = factors.count < villages.count
        issues += request.issues.filter { !(missing && $0.key == "allocation.error.no_villages") }
        guard issues.isEmpty, weights != nil, case .success(let allocation) = AllocationByFactors.allocate(request)
        else {
            throw CaseDesk.InputError(
                issues: issues.map { CaseIssue(field: $0.field, key: $0.key, args: $0.args) })
        }
        return (allocation, villageIDs)
    }

    private static let anyWeights: AllocationWeights = {
        guard case .success(let weights) = AllocationWeights.make(millionths: [.population: AllocationWeights.one])
        else { fatalError("one weight of one sums to one") }
        return weights
    }()

    /// Writes a new version's record (its id set afterwards) and its rows.
    private static func store(
        _ allocation: Allocation, as record: AllocationRecord, villageIDs: [UnitCode: Int], by actor: Actor,
        now: Date, on db: any Database
    ) async throws {
        record.year = allocation.year
        record.status = AllocationStatus.draft.rawValue
        record.poolFen = allocation.pool.fen
        record.baseFen = allocation.base.fen
        record.setWeights(allocation.weights)
        record.createdAt = now
        record.createdBy = Int(actor.userID)
        try await record.create(on: db)
        let id = try record.requireID()
        let rows = allocation.rows.map {
            AllocationRowRecord(allocationID: id, villageID: villageIDs[$0.unit]!, row: $0)
        }
        // In chunks: PostgreSQL takes at most 65,535 parameters a statement, and a row has 16.
        for start in stride(from: 0, to: rows.count, by: 1000) {
            try await Array(rows[start..<min(start + 1000, rows.count)]).create(on: db)
        }
    }

    /// The latest version of a county's allocation for a year.
    private static func latest(county: Int, year: Int, on db: any Database) async throws -> AllocationRecord? {
        try await AllocationRecord.query(on: db).filter(\.$county.$id == county).filter(\.$year == year)
            .sort(\.$version, .descending).first()
    }

    /// On PostgreSQL, new versions are made one at a time, so two admins cannot both make version
    /// n + 1; SQLite's immediate transactions already hold the write lock.
    private static func serialize(on db: any Database) async throws {
        guard !db.isSQLite else { return }
        try await db.sql.raw("SELECT pg_advisory_xact_lock(72830002)").run()
    }

    private static func lock(_ id: Int, on db: any Database) async throws {
        guard !db.isSQLite else { return }
        try await db.sql.raw("SELECT id FROM allocations WHERE id = \(bind: id) FOR UPDATE").run()
    }
}
