import Foundation
import Testing

@testable import YunweiDomain

@Suite("The demo county")
struct DemoCountyTests {
    private let county = DemoCounty.plan()

    @Test("planning twice gives the same county")
    func deterministic() {
        #expect(DemoCounty.plan() == county)
        #expect(DemoCounty.plan(scale: 3) == DemoCounty.plan(scale: 3))
    }

    @Test("one county, eight townships, about 120 villages, two departments")
    func counts() {
        let count = { (kind: UnitKind) in county.units.filter { $0.kind == kind }.count }
        #expect(count(.county) == 1)
        #expect(count(.township) == 8)
        #expect((110...130).contains(count(.village)))
        #expect(count(.department) == 2)
        #expect(county.units.first?.code == UnitCode("510121000000"))
        #expect(
            county.units.filter { $0.kind == .township }.allSatisfy { $0.name.hasSuffix("镇") || $0.name.hasSuffix("乡") }
        )
        #expect(
            county.units.filter { $0.kind == .village }.allSatisfy { $0.name.hasSuffix("村") || $0.name.hasSuffix("社区") }
        )
    }

    @Test("every role has a user named after it at the first unit of its kind")
    func roleUsers() throws {
        let kinds = Dictionary(uniqueKeysWithValues: county.units.map { ($0.code, $0.kind) })
        for role in Role.allCases {
            let user = try #require(county.users.first { $0.username == role.rawValue })
            let firstOfKind = county.units.first { $0.kind == role.heldAt }?.code
            #expect(user.grants == [.init(role: role, unit: firstOfKind!)], "\(role)")
        }
        #expect(
            county.users.first { $0.username == "department_handler" }?.grants.first?.unit == UnitCode("510121100900"))
        for user in county.users {
            #expect(user.grants.allSatisfy { kinds[$0.unit] == $0.role.heldAt }, "\(user.username)")
            #expect(!user.displayName.isEmpty)
        }
        #expect(Set(county.users.map(\.username)).count == county.users.count)
    }

    @Test("second users sit at other units: village_clerk2 in another township")
    func secondUsers() throws {
        let parent = Dictionary(uniqueKeysWithValues: county.units.map { ($0.code, $0.parent) })
        let clerk = try #require(county.users.first { $0.username == "village_clerk" }?.grants.first?.unit)
        let clerk2 = try #require(county.users.first { $0.username == "village_clerk2" }?.grants.first?.unit)
        #expect(parent[clerk] != parent[clerk2])
        let leader2 = try #require(county.users.first { $0.username == "township_leader2" }?.grants.first?.unit)
        #expect(leader2 == UnitCode("510121101000"))
    }

    @Test("codes are unique and fit their parents, parents come first", arguments: [1, 10, 100])
    func validTree(scale: Int) {
        let plan = scale == 1 ? county : DemoCounty.plan(scale: scale)
        var seen: [UnitCode: UnitKind] = [:]
        for unit in plan.units {
            #expect(seen[unit.code] == nil, "\(unit.code) twice")
            if let parent = unit.parent {
                #expect(seen[parent].map(unit.kind.allowedParents.contains) == true, "\(unit.code) before \(parent)")
                #expect(unit.code.fits(under: parent, as: unit.kind), "\(unit.code)")
            } else {
                #expect(unit.kind == .county)
            }
            seen[unit.code] = unit.kind
        }
        let villages = plan.units.filter { $0.kind == .village }
        #expect(villages.count == 120 * scale)
        #expect(plan.units.filter { $0.kind == .county }.count == 1)
        #expect(plan.factors.count == villages.count * DemoCounty.years.count)
    }

    @Test("factor data is plausible and changes a little from year to year")
    func factors() {
        for row in county.factors {
            #expect((300...4_000).contains(row.population))
            #expect(row.households > row.population / 4 && row.households < row.population / 2)
            #expect((200...4_000).contains(row.areaHundredthsKm2))
            #expect((0...50_000_000).contains(row.collectiveIncomeFen))
            #expect((60...100).contains(row.performance))
        }
        #expect(Set(county.factors.map(\.location)) == Set(LocationClass.allCases))
        let first = county.factors.filter { $0.year == 2025 }
        let second = county.factors.filter { $0.year == 2026 }
        #expect(first.map(\.unit) == second.map(\.unit))
        #expect(
            zip(first, second).allSatisfy { $0.location == $1.location && $0.areaHundredthsKm2 == $1.areaHundredthsKm2 }
        )
        #expect(zip(first, second).contains { $0.population != $1.population })
    }

    @Test("mountain villages are more common in the western townships")
    func terrain() {
        let township = Dictionary(uniqueKeysWithValues: county.units.map { ($0.code, $0.parent) })
        let mountainous = { (code: String) in
            county.factors.filter { $0.year == 2025 && township[$0.unit] == UnitCode(code) }
                .filter { $0.location == .mountain || $0.location == .remote }.count
        }
        #expect(mountainous("510121107000") > mountainous("510121100000"))
    }

    @Test("a village's data does not depend on the scale the county was planned at")
    func stableAcrossScales() {
        let bigger = DemoCounty.plan(scale: 2)
        let villagesOfScaleOne = Set(county.factors.map(\.unit))
        #expect(bigger.factors.filter { villagesOfScaleOne.contains($0.unit) } == county.factors)
    }

    @Test("the demo passes the same checks as an imported county")
    func passesImports() throws {
        let unitRows =
            [["code", "name", "kind", "parent"]]
            + county.units.map { [$0.code.rawValue, $0.name, $0.kind.rawValue, $0.parent?.rawValue ?? ""] }
        let kinds = Dictionary(uniqueKeysWithValues: county.units.map { ($0.code, $0.kind) })
        let units = try UnitImport.read(CSVTable.excelData(unitRows), existing: [:])
        #expect(try UnitImport.read(CSVTable.excelData(unitRows), existing: kinds).count == units.count)
        #expect(units.map(\.code) == county.units.sorted { ($0.kind, $0.code) < ($1.kind, $1.code) }.map(\.code))

        let factorRows =
            [["unit", "year", "population", "households", "area", "location", "income", "performance"]]
            + county.factors.map {
                [
                    $0.unit.rawValue, String($0.year), String($0.population), String($0.households),
                    DecimalText.format(Int64($0.areaHundredthsKm2), places: 2), $0.location.rawValue,
                    DecimalText.format($0.collectiveIncomeFen, places: 2), String($0.performance),
                ]
            }
        let villages = Set(county.units.filter { $0.kind == .village }.map(\.code))
        #expect(try FactorImport.read(CSVTable.excelData(factorRows), villages: villages) == county.factors)

        let userRows =
            [["username", "name", "role", "unit"]]
            + county.users.flatMap { user in
                user.grants.map { [user.username, user.displayName, $0.role.rawValue, $0.unit.rawValue] }
            }
        let users = try UserImport.read(CSVTable.excelData(userRows), units: kinds)
        #expect(users.map(\.grants) == county.users.map(\.grants))
    }
}
