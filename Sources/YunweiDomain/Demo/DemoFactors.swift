/// Plausible factor data for a demo village. Each village's numbers come from its own seed (its
/// code), so they do not change when the county is planned at another scale.
enum DemoFactors {
    static func village(_ code: UnitCode, year: Int, terrain: [Int]) -> VillageFactors {
        var random = SplitMix64(seed: UInt64(code.rawValue)! ^ 0x59_75_6E_77_65_69)  // "Yunwei"
        let location = LocationClass.allCases[random.pick(weights: terrain)]
        var population = random.int(in: 300...4_000)
        var households = population / 3 + random.int(in: -population / 30...population / 30)
        let area = random.int(in: areaRange(location))
        // About one village in eight is a "hollow" village 空壳村 with no collective income;
        // the rest earn less the further they are from the plain.
        let hasIncome = random.int(in: 1...8) > 1
        var incomeYuan = hasIncome ? random.int(in: 0...maxIncomeYuan(location)) : 0
        var performance = random.int(in: 60...100)

        // Each later year drifts a little from the year before, as real registers do.
        for _ in DemoCounty.years[0]..<year {
            population = min(4_000, max(300, population + random.int(in: -population / 50...population / 50)))
            households = min(population, max(1, households + random.int(in: -households / 50...households / 50)))
            incomeYuan =
                hasIncome ? max(0, min(500_000, incomeYuan + random.int(in: -incomeYuan / 5...incomeYuan / 5))) : 0
            performance = random.int(in: 60...100)
        }
        return VillageFactors(
            unit: code, year: year, population: population, households: households, areaHundredthsKm2: area,
            location: location, collectiveIncomeFen: Int64(incomeYuan) * 100, performance: performance)
    }

    /// Hundredths of a km²: mountain villages are larger.
    private static func areaRange(_ location: LocationClass) -> ClosedRange<Int> {
        switch location {
        case .plain: 200...1_500
        case .hill: 500...2_500
        case .mountain: 1_200...4_000
        case .remote: 2_000...4_000
        }
    }

    private static func maxIncomeYuan(_ location: LocationClass) -> Int {
        switch location {
        case .plain: 500_000
        case .hill: 300_000
        case .mountain: 150_000
        case .remote: 80_000
        }
    }
}
