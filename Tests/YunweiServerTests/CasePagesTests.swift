import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YunweiDomain

@testable import YunweiServer

/// The case platform in a browser: grid workers, dispatchers, handlers, the admin and the public,
/// each doing their part through the pages and forms, as a person without JavaScript would.
@Suite("Case pages")
struct CasePagesTests {
    /// A 1×1 PNG.
    static let png = Data([
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
        0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00,
        0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D,
        0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ])

    static let road: [(String, String)] = [
        ("category", "FAC-ROAD"), ("village", Fixture.villageA1), ("description", "村口道路塌陷一处，约两米宽"),
        ("lat", "30.100000"), ("lon", "104.200000"), ("answers[area_m2]", "4.5"),
    ]

    static func prepare(_ app: Application) async throws {
        try await Fixture.seed(app)
        try await seedCategories(app)
    }

    static func text(_ app: Application, _ key: String, _ args: [String: String] = [:], _ language: Language = .zhHans)
        -> String
    {
        app.catalog.text(key, in: language, args)
    }

    static func caseID(from location: String?) throws -> Int {
        try #require(location.flatMap { Int($0.replacingOccurrences(of: "/cases/", with: "")) })
    }

    static func state(_ id: Int, _ app: Application) async throws -> CaseState? {
        try await CaseRecord.find(id, on: app.db)?.caseState
    }

    static func deadline(hours: Double) -> String {
        DeadlineField.text(Date().addingTimeInterval(hours * 3600))
    }

    /// A case reported by the grid worker of the first village, straight through the desk.
    static func reported(_ app: Application, description: String = "垃圾点满溢已有三天") async throws -> Int {
        let grid = try await loadActor("grid_worker", on: app.db)
        return try await CaseDesk.report(
            .init(
                categoryCode: "TWN-GARBAGE", villageCode: Fixture.villageA1, description: description, source: "grid"),
            by: .person(grid), photos: app.photos, on: app.db
        ).requireID()
    }

    @Test("a grid worker reports a road with a photo and an answer, and a second report nearby shows the first")
    func gridWorkerReports() async throws {
        try await withApp { app in
            try await Self.prepare(app)
            let grid = Browser(app)
            try await grid.login("grid_worker")
            let chooser = try await grid.get("/cases/new")
            #expect(chooser.status == .ok)
            #expect(chooser.body.string.contains("/cases/new?category=FAC-ROAD"))
            let form = try await grid.get("/cases/new?category=FAC-ROAD")
            #expect(form.body.string.contains("name=\"answers[area_m2]\""))
            #expect(form.body.string.contains("value=\"\(Fixture.villageA1)\" selected"))

            let filed = try await grid.postMultipart("/cases", Self.road, files: [("road.png", Self.png)])
            #expect(filed.status == .seeOther)
            let id = try Self.caseID(from: filed.location)
            let photo = try #require(try await CasePhotoRecord.query(on: app.db).first())
            let page = try await grid.get("/cases/\(id)")
            #expect(page.status == .ok)
            let body = page.body.string
            #expect(body.contains("村口道路塌陷一处"))
            #expect(body.contains("4.5"))
            #expect(body.contains("30.100000, 104.200000"))
            #expect(body.contains("/photos/\(photo.sha256)"))
            #expect(body.contains(Self.text(app, "case_pages.report.filed")))

            let image = try await grid.get("/photos/\(photo.sha256)")
            #expect(image.status == .ok)
            #expect(image.headers.contentType == .png)
            #expect(Data(buffer: image.body) == Self.png)
            #expect(try await Browser(app).get("/photos/\(photo.sha256)").status == .notFound)

            var nearby = Self.road.filter { $0.0 != "lat" && $0.0 != "description" }
            nearby += [("lat", "30.100300"), ("description", "村口路面又塌了一块，车辆难以通行")]
            let second = try await grid.postMultipart("/cases", nearby)
            let secondID = try Self.caseID(from: second.location)
            let secondPage = try await grid.get("/cases/\(secondID)").body.string
            #expect(secondPage.contains(Self.text(app, "case_pages.case.duplicates")))
            #expect(secondPage.contains("href=\"/cases/\(id)\""))
        }
    }

