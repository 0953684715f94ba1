import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import YunweiDomain

@testable import YunweiServer

@Suite("Allocation JSON API")
struct AllocationAPITests {
    static var weights: [String: Any] {
        [
            "population": 0.4, "area": 0.2, "location": 0.15, "income": 0.15, "performance": 0.1,
        ]
    }
    static let pool: Int64 = 10_000_001
    static let base: Int64 = 1_000_003

    static func body(pool: Int64 = pool, base: Int64 = base, weights: [String: Any] = weights) -> [String: Any] {
        ["year": 2026, "pool": pool, "base": base, "weights": weights]
    }

    /// The table the domain computes from the fixture's 2026 factor data.
    static func expected(on db: any Database) async throws -> Allocation {
        var villages: [VillageFactors] = []
        for code in [Fixture.villageA1, Fixture.villageA2, Fixture.villageB1, Fixture.villageB2] {
            let unit = try #require(try await AdminUnit.query(on: db).filter(\.$code == code).first())
            let record = try #require(
                try await FactorRecord.query(on: db).filter(\.$unit.$id == unit.requireID()).filter(\.$year == 2026)
                    .first())
            villages.append(record.factors(unit: unit.unitCode))
        }
        let weights = try AllocationWeights.parse([
            .population: "0.4", .area: "0.2", .location: "0.15", .income: "0.15", .performance: "0.1",
        ]).get()
        return try AllocationByFactors.allocate(
            AllocationRequest(
                year: 2026, pool: Money(fen: pool), base: Money(fen: base), weights: weights, villages: villages)
        ).get()
    }

    static func auditCount(_ action: String, on db: any Database) async throws -> Int {
        try await AuditRecord.query(on: db).filter(\.$action == action).count()
    }

    @Test("a county of over 5,000 villages is allocated on either database (PostgreSQL's parameter limit)")
    func largeCounty() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let county = try #require(try await AdminUnit.query(on: app.db).filter(\.$code == Fixture.county).first())
            let sql = app.db.sql
            let now = Date()
            for township in 2...7 {
                let code = "510121\(100 + township)000"
                try await sql.raw(
                    """
                    INSERT INTO units (code, name, kind, parent_id, path, created_at, updated_at)
                    VALUES (\(bind: code), \(bind: "乡\(township)"), 'township', \(bind: try county.requireID()),
                      \(bind: "\(county.path)\(code)/"), \(bind: now), \(bind: now))
                    """
                ).run()
                let parent = try #require(try await AdminUnit.query(on: app.db).filter(\.$code == code).first())
                for start in stride(from: 1, through: 850, by: 425) {
                    let values = (start..<start + 425).map { number in
                        let village = String(code.prefix(9)) + String(format: "%03d", number)
                        return SQLQueryString(
                            "(\(bind: village), \(bind: "村\(number)"), 'village', \(bind: try! parent.requireID()), \(bind: parent.path + village + "/"), \(bind: now), \(bind: now))"
                        )
                    }
                    try await sql.raw(
                        "INSERT INTO units (code, name, kind, parent_id, path, created_at, updated_at) VALUES \(values.joined(separator: ", "))"
                    ).run()
                }
            }
            try await sql.raw(
                """
                INSERT INTO village_factors (unit_id, year, population, households, area_hundredths_km2, location,
                  collective_income_fen, performance)
                SELECT id, 2026, 1000 + id % 700, 300 + id % 200, 500 + id % 900, 'plain', 10000000 + id % 5000, 60 + id % 40
                FROM units WHERE kind = 'village' AND code NOT IN
                  (\(bind: Fixture.villageA1), \(bind: Fixture.villageA2), \(bind: Fixture.villageB1), \(bind: Fixture.villageB2))
                """
            ).run()
            let villages = try await AdminUnit.query(on: app.db).filter(\.$kind == "village").filter(
                \.$path =~ county.path
            )
            .count()
            #expect(villages == 6 * 850 + 4)
            let created = try await APIClient(app: app).post(
                "/api/v1/allocations", Self.body(pool: Int64(villages) * 3_000_000, base: 1_000_000),
                as: "county_admin")
            #expect(created.status == .created, "\(created.body.string.prefix(300))")
            let id = try #require(created.json["id"] as? Int)
            #expect(try await AllocationRowRecord.query(on: app.db).filter(\.$allocation.$id == id).count() == villages)
        }
    }

    @Test("a draft's rows add up to the pool exactly and are the domain's table; it is approved once")
    func createAndApprove() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let api = APIClient(app: app)
            let created = try await api.post("/api/v1/allocations", Self.body(), as: "county_admin")
            #expect(created.status == .created, "\(created.body.string)")
            let json = created.json
            let id = try #require(json["id"] as? Int)
            #expect(json["status"] as? String == "draft")
            #expect(json["version"] as? Int == 1)
            #expect(json["year"] as? Int == 2026)
            #expect(json["county"] as? String == Fixture.county)
            #expect((json["pool"] as? NSNumber)?.int64Value == Self.pool)
            #expect((json["weights"] as? [String: Any])?["population"] as? Double == 0.4)
            let rows = try #require(json["rows"] as? [[String: Any]])
            #expect(rows.count == 4)
            let total = rows.reduce(Int64(0)) { $0 + (($1["amount"] as? NSNumber)?.int64Value ?? 0) }
            #expect(total == Self.pool)

            let expected = try await Self.expected(on: app.db)
            #expect(rows.map { $0["unit"] as? String } == expected.rows.map(\.unit.rawValue))
            for (row, domain) in zip(rows, expected.rows) {
                #expect((row["amount"] as? NSNumber)?.int64Value == domain.amount.fen)
                let factors = try #require(row["factors"] as? [String: [String: Any]])
                for factor in AllocationFactor.allCases {
                    #expect(factors[factor.rawValue]?["share"] as? String == domain.share(of: factor).decimalText)
                    #expect(
                        (factors[factor.rawValue]?["value"] as? NSNumber)?.int64Value
                            == factor.value(of: domain.factors))
                }
            }
            #expect(rows.first?["name"] as? String == "桃源村")
            let population = (rows.first?["factors"] as? [String: [String: Any]])?["population"]
            #expect(population?["value"] as? Int == 1000)
            #expect(population?["share"] as? String == "0.217391")  // 1000 / 4600

            let shown = try await api.get("/api/v1/allocations/\(id)", as: "county_auditor")
            #expect(shown.status == .ok)
            #expect((shown.json["rows"] as? [[String: Any]])?.count == 4)
            #expect(try await Self.auditCount("allocation_create", on: app.db) == 1)

            let approved = try await api.post("/api/v1/allocations/\(id)/approve", [:], as: "county_admin")
            #expect(approved.status == .ok, "\(approved.body.string)")
            #expect(approved.json["status"] as? String == "approved")
            #expect(approved.json["approved_at"] is String)
            let again = try await api.post("/api/v1/allocations/\(id)/approve", [:], as: "county_admin")
            #expect(again.status == .conflict)
            #expect((again.json["error"] as? [String: Any])?["code"] as? String == "conflict")
            #expect(try await Self.auditCount("allocation_approve", on: app.db) == 1)
            let record = try #require(try await AllocationRecord.find(id, on: app.db))
            #expect(record.status == "approved")
            #expect(record.approvedBy != nil)

            let twice = try await api.post("/api/v1/allocations", Self.body(), as: "county_admin")
            #expect(twice.status == .conflict)
            #expect(try await AllocationRecord.query(on: app.db).count() == 1)
        }
    }

    @Test("a village clerk may neither create nor approve, and sees a draft not at all")
    func clerkRefused() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let api = APIClient(app: app)
            let refused = try await api.post("/api/v1/allocations", Self.body(), as: "village_clerk")
            #expect(refused.status == .forbidden)
            #expect(try await AllocationRecord.query(on: app.db).count() == 0)
            let created = try await api.post("/api/v1/allocations", Self.body(), as: "county_admin")
            let id = try #require(created.json["id"] as? Int)
            let approve = try await api.post("/api/v1/allocations/\(id)/approve", [:], as: "village_clerk")
            #expect(approve.status == .forbidden)
            #expect(try await AllocationRecord.find(id, on: app.db)?.status == "draft")
            #expect(try await api.get("/api/v1/allocations/\(id)", as: "village_clerk").status == .notFound)
            #expect(try await api.get("/api/v1/allocations/\(id)", as: "township_leader").status == .notFound)
            #expect(try await Self.auditCount("allocation_approve", on: app.db) == 0)
        }
    }

    @Test("another county's admin finds neither the allocation nor a way to approve it")
    func otherCounty() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let hash = try await app.password.async.hash(Fixture.password)
            try await app.db.write { db in
                let other = try await UnitRegistry.create(
                    code: "510122000000", name: "云溪县", kind: .county, parentCode: nil, by: .system, on: db)
                let admin = try await UserRegistry.create(
                    username: "other_admin", displayName: "other", phone: nil, passwordHash: hash, by: .system, on: db)
                try await UserRegistry.grant(.countyAdmin, at: other, to: admin, by: .system, on: db)
            }
            let api = APIClient(app: app)
            let created = try await api.post("/api/v1/allocations", Self.body(), as: "county_admin")
            let id = try #require(created.json["id"] as? Int)
            #expect(try await api.get("/api/v1/allocations/\(id)", as: "other_admin").status == .notFound)
            let approve = try await api.post("/api/v1/allocations/\(id)/approve", [:], as: "other_admin")
            #expect(approve.status == .notFound)
            var body = Self.body()
            body["county"] = Fixture.county
            let foreign = try await api.post("/api/v1/allocations", body, as: "other_admin")
            #expect(foreign.status == .notFound)
            #expect(try await AllocationRecord.find(id, on: app.db)?.status == "draft")
            #expect(try await AllocationRecord.query(on: app.db).count() == 1)
        }
    }

    @Test("bad input is a 422 naming every field, in the caller's language, and stores nothing")
    func badInput() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let api = APIClient(app: app)
            var weights = Self.weights
            weights["population"] = 0.5
            let bad = try await api.post(
                "/api/v1/allocations", Self.body(pool: -5, weights: weights), as: "county_admin")
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.detailFields == ["weights", "pool"])

            let token = try await api.token("county_admin")
            let data = try JSONSerialization.data(withJSONObject: Self.body(weights: weights))
            let english = try await app.testing().sendRequest(.POST, "/api/v1/allocations") { request in
                request.headers.bearerAuthorization = .init(token: token)
                request.headers.contentType = .json
                request.headers.replaceOrAdd(name: .acceptLanguage, value: "en")
                request.body = ByteBuffer(data: data)
            }
            #expect(english.status == .unprocessableEntity)
            let details = (english.json["error"] as? [String: Any])?["details"] as? [[String: Any]] ?? []
            #expect(details.first?["field"] as? String == "weights")
            #expect(
                details.first?["message"] as? String
                    == "The factor weights must add up to exactly 1; they add up to 1.1.")

            let chinese = try await api.post("/api/v1/allocations", Self.body(weights: weights), as: "county_admin")
            let message = ((chinese.json["error"] as? [String: Any])?["details"] as? [[String: Any]])?.first?["message"]
            #expect((message as? String)?.contains("各因素权重之和") == true)

            let tooBig = try await api.post(
                "/api/v1/allocations", Self.body(pool: 1000, base: 300), as: "county_admin")
            #expect(tooBig.status == .unprocessableEntity)
            #expect(tooBig.detailFields == ["base"])

            var typed = Self.weights
            typed["area"] = "a fifth"
            let notNumber = try await api.post("/api/v1/allocations", Self.body(weights: typed), as: "county_admin")
            #expect(notNumber.status == .unprocessableEntity)
            #expect(notNumber.detailFields == ["weights.area"])

            let missing = try await api.post("/api/v1/allocations", ["weights": Self.weights], as: "county_admin")
            #expect(missing.detailFields == ["year", "pool", "base"])

            #expect(try await AllocationRecord.query(on: app.db).count() == 0)
            #expect(try await AllocationRowRecord.query(on: app.db).count() == 0)
            #expect(try await Self.auditCount("allocation_create", on: app.db) == 0)
        }
    }

    @Test("a village without factor data of the year is named")
    func missingFactors() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let village = try #require(
                try await AdminUnit.query(on: app.db).filter(\.$code == Fixture.villageB2).first())
            try await FactorRecord.query(on: app.db).filter(\.$unit.$id == village.requireID())
                .filter(\.$year == 2026).delete()
            let api = APIClient(app: app)
            let refused = try await api.post("/api/v1/allocations", Self.body(), as: "county_admin")
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.detailFields == ["villages.\(Fixture.villageB2)"])
            #expect(refused.body.string.contains("松林村"))
            #expect(try await AllocationRecord.query(on: app.db).count() == 0)
        }
    }

    @Test("published versions are seen in the villages; a revision is version 2 with its reason")
    func publishAndRevise() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let api = APIClient(app: app)
            let admin = try await loadActor("county_admin", on: app.db)
            let created = try await api.post("/api/v1/allocations", Self.body(), as: "county_admin")
            let id = try #require(created.json["id"] as? Int)
            let setup = AllocationDesk.Setup(
                year: 2026, pool: Money(fen: 20_000_000), base: .zero,
                weights: [.population: "1", .area: "0", .location: "0", .income: "0", .performance: "0"])
            await #expect(throws: YunweiError.self) {
                try await AllocationDesk.revise(id, with: setup, reason: "追加资金", by: admin, on: app.db)
            }
            await #expect(throws: YunweiError.self) { try await AllocationDesk.publish(id, by: admin, on: app.db) }
            try await AllocationDesk.approve(id, by: admin, on: app.db)
            try await AllocationDesk.publish(id, by: admin, on: app.db)
            let seen = try await api.get("/api/v1/allocations/\(id)", as: "village_clerk")
            #expect(seen.status == .ok)
            #expect(seen.json["status"] as? String == "published")
            await #expect(throws: CaseDesk.InputError.self) {
                try await AllocationDesk.revise(id, with: setup, reason: "  ", by: admin, on: app.db)
            }
            let revised = try await AllocationDesk.revise(id, with: setup, reason: "追加资金", by: admin, on: app.db)
            #expect(revised.version == 2)
            #expect(revised.status == "draft")
            #expect(revised.$revises.id == id)
            #expect(revised.reason == "追加资金")
            let shown = try await api.get("/api/v1/allocations/\(try revised.requireID())", as: "county_admin")
            #expect(shown.json["reason"] as? String == "追加资金")
            let amounts = (shown.json["rows"] as? [[String: Any]] ?? []).map { ($0["amount"] as? NSNumber)?.int64Value }
            #expect(amounts == [4_347_826, 4_782_609, 5_217_391, 5_652_174])  // 20,000,000 by 10:11:12:13
            // The old version is replaced: it is not revised again.
            await #expect(throws: YunweiError.self) {
                try await AllocationDesk.revise(id, with: setup, reason: "再调整", by: admin, on: app.db)
            }
            for action in ["allocation_create", "allocation_approve", "allocation_publish", "allocation_revise"] {
                #expect(try await Self.auditCount(action, on: app.db) == 1, "\(action)")
            }
            let records = try await AuditRecord.query(on: app.db).count()
            #expect(try await AuditTrail.verify(on: app.db) == .intact(count: records))
        }
    }
}
