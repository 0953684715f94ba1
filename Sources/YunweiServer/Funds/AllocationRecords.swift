import Fluent
import Foundation
import SQLKit
import YunweiDomain

/// One version of a county's allocation by factors for one year (DOMAIN.md §4.2), as stored: its
/// inputs (pool, base, weights in millionths) and status. The table itself is in
/// `AllocationRowRecord`; explanations are recomputed from the stored inputs on read, as
/// `AllocationByFactors.allocate` is deterministic.
final class AllocationRecord: Model, @unchecked Sendable {
    static let schema = "allocations"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "county_id") var county: AdminUnit
    @Field(key: "year") var year: Int
    @Field(key: "version") var version: Int
    @Field(key: "status") var status: String
    @Field(key: "pool_fen") var poolFen: Int64
    @Field(key: "base_fen") var baseFen: Int64
    @Field(key: "weight_population") var weightPopulation: Int64
    @Field(key: "weight_area") var weightArea: Int64
    @Field(key: "weight_location") var weightLocation: Int64
    @Field(key: "weight_income") var weightIncome: Int64
    @Field(key: "weight_performance") var weightPerformance: Int64
    /// Why this version replaced the one before it; nil for version 1.
    @OptionalField(key: "reason") var reason: String?
    @OptionalParent(key: "revises_id") var revises: AllocationRecord?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "created_by") var createdBy: Int?
    @OptionalField(key: "approved_at") var approvedAt: Date?
    @OptionalField(key: "approved_by") var approvedBy: Int?
    @OptionalField(key: "published_at") var publishedAt: Date?
    @OptionalField(key: "published_by") var publishedBy: Int?

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] {
        [
            $id, $county, $year, $version, $status, $poolFen, $baseFen, $weightPopulation, $weightArea, $weightLocation,
            $weightIncome, $weightPerformance, $reason, $revises, $createdAt, $createdBy, $approvedAt, $approvedBy,
            $publishedAt, $publishedBy,
        ]
    }

    init() {}

    var allocationStatus: AllocationStatus { AllocationStatus(rawValue: status) ?? .draft }

    var weightMillionths: [AllocationFactor: Int64] {
        [
            .population: weightPopulation, .area: weightArea, .location: weightLocation, .income: weightIncome,
            .performance: weightPerformance,
        ]
    }

    func setWeights(_ weights: AllocationWeights) {
        weightPopulation = weights.population
        weightArea = weights.area
        weightLocation = weights.location
        weightIncome = weights.income
        weightPerformance = weights.performance
    }

    /// What the audit trail keeps of a version.
    var snapshot: [String: String] {
        var fields = [
            "year": String(year), "version": String(version), "status": status, "pool_fen": String(poolFen),
            "base_fen": String(baseFen),
        ]
        for (factor, weight) in weightMillionths { fields["weight_" + factor.rawValue] = String(weight) }
        if let reason { fields["reason"] = reason }
        if let revises = $revises.id { fields["revises"] = String(revises) }
        return fields
    }
}

/// One village's line of a stored allocation: the factor data it was computed from, what the
/// village got, and its share of each factor in parts per million (for queries and exports; the
/// exact shares are recomputed from the inputs).
final class AllocationRowRecord: Model, @unchecked Sendable {
    static let schema = "allocation_rows"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "allocation_id") var allocation: AllocationRecord
    @Parent(key: "village_id") var village: AdminUnit
    @Field(key: "unit_code") var unitCode: String
    @Field(key: "amount_fen") var amountFen: Int64
    @Field(key: "population") var population: Int
    @Field(key: "households") var households: Int
    @Field(key: "area_hundredths_km2") var areaHundredthsKm2: Int
    @Field(key: "location") var location: String
    @Field(key: "collective_income_fen") var collectiveIncomeFen: Int64
    @Field(key: "performance") var performance: Int
    @Field(key: "population_share_ppm") var populationSharePPM: Int64
    @Field(key: "area_share_ppm") var areaSharePPM: Int64
    @Field(key: "location_share_ppm") var locationSharePPM: Int64
    @Field(key: "income_share_ppm") var incomeSharePPM: Int64
    @Field(key: "performance_share_ppm") var performanceSharePPM: Int64

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] {
        [
            $id, $allocation, $village, $unitCode, $amountFen, $population, $households, $areaHundredthsKm2, $location,
            $collectiveIncomeFen, $performance, $populationSharePPM, $areaSharePPM, $locationSharePPM, $incomeSharePPM,
            $performanceSharePPM,
        ]
    }

    init() {}

    init(allocationID: Int, villageID: Int, row: AllocationRow) {
        $allocation.id = allocationID
        $village.id = villageID
        unitCode = row.unit.rawValue
        amountFen = row.amount.fen
        population = row.factors.population
        households = row.factors.households
        areaHundredthsKm2 = row.factors.areaHundredthsKm2
        location = row.factors.location.rawValue
        collectiveIncomeFen = row.factors.collectiveIncomeFen
        performance = row.factors.performance
        populationSharePPM = row.share(of: .population).partsPerMillion
        areaSharePPM = row.share(of: .area).partsPerMillion
        locationSharePPM = row.share(of: .location).partsPerMillion
        incomeSharePPM = row.share(of: .income).partsPerMillion
        performanceSharePPM = row.share(of: .performance).partsPerMillion
    }

    /// The factor data the row was computed from.
    func factors(year: Int) -> VillageFactors {
        VillageFactors(
            unit: UnitCode(unitCode)!, year: year, population: population, households: households,
            areaHundredthsKm2: areaHundredthsKm2, location: LocationClass(rawValue: location) ?? .plain,
            collectiveIncomeFen: collectiveIncomeFen, performance: performance)
    }
}

/// The allocation tables. One version number per county and year; rows are read by allocation.
struct CreateAllocations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AllocationRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("county_id", .int, .required, .references(AdminUnit.schema, "id"))
            .field("year", .int, .required)
            .field("version", .int, .required)
            .field("status", .string, .required)
            .field("pool_fen", .int64, .required)
            .field("base_fen", .int64, .required)
            .field("weight_population", .int64, .required)
            .field("weight_area", .int64, .required)
            .field("weight_location", .int64, .required)
            .field("weight_income", .int64, .required)
            .field("weight_performance", .int64, .required)
            .field("reason", .string)
            .field("revises_id", .int, .references(AllocationRecord.schema, "id"))
            .field("created_at", .datetime, .required)
            .field("created_by", .int, .references(User.schema, "id"))
            .field("approved_at", .datetime)
            .field("approved_by", .int, .references(User.schema, "id"))
            .field("published_at", .datetime)
            .field("published_by", .int, .references(User.schema, "id"))
            .unique(on: "county_id", "year", "version")
            .create()
        try await database.schema(AllocationRowRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("allocation_id", .int, .required, .references(AllocationRecord.schema, "id"))
            .field("village_id", .int, .required, .references(AdminUnit.schema, "id"))
            .field("unit_code", .string, .required)
            .field("amount_fen", .int64, .required)
            .field("population", .int, .required)
            .field("households", .int, .required)
            .field("area_hundredths_km2", .int, .required)
            .field("location", .string, .required)
            .field("collective_income_fen", .int64, .required)
            .field("performance", .int, .required)
            .field("population_share_ppm", .int64, .required)
            .field("area_share_ppm", .int64, .required)
            .field("location_share_ppm", .int64, .required)
            .field("income_share_ppm", .int64, .required)
            .field("performance_share_ppm", .int64, .required)
            .unique(on: "allocation_id", "village_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AllocationRowRecord.schema).delete()
        try await database.schema(AllocationRecord.schema).delete()
    }
}
