extension LedgerAccount {
    /// The account's balance on its normal side after `entries` — all of them, or only those
    /// with an accounting date before `day`: the balance at the start of that day.
    public func balance(in entries: [LedgerEntry], before day: StatisticsPeriod.Day? = nil) -> Money {
        entries.lazy
            .filter { entry in day.map { entry.accountingDate < $0 } ?? true }
            .flatMap(\.lines)
            .filter { $0.account == self }
            .reduce(.zero) { $0 + $1.balanceChange }
    }
}
