/// The problems the special ledger refuses, as catalog keys of `Resources/Localization/funds-ledger.json`.
/// Amounts in the arguments are formatted money (`¥1,234.56`); arguments that are themselves
/// catalog keys (`reservation_state.…`) are shown translated.
extension FundIssue {
    /// 摘要 is blank: a voucher without it says nothing about what happened.
    static let memoRequired = FundIssue(field: "memo", key: "ledger.error.memo_required")

    /// An entry of fewer than two lines cannot be a double entry.
    static func tooFewLines(_ count: Int) -> FundIssue {
        FundIssue(field: "lines", key: "ledger.error.too_few_lines", args: ["count": String(count)])
    }

    /// A line with a negative amount on either side.
    static func lineNegative(_ index: Int) -> FundIssue {
        FundIssue(field: "lines.\(index)", key: "ledger.error.line_negative")
    }

    /// A line with an amount on both sides.
    static func lineBothSides(_ index: Int) -> FundIssue {
        FundIssue(field: "lines.\(index)", key: "ledger.error.line_both_sides")
    }

    /// A line with no amount at all.
    static func lineEmpty(_ index: Int) -> FundIssue {
        FundIssue(field: "lines.\(index)", key: "ledger.error.line_empty")
    }

    /// The lines' totals do not fit in the range of fen: no real entry is this large.
    static let tooLarge = FundIssue(field: "lines", key: "ledger.error.too_large")

    /// Debits and credits differ.
    static func unbalanced(debits: Money, credits: Money) -> FundIssue {
        FundIssue(
            field: "lines", key: "ledger.error.unbalanced",
            args: ["debits": debits.formatted, "credits": credits.formatted])
    }

    /// The entry balances as a whole, but not within the books of one unit: the county and a
    /// village, or two villages, would lend each other money through it.
    static func unbalancedBook(_ unit: UnitCode, debits: Money, credits: Money) -> FundIssue {
        FundIssue(
            field: "lines", key: "ledger.error.unbalanced_book",
            args: ["unit": unit.rawValue, "debits": debits.formatted, "credits": credits.formatted])
    }

    /// A posting, reservation or payment of zero or less.
    static func amountNotPositive(_ amount: Money) -> FundIssue {
        FundIssue(field: "amount", key: "ledger.error.amount_not_positive", args: ["amount": amount.formatted])
    }

    /// Only an entry the ledger holds can be reversed.
    static let notStored = FundIssue(field: "entry", key: "ledger.error.not_stored")

    /// A reversal is corrected by posting the right entry again, not by reversing it.
    static let reversalOfReversal = FundIssue(field: "entry", key: "ledger.error.reversal_of_reversal")

    /// A reversal dated before the entry it reverses.
    static func reversalBeforeOriginal(_ original: StatisticsPeriod.Day) -> FundIssue {
        FundIssue(field: "date", key: "ledger.error.reversal_before_original", args: ["date": original.description])
    }

    /// A statement period whose end is not after its start.
    static let periodReversed = FundIssue(field: "to", key: "ledger.error.period_reversed")

    /// Reserving or spending more than is available.
    static func insufficient(available: Money, requested: Money) -> FundIssue {
        FundIssue(
            field: "amount", key: "ledger.error.insufficient",
            args: ["available": available.formatted, "requested": requested.formatted])
    }

    /// Posting or releasing a reservation that is no longer reserved.
    static func reservationClosed(_ state: ReservationState) -> FundIssue {
        FundIssue(
            field: "reservation", key: "ledger.error.reservation_closed", args: ["state": state.nameKey])
    }
}
