/// 因素法 — allocation by factors (DOMAIN.md §4.2): every village gets the base B, and the rest
/// R = T − n·B is shared by the weighted factors, Amount = B + R·Σ_f w_f·s_f, rounded to whole fen
/// by largest remainder so the amounts add up to the pool exactly.
///
/// Everything is integer arithmetic: weights in millionths, shares as fractions of integers, and
/// each factor's money as millionths of a fen with an exact remainder. The remainders of a
/// village's five factors are added over their common denominator, so villages are ranked for the
/// leftover fen by their true remainders, and a tie is a real tie, broken by ascending unit code.
/// Villages are taken in code order, so the same villages in any order give the same table.
public enum AllocationByFactors {
    /// The allocation of `request`, or every problem with it (`AllocationRequest.issues`): a
    /// negative or oversized pool or base, no villages, villages given twice or for another year,
    /// factor values out of range, or bases that alone exceed the pool.
    public static func allocate(_ request: AllocationRequest) -> Result<Allocation, AllocationRejection> {
        let issues = request.issues
        guard issues.isEmpty, let shared = request.sharedByFactors else {
            return .failure(AllocationRejection(issues: issues))
        }
        let villages = request.villages.sorted { $0.unit < $1.unit }
        let sharings = AllocationFactor.allCases.map {
            FactorSharing($0, weight: request.weights[$0], villages: villages, shared: shared)
        }
        let belowMillionth = SubMillionthSum(sharings)
        let amounts = villages.indices.map {
            UnroundedAmount(village: $0, base: request.base, sharings: sharings, belowMillionth: belowMillionth)
        }
        let roundedUp = largestRemainders(amounts, pool: request.pool)
        let rows = villages.indices.map { index in
            let amount = amounts[index]
            let extra: Int64 = roundedUp.contains(index) ? 1 : 0
            return AllocationRow(
                unit: villages[index].unit, factors: villages[index], amount: Money(fen: amount.wholeFen + extra),
                explanation: AllocationExplanation(
                    base: request.base,
                    lines: zip(sharings, amount.contributions).map { sharing, contribution in
                        sharing.line(for: villages[index], at: index, contribution: contribution)
                    },
                    unroundedMillionths: amount.millionths, unroundedIsExact: amount.isExact,
                    receivedRemainderFen: extra == 1))
        }
        return .success(
            Allocation(
                year: request.year, pool: request.pool, base: request.base, sharedByFactors: shared,
                weights: request.weights, columns: sharings.map(\.column), rows: rows))
    }

    /// The villages (by index) that get one fen more: the fen left after cutting every amount to
    /// whole fen go, one each, to the largest remainders, ties to the smaller index — the smaller
    /// unit code, as villages are in code order.
    static func largestRemainders(_ amounts: [UnroundedAmount], pool: Money) -> Set<Int> {
        let leftover = pool.fen - amounts.reduce(0) { $0 + $1.wholeFen }
        // The exact amounts add up to the pool, so less than one fen per village is left over.
        precondition((0..<Int64(amounts.count)).contains(leftover), "the exact amounts must add up to the pool")
        let ranked = amounts.indices.sorted { lhs, rhs in
            let (left, right) = (amounts[lhs], amounts[rhs])
            if left.fractionMillionths != right.fractionMillionths {
                return left.fractionMillionths > right.fractionMillionths
            }
            if left.rest != right.rest { return left.rest > right.rest }
            return lhs < rhs
        }
        return Set(ranked.prefix(Int(leftover)))
    }
}

/// One village's amount before rounding: B + Σ contributions, as whole millionths of a fen and the
/// exact rest below a millionth over `SubMillionthSum.denominator`.
struct UnroundedAmount {
    let contributions: [FenBeforeRounding]
    let millionths: Int64
    let rest: WideNatural

    init(village index: Int, base: Money, sharings: [FactorSharing], belowMillionth: SubMillionthSum) {
        contributions = sharings.map { $0.contribution(at: index) }
        let (carry, rest) = belowMillionth.add(contributions)
        // B·10⁶ + Σ ≤ T·10⁶ ≤ 10¹⁸ by the pool's bound: no overflow.
        millionths = base.fen * 1_000_000 + contributions.reduce(0) { $0 + $1.millionths } + carry
        self.rest = rest
    }

