import Foundation

/// The standard postings of the fund (DOMAIN.md §4.3): allocation approved → pool funded;
/// disbursed to the village 拨付; spent by claims 报账 and caretakers' payrolls. Each returns
/// one entry whose lines balance within each unit's books; the server stores it with the
/// source document's state change, in one transaction.
///
/// | posting | county books | village books |
/// |---|---|---|
/// | `poolFunding` 资金入池 | Dr pool, Cr fund | — |
/// | `disbursement` 拨付 | Dr disbursed, Cr pool | Dr 102 银行存款, Cr 241 专项应付款 |
/// | `claimPosting` 报账 | — | Dr 551xx 其他支出, Cr 102; Dr 241, Cr 522 补助收入 |
/// | `payrollPosting` 工资入账 | — | Dr 55105 管护员劳务, Cr 202 应付款; Dr 241, Cr 522 |
/// | `payrollPayment` 工资发放 | — | Dr 202, Cr 102 |
///
/// A disbursement is received as a special payable, not as income: the village holds the money
/// for a fixed purpose and owes its use (or its return). Each use moves the used part from
/// 241 into 522, so 241 always holds what is left of the fund, and the income matches the
/// expense it paid. Under the township's 报账制 a claim is booked and paid in one act, so it
/// pays the bank directly; a payroll is approved first and paid by the bank file later, so it
/// goes through 202 until the bank pays.
extension LedgerEntry {
    /// 资金入池 — an approved allocation's total enters the county pool.
    public static func poolFunding(
        county: UnitCode, amount: Money, date: Date, allocation: Int64, memo: String
    ) throws(FundIssue) -> LedgerEntry {
        guard amount > .zero else { throw .amountNotPositive(amount) }
        return try LedgerEntry(
            date: date, memo: memo, source: .allocation(allocation),
            lines: [.debit(.pool(of: county), amount), .credit(.fund(of: county), amount)])
    }

    /// 拨付 — township finance credits `village` from the county pool: the pool passes the money
    /// down, and the village receives it in its fund bank account as fund not yet used.
    public static func disbursement(
        village: UnitCode, amount: Money, date: Date, disbursement: Int64, memo: String
    ) throws(FundIssue) -> LedgerEntry {
        guard amount > .zero else { throw .amountNotPositive(amount) }
        let county = LedgerAccount.county(of: village)
        return try LedgerEntry(
            date: date, memo: memo, source: .disbursement(disbursement),
            lines: [
                .debit(.disbursed(of: county), amount), .credit(.pool(of: county), amount),
                .debit(.bank(of: village), amount), .credit(.specialPayable(of: village), amount),
            ])
    }

    /// 报账 — township finance books and pays a claim: the expense of its category is paid from
    /// the village's bank account, and as much of the fund is used.
    public static func claimPosting(
        claim: Int64, village: UnitCode, category: SpendingCategory, amount: Money, date: Date, memo: String
    ) throws(FundIssue) -> LedgerEntry {
        guard amount > .zero else { throw .amountNotPositive(amount) }
        return try LedgerEntry(
            date: date, memo: memo, source: .claim(claim),
            lines: [.debit(.expense(category, of: village), amount), .credit(.bank(of: village), amount)]
                + fundUse(village, amount))
    }

    /// 工资入账 — an approved payroll batch's lines for the caretakers of `village`, `amount`
    /// being their sum: labour expense owed to the caretakers, and as much of the fund used.
    public static func payrollPosting(
        batch: Int64, village: UnitCode, amount: Money, date: Date, memo: String
    ) throws(FundIssue) -> LedgerEntry {
        guard amount > .zero else { throw .amountNotPositive(amount) }
        return try LedgerEntry(
            date: date, memo: memo, source: .payrollBatch(batch),
            lines: [.debit(.expense(.labour, of: village), amount), .credit(.payable(of: village), amount)]
                + fundUse(village, amount))
    }

    /// 工资发放 — the bank has paid a posted payroll batch to the caretakers' passbooks 一折通.
    public static func payrollPayment(
        batch: Int64, village: UnitCode, amount: Money, date: Date, memo: String
    ) throws(FundIssue) -> LedgerEntry {
        guard amount > .zero else { throw .amountNotPositive(amount) }
        return try LedgerEntry(
            date: date, memo: memo, source: .payrollBatch(batch),
            lines: [.debit(.payable(of: village), amount), .credit(.bank(of: village), amount)])
    }

    /// The used part of the fund leaves 241 and is recognized as 522 补助收入.
    private static func fundUse(_ village: UnitCode, _ amount: Money) -> [LedgerLine] {
        [.debit(.specialPayable(of: village), amount), .credit(.subsidyIncome(of: village), amount)]
    }
}
