import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YunweiDomain

@testable import YunweiServer

/// A client of the JSON API: a bearer token per person, JSON in and out.
struct APIClient {
    let app: Application

    func token(_ username: String) async throws -> String {
        let response = try await app.testing().sendRequest(.POST, "/api/v1/tokens") { request in
            try request.content.encode(["username": username, "password": Fixture.password], as: .json)
        }
        return try response.content.get(String.self, at: "token")
    }

    func get(_ path: String, as username: String) async throws -> TestingHTTPResponse {
        let token = try await token(username)
        return try await app.testing().sendRequest(.GET, path) { request in
            request.headers.bearerAuthorization = .init(token: token)
        }
    }

    func post(_ path: String, _ body: [String: Any], as username: String) async throws -> TestingHTTPResponse {
        let token = try await token(username)
        let data = try JSONSerialization.data(withJSONObject: body)
        return try await app.testing().sendRequest(.POST, path) { request in
            request.headers.bearerAuthorization = .init(token: token)
            request.headers.contentType = .json
            request.body = ByteBuffer(data: data)
        }
    }
}

extension TestingHTTPResponse {
    /// The body as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.string.utf8))) as? [String: Any] ?? [:]
    }

    /// The fields of a 422's `details`.
    var detailFields: Set<String> {
        let details = (json["error"] as? [String: Any])?["details"] as? [[String: Any]] ?? []
        return Set(details.compactMap { $0["field"] as? String })
    }
}

