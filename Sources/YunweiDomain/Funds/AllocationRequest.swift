/// What a county admin sets up for one year's allocation by factors 因素法 (DOMAIN.md §4.2): the
/// county pool, the base every village gets first, the factor weights, and the villages' factor
/// data for that year.
public struct AllocationRequest: Hashable, Sendable {
    /// The largest pool the allocation accepts, ¥10 billion — far beyond any county's fund, and
    /// small enough that a pool in millionths of a fen fits in 64 bits.
    public static let maxPool = Money(yuan: 10_000_000_000)
    /// The most villages one allocation shares among, far beyond any county; with the factor
    /// bounds it keeps every factor total within 64 bits.
    public static let maxVillages = 100_000

    /// The year the pool is for; every village's factor data must be of this year.
    public var year: Int
    /// 资金总额 T — the county pool to share out, to the fen.
    public var pool: Money
    /// 保底 B — what every village gets before the factors share the rest; may be zero.
    public var base: Money
    public var weights: AllocationWeights
    /// One row of factor data per village, in any order.
    public var villages: [VillageFactors]

    public init(year: Int, pool: Money, base: Money, weights: AllocationWeights, villages: [VillageFactors]) {
        self.year = year
        self.pool = pool
        self.base = base
        self.weights = weights
        self.villages = villages
    }

    /// R = T − n·B — the part the factors share; nil when the bases alone exceed the pool.
    public var sharedByFactors: Money? {
        let (bases, overflow) = base.fen.multipliedReportingOverflow(by: Int64(villages.count))
        guard !overflow, bases <= pool.fen else { return nil }
        return pool - Money(fen: bases)
    }

    /// Every problem of the request, each on its field: `pool`, `base`, `villages`, or
    /// `villages.<index>.<what>` for one village's data (index as given, from 0).
    public var issues: [FundIssue] {
        var issues = amountIssues + villageIssues
        if issues.isEmpty, sharedByFactors == nil {
            let fitting = Money(fen: pool.fen / Int64(villages.count))
            issues.append(
                FundIssue(
                    field: "base", key: "allocation.error.base_exceeds_pool",
                    args: [
                        "base": base.formatted, "villages": String(villages.count), "pool": pool.formatted,
                        "max": fitting.formatted,
                    ]))
        }
        return issues
    }

    private var amountIssues: [FundIssue] {
        var issues: [FundIssue] = []
        if pool.isNegative { issues.append(FundIssue(field: "pool", key: "allocation.error.pool_negative")) }
        if pool > Self.maxPool {
            issues.append(
                FundIssue(field: "pool", key: "allocation.error.pool_too_large", args: ["max": Self.maxPool.formatted]))
        }
        if base.isNegative { issues.append(FundIssue(field: "base", key: "allocation.error.base_negative")) }
        return issues
    }

    private var villageIssues: [FundIssue] {
        if villages.isEmpty { return [FundIssue(field: "villages", key: "allocation.error.no_villages")] }
        if villages.count > Self.maxVillages {
            return [
                FundIssue(
                    field: "villages", key: "allocation.error.too_many_villages",
                    args: ["max": String(Self.maxVillages)])
            ]
        }
        var issues: [FundIssue] = []
        var seen: Set<UnitCode> = []
        for (index, village) in villages.enumerated() {
            let field = "villages.\(index)"
            let unit = ["unit": village.unit.rawValue]
            if !seen.insert(village.unit).inserted {
                issues.append(FundIssue(field: field + ".unit", key: "allocation.error.duplicate_village", args: unit))
            }
            if village.year != year {
                issues.append(
                    FundIssue(
                        field: field + ".year", key: "allocation.error.factor_year",
                        args: unit.merging(["year": String(village.year), "expected": String(year)]) { $1 }))
            }
            for factor in AllocationFactor.allCases {
                let value = factor.value(of: village)
                guard !factor.allowedValues.contains(value) else { continue }
                let range = factor.allowedValues
                issues.append(
                    FundIssue(
                        field: field + "." + factor.rawValue, key: "allocation.error.factor_out_of_range",
                        args: unit.merging([
                            "factor": factor.catalogKey, "value": factor.text(of: value),
                            "min": factor.text(of: range.lowerBound), "max": factor.text(of: range.upperBound),
                        ]) { $1 }))
            }
        }
        return issues
    }
}
