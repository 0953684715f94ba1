import Foundation

/// 因素权重 — how much of the shared remainder each factor decides (DOMAIN.md §4.2), held as whole
/// millionths: 0.4 is 400,000. People and the JSON API write weights as decimals; keeping them as
/// integers keeps every share exact and the same on every machine. A value of this type always
/// has every weight within 0…1 and the five summing to exactly one.
public struct AllocationWeights: Hashable, Sendable, Codable {
    /// One whole, in millionths.
    public static let one: Int64 = 1_000_000
    /// The decimal places a weight may have: a millionth is the finest weight.
    public static let places = 6

    public let population: Int64
    public let area: Int64
    public let location: Int64
    public let income: Int64
    public let performance: Int64

    /// A stored copy is checked like any other input, so a value of this type always sums to one.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var millionths: [AllocationFactor: Int64] = [:]
        for factor in AllocationFactor.allCases {
            millionths[factor] = try container.decode(Int64.self, forKey: CodingKeys(stringValue: factor.rawValue)!)
        }
        guard case .success(let weights) = Self.make(millionths: millionths) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "weights must sum to one"))
        }
        self = weights
    }

    private init(_ millionths: [AllocationFactor: Int64]) {
        population = millionths[.population, default: 0]
        area = millionths[.area, default: 0]
        location = millionths[.location, default: 0]
        income = millionths[.income, default: 0]
        performance = millionths[.performance, default: 0]
    }

    /// The factor's weight in millionths.
    public subscript(factor: AllocationFactor) -> Int64 {
        switch factor {
        case .population: population
        case .area: area
        case .location: location
        case .income: income
        case .performance: performance
        }
    }

    /// The factor's weight as a person writes it: `0.4`, `0.125`, `1`.
    public func text(of factor: AllocationFactor) -> String { Self.text(millionths: self[factor]) }

    /// Millionths as the shortest decimal: 400,000 is `0.4`, 1,000,001 is `1.000001`.
    static func text(millionths: Int64) -> String {
        let text = DecimalText.format(millionths, places: places)
        guard text.contains(".") else { return text }
        return String(text.reversed().drop { $0 == "0" }.reversed())
    }

    /// Weights given in millionths, e.g. from storage. A missing factor weighs 0.
    public static func make(millionths: [AllocationFactor: Int64]) -> Result<AllocationWeights, AllocationRejection> {
        var issues: [FundIssue] = []
        for factor in AllocationFactor.allCases {
            let weight = millionths[factor, default: 0]
            if !(0...one).contains(weight) { issues.append(outOfRange(factor)) }
        }
        guard issues.isEmpty else { return .failure(AllocationRejection(issues: issues)) }
        let sum = AllocationFactor.allCases.reduce(Int64(0)) { $0 + millionths[$1, default: 0] }
        guard sum == one else {
            let issue = FundIssue(
                field: "weights", key: "allocation.error.weights_sum",
                args: ["sum": text(millionths: sum)])
            return .failure(AllocationRejection(issues: [issue]))
        }
        return .success(AllocationWeights(millionths))
    }

    /// Weights as the form or the JSON API sends them, one decimal text per factor (`"0.4"`,
    /// `".25"`, `"1"`). Each problem is named with its field `weights.<factor>`; only when every
    /// weight reads well is their sum checked, on the field `weights`.
    public static func parse(_ texts: [AllocationFactor: String]) -> Result<AllocationWeights, AllocationRejection> {
        var millionths: [AllocationFactor: Int64] = [:]
        var issues: [FundIssue] = []
        for factor in AllocationFactor.allCases {
            switch read(texts[factor], factor) {
            case .success(let weight): millionths[factor] = weight
            case .failure(let issue): issues.append(issue)
            }
        }
        guard issues.isEmpty else { return .failure(AllocationRejection(issues: issues)) }
        return make(millionths: millionths)
    }

    /// Weights decoded as `Decimal` (JSON numbers decoded without passing through `Double`), read
    /// through their plain decimal text so that both doors judge alike.
    public static func parse(decimals: [AllocationFactor: Decimal]) -> Result<AllocationWeights, AllocationRejection> {
        parse(decimals.mapValues { $0.description })
    }

    /// One weight's text in millionths, or why it cannot be one.
    private static func read(_ text: String?, _ factor: AllocationFactor) -> Result<Int64, FundIssue> {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespaces)
        let field = "weights." + factor.rawValue
        let name = ["factor": factor.catalogKey]
        guard !trimmed.isEmpty else {
            return .failure(FundIssue(field: field, key: "allocation.error.weight_required", args: name))
        }
        switch DecimalText.parse(trimmed, places: places) {
        case .success(let weight):
            return (0...one).contains(weight) ? .success(weight) : .failure(outOfRange(factor))
        case .failure(.tooLarge):
            return .failure(outOfRange(factor))
        case .failure(.tooManyDecimals):
            return .failure(
                FundIssue(
                    field: field, key: "allocation.error.weight_too_precise",
                    args: name.merging(["places": String(places)]) { $1 }))
        case .failure(.notANumber):
            return .failure(
                FundIssue(
                    field: field, key: "allocation.error.weight_not_a_number",
                    args: name.merging(["value": trimmed]) { $1 }))
        }
    }

    private static func outOfRange(_ factor: AllocationFactor) -> FundIssue {
        FundIssue(
            field: "weights." + factor.rawValue, key: "allocation.error.weight_out_of_range",
            args: ["factor": factor.catalogKey, "min": "0", "max": "1"])
    }
}
