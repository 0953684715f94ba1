import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YunweiDomain

@testable import YunweiServer

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// What an Open311 client sees, in both formats, read back with general-purpose parsers
/// (JSONSerialization, XMLParser) rather than our own types.
enum Open311Client {
    static let key = "test-open311-key-0001"
    static let clientName = "县融媒体中心"

    /// The test county with the demo categories and one Open311 client holding `key`.
    static func seed(_ app: Application) async throws {
        try await Fixture.seed(app)
        try await seedCategories(app)
        try await app.db.write { db in
            let county = try #require(try await AdminUnit.query(on: db).filter(\.$code == Fixture.county).first())
            try await Open311Clients.issue(name: clientName, county: county, key: key, by: .system, on: db)
        }
    }

    static func get(_ app: Application, _ path: String, language: String? = nil) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(.GET, path) { request in
            if let language { request.headers.replaceOrAdd(name: .acceptLanguage, value: language) }
        }
    }

    static func post(_ app: Application, _ path: String, _ form: [String: String], language: String? = nil)
        async throws -> TestingHTTPResponse
    {
        try await app.testing().sendRequest(.POST, path) { request in
            if let language { request.headers.replaceOrAdd(name: .acceptLanguage, value: language) }
            try request.content.encode(form, as: .urlEncodedForm)
        }
    }

    static func array(_ response: TestingHTTPResponse) throws -> [[String: Any]] {
        let value = try JSONSerialization.jsonObject(with: Data(response.body.string.utf8))
        return try #require(value as? [[String: Any]], "not a JSON array: \(response.body.string)")
    }

    static func object(_ response: TestingHTTPResponse) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(response.body.string.utf8))
        return try #require(value as? [String: Any], "not a JSON object: \(response.body.string)")
    }

    static func xml(_ response: TestingHTTPResponse) throws -> ParsedXML {
        try #require(ParsedXML.parse(response.body.string), "not well-formed XML: \(response.body.string)")
    }

    /// A valid report of road damage in village A2, with the reporter's personal data.
    static let roadDamage: [String: String] = [
        "api_key": key, "service_code": "FAC-ROAD", "lat": "30.657421", "long": "104.065735",
        "address_string": "村委会东侧 200 米", "description": "村口水泥路塌陷，约两米宽，车辆无法通行",
        "attribute[village]": Fixture.villageA2, "attribute[area_m2]": "12",
        "first_name": "小明", "last_name": "王", "phone": "13912345678", "email": "wang@example.com",
    ]
}

/// An element of a parsed XML document: its name, its text and its child elements.
final class ParsedXML {
    let name: String
    var text = ""
    var children: [ParsedXML] = []

    init(name: String) { self.name = name }

    func child(_ name: String) -> ParsedXML? { children.first { $0.name == name } }
    func value(_ name: String) -> String? { child(name)?.text }

    static func parse(_ xml: String) -> ParsedXML? {
        let reader = Reader()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = reader
        return parser.parse() ? reader.root : nil
    }

    private final class Reader: NSObject, XMLParserDelegate {
        var root: ParsedXML?
        var open: [ParsedXML] = []

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            let node = ParsedXML(name: elementName)
            if let parent = open.last { parent.children.append(node) } else { root = node }
            open.append(node)
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            open.last?.text += string
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
        ) {
            open.removeLast()
        }
    }
}

