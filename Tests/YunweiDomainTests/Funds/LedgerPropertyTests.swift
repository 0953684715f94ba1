import Foundation
import Testing

@testable import YunweiDomain

/// Random histories of one county's fund, made only of what the ledger allows: funding,
/// disbursements, claims reserved then posted or released, payrolls posted then paid, and
/// reversals of any of them. Whatever happens, the books must balance and every statement must
/// add up.
@Suite("The ledger over random histories")
struct LedgerPropertyTests {
    static let villages = [LedgerFixtures.village, LedgerFixtures.neighbour, LedgerFixtures.quietVillage]
    static let start = LedgerFixtures.at("2025-12-31T16:00:00Z")  // 2026-01-01 in Shanghai

    /// One seeded history and the reservations it left.
    struct History {
        var entries: [LedgerEntry] = []
        var reservations: [Reservation] = []
        var payrollsToPay: [LedgerEntry] = []
        /// Reservations refused for want of money: the rule was put to the test.
        var refusals = 0
        var now = LedgerPropertyTests.start
        var rng: SplitMix64
        private var nextID: Int64 = 1

        init(seed: UInt64) { rng = SplitMix64(seed: seed) }

        mutating func store(_ entry: LedgerEntry) {
            entries.append(entry.stored(as: nextID))
            nextID += 1
        }

        mutating func fen(upTo limit: Int64) -> Money {
            Money(fen: Int64(rng.int(in: 1...Int(max(1, limit)))))
        }

        mutating func pickIndex<T>(_ items: [T]) -> Int? {
            items.isEmpty ? nil : rng.int(in: 0...(items.count - 1))
        }

        /// One step of the history at a later instant, checking the available-balance rule on the way.
        mutating func step() throws {
            now = now.addingTimeInterval(TimeInterval(rng.int(in: 60...(40 * 3600))))
            let village = LedgerPropertyTests.villages[rng.int(in: 0...2)]
            let balance = AvailableBalance(village: village, entries: entries, reservations: reservations)
            #expect(balance.available >= .zero)
            #expect(balance.available == max(.zero, balance.balance - balance.reserved))
            let open = reservations.indices.filter { reservations[$0].isOpen }

            switch rng.pick(weights: [3, 5, 4, 2, 2, 2, 2]) {
            case 0:
                store(
                    try .disbursement(
                        village: village, amount: fen(upTo: 2_000_000), date: now, disbursement: Int64(entries.count),
                        memo: "拨付"))
            case 1:
                let amount = fen(upTo: balance.balance.fen + 50_000)
                let claim = Int64(reservations.count + 1)
                if amount <= balance.available {
                    reservations.append(try balance.reserve(amount, for: claim, at: now))
                } else {
                    #expect(throws: FundIssue.insufficient(available: balance.available, requested: amount)) {
                        try balance.reserve(amount, for: claim, at: now)
                    }
                    refusals += 1
                }
            case 2:
                guard let index = pickIndex(open).map({ open[$0] }) else { return }
                let held = reservations[index]
                reservations[index] = try held.posted(at: now)
                #expect(throws: FundIssue.reservationClosed(.posted)) { try reservations[index].released(at: now) }
                let category = SpendingCategory.allCases[rng.int(in: 0...(SpendingCategory.allCases.count - 1))]
                store(
                    try .claimPosting(
                        claim: held.claim, village: held.village, category: category, amount: held.amount, date: now,
                        memo: "报账"))
            case 3:
                guard let index = pickIndex(open).map({ open[$0] }) else { return }
                reservations[index] = try reservations[index].released(at: now)
                #expect(throws: FundIssue.reservationClosed(.released)) { try reservations[index].posted(at: now) }
            case 4:
                let amount = fen(upTo: 300_000)
                guard (try? balance.requireCovers(amount)) != nil else { return }
                let posting = try LedgerEntry.payrollPosting(
                    batch: Int64(entries.count), village: village, amount: amount, date: now, memo: "管护员劳务报酬")
                store(posting)
                payrollsToPay.append(posting)
            case 5:
                guard let index = pickIndex(payrollsToPay) else { return }
                let posting = payrollsToPay.remove(at: index)
                store(
                    try .payrollPayment(
                        batch: posting.source.id, village: posting.units.first!, amount: posting.amount, date: now,
                        memo: "一折通发放"))
            default:
                let reversible = entries.filter { original in
                    original.reverses == nil && !entries.contains { $0.reverses == original.id }
                }
                guard let index = pickIndex(reversible) else { return }
                store(try .reversal(of: reversible[index], date: now, memo: "冲销"))
            }
        }

