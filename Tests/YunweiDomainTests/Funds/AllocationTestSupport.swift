import Testing

@testable import YunweiDomain

/// Builders shared by the allocation tests, so each test shows only the numbers it is about.
enum AllocationFixture {
    static let year = 2024

    /// Village `510121100` + `suffix` (three digits), with the factor data given.
    static func village(
        _ suffix: Int, population: Int = 1_000, area: Int = 1_000, location: LocationClass = .plain,
        incomeFen: Int64 = 0, performance: Int = 80, year: Int = year
    ) -> VillageFactors {
        let digits = String(suffix)
        let code = UnitCode("510121100" + String(repeating: "0", count: 3 - digits.count) + digits)!
        return VillageFactors(
            unit: code, year: year, population: population, households: population / 3,
            areaHundredthsKm2: area, location: location, collectiveIncomeFen: incomeFen, performance: performance)
    }

    /// Weights in millionths; the ones not named weigh 0.
    static func weights(_ millionths: [AllocationFactor: Int64]) throws -> AllocationWeights {
        try AllocationWeights.make(millionths: millionths).get()
    }

    static func request(
        pool: Money, base: Money = .zero, weights: AllocationWeights, villages: [VillageFactors]
    ) -> AllocationRequest {
        AllocationRequest(year: year, pool: pool, base: base, weights: weights, villages: villages)
    }

    static func allocate(
        pool: Money, base: Money = .zero, weights: AllocationWeights, villages: [VillageFactors]
    ) throws -> Allocation {
        try AllocationByFactors.allocate(request(pool: pool, base: base, weights: weights, villages: villages)).get()
    }

    /// The amounts in fen, by village code suffix.
    static func fen(_ allocation: Allocation) -> [String: Int64] {
        Dictionary(uniqueKeysWithValues: allocation.rows.map { (String($0.unit.rawValue.suffix(3)), $0.amount.fen) })
    }

    /// The issues of a refused request, or none if it was accepted.
    static func issues(_ request: AllocationRequest) -> [FundIssue] {
        switch AllocationByFactors.allocate(request) {
        case .success: []
        case .failure(let rejection): rejection.issues
        }
    }

    /// Random but reproducible factor data for `count` villages, with repeated and zero values
    /// common enough to exercise ties and the equal-share rule.
    static func randomVillages(_ count: Int, using random: inout SplitMix64) -> [VillageFactors] {
        let allZeroPerformance = random.int(in: 1...10) == 1
        let sameIncome = random.int(in: 1...10) == 1
        return (0..<count).map { index in
            let code = UnitCode("510121" + String(format6: index))!
            return VillageFactors(
                unit: code, year: year, population: random.int(in: 0...9) == 0 ? 0 : random.int(in: 1...4_000),
                households: 0, areaHundredthsKm2: random.int(in: 0...4) == 0 ? 1_000 : random.int(in: 1...40_000),
                location: LocationClass.allCases[random.int(in: 0...3)],
                collectiveIncomeFen: sameIncome ? 5_000_000 : Int64(random.int(in: 0...50_000_000)),
                performance: allZeroPerformance ? 0 : random.int(in: 0...100))
        }
    }

    /// Random weights in millionths that add up to one; some factors often weigh 0.
    static func randomWeights(using random: inout SplitMix64) throws -> AllocationWeights {
        var cuts = (0..<4).map { _ in Int64(random.int(in: 0...1_000_000)) }.sorted()
        if random.int(in: 0...2) == 0 { cuts[1] = cuts[0] }
        let bounds = [0] + cuts + [1_000_000]
        let pairs = AllocationFactor.allCases.enumerated().map {
            ($0.element, bounds[$0.offset + 1] - bounds[$0.offset])
        }
        return try weights(Dictionary(uniqueKeysWithValues: pairs))
    }

    /// The same elements in a random order (Fisher–Yates with the seeded source).
    static func shuffled<T>(_ elements: [T], using random: inout SplitMix64) -> [T] {
        var result = elements
        for index in result.indices.reversed() where index > 0 {
            result.swapAt(index, random.int(in: 0...index))
        }
        return result
    }
}

extension String {
    /// `index` as six digits with leading zeros.
    fileprivate init(format6 index: Int) {
        let digits = String(index)
        self = String(repeating: "0", count: 6 - digits.count) + digits
    }
}
