import Foundation

/// 对账单 — one account's movements over a period of Shanghai days [`from`, `to`): the balance
/// brought forward, each entry with its running balance, the balance carried forward, and, for a
/// village's fund, what open reservations leave available at the end.
///
/// Balances are on the account's normal side, so `closing = opening + inflow − outflow`. The
/// village's fund statement is that of its 241 专项应付款; the statement of its 102 银行存款 is
/// the one reconciled with the bank's.
public struct LedgerStatement: Hashable, Sendable {
    /// One entry's movement on the account.
    public struct Row: Hashable, Sendable {
        /// The entry's row id, to link the row to its voucher.
        public let entryID: Int64?
        /// The Shanghai day the entry is booked on.
        public let accountingDate: StatisticsPeriod.Day
        /// The instant of posting.
        public let date: Date
        /// The entry's 摘要.
        public let memo: String
        /// The document the entry was posted for.
        public let source: LedgerSource
        /// The entry's debits to the account.
        public let debit: Money
        /// The entry's credits to the account.
        public let credit: Money
        /// The balance after this row.
        public let balance: Money
    }

    /// The account the statement is of.
    public let account: LedgerAccount
    /// The first day of the period.
    public let from: StatisticsPeriod.Day
    /// The first day after the period.
    public let to: StatisticsPeriod.Day
    /// 期初余额 — the balance at the start of `from`.
    public let opening: Money
    /// The period's entries touching the account, in posting order.
    public let rows: [Row]
    /// 本期增加 — the period's movements on the account's normal side.
    public let inflow: Money
    /// 本期减少 — the period's movements on the other side.
    public let outflow: Money
    /// 期末余额 — the balance at the start of `to`.
    public let closing: Money
    /// The reservations of the account's unit still open at the end of the period.
    public let openReservations: [Reservation]
    /// The closing balance and the open reservations, as what may still be reserved.
    public let availability: AvailableBalance

    /// The statement of `account` from the entries (any may be given; those of other accounts
    /// are skipped) and the reservations of its unit. Refused unless `to` is after `from`.
    ///
    /// `carried` is the account's balance from entries not given, all booked before `from` — what
    /// a database sums for the years before the period, so that only the period's entries need
    /// loading. The opening balance is `carried` plus the given entries booked before `from`.
    public init(
        account: LedgerAccount, entries: [LedgerEntry], reservations: [Reservation] = [],
        from: StatisticsPeriod.Day, to: StatisticsPeriod.Day, carried: Money = .zero
    ) throws(FundIssue) {
        guard from < to else { throw .periodReversed }
        self.account = account
        self.from = from
        self.to = to
        opening = carried + account.balance(in: entries, before: from)

        var balance = opening
        var rows: [Row] = []
        for entry in Self.inPostingOrder(entries) where from <= entry.accountingDate && entry.accountingDate < to {
            let lines = entry.lines.filter { $0.account == account }
            guard !lines.isEmpty else { continue }
            let change = lines.reduce(Money.zero) { $0 + $1.balanceChange }
            balance = balance + change
            rows.append(
                Row(
                    entryID: entry.id, accountingDate: entry.accountingDate, date: entry.date, memo: entry.memo,
                    source: entry.source, debit: lines.reduce(.zero) { $0 + $1.debit },
                    credit: lines.reduce(.zero) { $0 + $1.credit }, balance: balance))
        }
        self.rows = rows
        let normalDebit = account.normalSide == .debit
        inflow = rows.reduce(.zero) { $0 + (normalDebit ? $1.debit : $1.credit) }
        outflow = rows.reduce(.zero) { $0 + (normalDebit ? $1.credit : $1.debit) }
        closing = balance

        let end = to.start
        openReservations = reservations.filter { $0.village == account.unit && $0.isOpen(before: end) }
        // Judged at the end of the period: a reservation closed since then still counts.
        availability = AvailableBalance(
            village: account.unit, balance: closing, reserved: openReservations.reduce(.zero) { $0 + $1.amount })
    }

    /// The sum of the reservations open at the end.
    public var reserved: Money { availability.reserved }

    /// What is available at the end: closing less reserved, never negative.
    public var available: Money { availability.available }

    /// Entries by posting instant, then by row id, then as given: the order a ledger lists them.
    static func inPostingOrder(_ entries: [LedgerEntry]) -> [LedgerEntry] {
        entries.enumerated().sorted { lhs, rhs in
            let left = (lhs.element.date, lhs.element.id ?? .max, lhs.offset)
            let right = (rhs.element.date, rhs.element.id ?? .max, rhs.offset)
            return left < right
        }.map(\.element)
    }
}