    @Test("a bad report shows every message beside its field, keeps what was typed and stores nothing")
    func badReport() async throws {
        try await withApp { app in
            try await Self.prepare(app)
            let grid = Browser(app)
            try await grid.login("grid_worker")
            try await grid.get("/cases/new?category=FAC-ROAD")
            let response = try await grid.postMultipart(
                "/cases",
                [
                    ("category", "FAC-ROAD"), ("village", Fixture.villageA1), ("description", "坏路"), ("lat", "北纬三十"),
                    ("lon", "104.2"), ("address", "村委会东侧"),
                ],
                files: [("notes.png", Data("not a photo".utf8))])
            #expect(response.status == .unprocessableEntity)
            let body = response.body.string
            #expect(body.contains(Self.text(app, "case.input.description", ["max": "2000"])))
            #expect(body.contains(Self.text(app, "case.input.coordinates")))
            #expect(body.contains(Self.text(app, "photo.error.not_an_image", ["number": "1"])))
            #expect(body.contains(Self.text(app, "case.answer.required")))
            #expect(body.contains("坏路"))
            #expect(body.contains("value=\"村委会东侧\""))
            #expect(try await CaseRecord.query(on: app.db).count() == 0)
            #expect(try await CasePhotoRecord.query(on: app.db).count() == 0)
        }
    }

