/// One of the five factors of allocation by factors 因素法 (DOMAIN.md §4.2). The raw values are
/// stable: they name the weights in the API and in issues (`weights.population`) and the factor's
/// name in the catalog (`allocation_factor.population`).
public enum AllocationFactor: String, CaseIterable, Codable, Sendable {
    /// 农村人口 — more people, more to keep running.
    case population
    /// 幅员面积 — a larger village has more road, water and land to look after.
    case area
    /// 地理区位 — the location class coefficient: the remoter the village, the dearer its upkeep.
    case location
    /// 村集体收入 — the inverse factor: the poorer the village, the more it gets.
    case income
    /// 工作绩效 — last year's assessment score (§7).
    case performance

    /// Whether a smaller value earns a larger share (s = (M − v) / Σ(M − v)), as collective income
    /// does; every other factor shares in proportion to its value (s = v / Σv).
    public var isInverse: Bool { self == .income }

    /// The village's value of this factor as the allocation counts it: people, hundredths of a km²,
    /// the location coefficient in tenths (1.2 is 12), fen of collective income, assessment points.
    /// Shares are ratios, so counting in hundredths or tenths changes no share.
    public func value(of village: VillageFactors) -> Int64 {
        switch self {
        case .population: Int64(village.population)
        case .area: Int64(village.areaHundredthsKm2)
        case .location: Int64(village.location.coefficientTenths)
        case .income: village.collectiveIncomeFen
        case .performance: Int64(village.performance)
        }
    }

    /// The values a village's data may hold: the bounds of the factor import, so that whatever was
    /// imported can be allocated, and every total of a county fits in 64 bits.
    public var allowedValues: ClosedRange<Int64> {
        switch self {
        case .population: 0...FactorImport.maxPopulation
        case .area: 0...FactorImport.maxAreaHundredthsKm2
        case .location: 0...Self.largestCoefficient
        case .income: 0...FactorImport.maxIncomeFen
        case .performance: 0...100
        }
    }

    /// `value` as a person reads it: `1200` people, `12.34` km², `1.2`, `5000.00` yuan, `85` points.
    public func text(of value: Int64) -> String {
        switch self {
        case .population, .performance: String(value)
        case .area: DecimalText.format(value, places: 2)
        case .location: DecimalText.format(value, places: 1)
        case .income: Money(fen: value).yuanString
        }
    }

    private static let largestCoefficient = Int64(LocationClass.allCases.map(\.coefficientTenths).max()!)

    /// The catalog key of the factor's name, for messages and column headings.
    public var catalogKey: String { "allocation_factor." + rawValue }
}
