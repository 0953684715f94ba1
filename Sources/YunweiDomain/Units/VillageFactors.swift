/// One village's factor data for one year (used by allocation by factors 因素法).
public struct VillageFactors: Codable, Sendable, Hashable {
    public var unit: UnitCode
    public var year: Int
    /// 农村人口
    public var population: Int
    /// 户数
    public var households: Int
    /// 幅员面积 in hundredths of a km² (so 12.34 km² is 1234).
    public var areaHundredthsKm2: Int
    /// 地理区位
    public var location: LocationClass
    /// 村集体收入 in fen.
    public var collectiveIncomeFen: Int64
    /// 工作绩效 0–100.
    public var performance: Int

    public init(
        unit: UnitCode, year: Int, population: Int, households: Int, areaHundredthsKm2: Int,
        location: LocationClass, collectiveIncomeFen: Int64, performance: Int
    ) {
        self.unit = unit
        self.year = year
        self.population = population
        self.households = households
        self.areaHundredthsKm2 = areaHundredthsKm2
        self.location = location
        self.collectiveIncomeFen = collectiveIncomeFen
        self.performance = performance
    }
}