    @Test(
        "the dispatcher dispatches from the classify box, the village head accepts and resolves, the grid worker closes"
    )
    func wholeLife() async throws {
        try await withApp { app in
            try await Self.prepare(app)
            let grid = Browser(app)
            try await grid.login("grid_worker")
            try await grid.get("/cases/new?category=FAC-ROAD")
            let id = try Self.caseID(
                from: try await grid.post("/cases", Dictionary(uniqueKeysWithValues: Self.road)).location)

            let dispatcher = Browser(app)
            try await dispatcher.login("township_dispatcher")
            #expect(try await dispatcher.get("/cases?box=classify").body.string.contains("href=\"/cases/\(id)\""))
            let page = try await dispatcher.get("/cases/\(id)").body.string
            #expect(page.contains("name=\"action\" value=\"dispatch\""))
            #expect(
                page.contains("value=\"\(Fixture.villageA1)\" selected"), "the category's default handler is offered")
            #expect(!page.contains("name=\"action\" value=\"accept\""))
            let dispatched = try await dispatcher.post(
                "/cases/\(id)/actions",
                ["action": "dispatch", "handler": Fixture.villageA1, "deadline": Self.deadline(hours: 48)])
            #expect(dispatched.status == .seeOther)
            #expect(try await Self.state(id, app) == .dispatched)

            let head = Browser(app)
            try await head.login("village_head")
            let handle = try await head.get("/cases?box=handle").body.string
            #expect(handle.contains("href=\"/cases/\(id)\""))
            #expect(handle.contains(Self.text(app, "case_pages.countdown.left_hours", ["n": "47"])))
            try await head.get("/cases/\(id)")
            #expect(try await head.post("/cases/\(id)/actions", ["action": "accept"]).status == .seeOther)
            let noResult = try await head.post("/cases/\(id)/actions", ["action": "resolve", "note": " "])
            #expect(noResult.status == .unprocessableEntity)
            #expect(noResult.body.string.contains(Self.text(app, "case.error.result_required")))
            #expect(try await Self.state(id, app) == .inProgress)
            let resolved = try await head.postMultipart(
                "/cases/\(id)/actions", [("action", "resolve"), ("note", "已用沥青修补路面")], files: [("done.png", Self.png)])
            #expect(resolved.status == .seeOther)
            #expect(try await Self.state(id, app) == .resolved)

            try await grid.get("/cases/\(id)")
            let closed = try await grid.post("/cases/\(id)/actions", ["action": "feedback", "satisfied": "yes"])
            #expect(closed.status == .seeOther)
            #expect(try await Self.state(id, app) == .closed)
            let timeline = try await grid.get("/cases/\(id)").body.string
            for action in ["dispatch", "accept", "resolve", "feedback"] {
                #expect(timeline.contains(Self.text(app, "case_action." + action)))
            }
            #expect(timeline.contains("已用沥青修补路面"))
            let events = try await CaseEventRecord.query(on: app.db).filter(\.$caseRecord.$id == id).count()
            #expect(events == 5)
        }
    }

    @Test("the public reports with a query code, follows the case without seeing names, and gives feedback")
    func publicReport() async throws {
        try await withApp { app in
            try await Self.prepare(app)
            let villager = Browser(app)
            let chooser = try await villager.get("/report")
            #expect(chooser.status == .ok)
            #expect(chooser.body.string.contains("category=TWN-GARBAGE"))
            let form = try await villager.get("/report?county=\(Fixture.county)&category=TWN-GARBAGE")
            #expect(form.body.string.contains("name=\"phone\""))
            let sent = try await villager.post(
                "/report",
                [
                    "county": Fixture.county, "category": "TWN-GARBAGE", "village": Fixture.villageA1,
                    "description": "村东头垃圾堆放点满了，已经三天没人清运", "name": "张三", "phone": "13800138000",
                ])
            #expect(sent.status == .seeOther)
            let location = try #require(sent.location)
            let record = try #require(try await CaseRecord.query(on: app.db).filter(\.$source == "public").first())
            let code = try #require(record.queryCode.flatMap { QueryCode($0) })
            #expect(location == "/track/\(code.rawValue)")
            let tracked = try await villager.get(location).body.string
            #expect(tracked.contains(code.grouped))
            #expect(tracked.contains(Self.text(app, "case_pages.track.keep_code")))
            #expect(!tracked.contains("张三") && !tracked.contains("13800138000"))

            let dispatcher = Browser(app)
            try await dispatcher.login("township_dispatcher")
            let staffView = try await dispatcher.get("/cases/\(record.requireID())").body.string
            #expect(staffView.contains("13800138000"), "the dispatcher may call the reporter back")
            try await dispatcher.post(
                "/cases/\(record.requireID())/actions",
                ["action": "dispatch", "handler": Fixture.villageA1, "deadline": Self.deadline(hours: 24)])
            let head = Browser(app)
            try await head.login("village_head")
            try await head.get("/cases/\(record.requireID())")
            try await head.post("/cases/\(record.requireID())/actions", ["action": "accept"])
            try await head.post("/cases/\(record.requireID())/actions", ["action": "resolve", "note": "垃圾已全部清运"])

            let resolved = try await villager.get(location).body.string
            #expect(resolved.contains("垃圾已全部清运"))
            #expect(resolved.contains("action=\"/track/\(code.rawValue)/feedback\""))
            #expect(!resolved.contains("village_head") && !resolved.contains("township_dispatcher"))
            let unanswered = try await villager.post(location + "/feedback", ["comment": "还行"])
            #expect(unanswered.status == .unprocessableEntity)
            #expect(unanswered.body.string.contains(Self.text(app, "case.error.satisfaction_required")))
            let thanked = try await villager.post(location + "/feedback", ["satisfied": "yes", "comment": "很及时"])
            #expect(thanked.status == .seeOther)
            #expect(try await Self.state(record.requireID(), app) == .closed)
            #expect(try await villager.get(location).body.string.contains(Self.text(app, "case_pages.satisfied.yes")))
        }
    }

    @Test("a mistyped query code gets a clear 422, an unknown one 404, and a private case shows only its state")
    func trackingCodes() async throws {
        try await withApp { app in
            try await Self.prepare(app)
            let villager = Browser(app)
            try await villager.get("/report?category=STA-DISPUTE")
            let sent = try await villager.post(
                "/report",
                [
                    "county": Fixture.county, "category": "STA-DISPUTE", "village": Fixture.villageA1,
                    "description": "两户人家因宅基地边界发生争吵", "answers[dispute_kind]": "邻里",
                ])
            let location = try #require(sent.location)
            let code = String(location.dropFirst("/track/".count))
            let privateView = try await villager.get(location)
            #expect(privateView.status == .ok)
            #expect(privateView.body.string.contains(Self.text(app, "case_state.reported")))
            #expect(!privateView.body.string.contains("宅基地"))
            #expect(!privateView.body.string.contains("矛盾纠纷调解"))

            var typo = Array(code)
            typo[3] = typo[3] == "A" ? "B" : "A"
            let mistyped = try await villager.get("/track/\(String(typo))")
            #expect(mistyped.status == .unprocessableEntity)
            #expect(mistyped.body.string.contains(Self.text(app, "case_pages.track.malformed")))
            #expect(try await villager.get("/track?code=hello").status == .unprocessableEntity)
            #expect(try await villager.get("/track?code=\(code.lowercased())").location == location)
            var generator = SystemRandomNumberGenerator()
            let unknown = try await villager.get("/track/\(QueryCode.make(using: &generator).rawValue)")
            #expect(unknown.status == .notFound)
            #expect(unknown.body.string.contains(Self.text(app, "case_pages.track.unknown")))
        }
    }

    @Test("public reports over the hourly limit get 429 with a clear page; refused forms do not count")
    func reportLimit() async throws {
        try await withApp { app in
            try await Self.prepare(app)
            let villager = Browser(app)
            try await villager.get("/report?category=TWN-GARBAGE")
            let bad = [
                "county": Fixture.county, "category": "TWN-GARBAGE", "village": Fixture.villageA1, "description": "脏",
            ]
            var good = bad
            good["description"] = "村东头垃圾堆放点满了，已经三天没人清运"
            // A villager correcting her form is not locked out by her own mistakes.
            for _ in 0...ReportThrottle.perHour {
                #expect(try await villager.post("/report", bad).status == .unprocessableEntity)
            }
            for _ in 0..<ReportThrottle.perHour {
                #expect(try await villager.post("/report", good).status == .seeOther)
            }
            let refused = try await villager.post("/report", good)
            #expect(refused.status == .tooManyRequests)
            #expect(
                try await CaseRecord.query(on: app.db).filter(\.$source == "public").count() == ReportThrottle.perHour)
            #expect(refused.body.string.contains(Self.text(app, "case_pages.report.too_many", ["max": "5"])))
        }
    }

    @Test("another township's dispatcher gets 404 and cannot act; a grid worker may not dispatch; nothing changes")
    func outsideScope() async throws {
        try await withApp { app in
            try await Self.prepare(app)
            try await app.db.write { db in
                guard let township = try await AdminUnit.query(on: db).filter(\.$code == Fixture.townshipB).first()
                else { return }
                let user = try await UserRegistry.create(
                    username: "dispatcher_b", displayName: "石门乡综治办", phone: nil,
                    passwordHash: try await app.password.async.hash(Fixture.password), by: .system, on: db)
                try await UserRegistry.grant(.townshipDispatcher, at: township, to: user, by: .system, on: db)
            }
            let id = try await Self.reported(app)
            let events = try await CaseEventRecord.query(on: app.db).count()
            let other = Browser(app)
            try await other.login("dispatcher_b")
            #expect(try await other.get("/cases/\(id)").status == .notFound)
            #expect(!(try await other.get("/cases?box=classify").body.string.contains("href=\"/cases/\(id)\"")))
            let act = try await other.post(
                "/cases/\(id)/actions",
                ["action": "dispatch", "handler": Fixture.villageB1, "deadline": Self.deadline(hours: 24)])
            #expect(act.status == .notFound)

            let grid = Browser(app)
            try await grid.login("grid_worker")
            try await grid.get("/cases/\(id)")
            let refused = try await grid.post(
                "/cases/\(id)/actions",
                ["action": "dispatch", "handler": Fixture.villageA1, "deadline": Self.deadline(hours: 24)])
            #expect(refused.status == .forbidden)
            #expect(refused.body.string.contains(Self.text(app, "error.forbidden")))
            #expect(try await Self.state(id, app) == .reported)
            #expect(try await CaseEventRecord.query(on: app.db).count() == events)
        }
    }

    @Test("an illegal step posted by hand is refused with 409 and changes nothing")
    func illegalStep() async throws {
        try await withApp { app in
            try await Self.prepare(app)
            let id = try await Self.reported(app)
            let events = try await CaseEventRecord.query(on: app.db).count()
            let dispatcher = Browser(app)
            try await dispatcher.login("township_dispatcher")
            try await dispatcher.get("/cases/\(id)")
            let refused = try await dispatcher.post(
                "/cases/\(id)/actions",
                ["action": "transfer", "handler": Fixture.villageA2, "deadline": Self.deadline(hours: 24)])
            #expect(refused.status == .conflict)
            #expect(
                refused.body.string.contains(
                    Self.text(
                        app, "case.error.illegal_transition",
                        ["state": "case_state.reported", "action": "case_action.transfer"])))
            let garbled = try await dispatcher.post(
                "/cases/\(id)/actions", ["action": "dispatch", "handler": Fixture.villageA1, "deadline": "tomorrow"])
            #expect(garbled.status == .unprocessableEntity)
            #expect(garbled.body.string.contains(Self.text(app, "case_pages.error.deadline_format")))
            #expect(try await dispatcher.post("/cases/\(id)/actions", ["action": "fly"]).status == .unprocessableEntity)
            #expect(try await Self.state(id, app) == .reported)
            #expect(try await CaseEventRecord.query(on: app.db).count() == events)
        }
    }

    @Test("the inbox pages with a keyset cursor: disjoint pages that together hold every case")
    func keysetPages() async throws {
        try await withApp { app in
            try await Self.prepare(app)
            var all: Set<Int> = []
            for number in 1...65 { all.insert(try await Self.reported(app, description: "第 \(number) 处垃圾点满溢")) }
            let dispatcher = Browser(app)
            try await dispatcher.login("township_dispatcher")
            var seen: [Int] = []
            var next: String? = "/cases?box=classify"
            var pages = 0
            while let path = next {
                let body = try await dispatcher.get(path).body.string
                let ids = Self.matches(#"href="/cases/(\d+)""#, in: body).compactMap { Int($0) }
                #expect(Set(ids).isDisjoint(with: seen))
                seen += ids
                next = Self.matches(#"href="([^"]*after=\d+)" rel="next""#, in: body).first?
                    .replacingOccurrences(of: "&amp;", with: "&")
                pages += 1
            }
            #expect(pages == 3)
            #expect(seen.count == 65 && Set(seen) == all)
            #expect(seen == seen.sorted(by: >))
            let filtered = try await dispatcher.get("/cases?box=all&q=%E7%AC%AC%2042%20%E5%A4%84")
            #expect(Self.matches(#"href="/cases/(\d+)""#, in: filtered.body.string).count == 1)
            let badDate = try await dispatcher.get("/cases?box=all&from=2025-13-45")
            #expect(badDate.status == .unprocessableEntity)
            #expect(badDate.body.string.contains(Self.text(app, "case_pages.filter.bad_date")))
        }
    }

    @Test(
        "the county admin adds a category with a question, a bad one is refused beside its fields, and retiring hides it"
    )
    func categories() async throws {
        try await withApp { app in
            try await Self.prepare(app)
            let admin = Browser(app)
            try await admin.login("county_admin")
            let list = try await admin.get("/categories")
            #expect(list.status == .ok)
            #expect(list.body.string.contains("FAC-ROAD"))
            #expect(try await admin.get("/categories/new?parent=FAC").body.string.contains("value=\"FAC-\""))
            let count = try await CategoryRecord.query(on: app.db).count()
            let bad = try await admin.post(
                "/categories",
                [
                    "county": Fixture.county, "mode": "new", "code": "well", "parent": "FAC", "name_zh": "",
                    "name_en": "Well", "deadline_hours": "soon", "priority": "normal", "q2_key": "Depth",
                    "q2_label_zh": "井深", "q2_label_en": "Depth", "q2_kind": "choice", "q2_choices": "深",
                ])
            #expect(bad.status == .unprocessableEntity)
            let body = bad.body.string
            #expect(
                body.contains(
                    Self.text(app, "category.error.code_not_under_parent", ["code": "WELL", "parent": "FAC"])))
            #expect(body.contains(Self.text(app, "category.error.name_required")))
            #expect(body.contains(Self.text(app, "category.error.deadline_hours", ["min": "1", "max": "8760"])))
            #expect(body.contains(Self.text(app, "category.error.question_key", ["key": "Depth"])))
            #expect(body.contains(Self.text(app, "category.error.choices")))
            #expect(try await CategoryRecord.query(on: app.db).count() == count)

            let saved = try await admin.post(
                "/categories",
                [
                    "county": Fixture.county, "mode": "new", "code": "FAC-WELL", "parent": "FAC", "name_zh": "水井损坏",
                    "name_en": "Well damage", "handler": "village", "deadline_hours": "96", "priority": "high",
                    "q1_key": "depth_m", "q1_label_zh": "井深（米）", "q1_label_en": "Depth (m)", "q1_kind": "number",
                    "q1_required": "on",
                ])
            #expect(saved.status == .seeOther)
            let well = try #require(try await CategoryRecord.query(on: app.db).filter(\.$code == "FAC-WELL").first())
            #expect(well.deadlineHours == 96 && well.questions.map(\.key) == ["depth_m"])
            #expect(
                try await admin.post("/categories", ["county": Fixture.county, "mode": "new", "code": "FAC-WELL"])
                    .status
                    == .unprocessableEntity, "a new category may not take a code in use")
            let grid = Browser(app)
            try await grid.login("grid_worker")
            #expect(try await grid.get("/cases/new").body.string.contains("category=FAC-WELL"))
            #expect(try await grid.get("/categories").status == .forbidden)

            try await admin.get("/categories")
            let retired = try await admin.post("/categories/FAC-WELL/retire", ["county": Fixture.county])
            #expect(retired.status == .seeOther)
            #expect(!(try await grid.get("/cases/new").body.string.contains("category=FAC-WELL")))
        }
    }

    @Test("every case page stays under 60 KB with its stylesheet and reads in both languages without raw keys")
    func pagesInBothLanguages() async throws {
        try await withApp { app in
            try await Self.prepare(app)
            let id = try await Self.reported(app)
            let dispatcherActor = try await loadActor("township_dispatcher", on: app.db)
            try await CaseDesk.act(
                .init(action: .dispatch, handlerCode: Fixture.villageA1, deadline: Date().addingTimeInterval(3600)),
                on: id, by: .person(dispatcherActor), photos: app.photos, on: app.db)
            let villager = Browser(app)
            try await villager.get("/report?category=FAC-LIGHT")
            let code = try #require(
                try await villager.post(
                    "/report",
                    [
                        "county": Fixture.county, "category": "FAC-LIGHT", "village": Fixture.villageA2,
                        "description": "村委会门口路灯不亮", "answers[lights]": "2",
                    ]
                ).location)
            let css = try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/Resources/Public/app.css")).count
            let rawKeys = [
                "case_pages.", "case_state.", "case_action.", "priority.", "category_handler.", "question_kind.",
                "nav.", "task.", "case.error.", "case.input.", "unit_kind.",
            ]
            let pages: [(String, [String])] = [
                (
                    "grid_worker",
                    ["/", "/cases", "/cases?box=mine", "/cases/new", "/cases/new?category=FAC-ROAD", "/cases/\(id)"]
                ),
                (
                    "township_dispatcher",
                    ["/", "/cases", "/cases?box=classify", "/cases?box=overdue", "/cases?box=returned", "/cases/\(id)"]
                ),
                ("village_head", ["/cases?box=handle", "/cases/\(id)"]),
                ("township_leader", ["/cases?box=supervised", "/cases/\(id)"]),
                ("county_admin", ["/cases", "/categories", "/categories/new?parent=FAC", "/categories/FAC-ROAD"]),
                ("", ["/report", "/report?category=FAC-ROAD", "/track", code]),
            ]
            for language in ["zh-CN", "en"] {
                for (username, paths) in pages {
                    let browser = Browser(app, language: language)
                    if !username.isEmpty { try await browser.login(username) }
                    for path in paths {
                        let response = try await browser.get(path)
                        #expect(response.status == .ok, "\(username) \(path)")
                        let body = response.body.string
                        #expect(body.utf8.count + css < 60_000, "\(path) is \(body.utf8.count + css) bytes")
                        for key in rawKeys { #expect(!body.contains(key), "\(path) in \(language) shows \(key)") }
                        #expect(body.contains(language == "en" ? "lang=\"en\"" : "lang=\"zh-Hans\""))
                    }
                }
            }
            let english = Browser(app, language: "en")
            try await english.login("village_head")
            let page = try await english.get("/cases/\(id)").body.string
            #expect(page.contains("Garbage overflow") && page.contains("Dispatched") && page.contains("Accept"))
        }
    }

    static func matches(_ pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}

