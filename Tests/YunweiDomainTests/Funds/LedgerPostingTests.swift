import Foundation
import Testing

@testable import YunweiDomain

@Suite("Standard postings of the fund")
struct LedgerPostingTests {
    let village = LedgerFixtures.village
    let county = LedgerFixtures.county
    let date = LedgerFixtures.at("2026-03-02T03:00:00Z")

    @Test("funding the pool from an approved allocation touches only the county's books")
    func poolFunding() throws {
        let entry = try LedgerEntry.poolFunding(
            county: county, amount: Money(yuan: 300_000), date: date, allocation: 2, memo: "2026年度补助资金入池")
        #expect(entry.source == .allocation(2))
        #expect(entry.units == [county])
        #expect(entry.change(of: .pool(of: county)) == Money(yuan: 300_000))
        #expect(entry.change(of: .fund(of: county)) == Money(yuan: 300_000))
    }

    @Test("a disbursement draws on the county pool and reaches the village's bank as fund not yet used")
    func disbursement() throws {
        let entry = try LedgerEntry.disbursement(
            village: village, amount: Money(yuan: 10_000), date: date, disbursement: 4, memo: "拨付一季度运维资金")
        #expect(entry.units == [county, village])
        #expect(entry.change(of: .pool(of: county)) == Money(yuan: -10_000))
        #expect(entry.change(of: .disbursed(of: county)) == Money(yuan: 10_000))
        #expect(entry.change(of: .bank(of: village)) == Money(yuan: 10_000))
        #expect(entry.change(of: .specialPayable(of: village)) == Money(yuan: 10_000))
        #expect(entry.change(of: .subsidyIncome(of: village)) == .zero)
    }

    @Test(
        "a claim charges its category's expense, pays from the bank and uses as much of the fund",
        arguments: SpendingCategory.allCases)
    func claim(category: SpendingCategory) throws {
        let entry = try LedgerEntry.claimPosting(
            claim: 12, village: village, category: category, amount: Money(fen: 88_050), date: date, memo: "报账")
        #expect(entry.source == .claim(12))
        #expect(entry.change(of: .expense(category, of: village)) == Money(fen: 88_050))
        #expect(entry.change(of: .bank(of: village)) == Money(fen: -88_050))
        #expect(entry.change(of: .specialPayable(of: village)) == Money(fen: -88_050))
        #expect(entry.change(of: .subsidyIncome(of: village)) == Money(fen: 88_050))
    }

    @Test("a payroll is owed to the caretakers until the bank pays it")
    func payroll() throws {
        let posting = try LedgerEntry.payrollPosting(
            batch: 3, village: village, amount: Money(yuan: 1_800), date: date, memo: "3月管护员劳务报酬")
        #expect(posting.change(of: .expense(.labour, of: village)) == Money(yuan: 1_800))
        #expect(posting.change(of: .payable(of: village)) == Money(yuan: 1_800))
        #expect(posting.change(of: .specialPayable(of: village)) == Money(yuan: -1_800))
        #expect(posting.change(of: .bank(of: village)) == .zero)

        let payment = try LedgerEntry.payrollPayment(
            batch: 3, village: village, amount: Money(yuan: 1_800), date: date, memo: "一折通发放")
        #expect(payment.change(of: .payable(of: village)) == Money(yuan: -1_800))
        #expect(payment.change(of: .bank(of: village)) == Money(yuan: -1_800))
    }

    @Test("a posting of nothing or less is refused on the amount field", arguments: [Int64(0), -100])
    func nonPositiveAmount(fen: Int64) {
        let amount = Money(fen: fen)
        #expect(throws: FundIssue.amountNotPositive(amount)) {
            try LedgerEntry.disbursement(village: village, amount: amount, date: date, disbursement: 1, memo: "拨付")
        }
        #expect(throws: FundIssue.amountNotPositive(amount)) {
            try LedgerEntry.claimPosting(
                claim: 1, village: village, category: .life, amount: amount, date: date, memo: "报账")
        }
    }
}
