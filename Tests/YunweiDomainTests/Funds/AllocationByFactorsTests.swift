import Testing

@testable import YunweiDomain

@Suite("Allocation by factors 因素法")
struct AllocationByFactorsTests {
    typealias F = AllocationFixture

    /// The seed-like example, worked by hand. T = ¥10,000.00 = 1,000,000 fen, B = ¥1,000.00, three
    /// villages, so R = 1,000,000 − 3·100,000 = 700,000 fen. Weights 0.4 / 0.2 / 0.1 / 0.2 / 0.1,
    /// so the factors share 280,000 / 140,000 / 70,000 / 140,000 / 70,000 fen.
    ///
    /// | village | population | area | location | income (fen) | performance |
    /// |---|---|---|---|---|---|
    /// | 201 | 1,000 (1/4) | 10.00 (1/5) | plain 10/37 | 10,000,000 → gap 0 | 90 (90/250) |
    /// | 202 | 2,000 (2/4) | 30.00 (3/5) | hill 12/37 | 4,000,000 → gap 6,000,000 (6/16) | 80 |
    /// | 203 | 1,000 (1/4) | 10.00 (1/5) | mountain 15/37 | 0 → gap 10,000,000 (10/16) | 80 |
    ///
    /// 201: 100,000 + 70,000 + 28,000 + 18,918.9189… + 0 + 25,200 = 242,118.9189…
    /// 202: 100,000 + 140,000 + 84,000 + 22,702.7027… + 52,500 + 22,400 = 421,602.7027…
    /// 203: 100,000 + 70,000 + 28,000 + 28,378.3783… + 87,500 + 22,400 = 336,278.3783…
    /// Whole fen add up to 999,998; the 2 fen left go to the largest remainders, 201 (.918…) and
    /// 202 (.702…): 242,119 + 421,603 + 336,278 = 1,000,000.
    @Test("the worked example: base first, the rest by five factors, two fen to the largest remainders")
    func workedExample() throws {
        let allocation = try F.allocate(
            pool: Money(yuan: 10_000), base: Money(yuan: 1_000),
            weights: try F.weights([
                .population: 400_000, .area: 200_000, .location: 100_000, .income: 200_000, .performance: 100_000,
            ]),
            villages: [
                F.village(203, population: 1_000, area: 1_000, location: .mountain, incomeFen: 0, performance: 80),
                F.village(
                    201, population: 1_000, area: 1_000, location: .plain, incomeFen: 10_000_000, performance: 90),
                F.village(202, population: 2_000, area: 3_000, location: .hill, incomeFen: 4_000_000, performance: 80),
            ])

        #expect(F.fen(allocation) == ["201": 242_119, "202": 421_603, "203": 336_278])
        #expect(allocation.total == Money(yuan: 10_000))
        #expect(allocation.sharedByFactors == Money(fen: 700_000))
        #expect(allocation.rows.map(\.explanation.receivedRemainderFen) == [true, true, false])

        let location = allocation.columns[2]
        #expect(location.factor == .location && location.total == 37 && location.rule == .proportional)
        #expect(location.part == FenBeforeRounding(millionths: 70_000_000_000, remainder: 0, remainderDenominator: 1))

        // 202's location line: 70,000 fen × 12/37 = 22,702.702702… fen = 22,702,702,702 millionths + 26/37.
        let hill = try #require(allocation.row(for: UnitCode("510121100202")!))
        let line = hill.explanation.line(for: .location)
        #expect(line.value == 12 && line.weight == 100_000)
        #expect(line.share == FactorShare(numerator: 12, denominator: 37))
        #expect(line.share.decimalText == "0.324324")
        #expect(
            line.contribution == FenBeforeRounding(millionths: 22_702_702_702, remainder: 26, remainderDenominator: 37))
        #expect(line.contribution.yuanText == "227.02702702")
        #expect(hill.share(of: .population).partsPerMillion == 500_000)

        // The inverse factor: 203 has no income, so it has the largest gap to the richest (201).
        let poorest = try #require(allocation.row(for: UnitCode("510121100203")!))
        let income = poorest.explanation.line(for: .income)
        #expect(income.rule == .belowLargest && income.largest == 10_000_000)
        #expect(income.share == FactorShare(numerator: 10_000_000, denominator: 16_000_000))
        #expect(income.contribution.millionths == 87_500_000_000 && income.contribution.isExact)