@Suite("Case JSON API")
struct CaseAPITests {
    static let roadDamage = CaseDeskTests.roadDamage

    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        return formatter.string(from: date)
    }

    @Test("a case's whole life through the API: reported, dispatched, accepted, resolved, closed by feedback")
    func wholeLife() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            try await seedCategories(app)
            let api = APIClient(app: app)
            let created = try await api.post(
                "/api/v1/cases",
                [
                    "category": Self.roadDamage, "description": "村口道路塌陷一处，约两米宽", "lat": 30.65, "long": 104.06,
                    "address": "3组村口",
                ], as: "grid_worker")
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? Int)
            #expect(created.json["state"] as? String == "reported")
            #expect(created.json["village"] as? String == Fixture.villageA1)
            #expect(created.json["source"] as? String == "api")
            #expect(created.json["lat"] as? Double == 30.65)
            // Times carry their zone.
            let reportedAt = try #require(created.json["reported_at"] as? String)
            #expect(reportedAt.hasSuffix("Z") || reportedAt.contains("+"))

            let dispatcherSees = try await api.get("/api/v1/cases/\(id)", as: "township_dispatcher")
            #expect((dispatcherSees.json["actions"] as? [String])?.contains("dispatch") == true)
            let deadline = Self.iso(Date().addingTimeInterval(48 * 3600))
            let dispatched = try await api.post(
                "/api/v1/cases/\(id)/actions",
                ["action": "dispatch", "handler": Fixture.villageA1, "deadline": deadline],
                as: "township_dispatcher")
            #expect(dispatched.status == .ok)
            #expect(dispatched.json["state"] as? String == "dispatched")
            #expect(dispatched.json["handler"] as? String == Fixture.villageA1)
            #expect(dispatched.json["deadline"] is String)

            let accepted = try await api.post("/api/v1/cases/\(id)/actions", ["action": "accept"], as: "village_head")
            #expect(accepted.json["state"] as? String == "in_progress")
            let resolved = try await api.post(
                "/api/v1/cases/\(id)/actions", ["action": "resolve", "note": "已修复路面"], as: "village_head")
            #expect(resolved.json["state"] as? String == "resolved")
            #expect(resolved.json["resolved_at"] is String)
            let closed = try await api.post(
                "/api/v1/cases/\(id)/actions", ["action": "feedback", "satisfied": true], as: "grid_worker")
            #expect(closed.status == .ok)
            #expect(closed.json["state"] as? String == "closed")
            #expect(closed.json["satisfied"] as? Bool == true)

            let seen = try await api.get("/api/v1/cases/\(id)", as: "county_auditor")
            #expect(seen.status == .ok)
            let timeline = try #require(seen.json["timeline"] as? [[String: Any]])
            #expect(
                timeline.map { $0["action"] as? String } == ["report", "dispatch", "accept", "resolve", "feedback"])
            #expect(timeline[3]["note"] as? String == "已修复路面")
            #expect(timeline[1]["handler"] as? String == Fixture.villageA1)
            #expect(timeline.allSatisfy { ($0["at"] as? String)?.isEmpty == false })
            #expect(try await AuditRecord.query(on: app.db).filter(\.$entityType == "case").count() == 5)
        }
    }

    @Test("refused steps — 409 not now, 403 not yours, 404 not visible, 422 bad input — change nothing")
    func refusals() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            try await seedCategories(app)
            let api = APIClient(app: app)
            let created = try await api.post(
                "/api/v1/cases", ["category": Self.roadDamage, "description": "垃圾点满溢三天无人清运"], as: "grid_worker")
            let id = try #require(created.json["id"] as? Int)
            let events = try await CaseEventRecord.query(on: app.db).count()
            // Each call signs in afresh, which is audited too: count only the case's records.
            func caseAudits() async throws -> Int {
                try await AuditRecord.query(on: app.db).filter(\.$entityType == "case").count()
            }
            let audits = try await caseAudits()
            let path = "/api/v1/cases/\(id)/actions"

            let notNow = try await api.post(path, ["action": "feedback", "satisfied": true], as: "grid_worker")
            #expect(notNow.status == .conflict)
            #expect((notNow.json["error"] as? [String: Any])?["code"] as? String == "conflict")
            let notYours = try await api.post(
                path, ["action": "dispatch", "handler": Fixture.villageA1, "deadline": Self.iso(Date() + 3600)],
                as: "grid_worker")
            #expect(notYours.status == .forbidden)
            let notVisible = try await api.post(path, ["action": "close"], as: "village_clerk2")
            #expect(notVisible.status == .notFound)
            #expect(try await api.get("/api/v1/cases/\(id)", as: "village_clerk2").status == .notFound)
            #expect(try await api.get("/api/v1/cases/999999", as: "township_dispatcher").status == .notFound)
            let noDeadline = try await api.post(
                path, ["action": "dispatch", "handler": Fixture.villageA1], as: "township_dispatcher")
            #expect(noDeadline.status == .unprocessableEntity)
            let badInput = try await api.post(
                path, ["action": "fly", "deadline": "tomorrow"], as: "township_dispatcher")
            #expect(badInput.status == .unprocessableEntity)
            #expect(badInput.detailFields == ["action", "deadline"])
            let unknownHandler = try await api.post(
                path, ["action": "dispatch", "handler": "999999999999", "deadline": Self.iso(Date() + 3600)],
                as: "township_dispatcher")
            #expect(unknownHandler.status == .unprocessableEntity)
            #expect(unknownHandler.detailFields == ["handler"])
            let wrongType = try await api.post(path, ["action": "feedback", "satisfied": "very"], as: "grid_worker")
            #expect(wrongType.status == .unprocessableEntity)
            #expect(wrongType.detailFields == ["satisfied"])

            #expect(try await CaseEventRecord.query(on: app.db).count() == events)
            #expect(try await caseAudits() == audits)
            #expect(try await CaseRecord.find(id, on: app.db)?.caseState == .reported)
        }
    }

    @Test("a bad report lists every problem beside its field and stores nothing")
    func badReport() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            try await seedCategories(app)
            let api = APIClient(app: app)
            let response = try await api.post(
                "/api/v1/cases",
                ["category": Self.roadDamage, "description": "坏", "lat": 91, "long": 10, "photos": ["%%% not base64"]],
                as: "grid_worker")
            #expect(response.status == .unprocessableEntity)
            #expect(response.detailFields.isSuperset(of: ["description", "lat", "photos.1"]))
            let details = (response.json["error"] as? [String: Any])?["details"] as? [[String: Any]] ?? []
            #expect(details.allSatisfy { ($0["message"] as? String)?.isEmpty == false })
            #expect(try await CaseRecord.query(on: app.db).count() == 0)
            // Another village is not the grid worker's to report in.
            let elsewhere = try await api.post(
                "/api/v1/cases",
                ["category": Self.roadDamage, "village": Fixture.villageB1, "description": "道路破损严重"], as: "grid_worker")
            #expect(elsewhere.status == .forbidden)
        }
    }

    @Test("a photo comes along in base64 and is stored by its hash")
    func photo() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            try await seedCategories(app)
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4]
            let created = try await APIClient(app: app).post(
                "/api/v1/cases",
                [
                    "category": Self.roadDamage, "description": "路灯不亮已一周",
                    "photos": ["data:image/png;base64," + Data(png).base64EncodedString()],
                ], as: "grid_worker")
            #expect(created.status == .created)
            let photos = try #require(created.json["photos"] as? [[String: Any]])
            #expect(photos.count == 1)
            #expect(photos.first?["content_type"] as? String == "image/png")
            // Fetched with the same token; not by someone who may not see the case, nor anonymously.
            let url = try #require(photos.first?["url"] as? String)
            #expect(url == "/api/v1/photos/\(photos.first?["sha256"] as? String ?? "")")
            let fetched = try await APIClient(app: app).get(url, as: "grid_worker")
            #expect(fetched.status == .ok)
            #expect(fetched.headers.contentType == .png)
            #expect([UInt8](fetched.body.readableBytesView) == png)
            #expect(try await APIClient(app: app).get(url, as: "village_clerk2").status == .notFound)
            #expect(try await app.testing().sendRequest(.GET, url).status == .unauthorized)
        }
    }

    @Test("keyset pages of the case list are disjoint and together hold every visible case")
    func keysetPages() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            try await seedCategories(app)
            let grid = try await loadActor("grid_worker", on: app.db)
            var ids: [Int] = []
            for index in 0..<7 {
                let record = try await CaseDesk.report(
                    .init(
                        categoryCode: Self.roadDamage, villageCode: Fixture.villageA1, description: "第\(index)处道路破损",
                        source: "grid"),
                    by: .person(grid), photos: app.photos, on: app.db)
                ids.append(try record.requireID())
            }
            let api = APIClient(app: app)
            var seen: [Int] = []
            var cursor: String?
            var pages = 0
            repeat {
                let query = "/api/v1/cases?limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
                let response = try await api.get(query, as: "township_dispatcher")
                #expect(response.status == .ok)
                let cases = try #require(response.json["cases"] as? [[String: Any]])
                #expect(cases.count <= 3)
                seen += cases.compactMap { $0["id"] as? Int }
                #expect(response.json.keys.contains("next_cursor"))
                cursor = response.json["next_cursor"] as? String
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 3)
            #expect(seen == ids.sorted(by: >))
            #expect(Set(seen).count == seen.count)
            // Filters go through the same query; bad ones are named.
            let reported = try await api.get("/api/v1/cases?state=reported&box=classify", as: "township_dispatcher")
            #expect((reported.json["cases"] as? [Any])?.count == 7)
            let other = try await api.get("/api/v1/cases", as: "village_clerk2")
            #expect((other.json["cases"] as? [Any])?.count == 0)
            let bad = try await api.get(
                "/api/v1/cases?box=inbox&state=lost&cursor=x&from=2025-13-01", as: "grid_worker")
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.detailFields == ["box", "state", "cursor", "from"])
        }
    }

    @Test("the category tree is read by anyone in the county and kept by the county admin, every problem at once")
    func categories() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            try await seedCategories(app)
            let api = APIClient(app: app)
            let tree = try await api.get("/api/v1/categories", as: "grid_worker")
            #expect(tree.status == .ok)
            let tops = try #require(
                try JSONSerialization.jsonObject(with: Data(tree.body.string.utf8)) as? [[String: Any]])
            #expect(tops.count == DemoCategories.all.filter(\.isTopCategory).count)
            let subcategories = tops.flatMap { $0["subcategories"] as? [[String: Any]] ?? [] }
            #expect(subcategories.count == DemoCategories.all.filter { !$0.isTopCategory }.count)
            let top = try #require(DemoCategories.all.first { $0.isTopCategory && !$0.isPrivate })
            let new: [String: Any] = [
                "code": "\(top.code)-BRIDGE", "parent": top.code, "name_zh": "桥梁损坏", "name_en": "Damaged bridge",
                "default_handler": "township", "deadline_hours": 72, "priority": "high", "private": false,
                "questions": [["key": "span_m", "label_zh": "跨度（米）", "label_en": "Span (m)", "kind": "number"]],
            ]
            let created = try await api.post("/api/v1/categories", new, as: "county_admin")
            #expect(created.status == .created)
            #expect(created.json["parent"] as? String == top.code)
            #expect((created.json["questions"] as? [Any])?.count == 1)
            var changed = new
            changed["deadline_hours"] = 48
            let replaced = try await api.post("/api/v1/categories", changed, as: "county_admin")
            #expect(replaced.status == .ok)
            #expect(replaced.json["deadline_hours"] as? Int == 48)
            let bad = try await api.post(
                "/api/v1/categories", ["code": "bad code", "parent": top.code, "deadline_hours": 0, "name_en": "x"],
                as: "county_admin")
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.detailFields.isSuperset(of: ["code", "name_zh", "deadline_hours"]))
            let badKinds = try await api.post(
                "/api/v1/categories", ["code": "X", "priority": "soon", "questions": [["kind": "photo"]]],
                as: "county_admin")
            #expect(badKinds.detailFields == ["priority", "questions.1.kind"])
            #expect(try await api.post("/api/v1/categories", new, as: "township_dispatcher").status == .forbidden)
        }
    }
}
