import Foundation

/// A journal entry 记账凭证 of the special ledger: a dated, explained, balanced set of lines.
///
/// Entries are immutable. Constructing one checks that it is a double entry — at least two
/// lines, each on one side with a positive amount, debits equal to credits, and equal within the
/// books of every unit it touches, so that each unit's books balance by themselves and a
/// village's lines alone make a valid voucher. A mistake is corrected by `reversal(of:date:memo:)`,
/// never by changing or deleting the entry.
///
/// One entry is one row of the entries table; its lines are rows of the lines table, in order.
public struct LedgerEntry: Hashable, Sendable {
    /// The row id; nil until the entry is stored, see `stored(as:)`.
    public let id: Int64?
    /// The instant of posting, UTC.
    public let date: Date
    /// The accounting date 记账日期: the Asia/Shanghai day of `date`, by which entries fall into
    /// periods and vouchers into months.
    public let accountingDate: StatisticsPeriod.Day
    /// 摘要, trimmed.
    public let memo: String
    /// The document the entry was posted for; a reversal keeps its original's.
    public let source: LedgerSource
    /// For a reversal, the id of the entry it reverses.
    public let reverses: Int64?
    /// The lines 分录, at least two, in the order they were given.
    public let lines: [LedgerLine]

    /// A checked entry; throws the first problem of `issues(memo:lines:)`.
    public init(
        id: Int64? = nil, date: Date, memo: String, source: LedgerSource, lines: [LedgerLine], reverses: Int64? = nil
    ) throws(FundIssue) {
        if let issue = Self.issues(memo: memo, lines: lines).first { throw issue }
        self.id = id
        self.date = date
        self.accountingDate = StatisticsPeriod.day(of: date)
        self.memo = memo.trimmingCharacters(in: .whitespacesAndNewlines)
        self.source = source
        self.reverses = reverses
        self.lines = lines
    }

    /// Every reason why `memo` and `lines` do not make an entry, in the order a clerk would fix
    /// them; empty when they do. A form keying a voucher by hand shows them all at once.
    public static func issues(memo: String, lines: [LedgerLine]) -> [FundIssue] {
        var issues: [FundIssue] = []
        if memo.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { issues.append(.memoRequired) }
        if lines.count < 2 { issues.append(.tooFewLines(lines.count)) }
        for (index, line) in lines.enumerated() {
            if line.debit.isNegative || line.credit.isNegative {
                issues.append(.lineNegative(index))
            } else if line.debit != .zero && line.credit != .zero {
                issues.append(.lineBothSides(index))
            } else if line.debit == .zero && line.credit == .zero {
                issues.append(.lineEmpty(index))
            }
        }
        // Totals of malformed lines would only repeat the problems above in other words.
        guard issues.allSatisfy({ $0 == .memoRequired }) else { return issues }
        return issues + balanceIssues(lines)
    }

    /// Debits equal credits overall, and within each unit's books.
    private static func balanceIssues(_ lines: [LedgerLine]) -> [FundIssue] {
        guard let total = LineTotals(lines) else { return [.tooLarge] }
        if total.debits != total.credits { return [.unbalanced(debits: total.debits, credits: total.credits)] }
        let books = Dictionary(grouping: lines, by: \.account.unit)
        return books.keys.sorted().compactMap { unit in
            let book = LineTotals(books[unit]!)!
            return book.debits == book.credits ? nil : .unbalancedBook(unit, debits: book.debits, credits: book.credits)
        }
    }

    /// The entry's amount: its total debits, equal to its total credits.
    public var amount: Money { lines.filter { $0.side == .debit }.reduce(.zero) { $0 + $1.amount } }

    /// The units whose books the entry touches.
    public var units: Set<UnitCode> { Set(lines.map(\.account.unit)) }

    /// The same entry with the row id the database gave it.
    public func stored(as id: Int64) -> LedgerEntry {
        LedgerEntry(id: id, copying: self)
    }

    /// The correction of `original` 冲销: the same lines on the opposite sides, from the same
    /// source, dated when the correction is made (a closed month is never rewritten), so that
    /// the two together leave every account as it was.
    ///
    /// Refused for an entry not yet stored (nothing to reference), for a reversal (the right
    /// entry is posted again instead, so corrections never nest), and for a date before the
    /// original's.
    public static func reversal(of original: LedgerEntry, date: Date, memo: String) throws(FundIssue) -> LedgerEntry {
        guard let id = original.id else { throw .notStored }
        guard original.reverses == nil else { throw .reversalOfReversal }
        guard date >= original.date else { throw .reversalBeforeOriginal(original.accountingDate) }
        return try LedgerEntry(
            date: date, memo: memo, source: original.source, lines: original.lines.map(\.mirrored), reverses: id)
    }

    private init(id: Int64, copying entry: LedgerEntry) {
        self.id = id
        self.date = entry.date
        self.accountingDate = entry.accountingDate
        self.memo = entry.memo
        self.source = entry.source
        self.reverses = entry.reverses
        self.lines = entry.lines
    }
}

/// The debit and credit totals of some lines, or nil when they overflow 64 bits of fen.
private struct LineTotals {
    var debits = Money.zero
    var credits = Money.zero

    init?(_ lines: [LedgerLine]) {
        for line in lines {
            let (debits, debitOverflow) = debits.fen.addingReportingOverflow(line.debit.fen)
            let (credits, creditOverflow) = credits.fen.addingReportingOverflow(line.credit.fen)
            if debitOverflow || creditOverflow { return nil }
            self.debits = Money(fen: debits)
            self.credits = Money(fen: credits)
        }
    }
}
