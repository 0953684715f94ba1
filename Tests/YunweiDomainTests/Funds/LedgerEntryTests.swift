import Foundation
import Testing

@testable import YunweiDomain

@Suite("Journal entries 记账凭证")
struct LedgerEntryTests {
    let bank = LedgerAccount.bank(of: LedgerFixtures.village)
    let fund = LedgerAccount.specialPayable(of: LedgerFixtures.village)
    let date = LedgerFixtures.at("2026-01-10T02:00:00Z")

    @Test("an entry whose debits and credits differ is refused with both totals")
    func unbalancedIsRefused() {
        #expect(throws: FundIssue.unbalanced(debits: Money(yuan: 100), credits: Money(yuan: 90))) {
            try LedgerEntry(
                date: date, memo: "拨付", source: .disbursement(1),
                lines: [.debit(bank, Money(yuan: 100)), .credit(fund, Money(yuan: 90))])
        }
        let issue = FundIssue.unbalanced(debits: Money(yuan: 100), credits: Money(yuan: 90))
        #expect(issue.args == ["debits": "¥100.00", "credits": "¥90.00"])
    }

    @Test("an entry of a single line is refused")
    func singleLineIsRefused() {
        #expect(throws: FundIssue.tooFewLines(1)) {
            try LedgerEntry(date: date, memo: "拨付", source: .disbursement(1), lines: [.debit(bank, Money(yuan: 1))])
        }
    }

    @Test(
        "a line must be on one side with a positive amount",
        arguments: [
            (
                LedgerLine(account: .bank(of: LedgerFixtures.village), debit: Money(fen: 5), credit: Money(fen: 5)),
                "ledger.error.line_both_sides"
            ),
            (
                LedgerLine(account: .bank(of: LedgerFixtures.village), debit: Money(fen: -5)),
                "ledger.error.line_negative"
            ),
            (LedgerLine(account: .bank(of: LedgerFixtures.village)), "ledger.error.line_empty"),
        ])
    func malformedLineIsRefused(line: LedgerLine, key: String) {
        let lines = [.credit(fund, Money(fen: 5)), line]
        #expect(LedgerEntry.issues(memo: "拨付", lines: lines) == [FundIssue(field: "lines.1", key: key)])
        #expect(throws: FundIssue(field: "lines.1", key: key)) {
            try LedgerEntry(date: date, memo: "拨付", source: .disbursement(1), lines: lines)
        }
    }

    @Test("a form keying a voucher learns every problem at once")
    func everyIssueAtOnce() {
        let issues = LedgerEntry.issues(
            memo: "  ", lines: [.debit(bank, Money(fen: -1)), LedgerLine(account: fund)])
        #expect(
            issues.map(\.key) == [
                "ledger.error.memo_required", "ledger.error.line_negative", "ledger.error.line_empty",
            ])
        #expect(issues.map(\.field) == ["memo", "lines.0", "lines.1"])
    }

    @Test("an entry that balances only by lending between two villages is refused")
    func booksBalanceByThemselves() {
        let neighbourBank = LedgerAccount.bank(of: LedgerFixtures.neighbour)
        #expect(throws: FundIssue.unbalancedBook(LedgerFixtures.village, debits: Money(yuan: 50), credits: .zero)) {
            try LedgerEntry(
                date: date, memo: "串户", source: .claim(9),
                lines: [.debit(bank, Money(yuan: 50)), .credit(neighbourBank, Money(yuan: 50))])
        }
    }

    @Test("amounts too large to add up are refused instead of trapping")
    func overflowIsRefused() {
        let huge = Money(fen: .max)
        #expect(throws: FundIssue.tooLarge) {
            try LedgerEntry(
                date: date, memo: "错误", source: .claim(1),
                lines: [.debit(bank, huge), .debit(bank, huge), .credit(fund, huge), .credit(fund, huge)])
        }
    }

    @Test("the accounting date is the Shanghai day of the posting instant")
    func accountingDateIsShanghai() throws {
        let lateEvening = try LedgerEntry.disbursement(
            village: LedgerFixtures.village, amount: Money(yuan: 1), date: LedgerFixtures.at("2026-01-31T17:00:00Z"),
            disbursement: 1, memo: "拨付")
        #expect(lateEvening.accountingDate == LedgerFixtures.day("2026-02-01"))
        let afternoon = try LedgerEntry.disbursement(
            village: LedgerFixtures.village, amount: Money(yuan: 1), date: LedgerFixtures.at("2026-01-31T15:59:59Z"),
            disbursement: 1, memo: "拨付")
        #expect(afternoon.accountingDate == LedgerFixtures.day("2026-01-31"))
    }

    @Test("a reversal mirrors every line, so original and reversal net every account to zero")
    func reversalNetsToZero() throws {
        let original = try LedgerEntry.claimPosting(
            claim: 7, village: LedgerFixtures.village, category: .infrastructure, amount: Money(fen: 123_456),
            date: date, memo: "修补村道"
        ).stored(as: 41)
        let reversal = try LedgerEntry.reversal(
            of: original, date: LedgerFixtures.at("2026-02-03T01:00:00Z"), memo: "冲销：修补村道")

        #expect(reversal.reverses == 41)
        #expect(reversal.source == .claim(7))
        #expect(reversal.amount == original.amount)
        #expect(reversal.lines.map(\.account) == original.lines.map(\.account))
        #expect(zip(reversal.lines, original.lines).allSatisfy { $0.side == $1.side.opposite })
        let trial = LedgerTrialBalance(entries: [original, reversal])
        #expect(trial.isBalanced)
        for account in trial.accounts.keys {
            #expect(trial.balance(of: account) == .zero)
        }
    }

    @Test("only a stored entry can be reversed, and a reversal is not reversed again")
    func reversalNeedsAStoredOriginal() throws {
        let draft = try LedgerEntry.disbursement(
            village: LedgerFixtures.village, amount: Money(yuan: 10), date: date, disbursement: 3, memo: "拨付")
        #expect(throws: FundIssue.notStored) { try LedgerEntry.reversal(of: draft, date: date, memo: "冲销") }

        let reversal = try LedgerEntry.reversal(of: draft.stored(as: 1), date: date, memo: "冲销").stored(as: 2)
        #expect(throws: FundIssue.reversalOfReversal) {
            try LedgerEntry.reversal(of: reversal, date: date, memo: "冲销冲销")
        }
    }

    @Test("a reversal cannot be dated before the entry it corrects")
    func reversalIsNotBackdated() throws {
        let original = try LedgerEntry.disbursement(
            village: LedgerFixtures.village, amount: Money(yuan: 10), date: date, disbursement: 3, memo: "拨付"
        ).stored(as: 5)
        #expect(throws: FundIssue.reversalBeforeOriginal(LedgerFixtures.day("2026-01-10"))) {
            try LedgerEntry.reversal(of: original, date: LedgerFixtures.at("2026-01-09T00:00:00Z"), memo: "冲销")
        }
    }
}
