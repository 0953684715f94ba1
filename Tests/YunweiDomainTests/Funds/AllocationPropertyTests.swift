import Testing

@testable import YunweiDomain

@Suite("Allocation by factors over many random counties")
struct AllocationPropertyTests {
    typealias F = AllocationFixture

    /// A random county: 1…200 villages, a pool up to ¥10 million, a base that fits (often 0).
    private func randomRequest(using random: inout SplitMix64) throws -> AllocationRequest {
        let villages = F.randomVillages(random.int(in: 1...200), using: &random)
        let pool = Int64(random.int(in: 0...1_000_000_000))
        let base = random.int(in: 0...2) == 0 ? 0 : Int64(random.int(in: 0...Int(pool / Int64(villages.count))))
        return F.request(
            pool: Money(fen: pool), base: Money(fen: base), weights: try F.randomWeights(using: &random),
            villages: villages)
    }

    @Test("the amounts add up to the pool to the fen, for 300 random counties")
    func sumsToPool() throws {
        var random = SplitMix64(seed: 20_240_101)
        for _ in 0..<300 {
            let request = try randomRequest(using: &random)
            let allocation = try AllocationByFactors.allocate(request).get()
            #expect(allocation.total == request.pool)
            #expect(allocation.rows.map(\.unit) == request.villages.map(\.unit).sorted())
            for row in allocation.rows {
                #expect(row.amount >= request.base)
                let whole = row.explanation.unroundedMillionths / 1_000_000
                #expect(row.amount.fen == whole + (row.explanation.receivedRemainderFen ? 1 : 0))
            }
        }
    }

    @Test("each factor's contributions add up exactly to its part R·w: the shares of a factor sum to one")
    func factorPartsAreExact() throws {
        var random = SplitMix64(seed: 7)
        for _ in 0..<100 {
            let allocation = try AllocationByFactors.allocate(try randomRequest(using: &random)).get()
            for column in allocation.columns {
                let lines = allocation.rows.map { $0.explanation.line(for: column.factor) }
                let remainders = lines.reduce(Int64(0)) { $0 + $1.contribution.remainder }
                #expect(remainders % column.total == 0)
                #expect(
                    lines.reduce(Int64(0)) { $0 + $1.contribution.millionths } + remainders / column.total
                        == column.part.millionths)
                #expect(lines.reduce(Int64(0)) { $0 + $1.share.numerator } == column.total)
            }
        }
    }

    @Test("the leftover fen go to the largest remainders: no village that missed one had a larger remainder")
    func largestRemaindersWin() throws {
        var random = SplitMix64(seed: 99)
        for _ in 0..<100 {
            let allocation = try AllocationByFactors.allocate(try randomRequest(using: &random)).get()
            let fractions = allocation.rows.map { ($0.explanation.unroundedMillionths % 1_000_000, $0) }
            let smallestWinner = fractions.filter { $0.1.explanation.receivedRemainderFen }.map(\.0).min()
            let largestLoser = fractions.filter { !$0.1.explanation.receivedRemainderFen }.map(\.0).max()
            if let smallestWinner, let largestLoser { #expect(smallestWinner >= largestLoser) }
        }
    }

    @Test("the same villages in any order give the same table")
    func orderDoesNotMatter() throws {
        var random = SplitMix64(seed: 42)
        for _ in 0..<30 {
            let request = try randomRequest(using: &random)
            var shuffled = request
            shuffled.villages = F.shuffled(request.villages, using: &random)
            #expect(try AllocationByFactors.allocate(shuffled).get() == AllocationByFactors.allocate(request).get())
        }
    }

    @Test("20,000 villages are allocated well within a page load (printed; under 5 s even in debug)")
    func twentyThousandVillages() throws {
        var random = SplitMix64(seed: 510_121)
        let request = F.request(
            pool: Money(yuan: 50_000_000), base: Money(yuan: 1_000),
            weights: try F.weights([
                .population: 400_000, .area: 200_000, .location: 100_000, .income: 200_000, .performance: 100_000,
            ]), villages: F.randomVillages(20_000, using: &random))
        let clock = ContinuousClock()
        var result: Result<Allocation, AllocationRejection>?
        let elapsed = clock.measure { result = AllocationByFactors.allocate(request) }
        let allocation = try #require(try result?.get())
        print("allocation of \(allocation.rows.count) villages took \(elapsed)")
        #expect(allocation.total == request.pool)
        #expect(elapsed < .seconds(5))
    }
}
