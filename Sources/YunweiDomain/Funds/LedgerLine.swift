/// One line of a journal entry 分录: an amount on one side of one account. A valid line has
/// exactly one side, with a positive amount; `LedgerEntry` refuses any other.
public struct LedgerLine: Hashable, Sendable {
    /// The account the amount is posted to.
    public let account: LedgerAccount
    /// 借方 in fen; zero on a credit line.
    public let debit: Money
    /// 贷方 in fen; zero on a debit line.
    public let credit: Money

    /// A line as stored, one row of the lines table. Validated by the entry that holds it.
    public init(account: LedgerAccount, debit: Money = .zero, credit: Money = .zero) {
        self.account = account
        self.debit = debit
        self.credit = credit
    }

    /// `amount` debited to `account`.
    public static func debit(_ account: LedgerAccount, _ amount: Money) -> LedgerLine {
        LedgerLine(account: account, debit: amount)
    }

    /// `amount` credited to `account`.
    public static func credit(_ account: LedgerAccount, _ amount: Money) -> LedgerLine {
        LedgerLine(account: account, credit: amount)
    }

    /// The side the amount is on.
    public var side: LedgerSide { debit != .zero ? .debit : .credit }

    /// The amount, whichever side it is on.
    public var amount: Money { side == .debit ? debit : credit }

    /// The same amount on the other side of the same account: a reversal's line.
    public var mirrored: LedgerLine { LedgerLine(account: account, debit: credit, credit: debit) }

    /// How the line moves its account's balance: up on the account's normal side, down on the
    /// other.
    public var balanceChange: Money { side == account.normalSide ? amount : -amount }
}
