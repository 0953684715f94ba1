import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YunweiDomain

@testable import YunweiServer

@Suite("Units and factor data")
struct UnitsTests {
    @Test("a village clerk sees her village and its factors, and nothing of another village")
    func clerkScope() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let clerk = Browser(app)
            try await clerk.login("village_clerk")
            let own = try await clerk.get("/units/\(Fixture.villageA1)")
            #expect(own.status == .ok)
            #expect(own.body.string.contains("class=\"factors\""))
            #expect(try await clerk.get("/units/\(Fixture.villageA2)").status == .notFound)
            #expect(try await clerk.get("/units/\(Fixture.villageB1)").status == .notFound)
            #expect(try await clerk.get("/units/\(Fixture.townshipA)").status == .notFound)
            let tree = try await clerk.get("/units")
            #expect(tree.body.string.contains("桃源村"))
            #expect(!tree.body.string.contains("杏花村"))
        }
    }

    @Test("a township leader sees the township's villages but not the other township's")
    func townshipScope() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let leader = Browser(app)
            try await leader.login("township_leader")
            let township = try await leader.get("/units/\(Fixture.townshipA)")
            #expect(township.body.string.contains("桃源村"))
            #expect(township.body.string.contains("杏花村"))
            #expect(try await leader.get("/units/\(Fixture.villageB1)").status == .notFound)
            #expect(try await leader.get("/units/\(Fixture.townshipB)").status == .notFound)
        }
    }

    @Test("an admin adds a village; a wrong code is refused with a message and nothing is added")
    func adminAddsVillage() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let admin = Browser(app)
            try await admin.login("county_admin")
            let bad = try await admin.post(
                "/units", ["code": "510121999203", "name": "新村", "kind": "village", "parent": Fixture.townshipA])
            #expect(bad.status == .unprocessableEntity)
            #expect(
                bad.body.string.contains(
                    app.catalog.text(
                        "unit.error.code_not_under_parent", in: .zhHans,
                        ["value": "510121999203", "parent": Fixture.townshipA])))
            #expect(try await AdminUnit.query(on: app.db).filter(\.$code == "510121999203").count() == 0)
            let good = try await admin.post(
                "/units", ["code": "510121100203", "name": "新村", "kind": "village", "parent": Fixture.townshipA])
            #expect(good.status == .seeOther)
            let unit = try #require(try await AdminUnit.query(on: app.db).filter(\.$code == "510121100203").first())
            #expect(unit.path == "/\(Fixture.county)/\(Fixture.townshipA)/510121100203/")
            let record = try #require(try await AuditRecord.query(on: app.db).sort(\.$seq, .descending).first())
            #expect(record.action == "unit_create")
            #expect(record.actorName == "county_admin")
        }
    }

    @Test("a village clerk keeps her village's factor data; a bad number is refused")
    func clerkEditsFactors() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let clerk = Browser(app)
            try await clerk.login("village_clerk")
            let fields = [
                "year": "2027", "population": "1500", "households": "480", "area": "15.5", "location": "mountain",
                "income": "123,456.78", "performance": "88",
            ]
            #expect(try await clerk.post("/units/\(Fixture.villageA1)/factors", fields).status == .seeOther)
            let village = try #require(
                try await AdminUnit.query(on: app.db).filter(\.$code == Fixture.villageA1).first())
            let saved = try #require(
                try await FactorRecord.query(on: app.db).filter(\.$unit.$id == village.requireID()).filter(
                    \.$year == 2027
                ).first())
            #expect(saved.collectiveIncomeFen == 12_345_678)
            #expect(saved.areaHundredthsKm2 == 1550)
            var bad = fields
            bad["population"] = "many"
            bad["year"] = "2028"
            #expect(try await clerk.post("/units/\(Fixture.villageA1)/factors", bad).status == .unprocessableEntity)
            #expect(try await FactorRecord.query(on: app.db).filter(\.$year == 2028).count() == 0)
            // Not another village's data, and no renaming units.
            #expect(try await clerk.post("/units/\(Fixture.villageA2)/factors", fields).status == .notFound)
            #expect(try await clerk.post("/units/\(Fixture.villageA1)", ["name": "改名村"]).status == .forbidden)
        }
    }

    @Test("a bad units file is rejected whole with every error listed; a good one is imported")
    func importUnits() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let before = try await AdminUnit.query(on: app.db).count()
            let bad = Data(
                "\u{FEFF}代码,名称,类型,上级代码\n510121100203,新村,村,\(Fixture.townshipA)\n5101211,坏码村,村,\(Fixture.townshipA)\n510121100204,,村,999999999999\n"
                    .utf8)
            do {
                _ = try await Importer.run(.units, bad, by: .system, scope: nil, hasher: app.password.async, on: app.db)
                Issue.record("a bad file must be rejected")
            } catch let rejection as ImportRejection {
                #expect(rejection.issues.map(\.line).contains(3))
                #expect(rejection.issues.map(\.line).contains(4))
                #expect(rejection.issues.count >= 3)
            }
            #expect(try await AdminUnit.query(on: app.db).count() == before)
            let good = Data("code,name,kind,parent\n510121100203,新村,village,\(Fixture.townshipA)\n".utf8)
            let outcome = try await Importer.run(
                .units, good, by: .system, scope: nil, hasher: app.password.async, on: app.db)
            #expect(outcome.created == 1)
            #expect(try await AdminUnit.query(on: app.db).count() == before + 1)
        }
    }

    @Test("the import page lists a bad file's errors by line and column in the user's language")
    func importPage() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let admin = Browser(app, language: "en")
            try await admin.login("county_admin")
            #expect(try await admin.get("/imports").status == .ok)
            let csv =
                "unit,year,population,households,area,location,income,performance\n\(Fixture.villageA1),2027,lots,100,1.5,plain,10,50\n"
            let boundary = "----yunwei"
            var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(admin.csrf ?? "")\r\n"
            body +=
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.csv\"\r\nContent-Type: text/csv\r\n\r\n\(csv)\r\n--\(boundary)--\r\n"
            let cookies = admin.cookies
            let response = try await app.testing().sendRequest(.POST, "/imports/factors") { request in
                request.headers.replaceOrAdd(
                    name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
                request.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
                request.headers.replaceOrAdd(name: .acceptLanguage, value: "en")
                request.body = ByteBuffer(string: body)
            }
            #expect(response.status == .unprocessableEntity)
            #expect(response.body.string.contains("population"))
            #expect(try await FactorRecord.query(on: app.db).filter(\.$year == 2027).count() == 0)
        }
    }
}
