import Foundation
import Testing

@testable import YunweiDomain

/// One village's January and February: ¥10,000 disbursed; claim 1 (¥1,200) posted in January;
/// claim 2 (¥800) posted at 2026-01-31T17:00Z, which is already February 1 in Shanghai; claim 1
/// reversed in February; claim 3 (¥500) reserved in February and still open.
@Suite("Statements 对账单 and the township summary")
struct LedgerStatementTests {
    let village = LedgerFixtures.village
    let entries: [LedgerEntry]
    let reservations: [Reservation]

    init() throws {
        let village = LedgerFixtures.village
        let at = LedgerFixtures.at
        let disbursement = try LedgerEntry.disbursement(
            village: village, amount: Money(yuan: 10_000), date: at("2026-01-10T02:00:00Z"), disbursement: 1,
            memo: "拨付2026年一季度运维补助资金"
        ).stored(as: 1)
        let claim1 = try LedgerEntry.claimPosting(
            claim: 1, village: village, category: .infrastructure, amount: Money(yuan: 1_200),
            date: at("2026-01-20T06:00:00Z"), memo: "修补村道坑洼"
        ).stored(as: 2)
        let claim2 = try LedgerEntry.claimPosting(
            claim: 2, village: village, category: .life, amount: Money(yuan: 800), date: at("2026-01-31T17:00:00Z"),
            memo: "农家书屋图书"
        ).stored(as: 3)
        let reversal = try LedgerEntry.reversal(
            of: claim1, date: at("2026-02-10T03:00:00Z"), memo: "冲销：修补村道坑洼（发票有误）"
        ).stored(as: 4)
        entries = [reversal, claim2, disbursement, claim1]  // in no particular order
        reservations = [
            try Reservation(
                claim: 2, village: village, amount: Money(yuan: 800), reservedAt: at("2026-01-25T02:00:00Z")
            ).posted(at: at("2026-01-31T17:00:00Z")),
            Reservation(claim: 3, village: village, amount: Money(yuan: 500), reservedAt: at("2026-02-05T02:00:00Z")),
        ]
    }

    func statement(_ account: LedgerAccount, _ from: String, _ to: String) throws -> LedgerStatement {
        try LedgerStatement(
            account: account, entries: entries, reservations: reservations, from: LedgerFixtures.day(from),
            to: LedgerFixtures.day(to))
    }

    @Test("January's fund statement stops at the Shanghai month end, before the claim posted at 17:00 UTC on the 31st")
    func january() throws {
        let january = try statement(.specialPayable(of: village), "2026-01-01", "2026-02-01")
        #expect(january.opening == .zero)
        #expect(january.rows.map(\.entryID) == [1, 2])
        #expect(january.rows.map(\.credit) == [Money(yuan: 10_000), .zero])
        #expect(january.rows.map(\.debit) == [.zero, Money(yuan: 1_200)])
        #expect(january.rows.map(\.balance) == [Money(yuan: 10_000), Money(yuan: 8_800)])
        #expect(january.inflow == Money(yuan: 10_000))
        #expect(january.outflow == Money(yuan: 1_200))
        #expect(january.closing == Money(yuan: 8_800))
        // Claim 2 was still reserved when January ended in Shanghai (16:00 UTC).
        #expect(january.openReservations.map(\.claim) == [2])
        #expect(january.reserved == Money(yuan: 800))
        #expect(january.available == Money(yuan: 8_000))
    }

    @Test("February opens with January's closing balance and carries the reversal as a movement of its own")
    func february() throws {
        let february = try statement(.specialPayable(of: village), "2026-02-01", "2026-03-01")
        #expect(february.opening == Money(yuan: 8_800))
        #expect(february.rows.map(\.entryID) == [3, 4])
        #expect(february.rows.first?.accountingDate == LedgerFixtures.day("2026-02-01"))
        #expect(february.rows.map(\.balance) == [Money(yuan: 8_000), Money(yuan: 9_200)])
        #expect(february.inflow == Money(yuan: 1_200))
        #expect(february.outflow == Money(yuan: 800))
        #expect(february.closing == Money(yuan: 9_200))
        #expect(february.closing == february.opening + february.inflow - february.outflow)
        #expect(february.openReservations.map(\.claim) == [3])
        #expect(february.available == Money(yuan: 8_700))
    }

    @Test("the two months together equal one statement over both")
    func monthsChain() throws {
        let both = try statement(.specialPayable(of: village), "2026-01-01", "2026-03-01")
        #expect(both.opening == .zero)
        #expect(both.rows.map(\.entryID) == [1, 2, 3, 4])
        #expect(both.closing == Money(yuan: 9_200))
    }

