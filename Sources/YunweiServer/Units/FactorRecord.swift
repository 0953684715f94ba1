import Fluent
import Vapor
import YunweiDomain

/// One village's factor data for one year (see `VillageFactors`).
final class FactorRecord: Model, @unchecked Sendable {
    static let schema = "village_factors"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "unit_id") var unit: AdminUnit
    @Field(key: "year") var year: Int
    @Field(key: "population") var population: Int
    @Field(key: "households") var households: Int
    @Field(key: "area_hundredths_km2") var areaHundredthsKm2: Int
    @Field(key: "location") var location: String
    @Field(key: "collective_income_fen") var collectiveIncomeFen: Int64
    @Field(key: "performance") var performance: Int

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] {
        [
            $id, $unit, $year, $population, $households, $areaHundredthsKm2, $location, $collectiveIncomeFen,
            $performance,
        ]
    }

    init() {}

    init(unitID: Int, _ factors: VillageFactors) {
        self.$unit.id = unitID
        update(from: factors)
    }

    func update(from factors: VillageFactors) {
        year = factors.year
        population = factors.population
        households = factors.households
        areaHundredthsKm2 = factors.areaHundredthsKm2
        location = factors.location.rawValue
        collectiveIncomeFen = factors.collectiveIncomeFen
        performance = factors.performance
    }

    func factors(unit code: UnitCode) -> VillageFactors {
        VillageFactors(
            unit: code, year: year, population: population, households: households,
            areaHundredthsKm2: areaHundredthsKm2, location: LocationClass(rawValue: location) ?? .plain,
            collectiveIncomeFen: collectiveIncomeFen, performance: performance)
    }

    var snapshot: [String: String] {
        [
            "year": String(year), "population": String(population), "households": String(households),
            "area_hundredths_km2": String(areaHundredthsKm2), "location": location,
            "collective_income_fen": String(collectiveIncomeFen), "performance": String(performance),
        ]
    }
}

struct CreateFactorRecords: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(FactorRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("unit_id", .int, .required, .references(AdminUnit.schema, "id"))
            .field("year", .int, .required)
            .field("population", .int, .required)
            .field("households", .int, .required)
            .field("area_hundredths_km2", .int, .required)
            .field("location", .string, .required)
            .field("collective_income_fen", .int64, .required)
            .field("performance", .int, .required)
            .unique(on: "unit_id", "year")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(FactorRecord.schema).delete()
    }
}