        /// A Shanghai day somewhere between the start and a little after the last entry.
        mutating func randomDay() -> StatisticsPeriod.Day {
            let span = Int(now.timeIntervalSince(LedgerPropertyTests.start)) + 5 * 86_400
            return StatisticsPeriod.day(
                of: LedgerPropertyTests.start.addingTimeInterval(TimeInterval(rng.int(in: 0...span))))
        }
    }

    func history(seed: UInt64) throws -> History {
        var history = History(seed: seed)
        history.store(
            try .poolFunding(
                county: LedgerFixtures.county, amount: Money(yuan: 1_000_000), date: history.now, allocation: 1,
                memo: "资金入池"))
        for _ in 0..<120 { try history.step() }
        return history
    }

    @Test("the random histories take every kind of step, refusals and reversals included")
    func historiesAreRich() throws {
        let histories = try (1...30 as ClosedRange<UInt64>).map { try history(seed: $0) }
        let entries = histories.flatMap(\.entries)
        let reservations = histories.flatMap(\.reservations)
        let reversed = entries.filter { $0.reverses != nil }
        #expect(histories.map(\.entries.count).min()! > 30, "\(histories.map(\.entries.count))")
        #expect(histories.reduce(0) { $0 + $1.refusals } > 30)
        #expect(reservations.contains { $0.state == .posted } && reservations.contains { $0.state == .released })
        #expect(reservations.contains { $0.isOpen })
        for kind in LedgerSource.Kind.allCases where kind != .allocation {
            #expect(reversed.contains { $0.source.kind == kind }, "a reversed \(kind)")
        }
        #expect(entries.contains { $0.lines.contains { $0.account.kind == .payable && $0.side == .debit } })
    }

    @Test(
        "debits equal credits over all accounts and within every unit's books", arguments: 1...30 as ClosedRange<UInt64>
    )
    func booksBalance(seed: UInt64) throws {
        let entries = try history(seed: seed).entries
        let trial = LedgerTrialBalance(entries: entries)
        #expect(trial.isBalanced)
        #expect(trial.debits == entries.reduce(.zero) { $0 + $1.amount })
        let units = Dictionary(grouping: trial.accounts, by: \.key.unit)
        for (unit, accounts) in units {
            let debits = accounts.reduce(Money.zero) { $0 + $1.value.debit }
            let credits = accounts.reduce(Money.zero) { $0 + $1.value.credit }
            #expect(debits == credits, "books of \(unit)")
        }

        let county = LedgerFixtures.county
        #expect(
            trial.balance(of: .pool(of: county)) + trial.balance(of: .disbursed(of: county))
                == trial.balance(of: .fund(of: county)))
        for village in Self.villages {
            // The bank holds what is left of the fund plus what is owed to caretakers.
            #expect(
                trial.balance(of: .bank(of: village))
                    == trial.balance(of: .specialPayable(of: village)) + trial.balance(of: .payable(of: village)))
            // Whatever the fund paid for was recognized as income of the same amount.
            let expenses = SpendingCategory.allCases.reduce(Money.zero) {
                $0 + trial.balance(of: .expense($1, of: village))
            }
            #expect(expenses == trial.balance(of: .subsidyIncome(of: village)))
        }
    }

    @Test(
        "every statement closes at opening + in − out, row by row, and consecutive periods chain",
        arguments: 1...30 as ClosedRange<UInt64>)
    func statementsAddUp(seed: UInt64) throws {
        var history = try history(seed: seed)
        let entries = history.entries
        let accounts = Set(entries.flatMap(\.lines).map(\.account)).sorted()
        for _ in 0..<6 {
            let days = [history.randomDay(), history.randomDay(), history.randomDay()].sorted()
            guard days[0] < days[1], days[1] < days[2] else { continue }
            for account in accounts {
                let first = try LedgerStatement(
                    account: account, entries: entries, reservations: history.reservations, from: days[0], to: days[1])
                let second = try LedgerStatement(
                    account: account, entries: entries, reservations: history.reservations, from: days[1], to: days[2])
                for statement in [first, second] {
                    #expect(statement.closing == statement.opening + statement.inflow - statement.outflow)
                    #expect(statement.closing == account.balance(in: entries, before: statement.to))
                    let changes = statement.rows.map {
                        account.normalSide == .debit ? $0.debit - $0.credit : $0.credit - $0.debit
                    }
                    let running = changes.reduce(into: [statement.opening]) { $0.append($0.last! + $1) }
                    #expect(statement.rows.map(\.balance) == Array(running.dropFirst()))
                    #expect(running.last == statement.closing)
                    #expect(
                        statement.rows.allSatisfy {
                            statement.from <= $0.accountingDate && $0.accountingDate < statement.to
                        })
                    #expect(statement.available >= .zero)
                }
                #expect(first.closing == second.opening)
            }

            let summary = try LedgerSummary(
                villages: Self.villages, entries: entries, reservations: history.reservations, from: days[0],
                to: days[2])
            let figures = summary.rows.map(\.figures)
            #expect(summary.total.closing == figures.reduce(.zero) { $0 + $1.closing })
            #expect(summary.total.available == figures.reduce(.zero) { $0 + $1.available })
            #expect(summary.total.closing == summary.total.opening + summary.total.inflow - summary.total.outflow)
        }
    }
}
