import Foundation
import Testing

@testable import YunweiDomain

@Suite("Factor weights 因素权重")
struct AllocationWeightsTests {
    private func texts(
        _ population: String?, _ area: String?, _ location: String?, _ income: String?, _ performance: String?
    ) -> [AllocationFactor: String] {
        let pairs: [(AllocationFactor, String?)] = [
            (.population, population), (.area, area), (.location, location), (.income, income),
            (.performance, performance),
        ]
        return pairs.reduce(into: [:]) { texts, pair in texts[pair.0] = pair.1 }
    }

    private func issues(_ result: Result<AllocationWeights, AllocationRejection>) -> [FundIssue] {
        switch result {
        case .success: []
        case .failure(let rejection): rejection.issues
        }
    }

    @Test("decimal weights are read exactly as millionths and shown as they were written")
    func parsesDecimals() throws {
        let weights = try AllocationWeights.parse(texts("0.4", " 0.2 ", ".1", "0.200000", "0.1")).get()
        #expect(AllocationFactor.allCases.map { weights[$0] } == [400_000, 200_000, 100_000, 200_000, 100_000])
        #expect(weights.text(of: .population) == "0.4")
        #expect(weights.text(of: .income) == "0.2")
    }

    @Test("weights that add up to one only in exact arithmetic are accepted: 0.1 + 0.2 + 0.3 + 0.15 + 0.25")
    func exactSum() throws {
        #expect(throws: Never.self) { try AllocationWeights.parse(texts("0.1", "0.2", "0.3", "0.15", "0.25")).get() }
    }

    @Test("decoded Decimal weights are judged like typed ones")
    func parsesDecimalValues() throws {
        let decimals: [AllocationFactor: Decimal] = [
            .population: Decimal(string: "0.4")!, .area: Decimal(string: "0.2")!, .location: Decimal(string: "0.1")!,
            .income: Decimal(string: "0.2")!, .performance: Decimal(string: "0.1")!,
        ]
        let weights = try AllocationWeights.parse(decimals: decimals).get()
        #expect(weights == (try AllocationWeights.parse(texts("0.4", "0.2", "0.1", "0.2", "0.1")).get()))
        var tooFine = decimals
        tooFine[.area] = Decimal(string: "0.0000001")!
        #expect(
            issues(AllocationWeights.parse(decimals: tooFine)).map(\.key) == ["allocation.error.weight_too_precise"])
    }

    @Test("JSON numbers decoded as Decimal keep their written digits, so 0.1 + 0.2 + 0.3 + 0.15 + 0.25 is one")
    func decodesJSONNumbers() throws {
        let json = #"{"population": 0.1, "area": 0.2, "location": 0.3, "income": 0.15, "performance": 0.25}"#
        let decoded = try JSONDecoder().decode([String: Decimal].self, from: Data(json.utf8))
        let decimals = Dictionary(uniqueKeysWithValues: decoded.map { (AllocationFactor(rawValue: $0.key)!, $0.value) })
        let weights = try AllocationWeights.parse(decimals: decimals).get()
        #expect(AllocationFactor.allCases.map { weights[$0] } == [100_000, 200_000, 300_000, 150_000, 250_000])
    }

    @Test("stored weights are decoded only if they still sum to one")
    func storedWeights() throws {
        let weights = try AllocationWeights.make(millionths: [.area: 600_000, .income: 400_000]).get()
        let data = try JSONEncoder().encode(weights)
        #expect(try JSONDecoder().decode(AllocationWeights.self, from: data) == weights)
        let broken = #"{"population": 0, "area": 600000, "location": 0, "income": 300000, "performance": 0}"#
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(AllocationWeights.self, from: Data(broken.utf8))
        }
    }

    @Test("weights that do not add up to exactly one are refused on the field weights, with their sum")
    func sumNotOne() {
        #expect(
            issues(AllocationWeights.parse(texts("0.4", "0.3", "0.1", "0.1", "0.05"))) == [
                FundIssue(field: "weights", key: "allocation.error.weights_sum", args: ["sum": "0.95"])
            ])
        #expect(
            issues(AllocationWeights.parse(texts("0.4", "0.3", "0.2", "0.1", "0.000001"))).first?.args == [
                "sum": "1.000001"
            ])
    }

    @Test("each unreadable weight is named on its own field, and the sum is not judged until all read")
    func eachWeightNamed() {
        let found = issues(AllocationWeights.parse(texts("abc", "1.5", "-0.1", "0.1234567", nil)))
        #expect(
            found.map(\.field) == [
                "weights.population", "weights.area", "weights.location", "weights.income", "weights.performance",
            ])
        #expect(
            found.map(\.key) == [
                "allocation.error.weight_not_a_number", "allocation.error.weight_out_of_range",
                "allocation.error.weight_out_of_range", "allocation.error.weight_too_precise",
                "allocation.error.weight_required",
            ])
        #expect(found[0].args == ["factor": "allocation_factor.population", "value": "abc"])
        #expect(found[1].args == ["factor": "allocation_factor.area", "min": "0", "max": "1"])
        #expect(found[3].args == ["factor": "allocation_factor.income", "places": "6"])
    }

    @Test("weights from storage in millionths are checked alike")
    func fromMillionths() {
        #expect(
            issues(AllocationWeights.make(millionths: [.population: 1_000_001])).map(\.field) == ["weights.population"])
        #expect(issues(AllocationWeights.make(millionths: [.area: 999_999])).map(\.field) == ["weights"])
        #expect(issues(AllocationWeights.make(millionths: [.area: 1_000_000])).isEmpty)
    }
}
