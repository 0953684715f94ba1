import Fluent
import Foundation
import Vapor
import YunweiDomain

@testable import YunweiServer

/// A small county for tests: two townships with two villages each, a department, and one user
/// per role at the first unit of its kind (named after the role), plus `village_clerk2` at the
/// other township's village. Every password is `secret123`.
enum Fixture {
    static let password = "secret123"
    static let county = "510121000000"
    static let townshipA = "510121100000"
    static let townshipB = "510121101000"
    static let villageA1 = "510121100201"
    static let villageA2 = "510121100202"
    static let villageB1 = "510121101201"
    static let villageB2 = "510121101202"
    static let department = "510121100900"

    static func seed(_ app: Application) async throws {
        let hash = try await app.password.async.hash(password)
        try await app.db.write { db in
            let author = AuditTrail.Author.system
            var units: [String: AdminUnit] = [:]
            let plan: [(String, String, UnitKind, String?)] = [
                (county, "云岭县", .county, nil),
                (townshipA, "青山镇", .township, county),
                (townshipB, "石门乡", .township, county),
                (villageA1, "桃源村", .village, townshipA),
                (villageA2, "杏花村", .village, townshipA),
                (villageB1, "柳树村", .village, townshipB),
                (villageB2, "松林村", .village, townshipB),
                (department, "青山镇农业服务中心", .department, townshipA),
            ]
            for (code, name, kind, parent) in plan {
                units[code] = try await UnitRegistry.create(
                    code: code, name: name, kind: kind, parentCode: parent, by: author, on: db)
            }
            for (index, village) in [villageA1, villageA2, villageB1, villageB2].enumerated() {
                for year in [2025, 2026] {
                    let factors = VillageFactors(
                        unit: UnitCode(village)!, year: year, population: 1000 + index * 100,
                        households: 300 + index * 30,
                        areaHundredthsKm2: 1234, location: .hill, collectiveIncomeFen: 5_000_000, performance: 80)
                    try await UnitRegistry.setFactors(factors, for: units[village]!, by: author, on: db)
                }
            }
            for role in Role.allCases {
                let unit: String =
                    switch role.heldAt {
                    case .county: county
                    case .township: townshipA
                    case .department: department
                    default: villageA1
                    }
                let user = try await UserRegistry.create(
                    username: role.rawValue, displayName: role.rawValue, phone: nil, passwordHash: hash, by: author,
                    on: db)
                try await UserRegistry.grant(role, at: units[unit]!, to: user, by: author, on: db)
            }
            let clerk2 = try await UserRegistry.create(
                username: "village_clerk2", displayName: "clerk2", phone: nil, passwordHash: hash, by: author, on: db)
            try await UserRegistry.grant(.villageClerk, at: units[villageB1]!, to: clerk2, by: author, on: db)
        }
    }
}