    var wholeFen: Int64 { millionths / 1_000_000 }
    var fractionMillionths: Int64 { millionths % 1_000_000 }
    var isExact: Bool { rest.isZero }
}

/// How one factor is shared among the villages: its column, and every village's numerator in
/// village order.
struct FactorSharing {
    let column: FactorColumn
    let numerators: [Int64]

    init(_ factor: AllocationFactor, weight: Int64, villages: [VillageFactors], shared: Money) {
        let values = villages.map(factor.value(of:))
        let largest = factor.isInverse ? values.max() : nil
        let counted = largest.map { largest in values.map { largest - $0 } } ?? values
        let total = counted.reduce(0, +)
        let rule: ShareRule = total == 0 ? .equal : factor.isInverse ? .belowLargest : .proportional
        numerators = rule == .equal ? Array(repeating: 1, count: values.count) : counted
        column = FactorColumn(
            factor: factor, weight: weight, rule: rule, largest: largest,
            total: rule == .equal ? Int64(values.count) : total,
            // R·w ≤ 10¹² fen · 10⁶ by the pool's bound: no overflow.
            part: FenBeforeRounding(millionths: shared.fen * weight, remainder: 0, remainderDenominator: 1))
    }

    /// R·w·a / total for the village at `index`: whole millionths of a fen, and the remainder over
    /// the total. The product needs 128 bits; the quotient is at most R·w and fits in 64.
    func contribution(at index: Int) -> FenBeforeRounding {
        let product = UInt64(column.part.millionths).multipliedFullWidth(by: UInt64(numerators[index]))
        let (quotient, remainder) = UInt64(column.total).dividingFullWidth(product)
        return FenBeforeRounding(
            millionths: Int64(quotient), remainder: Int64(remainder), remainderDenominator: column.total)
    }

    /// The village's explanation line for this factor.
    func line(for village: VillageFactors, at index: Int, contribution: FenBeforeRounding) -> FactorExplanation {
        FactorExplanation(
            factor: column.factor, value: column.factor.value(of: village), rule: column.rule,
            largest: column.largest, share: FactorShare(numerator: numerators[index], denominator: column.total),
            weight: column.weight, contribution: contribution)
    }
}

/// Adds the parts of a village's amount below a millionth of a fen — one fraction
/// `remainder / total` per factor — exactly, over the product of the totals of the weighted
/// factors (an unweighted factor never leaves a remainder).
struct SubMillionthSum {
    /// Π total_f over the weighted factors.
    let denominator: WideNatural
    /// For each factor, the product of the other weighted factors' totals; zero if unweighted.
    let cofactors: [WideNatural]

    init(_ sharings: [FactorSharing]) {
        let weighted = sharings.map { $0.column.weight > 0 }
        denominator = zip(sharings, weighted).reduce(WideNatural(1)) { product, pair in
            pair.1 ? product * UInt64(pair.0.column.total) : product
        }
        cofactors = sharings.indices.map { factor in
            guard weighted[factor] else { return .zero }
            return sharings.indices.reduce(WideNatural(1)) { product, other in
                other != factor && weighted[other] ? product * UInt64(sharings[other].column.total) : product
            }
        }
    }

    /// Σ remainder_f / total_f as whole millionths (`carry`, 0…4, one factor's part being below one)
    /// and the `rest` over `denominator`.
    func add(_ contributions: [FenBeforeRounding]) -> (carry: Int64, rest: WideNatural) {
        guard contributions.contains(where: { !$0.isExact }) else { return (0, .zero) }
        var rest = zip(contributions, cofactors).reduce(WideNatural.zero) { sum, pair in
            pair.0.isExact ? sum : sum + pair.1 * UInt64(pair.0.remainder)
        }
        var carry: Int64 = 0
        while rest >= denominator {
            rest = rest - denominator
            carry += 1
        }
        return (carry, rest)
    }
}
