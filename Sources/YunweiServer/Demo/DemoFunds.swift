import Fluent
import Foundation
import YunweiDomain

/// A year of the demo county's subsidy money (DOMAIN.md §4), written through the real desks so
/// that it is exactly what the application itself would have written: the fund year's allocation
/// by factors, approved and published in January/February (`AllocationDesk`), each township's
/// disbursements to its villages (`DisbursementDesk`), and per village a handful of claims signed
/// by distinct people at every step, spread over the months, with the newest still in the inboxes
/// (`ClaimDesk`). Finished claims go step by step through `ClaimDesk` in one village in eight;
/// elsewhere they are written whole, one transaction each, with the rows the desk would have left
/// (`DemoFundsImport.postedClaim`), because six transactions a claim made the demo start slowly.
///
/// A few faults are planted, each of a different self-inspection rule, so that the report has
/// something to find (`DemoFunds.Fault`): villages credited late (R1) or short (R2), an invoice
/// claimed twice (R5), a payment to the village head (R6), office supplies bought with the fund
/// (R8), a village that spends almost nothing (R9, seen once the year is over) and a large claim
/// posted without its public notice (R10). The two the desks refuse (R5, R10) are written as
/// claims migrated from the old system: direct rows in one transaction with their audit record.
///
/// The fund year is the Shanghai year of `now`. Deterministic for a given county and `now`.
enum DemoFunds {
    /// The pool per village and year, on average; the factors spread it about ¥20,000–¥60,000.
    static let poolPerVillage = Money(yuan: 40_000)
    static let basePerVillage = Money(yuan: 12_000)
    static let weights: [AllocationFactor: String] = [
        .population: "0.35", .area: "0.15", .location: "0.2", .income: "0.1", .performance: "0.2",
    ]
    /// Too early in the year for a year of flows: nothing is seeded before this many days.
    static let fewestDays = 45

    /// A planted fault: the rule that should find it and the village it is in.
    struct Fault: Sendable, Hashable {
        let rule: InspectionRule
        let village: String
    }

    struct Summary: Sendable {
        let year: Int
        let allocationID: Int
        let claims: Int
        let faults: [Fault]
        /// The rules a self-inspection over the whole county finds at `now`: R9 only once the
        /// period reaches 31 December.
        func rulesFound(at now: Date) -> Set<InspectionRule> {
            let last = StatisticsPeriod.Day(year: year, month: 12, day: 31)
            return Set(faults.map(\.rule).filter { $0 != .idleBalance || StatisticsPeriod.day(of: now) >= last })
        }
    }

    /// Seeds the first county's funds for the year of `now`; nil when there is no county with at
    /// least four villages, or the year is younger than `fewestDays`.
    @discardableResult
    static func seed(
        on db: any Database, passwordHash: String, now: Date, progress: @escaping @Sendable (String) -> Void
    ) async throws -> Summary? {
        let year = StatisticsPeriod.day(of: now).year
        let calendar = DemoFundsCalendar(year: year, now: now)
        guard calendar.elapsedDays >= fewestDays,
            let county = try await AdminUnit.query(on: db).filter(\.$kind == UnitKind.county.rawValue)
                .sort(\.$code).first()
        else { return nil }
        let units = try await AdminUnit.query(on: db).filter(\.$path =~ county.path).sort(\.$code).all()
        let townships = units.filter { $0.unitKind == .township }
        let villages = units.filter { $0.unitKind == .village }
        guard villages.count >= 4 else { return nil }
        var random = SplitMix64(seed: 20_260_101 &+ UInt64(year))

        let staff = try await DemoFundsStaff.load(
            county: county, townships: townships, villages: villages, passwordHash: passwordHash, on: db)
        try await ensureFactors(year: year, villages: villages, on: db)

        // The allocation: drafted early in January, approved, published two weeks later.
        let setup = AllocationDesk.Setup(
            year: year, pool: Money(fen: poolPerVillage.fen * Int64(villages.count)),
            base: basePerVillage, weights: weights)
        let allocation = try await AllocationDesk.create(
            setup, county: county, by: staff.countyAdmin, now: calendar.at(day: calendar.createdDay, hour: 9.5),
            on: db)
        let allocationID = try allocation.requireID()
        let approvedAt = calendar.at(day: calendar.approvedDay, hour: 15)
        try await AllocationDesk.approve(allocationID, by: staff.countyAdmin, now: approvedAt, on: db)
        try await AllocationDesk.publish(
            allocationID, by: staff.countyAdmin, now: calendar.at(day: calendar.approvedDay + 14, hour: 10), on: db)
        let shares = Dictionary(
            try await AllocationRowRecord.query(on: db).filter(\.$allocation.$id == allocationID).all()
                .map { ($0.$village.id, Money(fen: $0.amountFen)) }
        ) { first, _ in first }
        progress("funds: \(year) allocation of \(setup.pool.formatted) to \(villages.count) villages")

        let plan = DemoFundsPlan(villages: villages, calendar: calendar)
        var faults: [Fault] = []
        var ledger = DemoFundsLedger()
        var claims = 0
        for (index, village) in villages.enumerated() {
            let villageID = try village.requireID()
            guard let share = shares[villageID], let people = staff.of(village) else { continue }
            // 拨付: on time, late (R1), or short and never made good (R2).
            let kind = plan.disbursement(of: index)
            let creditDay = calendar.creditDay(kind, random: &random)
            let credited = kind == .short ? Money(fen: share.fen * 3 / 4 / 100 * 100) : share
            _ = try await DisbursementDesk.disburse(
                .init(allocation: allocationID, village: village.code, amount: credited, date: nil),
                by: people.townshipFinance, now: calendar.at(day: creditDay, hour: 10 + Double(index % 6)), on: db)
            switch kind {
            case .late: faults.append(Fault(rule: .lateDisbursement, village: village.code))
            case .short:
                faults.append(Fault(rule: .lateDisbursement, village: village.code))
                faults.append(Fault(rule: .withholding, village: village.code))
            case .onTime: break
            }
            // 报账: the village's year of claims.
            let spending = plan.spending(of: index)
            if spending == .idle { faults.append(Fault(rule: .idleBalance, village: village.code)) }
            var book = DemoFundsVillageBook(
                village: village, index: index, people: people, credited: credited, firstDay: creditDay + 4,
                officialNames: staff.officialNames)
            claims += try await book.run(
                spending: spending, planted: plan.planted(at: index), calendar: calendar, ledger: &ledger,
                faults: &faults, random: &random, on: db)
            if (index + 1) % 500 == 0 { progress("funds: claims of \(index + 1)/\(villages.count) villages") }
        }
        claims += try await DemoFundsImport.duplicateInvoice(
            in: villages, plan: plan, people: staff, calendar: calendar, ledger: ledger, faults: &faults, on: db)
        progress(
            "funds: \(claims) claims; planted faults: \(faults.map(\.rule.rawValue).sorted().joined(separator: " "))")
        return Summary(year: year, allocationID: allocationID, claims: claims, faults: faults)
    }