@Suite("Open311 GeoReport v2")
struct Open311Tests {
    @Test("discovery, services and a service definition in JSON and XML, without private categories")
    func services() async throws {
        try await withApp { app in
            try await Open311Client.seed(app)

            let discovery = try await Open311Client.get(app, "/open311/v2/discovery.json")
            #expect(discovery.status == .ok)
            let endpoint = try #require((try Open311Client.object(discovery)["endpoints"] as? [[String: Any]])?.first)
            #expect(endpoint["specification"] as? String == "http://wiki.open311.org/GeoReport_v2")
            #expect((endpoint["url"] as? String)?.hasSuffix("/open311/v2") == true)
            #expect(endpoint["formats"] as? [String] == ["text/xml", "application/json"])
            let discoveryXML = try Open311Client.xml(try await Open311Client.get(app, "/open311/v2/discovery.xml"))
            #expect(discoveryXML.name == "discovery")
            #expect(
                discoveryXML.child("endpoints")?.child("endpoint")?.child("formats")?.children.map(\.name) == [
                    "format", "format",
                ])
            #expect(discoveryXML.value("changeset")?.hasSuffix("+08:00") == true)
            #expect(try Open311Client.xml(try await Open311Client.get(app, "/open311/v2")).name == "discovery")

            let list = try await Open311Client.get(app, "/open311/v2/services.json")
            #expect(list.status == .ok)
            #expect(list.headers.first(name: .contentType) == "application/json; charset=utf-8")
            let services = try Open311Client.array(list)
            let codes = services.compactMap { $0["service_code"] as? String }
            let publicCodes = DemoCategories.all.filter { $0.parentCode != nil && !$0.isPrivate }.map(\.code)
            #expect(codes == publicCodes)
            #expect(!codes.contains { $0.hasPrefix("PET") || $0.hasPrefix("STA") })
            let road = try #require(services.first { $0["service_code"] as? String == "FAC-ROAD" })
            #expect(road["service_name"] as? String == "道路破损")
            #expect(road["group"] as? String == "设施运维类")
            #expect(road["metadata"] as? Bool == true)
            #expect(road["type"] as? String == "realtime")
            #expect((road["keywords"] as? String)?.contains("Road damage") == true)

            let english = try Open311Client.array(
                try await Open311Client.get(app, "/open311/v2/services.json", language: "en"))
            #expect(
                english.first { $0["service_code"] as? String == "FAC-ROAD" }?["service_name"] as? String
                    == "Road damage")