    @Test("the bank account's statement is debit-normal and moves with the fund when claims are paid directly")
    func bankStatement() throws {
        let bank = try statement(.bank(of: village), "2026-01-01", "2026-03-01")
        #expect(bank.rows.map(\.debit) == [Money(yuan: 10_000), .zero, .zero, Money(yuan: 1_200)])
        #expect(
            bank.rows.map(\.balance) == [
                Money(yuan: 10_000), Money(yuan: 8_800), Money(yuan: 8_000), Money(yuan: 9_200),
            ])
    }

    @Test("a balance carried from entries not given opens the period exactly as those entries would")
    func carriedBalance() throws {
        let from = LedgerFixtures.day("2026-02-01")
        let to = LedgerFixtures.day("2026-03-01")
        let account = LedgerAccount.specialPayable(of: village)
        let whole = try statement(account, "2026-02-01", "2026-03-01")
        let before = entries.filter { $0.accountingDate < from }
        let carried = account.balance(in: before, before: from)
        let period = try LedgerStatement(
            account: account, entries: entries.filter { $0.accountingDate >= from }, reservations: reservations,
            from: from, to: to, carried: carried)
        #expect(carried == Money(yuan: 8_800))
        #expect(period.opening == whole.opening)
        #expect(period.rows == whole.rows)
        #expect(period.closing == whole.closing)
        #expect(period.availability == whole.availability)

        let summary = try LedgerSummary(
            villages: [village], entries: entries.filter { $0.accountingDate >= from }, reservations: reservations,
            from: from, to: to, carried: [village: carried])
        let full = try LedgerSummary(
            villages: [village], entries: entries, reservations: reservations, from: from, to: to)
        #expect(summary.rows == full.rows)
    }

    @Test("a period that does not end after it starts is refused")
    func reversedPeriod() {
        #expect(throws: FundIssue.periodReversed) { try statement(.bank(of: village), "2026-02-01", "2026-02-01") }
    }

    @Test("the township summary lists every village, quiet ones too, and its totals are the sums of the villages")
    func townshipSummary() throws {
        let neighbour = LedgerFixtures.neighbour
        let at = LedgerFixtures.at
        let more = [
            try LedgerEntry.disbursement(
                village: neighbour, amount: Money(yuan: 6_000), date: at("2026-01-15T02:00:00Z"), disbursement: 2,
                memo: "拨付"),
            try LedgerEntry.payrollPosting(
                batch: 1, village: neighbour, amount: Money(yuan: 1_500), date: at("2026-02-03T02:00:00Z"),
                memo: "1月管护员劳务报酬"),
        ]
        let held = Reservation(
            claim: 8, village: neighbour, amount: Money(yuan: 5_000), reservedAt: at("2026-02-04T02:00:00Z"))
        let summary = try LedgerSummary(
            villages: [neighbour, village, LedgerFixtures.quietVillage, village], entries: entries + more,
            reservations: reservations + [held], from: LedgerFixtures.day("2026-02-01"),
            to: LedgerFixtures.day("2026-03-01"))

        #expect(summary.rows.map(\.village) == [village, neighbour, LedgerFixtures.quietVillage])
        let neighbourFigures = summary.rows[1].figures
        #expect(neighbourFigures.opening == Money(yuan: 6_000))
        #expect(neighbourFigures.outflow == Money(yuan: 1_500))
        #expect(neighbourFigures.closing == Money(yuan: 4_500))
        // Reserved beyond the balance: this village contributes nothing available, not a negative.
        #expect(neighbourFigures.available == .zero)
        #expect(summary.rows[2].figures == LedgerSummary.Figures())

        let figures = summary.rows.map(\.figures)
        #expect(summary.total.opening == figures.reduce(.zero) { $0 + $1.opening })
        #expect(summary.total.inflow == figures.reduce(.zero) { $0 + $1.inflow })
        #expect(summary.total.outflow == figures.reduce(.zero) { $0 + $1.outflow })
        #expect(summary.total.closing == figures.reduce(.zero) { $0 + $1.closing })
        #expect(summary.total.reserved == figures.reduce(.zero) { $0 + $1.reserved })
        #expect(summary.total.available == figures.reduce(.zero) { $0 + $1.available })
        #expect(summary.total.closing == Money(yuan: 9_200 + 4_500))
        #expect(summary.total.available == Money(yuan: 8_700))
    }
}