extension Browser {
    /// Posts a form as a browser does when it has file fields: `multipart/form-data`, the fields
    /// with the page's CSRF token, then each photo as a `photos[]` part.
    @discardableResult
    func postMultipart(_ path: String, _ fields: [(String, String)], files: [(String, Data)] = []) async throws
        -> TestingHTTPResponse
    {
        let boundary = "yunwei-\(UUID().uuidString)"
        var body = Data()
        for (name, value) in fields + (csrf.map { [("_csrf", $0)] } ?? []) {
            body.append(
                Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        for (filename, data) in files {
            body.append(
                Data(
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"photos[]\"; filename=\"\(filename)\"\r\nContent-Type: image/png\r\n\r\n"
                        .utf8))
            body.append(data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        let cookieHeader = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        let language = self.language
        let response = try await app.testing().sendRequest(.POST, path) { request in
            if !cookieHeader.isEmpty { request.headers.replaceOrAdd(name: .cookie, value: cookieHeader) }
            if let language { request.headers.replaceOrAdd(name: .acceptLanguage, value: language) }
            request.headers.replaceOrAdd(name: .accept, value: "text/html")
            request.headers.contentType = HTTPMediaType(
                type: "multipart", subType: "form-data", parameters: ["boundary": boundary])
            request.body = ByteBuffer(data: body)
        }
        if let token = Self.csrfToken(in: response.body.string) { csrf = token }
        return response
    }
}