            let xmlList = try await Open311Client.get(app, "/open311/v2/services.xml", language: "en")
            #expect(xmlList.headers.first(name: .contentType) == "text/xml; charset=utf-8")
            #expect(xmlList.body.string.hasPrefix("<?xml version=\"1.0\" encoding=\"utf-8\"?>"))
            let xmlServices = try Open311Client.xml(xmlList)
            #expect(xmlServices.name == "services")
            #expect(xmlServices.children.allSatisfy { $0.name == "service" })
            #expect(xmlServices.children.compactMap { $0.value("service_code") } == publicCodes)
            // "Facility O&M" must be escaped to be parsed back.
            #expect(
                xmlServices.children.first { $0.value("service_code") == "FAC-ROAD" }?.value("group") == "Facility O&M")

            let definition = try Open311Client.object(
                try await Open311Client.get(app, "/open311/v2/services/FAC-ROAD.json"))
            #expect(definition["service_code"] as? String == "FAC-ROAD")
            let attributes = try #require(definition["attributes"] as? [[String: Any]])
            #expect(attributes.map { $0["code"] as? String } == ["village", "area_m2"])
            #expect(attributes[0]["datatype"] as? String == "singlevaluelist")
            #expect(attributes[0]["required"] as? Bool == true)
            #expect(attributes[0]["variable"] as? Bool == true)
            #expect(attributes[0]["order"] as? Int == 1)
            let villages = try #require(attributes[0]["values"] as? [[String: Any]])
            #expect(
                villages.compactMap { $0["key"] as? String } == [
                    Fixture.villageA1, Fixture.villageA2, Fixture.villageB1, Fixture.villageB2,
                ])
            #expect(villages[0]["name"] as? String == "青山镇 桃源村")
            #expect(attributes[1]["datatype"] as? String == "number")
            #expect(attributes[1]["required"] as? Bool == true)
            #expect(attributes[1]["order"] as? Int == 2)
            #expect(attributes[1]["description"] as? String == "破损面积（平方米）")

            let choice = try Open311Client.xml(
                try await Open311Client.get(app, "/open311/v2/services/TWN-LIVESTOCK.xml"))
            #expect(choice.name == "service_definition")
            #expect(choice.value("service_code") == "TWN-LIVESTOCK")
            let animal = try #require(choice.child("attributes")?.children.first { $0.value("code") == "animal" })
            #expect(animal.name == "attribute")
            #expect(animal.value("datatype") == "singlevaluelist")
            #expect(animal.value("required") == "false")
            #expect(animal.child("values")?.children.map(\.name) == ["value", "value", "value", "value", "value"])
            #expect(animal.child("values")?.children.first?.value("key") == "牛")
            #expect(animal.child("values")?.children.first?.value("name") == "牛")

            // Private and unknown services do not exist, in either format.
            let petition = try await Open311Client.get(app, "/open311/v2/services/PET-APPEAL.json")
            #expect(petition.status == .notFound)
            #expect(try Open311Client.array(petition).first?["code"] as? Int == 404)
            let unknown = try await Open311Client.get(app, "/open311/v2/services/NOPE.xml")
            #expect(unknown.status == .notFound)
            let errors = try Open311Client.xml(unknown)
            #expect(errors.name == "errors")
            #expect(errors.child("error")?.value("code") == "404")
            #expect(errors.child("error")?.value("description")?.contains("NOPE") == true)
            // Any other path stays an Open311 error, never an HTML page.
            let stray = try await Open311Client.get(app, "/open311/v2/nothing.json")
            #expect(stray.status == .notFound)
            #expect(try Open311Client.array(stray).first?["code"] as? Int == 404)
        }
    }

    @Test("a POST files a case in the chosen village, with source, client and audit record, and returns its id")
    func submit() async throws {
        try await withApp { app in
            try await Open311Client.seed(app)
            let response = try await Open311Client.post(app, "/open311/v2/requests.json", Open311Client.roadDamage)
            #expect(response.status == .ok, "\(response.body.string)")
            let receipt = try #require(try Open311Client.array(response).first)
            let id = try #require((receipt["service_request_id"] as? String).flatMap { Int($0) })
            #expect(receipt["account_id"] is NSNull)
            #expect((receipt["service_notice"] as? String)?.contains("120") == true)
            #expect(receipt["token"] == nil)

            let record = try #require(try await CaseRecord.find(id, on: app.db))
            let category = try await record.$category.get(on: app.db)
            let village = try await record.$village.get(on: app.db)
            let client = try #require(try await Open311ClientRecord.query(on: app.db).first())
            #expect(category.code == "FAC-ROAD")
            #expect(village.code == Fixture.villageA2)
            #expect(record.source == "open311")
            #expect(record.open311ClientID == client.id)
            #expect(record.latE6 == 30_657_421)
            #expect(record.address == "村委会东侧 200 米")
            #expect(record.reporterName == "王小明")
            #expect(record.reporterPhone == "13912345678")
            #expect(record.answersJSON == #"{"area_m2":"12"}"#)
            let audit = try #require(
                try await AuditRecord.query(on: app.db).filter(\.$entityType == "case").filter(
                    \.$entityID == String(id)
                ).first())
            #expect(audit.action == "case_report")
            #expect(audit.actorName == "open311:" + Open311Client.clientName)

            // Read back: the same request, and none of the reporter's personal data.
            let back = try await Open311Client.get(app, "/open311/v2/requests/\(id).json")
            #expect(back.status == .ok)
            let request = try #require(try Open311Client.array(back).first)
            #expect(request["service_request_id"] as? String == String(id))
            #expect(request["status"] as? String == "open")
            #expect(request["service_code"] as? String == "FAC-ROAD")
            #expect(request["lat"] as? Double == 30.657421)
            #expect(request["address_id"] as? String == Fixture.villageA2)
            #expect((request["requested_datetime"] as? String)?.hasSuffix("+08:00") == true)
            for secret in ["13912345678", "王小明", "小明", "wang@example.com", record.queryCode ?? "-"] {
                #expect(!back.body.string.contains(secret))
            }

            // XML, and the village given as address_id with only an address: also accepted.
            var form = Open311Client.roadDamage
            form["attribute[village]"] = nil
            form["lat"] = nil
            form["long"] = nil
            form["address_id"] = Fixture.villageB1
            let xml = try await Open311Client.post(app, "/open311/v2/requests.xml", form)
            #expect(xml.status == .ok, "\(xml.body.string)")
            let requests = try Open311Client.xml(xml)
            #expect(requests.name == "service_requests")
            let xmlID = try #require(requests.child("request")?.value("service_request_id").flatMap { Int($0) })
            #expect(requests.child("request")?.child("account_id")?.text == "")
            let second = try #require(try await CaseRecord.find(xmlID, on: app.db))
            #expect(try await second.$village.get(on: app.db).code == Fixture.villageB1)
            #expect(second.latE6 == nil)
        }
    }

    @Test("a bad key is 403, an unknown service 404, a missing location or village 400, and nothing is stored")
    func refusals() async throws {
        try await withApp { app in
            try await Open311Client.seed(app)
            func refused(
                _ form: [String: String], _ status: HTTPResponseStatus, mentioning: String? = nil,
                language: String? = nil
            )
                async throws
            {
                let response = try await Open311Client.post(app, "/open311/v2/requests.json", form, language: language)
                #expect(response.status == status, "\(form): \(response.body.string)")
                let errors = try Open311Client.array(response)
                #expect(!errors.isEmpty)
                #expect(errors.allSatisfy { $0["code"] as? Int == Int(status.code) })
                if let mentioning {
                    #expect(
                        errors.contains { ($0["description"] as? String)?.contains(mentioning) == true },
                        "\(mentioning) not in \(response.body.string)")
                }
            }
            var form = Open311Client.roadDamage
            form["api_key"] = nil
            try await refused(form, .forbidden, mentioning: "api_key")
            form["api_key"] = "not-the-key-at-all"
            try await refused(form, .forbidden, mentioning: "Missing or invalid api_key", language: "en")
            form = Open311Client.roadDamage
            form["service_code"] = nil
            try await refused(form, .badRequest, mentioning: "service_code")
            form["service_code"] = "FAC-NOPE"
            try await refused(form, .notFound, mentioning: "FAC-NOPE")
            form["service_code"] = "STA-DISPUTE"
            try await refused(form, .notFound)
            // A group of services is not a service.
            form["service_code"] = "FAC"
            try await refused(form, .notFound)
            form = Open311Client.roadDamage
            for field in ["lat", "long", "address_string"] { form[field] = nil }
            try await refused(form, .badRequest, mentioning: "请给出位置")
            form = Open311Client.roadDamage
            form["long"] = nil
            try await refused(form, .badRequest, mentioning: "lat/long")
            form = Open311Client.roadDamage
            form["attribute[village]"] = nil
            try await refused(form, .badRequest, mentioning: "attribute[village]")
            form["attribute[village]"] = "999999999999"
            try await refused(form, .badRequest, mentioning: "999999999999")
            form = Open311Client.roadDamage
            form["attribute[area_m2]"] = nil
            form["description"] = "坏"
            try await refused(form, .badRequest, mentioning: "attribute[area_m2]")
            try await refused(form, .badRequest, mentioning: "description")
            form = Open311Client.roadDamage
            form["phone"] = "12345"
            try await refused(form, .badRequest, mentioning: "phone")

            // A revoked key, and the XML error body.
            try await app.db.write { db in
                let client = try #require(try await Open311ClientRecord.query(on: db).first())
                let county = try await client.$county.get(on: db)
                try await Open311Clients.revoke(client, county: county, by: .system, on: db)
            }
            let revoked = try await Open311Client.post(app, "/open311/v2/requests.xml", Open311Client.roadDamage)
            #expect(revoked.status == .forbidden)
            let errors = try Open311Client.xml(revoked)
            #expect(errors.name == "errors")
            #expect(errors.children.map(\.name) == ["error"])
            #expect(errors.child("error")?.value("code") == "403")

            #expect(try await CaseRecord.query(on: app.db).count() == 0)
            #expect(try await AuditRecord.query(on: app.db).filter(\.$action == "case_report").count() == 0)
        }
    }

    @Test("with two counties jurisdiction_id is required, an unknown one is 404, and a key opens only its own county")
    func jurisdictions() async throws {
        try await withApp { app in
            try await Open311Client.seed(app)
            let otherKey = "other-county-key-0001"
            try await app.db.write { db in
                let other = try await UnitRegistry.create(
                    code: "510122000000", name: "云溪县", kind: .county, parentCode: nil, by: .system, on: db)
                try await Open311Clients.issue(name: "云溪县 App", county: other, key: otherKey, by: .system, on: db)
            }
            let missing = try await Open311Client.get(app, "/open311/v2/services.json")
            #expect(missing.status == .badRequest)
            #expect(
                (try Open311Client.array(missing).first?["description"] as? String)?.contains("jurisdiction_id") == true
            )
            let unknown = try await Open311Client.get(app, "/open311/v2/requests.xml?jurisdiction_id=510199000000")
            #expect(unknown.status == .notFound)
            #expect(try Open311Client.xml(unknown).name == "errors")
            let services = try await Open311Client.get(
                app, "/open311/v2/services.json?jurisdiction_id=\(Fixture.county)")
            #expect(services.status == .ok)
            var form = Open311Client.roadDamage
            form["jurisdiction_id"] = Fixture.county
            form["api_key"] = otherKey
            let foreign = try await Open311Client.post(app, "/open311/v2/requests.json", form)
            #expect(foreign.status == .forbidden)
            form["api_key"] = Open311Client.key
            let own = try await Open311Client.post(app, "/open311/v2/requests.json", form)
            #expect(own.status == .ok, "\(own.body.string)")
        }
    }

    @Test("GET requests filters by id, service, status and dates; private cases and personal data never appear")
    func listing() async throws {
        try await withApp { app in
            try await Open311Client.seed(app)
            let dispatcher = try await loadActor("township_dispatcher", on: app.db)
            let head = try await loadActor("village_head", on: app.db)
            let grid = try await loadActor("grid_worker", on: app.db)
            let now = Date()
            let day: TimeInterval = 86_400
            func report(_ code: String, at time: Date, answers: [String: String] = [:], byPublic: Bool = false)
                async throws
                -> CaseRecord
            {
                let report = CaseDesk.Report(
                    categoryCode: code, villageCode: Fixture.villageA1, description: "公开测试问题 \(code)",
                    latitude: 30.5, longitude: 104.25, answers: answers, source: byPublic ? "public" : "grid",
                    reporterName: byPublic ? "王小明" : nil, reporterPhone: byPublic ? "13912345678" : nil)
                return try await CaseDesk.report(
                    report, by: byPublic ? .reporter(name: "王小明") : .person(grid), photos: app.photos, now: time,
                    on: app.db)
            }
            let open = try await report(
                "FAC-ROAD", at: now.addingTimeInterval(-2 * day), answers: ["area_m2": "3"], byPublic: true)
            let closed = try await report("TWN-GARBAGE", at: now.addingTimeInterval(-10 * day))
            let secret = try await report(
                "STA-DISPUTE", at: now.addingTimeInterval(-1 * day), answers: ["dispute_kind": "邻里"])
            let old = try await report("FAC-CANAL", at: now.addingTimeInterval(-100 * day))
            let closedID = try closed.requireID()
            let dispatchedAt = now.addingTimeInterval(-9 * day)
            try await CaseDesk.act(
                .init(
                    action: .dispatch, handlerCode: Fixture.villageA1,
                    deadline: dispatchedAt.addingTimeInterval(2 * day)),
                on: closedID, by: .person(dispatcher), photos: app.photos, now: dispatchedAt, on: app.db)
            try await CaseDesk.act(
                .init(action: .accept), on: closedID, by: .person(head), photos: app.photos, now: dispatchedAt,
                on: app.db)
            try await CaseDesk.act(
                .init(action: .resolve, note: "已清运，并增设垃圾桶两个"), on: closedID, by: .person(head), photos: app.photos,
                now: dispatchedAt.addingTimeInterval(day), on: app.db)
            let ids = try [open, closed, secret, old].map { String(try $0.requireID()) }

            func listed(_ query: String) async throws -> [String] {
                let response = try await Open311Client.get(app, "/open311/v2/requests.json" + query)
                #expect(response.status == .ok, "\(query): \(response.body.string)")
                for personal in ["13912345678", "王小明", open.queryCode ?? "-"] {
                    #expect(!response.body.string.contains(personal))
                }
                return try Open311Client.array(response).compactMap { $0["service_request_id"] as? String }
            }
            // The last 90 days, newest first; never the private dispute.
            #expect(try await listed("") == [ids[0], ids[1]])
            #expect(try await listed("?status=open") == [ids[0]])
            #expect(try await listed("?status=closed") == [ids[1]])
            #expect(try await listed("?status=open,closed") == [ids[0], ids[1]])
            #expect(try await listed("?service_code=TWN-GARBAGE") == [ids[1]])
            #expect(try await listed("?service_code=TWN-GARBAGE,FAC-ROAD") == [ids[0], ids[1]])
            #expect(try await listed("?service_code=STA-DISPUTE").isEmpty)
            let threeDaysAgo = W3CDateTime.format(now.addingTimeInterval(-3 * day))
            #expect(
                try await listed("?start_date=\(threeDaysAgo.replacingOccurrences(of: "+", with: "%2B"))") == [ids[0]])
            let utc = ISO8601DateFormatter().string(from: now.addingTimeInterval(-3 * day))
            #expect(try await listed("?end_date=\(utc)") == [ids[1]])
            #expect(
                try await listed(
                    "?start_date=\(W3CDateTime.format(now.addingTimeInterval(-120 * day)).prefix(10))&end_date=\(W3CDateTime.format(now.addingTimeInterval(-50 * day)).prefix(10))"
                ) == [ids[3]])
            #expect(try await listed("?page_size=1") == [ids[0]])
            #expect(try await listed("?page_size=1&page=2") == [ids[1]])
            // Ids override every other filter, but a private case stays hidden.
            #expect(
                try await listed("?service_request_id=\(ids[3]),\(ids[2]),\(ids[1])&status=open") == [ids[1], ids[3]])

            let detail = try #require(
                try Open311Client.array(try await Open311Client.get(app, "/open311/v2/requests/\(ids[1]).json")).first)
            #expect(detail["status"] as? String == "closed")
            #expect(detail["status_notes"] as? String == "已清运，并增设垃圾桶两个")
            #expect(detail["agency_responsible"] as? String == "桃源村")
            #expect(detail["service_name"] as? String == "垃圾满溢")
            #expect(detail["service_notice"] as? String == "当前状态：已办结")
            #expect(detail["media_url"] is NSNull)
            #expect(detail["long"] as? Double == 104.25)
            for field in ["requested_datetime", "updated_datetime", "expected_datetime"] {
                let text = try #require(detail[field] as? String, "\(field)")
                #expect(text.hasSuffix("+08:00"), "\(field): \(text)")
                #expect(W3CDateTime.parse(text) != nil)
            }
            #expect(
                detail["expected_datetime"] as? String == W3CDateTime.format(dispatchedAt.addingTimeInterval(2 * day)))
            let openDetail = try #require(
                try Open311Client.array(try await Open311Client.get(app, "/open311/v2/requests/\(ids[0]).json")).first)
            #expect(openDetail["status_notes"] is NSNull)
            #expect(openDetail["expected_datetime"] is NSNull)
            #expect(openDetail["agency_responsible"] is NSNull)

            let xml = try Open311Client.xml(
                try await Open311Client.get(app, "/open311/v2/requests/\(ids[1]).xml", language: "en"))
            #expect(xml.name == "service_requests")
            #expect(xml.children.map(\.name) == ["request"])
            #expect(xml.child("request")?.value("service_name") == "Garbage overflow")
            #expect(xml.child("request")?.value("requested_datetime")?.hasSuffix("+08:00") == true)
            #expect(xml.child("request")?.child("media_url")?.text == "")

            // A private case, a stranger's id and a bad filter.
            let hidden = try await Open311Client.get(app, "/open311/v2/requests/\(ids[2]).json")
            #expect(hidden.status == .notFound)
            #expect(!hidden.body.string.contains("邻里"))
            #expect(try await Open311Client.get(app, "/open311/v2/requests/abc.xml").status == .notFound)
            #expect(try await Open311Client.get(app, "/open311/v2/requests.json?status=pending").status == .badRequest)
            #expect(
                try await Open311Client.get(app, "/open311/v2/requests.json?start_date=yesterday").status == .badRequest
            )
            #expect(
                try await Open311Client.get(app, "/open311/v2/requests.json?start_date=2025-01-01&end_date=2025-12-31")
                    .status == .badRequest)
            #expect(try await Open311Client.get(app, "/open311/v2/requests.json?page_size=5000").status == .badRequest)
        }
    }

    @Test("a county admin issues a key shown once and revokes it, with audit records; others may not")
    func clientPages() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            try await seedCategories(app)
            let admin = Browser(app)
            try await admin.login("county_admin")
            #expect(try await admin.get("/open311/clients").status == .ok)
            // The admin page is a browser form: without the CSRF token it is refused.
            #expect(
                try await admin.post("/open311/clients", ["name": "乡村通 App"], withToken: false).status == .forbidden)
            let issued = try await admin.post("/open311/clients", ["name": "乡村通 App"])
            #expect(issued.status == .ok)
            #expect(issued.headers.first(name: .cacheControl) == "no-store")
            let key = try #require(Self.issuedKey(in: issued.body.string))
            let client = try #require(try await Open311ClientRecord.query(on: app.db).first())
            #expect(client.name == "乡村通 App")
            #expect(client.keyHash == Open311Clients.hash(key))
            #expect(client.keyHash != key)
            // Shown once: the list does not show it again.
            #expect(!(try await admin.get("/open311/clients")).body.string.contains(key))

            var form = Open311Client.roadDamage
            form["api_key"] = key
            #expect(try await Open311Client.post(app, "/open311/v2/requests.json", form).status == .ok)

            let revoke = try await admin.post("/open311/clients/\(try client.requireID())/revoke", [:])
            #expect(revoke.status == .seeOther || revoke.status == .found)
            #expect(try await Open311Client.post(app, "/open311/v2/requests.json", form).status == .forbidden)
            let actions = try await AuditRecord.query(on: app.db).filter(\.$entityType == "open311_client").sort(\.$seq)
                .all()
                .map(\.action)
            #expect(actions == ["open311_client_issue", "open311_client_revoke"])

            let grid = Browser(app)
            try await grid.login("grid_worker")
            #expect(try await grid.get("/open311/clients").status == .forbidden)
            #expect(try await grid.post("/open311/clients", ["name": "x"]).status == .forbidden)
            #expect(try await Browser(app).get("/open311/clients").status != .ok)
        }
    }

    static func issuedKey(in html: String) -> String? {
        guard let range = html.range(of: "id=\"issued-key\">") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "<").map { String(rest[..<$0]) }
    }

    @Test("XML text is escaped and W3C times are read with their zone")
    func formats() {
        #expect(XMLWriter.escape("a<b>&\"'\r\u{1}") == "a&lt;b&gt;&amp;&quot;&apos;&#13;\u{FFFD}")
        let document = Open311Document(
            root: "errors",
            value: .list(item: "error", [.record([("code", .number("400")), ("description", .text("<&>\u{0}\n"))])]))
        #expect(ParsedXML.parse(document.xml)?.child("error")?.value("description") == "<&>\u{FFFD}\n")
        #expect(document.json == #"[{"code":400,"description":"<&>\u0000\n"}]"#)
        #expect(Open311Requests.degrees(30_657_421) == "30.657421")
        #expect(Open311Requests.degrees(-500_000) == "-0.5")
        #expect(Open311Requests.degrees(104_000_000) == "104")

        let instant = Date(timeIntervalSince1970: 1_262_304_000)  // 2010-01-01T00:00:00Z
        for text in [
            "2010-01-01T00:00:00Z", "2010-01-01T08:00:00+08:00", "2010-01-01T08:00+08:00",
            "2010-01-01T08:00:00 08:00", "2009-12-31T19:00:00.000-05:00", "2010-01-01T08:00:00",
        ] {
            #expect(W3CDateTime.parse(text)?.date == instant, "\(text)")
        }
        #expect(W3CDateTime.parse("2010-01-01") == .init(date: instant.addingTimeInterval(-8 * 3600), dateOnly: true))
        for bad in ["yesterday", "2010-13-01", "2010-02-30", "2010-01-01T25:00:00Z", "2010-01-01T00:00:00+8", ""] {
            #expect(W3CDateTime.parse(bad) == nil, "\(bad)")
        }
        #expect(W3CDateTime.format(instant) == "2010-01-01T08:00:00+08:00")
        #expect(Open311Submission.reporterName(first: "小明", last: "王") == "王小明")
        #expect(Open311Submission.reporterName(first: "John", last: "Smith") == "John Smith")
    }
}
