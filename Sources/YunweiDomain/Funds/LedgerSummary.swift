/// 乡镇专账汇总 — a township's villages side by side over one period: for each village's fund
/// (its 241 专项应付款) the opening balance, what came in, what went out, the closing balance,
/// the reservations open at the end and what remains available; and the totals.
///
/// Every total is the sum of the villages' figures, available included: a village's available
/// is never negative, so the total available is what the villages can still spend together,
/// not the total balance less the total reserved.
public struct LedgerSummary: Hashable, Sendable {
    /// One village's figures, or the totals.
    public struct Figures: Hashable, Sendable {
        /// 期初余额: the fund balance at the start of the period.
        public var opening = Money.zero
        /// 本期拨入: disbursements received, and reversed uses.
        public var inflow = Money.zero
        /// 本期使用: claims and payrolls posted, and reversed disbursements.
        public var outflow = Money.zero
        /// 期末余额: opening + inflow − outflow.
        public var closing = Money.zero
        /// The reservations open at the end of the period.
        public var reserved = Money.zero
        /// Closing less reserved, never negative.
        public var available = Money.zero

        /// All zero: a village without entries or reservations.
        public init() {}

        /// The figures of a village's fund statement.
        public init(_ statement: LedgerStatement) {
            opening = statement.opening
            inflow = statement.inflow
            outflow = statement.outflow
            closing = statement.closing
            reserved = statement.reserved
            available = statement.available
        }

        static func + (lhs: Figures, rhs: Figures) -> Figures {
            var sum = lhs
            sum.opening += rhs.opening
            sum.inflow += rhs.inflow
            sum.outflow += rhs.outflow
            sum.closing += rhs.closing
            sum.reserved += rhs.reserved
            sum.available += rhs.available
            return sum
        }
    }

    /// One village's line of the summary.
    public struct Row: Hashable, Sendable {
        /// The village, by its code.
        public let village: UnitCode
        /// Its fund's figures over the period.
        public let figures: Figures
    }

    /// The first day of the period.
    public let from: StatisticsPeriod.Day
    /// The first day after the period.
    public let to: StatisticsPeriod.Day
    /// The villages in code order, each once, also those without any entry.
    public let rows: [Row]
    /// The sums of the villages' figures.
    public let total: Figures

    /// The summary of `villages` from the township's entries and reservations, over the Shanghai
    /// days [`from`, `to`). Refused unless `to` is after `from`. `carried` holds each village's
    /// fund balance from entries not given, booked before `from` (see `LedgerStatement`).
    public init(
        villages: [UnitCode], entries: [LedgerEntry], reservations: [Reservation], from: StatisticsPeriod.Day,
        to: StatisticsPeriod.Day, carried: [UnitCode: Money] = [:]
    ) throws(FundIssue) {
        guard from < to else { throw .periodReversed }
        // Each village's statement reads only the entries touching its fund.
        var byVillage: [UnitCode: [LedgerEntry]] = [:]
        for entry in entries {
            for unit in Set(entry.lines.filter { $0.account.kind == .specialPayable }.map(\.account.unit)) {
                byVillage[unit, default: []].append(entry)
            }
        }
        var rows: [Row] = []
        for village in Set(villages).sorted() {
            let statement = try LedgerStatement(
                account: .specialPayable(of: village), entries: byVillage[village] ?? [],
                reservations: reservations, from: from, to: to, carried: carried[village] ?? .zero)
            rows.append(Row(village: village, figures: Figures(statement)))
        }
        self.from = from
        self.to = to
        self.rows = rows
        self.total = rows.reduce(Figures()) { $0 + $1.figures }
    }
}
