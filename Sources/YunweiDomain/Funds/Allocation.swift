/// 资金分配表 — one year's allocation by factors 因素法 (DOMAIN.md §4.2): what every village gets,
/// and why. Made only by `AllocationByFactors.allocate` (or decoded from a stored copy) and never
/// changed afterwards, so its amounts always add up to the pool to the fen.
public struct Allocation: Hashable, Sendable, Codable {
    public let year: Int
    /// 资金总额 T.
    public let pool: Money
    /// 保底 B, the same for every village.
    public let base: Money
    /// R = T − n·B, the part the factors share.
    public let sharedByFactors: Money
    public let weights: AllocationWeights
    /// How each factor was shared, in `AllocationFactor` order: the column headings of the table.
    public let columns: [FactorColumn]
    /// One row per village, by ascending unit code.
    public let rows: [AllocationRow]

    /// The row of `unit`, if it is in the allocation.
    public func row(for unit: UnitCode) -> AllocationRow? {
        let index = rows.partitioningIndex { $0.unit >= unit }
        return index < rows.count && rows[index].unit == unit ? rows[index] : nil
    }

    /// What the rows add up to — always the pool.
    public var total: Money { rows.reduce(.zero) { $0 + $1.amount } }
}

/// How one factor was shared across the villages: the column of the allocation table.
public struct FactorColumn: Hashable, Sendable, Codable {
    public let factor: AllocationFactor
    /// The factor's weight in millionths.
    public let weight: Int64
    /// How the villages' values became shares; `equal` when no village could be preferred.
    public let rule: ShareRule
    /// M, the largest value, for the inverse factor (income); nil for the others.
    public let largest: Int64?
    /// The denominator of every village's share: Σv, Σ(M − v), or the number of villages.
    public let total: Int64
    /// R·w — the money this factor shares out, before rounding.
    public let part: FenBeforeRounding
}

/// How a factor's values became shares.
public enum ShareRule: String, Hashable, Sendable, Codable {
    /// s = v / Σv: population, area, location, performance.
    case proportional
    /// s = (M − v) / Σ(M − v), M the largest value: collective income, so poorer villages get more.
    case belowLargest = "below_largest"
    /// s = 1 / n: every village has the same value (or every value is 0), so none can be preferred.
    case equal
}

/// One village's line of the allocation table.
public struct AllocationRow: Hashable, Sendable, Codable {
    public let unit: UnitCode
    /// The village's factor data as allocated: the raw values of every factor.
    public let factors: VillageFactors
    /// What the village gets, to the fen.
    public let amount: Money
    /// How `amount` came about, factor by factor.
    public let explanation: AllocationExplanation

    /// The village's exact share of `factor`.
    public func share(of factor: AllocationFactor) -> FactorShare { explanation.line(for: factor).share }

    /// What `factor` gives the village before rounding.
    public func contribution(of factor: AllocationFactor) -> FenBeforeRounding {
        explanation.line(for: factor).contribution
    }
}

/// Why a village gets its amount, as a page explains it: the base, then one line per factor
/// (value, total, share, weight, money from the factor), then the rounding to whole fen.
public struct AllocationExplanation: Hashable, Sendable, Codable {
    /// 保底 B.
    public let base: Money
    /// One line per factor, in `AllocationFactor` order.
    public let lines: [FactorExplanation]
    /// B + Σ of the lines' contributions, in millionths of a fen, cut (not rounded) at the millionth.
    public let unroundedMillionths: Int64
    /// Whether the amount before rounding is exactly `unroundedMillionths`, nothing cut off.
    public let unroundedIsExact: Bool
    /// Whether the village got one fen more than the whole fen of its unrounded amount: the fen left
    /// over after cutting every amount go, one each, to the largest remainders (ties by unit code).
    public let receivedRemainderFen: Bool

    /// The line of `factor`.
    public func line(for factor: AllocationFactor) -> FactorExplanation {
        lines.first { $0.factor == factor }!
    }

    /// The amount before rounding in yuan with eight decimals, e.g. `2421.18918918`.
    public var unroundedYuanText: String { FenBeforeRounding.yuanText(millionths: unroundedMillionths) }
}

/// One factor's line of a village's explanation.
public struct FactorExplanation: Hashable, Sendable, Codable {
    public let factor: AllocationFactor
    /// The village's value as counted (`AllocationFactor.value(of:)`); `factor.text(of:)` shows it.
    public let value: Int64
    public let rule: ShareRule
    /// M, the largest value among the villages, for the inverse factor (income); nil for the others.
    public let largest: Int64?
    /// The village's share: v (or M − v, or 1) over the column's total.
    public let share: FactorShare
    /// The factor's weight in millionths.
    public let weight: Int64
    /// R·w·s — what this factor gives the village, exactly.
    public let contribution: FenBeforeRounding
}

/// A village's exact share of one factor, `numerator / denominator`, with its display values.
public struct FactorShare: Hashable, Sendable, Codable {
    public var numerator: Int64
    /// The column's total; never 0.
    public var denominator: Int64

    public init(numerator: Int64, denominator: Int64) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// The share in parts per million, rounded half up: 1/3 is 333,333.
    public var partsPerMillion: Int64 {
        // (2·n·10⁶ + d) / 2d, in 128 bits: n·10⁶ alone may pass 64.
        let (high, low) = UInt64(numerator).multipliedFullWidth(by: 2_000_000)
        let (sum, carry) = low.addingReportingOverflow(UInt64(denominator))
        let (rounded, _) = UInt64(denominator * 2).dividingFullWidth((carry ? high + 1 : high, sum))
        return Int64(rounded)
    }

    /// The share as a decimal with six places, rounded half up: `0.333333`.
    public var decimalText: String {
        let ppm = partsPerMillion
        let fraction = String(ppm % 1_000_000)
        return String(ppm / 1_000_000) + "." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}

/// An amount of money before rounding to whole fen, exactly: `millionths` of a fen plus
/// `remainder / remainderDenominator` of one more millionth — fen with a remainder.
public struct FenBeforeRounding: Hashable, Sendable, Codable {
    public var millionths: Int64
    public var remainder: Int64
    /// Never 0; `remainder` is below it.
    public var remainderDenominator: Int64

    public init(millionths: Int64, remainder: Int64, remainderDenominator: Int64) {
        self.millionths = millionths
        self.remainder = remainder
        self.remainderDenominator = remainderDenominator
    }

    /// Whether the amount is exactly `millionths` of a fen.
    public var isExact: Bool { remainder == 0 }

    /// The whole fen below the amount.
    public var wholeFen: Int64 { millionths / 1_000_000 }

    /// The amount in yuan with eight decimals, cut at the millionth of a fen: `227.02702702`.
    public var yuanText: String { Self.yuanText(millionths: millionths) }

    static func yuanText(millionths: Int64) -> String {
        let perYuan: Int64 = 100_000_000
        let fraction = String(millionths % perYuan)
        return String(millionths / perYuan) + "." + String(repeating: "0", count: 8 - fraction.count) + fraction
    }
}

extension Array {
    /// The first index whose element satisfies `belongs`, for an array partitioned by it.
    fileprivate func partitioningIndex(where belongs: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if belongs(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
