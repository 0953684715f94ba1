/// 试算平衡表 — the debit and credit totals of every account over a set of entries. Because each
/// entry balances, the totals over all accounts balance too, whatever the entries; a trial
/// balance that does not balance means stored lines were changed outside the ledger.
public struct LedgerTrialBalance: Hashable, Sendable {
    /// An account's 借方发生额 and 贷方发生额.
    public struct Totals: Hashable, Sendable {
        /// The account's debits.
        public var debit = Money.zero
        /// The account's credits.
        public var credit = Money.zero
    }

    /// Every account with at least one line.
    public let accounts: [LedgerAccount: Totals]

    /// The totals of `entries`, all of them.
    public init(entries: [LedgerEntry]) {
        var accounts: [LedgerAccount: Totals] = [:]
        for line in entries.lazy.flatMap(\.lines) {
            accounts[line.account, default: Totals()].debit += line.debit
            accounts[line.account, default: Totals()].credit += line.credit
        }
        self.accounts = accounts
    }

    /// The debits of all accounts.
    public var debits: Money { accounts.values.reduce(.zero) { $0 + $1.debit } }

    /// The credits of all accounts.
    public var credits: Money { accounts.values.reduce(.zero) { $0 + $1.credit } }

    /// Whether debits equal credits 试算平衡.
    public var isBalanced: Bool { debits == credits }

    /// The balance of `account` on its normal side; zero for an account without lines.
    public func balance(of account: LedgerAccount) -> Money {
        let totals = accounts[account] ?? Totals()
        return account.normalSide == .debit ? totals.debit - totals.credit : totals.credit - totals.debit
    }
}