        // 201 before rounding: 242,118.918918 fen and 34/37 of a millionth more.
        let plain = try #require(allocation.row(for: UnitCode("510121100201")!))
        #expect(plain.explanation.unroundedMillionths == 242_118_918_918)
        #expect(!plain.explanation.unroundedIsExact)
        #expect(plain.explanation.unroundedYuanText == "2421.18918918")
        #expect(plain.explanation.base == Money(yuan: 1_000))
        #expect(plain.contribution(of: .income).millionths == 0)
    }

    @Test("collective income is an inverse factor: the poorer village gets more, the richest nothing from it")
    func inverseIncome() throws {
        // Gaps to the richest (100,000 fen): 100,000, 50,000, 0 of 150,000 → 60,000, 30,000, 0 fen.
        let allocation = try F.allocate(
            pool: Money(fen: 90_000), weights: try F.weights([.income: 1_000_000]),
            villages: [F.village(1, incomeFen: 0), F.village(2, incomeFen: 50_000), F.village(3, incomeFen: 100_000)])
        #expect(F.fen(allocation) == ["001": 60_000, "002": 30_000, "003": 0])
        #expect(allocation.columns[3].rule == .belowLargest && allocation.columns[3].largest == 100_000)
    }

    @Test("when every factor is the same in every village, the pool is split equally, the odd fen by code")
    func allEqual() throws {
        let villages = (1...4).reversed().map {
            F.village($0, population: 500, area: 800, location: .hill, incomeFen: 1_000, performance: 70)
        }
        let allocation = try F.allocate(
            pool: Money(fen: 1_001),
            weights: try F.weights([
                .population: 200_000, .area: 200_000, .location: 200_000, .income: 200_000, .performance: 200_000,
            ]), villages: villages)
        #expect(F.fen(allocation) == ["001": 251, "002": 250, "003": 250, "004": 250])
        #expect(allocation.columns.first { $0.factor == .income }?.rule == .equal)
        for row in allocation.rows {
            for line in row.explanation.lines { #expect(line.share.numerator * 4 == line.share.denominator) }
        }
    }

    @Test("when every village scores 0 for performance, its part is shared equally rather than lost")
    func allZeroPerformance() throws {
        let allocation = try F.allocate(
            pool: Money(fen: 300), weights: try F.weights([.performance: 1_000_000]),
            villages: (1...3).map { F.village($0, performance: 0) })
        #expect(F.fen(allocation) == ["001": 100, "002": 100, "003": 100])
        #expect(allocation.columns[4].rule == .equal && allocation.columns[4].total == 3)
    }

    @Test("a village without rural population gets nothing of the population part, but keeps its base")
    func zeroPopulation() throws {
        // B = 500 fen each, R = 2,500 − 1,500 = 1,000 fen shared 0 : 100 : 300.
        let allocation = try F.allocate(
            pool: Money(fen: 2_500), base: Money(fen: 500), weights: try F.weights([.population: 1_000_000]),
            villages: [F.village(1, population: 0), F.village(2, population: 100), F.village(3, population: 300)])
        #expect(F.fen(allocation) == ["001": 500, "002": 750, "003": 1_250])
        #expect(allocation.rows[0].share(of: .population) == FactorShare(numerator: 0, denominator: 400))
    }

    @Test("fen left over after rounding go to the largest remainders, and a tie goes to the smaller unit code")
    func tieBreakByCode() throws {
        // 200 / 3 = 66.67 each: two fen left, all remainders tie, so 201 and 202 get them.
        let allocation = try F.allocate(
            pool: Money(fen: 200), weights: try F.weights([.population: 1_000_000]),
            villages: [F.village(203), F.village(201), F.village(202)])
        #expect(F.fen(allocation) == ["201": 67, "202": 67, "203": 66])
    }

    @Test("remainders reached through different factors are compared exactly, so equal ones are real ties")
    func exactTieAcrossFactors() throws {
        // 50 fen by population 1:2:3 and 50 fen by area 3:2:1: each village gets exactly 33⅓ fen,
        // from 8⅓ + 25, 16⅔ + 16⅔ and 25 + 8⅓ — sums a float would not find equal.
        let allocation = try F.allocate(
            pool: Money(fen: 100), weights: try F.weights([.population: 500_000, .area: 500_000]),
            villages: [
                F.village(3, population: 1, area: 3), F.village(2, population: 2, area: 2),
                F.village(1, population: 3, area: 1),
            ])
        #expect(F.fen(allocation) == ["001": 34, "002": 33, "003": 33])
        #expect(Set(allocation.rows.map(\.explanation.unroundedMillionths)).count == 1)
    }

    @Test("a remainder below a millionth of a fen still decides who gets the leftover fen, before the code does")
    func remainderBelowAMillionth() throws {
        // 1 fen by population of 3,000,000 people: 999,999 → 0.333333 fen exactly;
        // 1,000,000 → 0.333333⅓ fen. The larger remainder wins although its code is larger.
        let allocation = try F.allocate(
            pool: Money(fen: 1), weights: try F.weights([.population: 1_000_000]),
            villages: [
                F.village(1, population: 999_999), F.village(2, population: 1_000_000),
                F.village(3, population: 500_000), F.village(4, population: 500_001),
            ])
        #expect(F.fen(allocation) == ["001": 0, "002": 1, "003": 0, "004": 0])
        #expect(
            allocation.rows[0].explanation.unroundedMillionths == allocation.rows[1].explanation.unroundedMillionths)
        #expect(allocation.rows[0].explanation.unroundedIsExact && !allocation.rows[1].explanation.unroundedIsExact)
    }

    @Test("a base that uses up the pool exactly leaves nothing for the factors, and that is allowed")
    func baseFillsPool() throws {
        let allocation = try F.allocate(
            pool: Money(fen: 1_200), base: Money(fen: 400), weights: try F.weights([.area: 1_000_000]),
            villages: (1...3).map { F.village($0) })
        #expect(F.fen(allocation) == ["001": 400, "002": 400, "003": 400])
        #expect(allocation.sharedByFactors == .zero)
    }

    @Test("a base that does not fit the pool is refused, naming the largest base that would")
    func baseExceedsPool() throws {
        let request = F.request(
            pool: Money(fen: 1_000), base: Money(fen: 400), weights: try F.weights([.area: 1_000_000]),
            villages: (1...3).map { F.village($0) })
        #expect(
            F.issues(request) == [
                FundIssue(
                    field: "base", key: "allocation.error.base_exceeds_pool",
                    args: ["base": "¥4.00", "villages": "3", "pool": "¥10.00", "max": "¥3.33"])
            ])
    }

    @Test("an allocation without villages is refused")
    func noVillages() throws {
        let request = F.request(pool: Money(yuan: 100), weights: try F.weights([.area: 1_000_000]), villages: [])
        #expect(F.issues(request) == [FundIssue(field: "villages", key: "allocation.error.no_villages")])
    }

    @Test("negative amounts, a village given twice, another year's data and impossible values are each named")
    func inputIssues() throws {
        var impossible = F.village(3)
        impossible.performance = 101
        impossible.collectiveIncomeFen = -1
        let request = F.request(
            pool: Money(fen: -1), base: Money(fen: -5), weights: try F.weights([.area: 1_000_000]),
            villages: [F.village(1), F.village(1), F.village(2, year: 2023), impossible])
        let issues = F.issues(request)
        #expect(
            issues.map(\.field) == [
                "pool", "base", "villages.1.unit", "villages.2.year", "villages.3.income", "villages.3.performance",
            ])
        #expect(issues[3].args == ["unit": "510121100002", "year": "2023", "expected": "2024"])
        #expect(
            issues[5].args == [
                "unit": "510121100003", "factor": "allocation_factor.performance", "value": "101", "min": "0",
                "max": "100",
            ])
        let tooLarge = F.request(
            pool: Money(yuan: 10_000_000_001), weights: try F.weights([.area: 1_000_000]), villages: [F.village(1)])
        #expect(F.issues(tooLarge).map(\.key) == ["allocation.error.pool_too_large"])
    }
}