    /// The fund year's factor data, copied from the latest year before it when a village has none
    /// (the demo county's plan holds two fixed years).
    private static func ensureFactors(year: Int, villages: [AdminUnit], on db: any Database) async throws {
        let ids = try villages.map { try $0.requireID() }
        let present = try await FactorRecord.query(on: db).filter(\.$unit.$id ~~ ids).filter(\.$year == year).count()
        guard present < villages.count else { return }
        let earlier = try await FactorRecord.query(on: db).filter(\.$unit.$id ~~ ids).filter(\.$year < year)
            .sort(\.$year).all()
        let latest = Dictionary(earlier.map { ($0.$unit.id, $0) }) { _, later in later }
        let had = Set(
            try await FactorRecord.query(on: db).filter(\.$unit.$id ~~ ids).filter(\.$year == year).all()
                .map { $0.$unit.id })
        let author = AuditTrail.Author(id: nil, name: "demo")
        try await db.write { db in
            for village in villages {
                let id = try village.requireID()
                guard !had.contains(id), let record = latest[id] else { continue }
                var factors = record.factors(unit: village.unitCode)
                factors.year = year
                try await UnitRegistry.setFactors(factors, for: village, by: author, on: db)
            }
        }
    }
}

/// The days of the demo's fund year, counted from 1 January (day 0), Shanghai time.
struct DemoFundsCalendar: Sendable {
    let year: Int
    let now: Date
    let newYear: Date
    /// Whole days from 1 January to `now`.
    let elapsedDays: Int

    init(year: Int, now: Date) {
        self.year = year
        self.now = now
        newYear = StatisticsPeriod.Day(year: year, month: 1, day: 1).start
        elapsedDays = Int(now.timeIntervalSince(newYear) / 86_400)
    }

    var createdDay: Int { min(7, elapsedDays / 20) }
    var approvedDay: Int { min(19, elapsedDays / 10) }

    /// `hour` (decimal, Shanghai) of `day`.
    func at(day: Int, hour: Double) -> Date {
        newYear.addingTimeInterval(Double(day) * 86_400 + hour * 3600)
    }

    /// The day a township credits a village: within the allowed days of the approval, or late.
    func creditDay(_ kind: DemoFundsPlan.Disbursement, random: inout SplitMix64) -> Int {
        let allowed = InspectionSettings.standard.disbursementDays
        switch kind {
        case .onTime, .short: return approvedDay + random.int(in: 2...(allowed - 8))
        case .late: return min(approvedDay + allowed + random.int(in: 15...40), elapsedDays - 30)
        }
    }
}

/// Which village gets which fault, by its place in code order. The first village — the demo
/// logins' — keeps clean books; the faults sit at fixed places from the end and every 40th
/// village, so every scale has each of them.
struct DemoFundsPlan: Sendable {
    enum Disbursement { case onTime, late, short }
    enum Spending { case normal, idle }
    /// A claim fault planted in a village's own claims.
    enum Planted { case officialPayee, officeSupplies, missingNotice }

    let count: Int
    let lateAllowed: Bool

    init(villages: [AdminUnit], calendar: DemoFundsCalendar) {
        count = villages.count
        // A late credit needs the deadline well behind today.
        lateAllowed =
            calendar.elapsedDays - 30 > calendar.approvedDay + InspectionSettings.standard.disbursementDays + 1
    }

    func disbursement(of index: Int) -> Disbursement {
        if index == count - 2 { return .short }
        if lateAllowed && (index == count - 3 || (index % 40 == 17 && index < count - 3)) { return .late }
        return .onTime
    }

    func spending(of index: Int) -> Spending { index == count - 1 ? .idle : .normal }

    func planted(at index: Int) -> [Planted] {
        var planted: [Planted] = []
        if index == 1 { planted.append(.officialPayee) }
        if index == 2 % count || index % 50 == 27 { planted.append(.officeSupplies) }
        if index == 3 % count { planted.append(.missingNotice) }
        return planted
    }

    /// The village whose posted claim is migrated again with one of its invoices (R5): the one
    /// after the first, so that both are ordinary villages.
    var duplicateFrom: Int { 1 }
    var duplicateInto: Int { count > 5 ? 4 : 0 }
}
