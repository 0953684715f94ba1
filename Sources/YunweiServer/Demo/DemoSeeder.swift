import Fluent
import Vapor
import YunweiDomain

/// Writes the demo county (`DemoCounty`) into an empty database: units, two years of factor
/// data, and one user per role, all with the password `demo1234`.
enum DemoSeeder {
    static let password = "demo1234"

    /// Seeds when the database has no units yet; returns false when it was already seeded.
    static func seedIfEmpty(_ app: Application, scale: Int, progress: @escaping @Sendable (String) -> Void) async throws
        -> Bool
    {
        guard try await AdminUnit.query(on: app.db).count() == 0 else { return false }
        let plan = DemoCounty.plan(scale: scale)
        progress("units: \(plan.units.count), factor rows: \(plan.factors.count), users: \(plan.users.count)")
        let hash = try await app.password.async.hash(password)
        let author = AuditTrail.Author(id: nil, name: "demo")
        try await app.db.write { db in
            var units: [String: AdminUnit] = [:]
            for (index, planned) in plan.units.enumerated() {
                let unit = try await UnitRegistry.create(
                    code: planned.code.rawValue, name: planned.name, kind: planned.kind,
                    parentCode: planned.parent?.rawValue,
                    by: author, on: db)
                units[planned.code.rawValue] = unit
                if (index + 1) % 2000 == 0 { progress("units \(index + 1)/\(plan.units.count)") }
            }
            for (index, factors) in plan.factors.enumerated() {
                guard let village = units[factors.unit.rawValue] else { continue }
                try await UnitRegistry.setFactors(factors, for: village, by: author, on: db)
                if (index + 1) % 5000 == 0 { progress("factor rows \(index + 1)/\(plan.factors.count)") }
            }
            for person in plan.users {
                let user = try await UserRegistry.create(
                    username: person.username, displayName: person.displayName, phone: nil, passwordHash: hash,
                    by: author, on: db)
                for grant in person.grants {
                    guard let unit = units[grant.unit.rawValue] else { continue }
                    try await UserRegistry.grant(grant.role, at: unit, to: user, by: author, on: db)
                }
            }
            if let county = units[DemoCounty.countyCode.rawValue] {
                for category in DemoCategories.all {
                    try await CategoryRegistry.save(category, county: county, by: author, on: db)
                }
                try await Open311Clients.issue(
                    name: "演示 Open311 客户端", county: county, key: "demo-open311-key", by: author, on: db)
            }
        }
        let started = Date()
        let cases = try await DemoCases.seed(on: app.db, now: Date(), progress: progress)
        progress(String(format: "cases: %d in %.1f s", cases, Date().timeIntervalSince(started)))
        try await DemoFunds.seed(on: app.db, passwordHash: hash, now: Date(), progress: progress)
        return true
    }
}
