import Fluent
import Foundation
import Testing
import YunweiDomain

@testable import YunweiServer

@Suite("Case inboxes")
struct CaseInboxTests {
    /// The inboxes ask the database by unit ids (`CaseReach`); the policy speaks of unit paths.
    /// Over cases in every state, village, handler and flag, each person's each inbox must hold
    /// exactly the cases the path rules of the domain pick, private cases included.
    @Test("every inbox of every person holds exactly the cases the domain's path rules pick")
    func inboxesAgreeWithThePolicy() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            try await seedCategories(app)
            let db = app.db
            let units = Dictionary(
                uniqueKeysWithValues: try await AdminUnit.query(on: db).all().map { ($0.code, $0) })
            let category = try #require(try await CategoryRecord.query(on: db).filter(\.$parent.$id != nil).first())
            let users = try await User.query(on: db).all()
            let villages = [Fixture.villageA1, Fixture.villageA2, Fixture.villageB1, Fixture.villageB2]
            let handlers: [String?] = [
                nil, Fixture.townshipA, Fixture.townshipB, Fixture.department, Fixture.villageA1, Fixture.villageB2,
            ]
            let now = Date()
            try await db.write { db in
                var random = SplitMix64(seed: 2026)
                for number in 0..<240 {
                    let village = units[villages[random.int(in: 0...3)]]!
                    let record = CaseRecord()
                    record.$county.id = try units[Fixture.county]!.requireID()
                    record.$township.id = village.$parent.id!
                    record.$village.id = try village.requireID()
                    record.villagePath = village.path
                    record.$category.id = try category.requireID()
                    record.state = CaseState.allCases[random.int(in: 0...(CaseState.allCases.count - 1))].rawValue
                    record.priority = "normal"
                    record.isPrivate = random.int(in: 0...3) == 0
                    record.description = "第 \(number) 件"
                    record.answersJSON = "{}"
                    record.source = "grid"
                    record.reporterUserID =
                        random.int(in: 0...2) == 0 ? try users[random.int(in: 0...users.count - 1)].requireID() : nil
                    if let handler = handlers[random.int(in: 0...handlers.count - 1)].map({ units[$0]! }) {
                        record.$handlerUnit.id = try handler.requireID()
                        record.handlerPath = handler.path
                    }
                    // Never exactly now: storage rounds the instant, and the test would see both sides.
                    let hours = random.int(in: 1...72) * (random.int(in: 0...1) == 0 ? -1 : 1)
                    record.deadlineAt = now.addingTimeInterval(Double(hours) * 3600)
                    record.reportedAt = now.addingTimeInterval(-Double(number) * 60)
                    record.reopenCount = 0
                    record.supervised = random.int(in: 0...1) == 1
                    record.updatedAt = now
                    try await record.create(on: db)
                }
            }
            let cases = try await CaseRecord.query(on: db).all()
            /// Every page of the list, in small pages so that the cursor is used.
            func everything(_ first: CaseQuery.Filter, _ actor: Actor) async throws -> [Int] {
                var filter = first
                filter.limit = 7
                var listed: [Int] = []
                while true {
                    let page = try await CaseQuery.page(filter, for: actor, now: now, on: db)
                    listed += page.cases.compactMap(\.id)
                    guard let next = page.next else { return listed }
                    filter.after = next
                }
            }
            for user in users {
                let actor = try await loadActor(user.username, on: db)
                // What the person sees less their own reports, which are in "mine" only.
                var scope = CasePolicy.viewScope(actor)
                scope.reporterUserID = -1
                let seen = { (record: CaseRecord) in scope.contains(record.place) }
                func inRoots(_ roots: [UnitPath], _ record: CaseRecord, byHandler: Bool = true) -> Bool {
                    roots.contains { root in
                        UnitPath(rawValue: record.villagePath).isWithin(root)
                            || (byHandler && record.handlerPath.map { UnitPath(rawValue: $0).isWithin(root) } == true)
                    }
                }
                let dispatch = Policy.scope(actor, .dispatchCase)
                let supervise = Policy.scope(actor, .superviseCase)
                let handling = CasePolicy.handlingScope(actor)
                let expected: [CaseQuery.Inbox: (CaseRecord) -> Bool] = [
                    .all: seen,
                    .mine: { $0.reporterUserID == Int(actor.userID) },
                    .classify: {
                        ([.reported, .returned].contains($0.caseState) && inRoots(dispatch, $0, byHandler: false))
                            || ($0.caseState == .referred && inRoots(supervise, $0, byHandler: false))
                    },
                    .returned: { $0.caseState == .returned && inRoots(dispatch, $0, byHandler: false) },
                    .handle: {
                        [.dispatched, .inProgress].contains($0.caseState)
                            && $0.handlerPath.map { handling.contains(UnitPath(rawValue: $0)) } == true
                    },
                    .overdue: {
                        $0.caseState.runsAgainstDeadline && $0.deadlineAt! < now && seen($0)
                    },
                    .supervised: { $0.supervised && $0.caseState.isOpen && seen($0) },
                ]
                for inbox in CaseQuery.Inbox.allCases {
                    var filter = CaseQuery.Filter()
                    filter.inbox = inbox
                    let listed = try await everything(filter, actor)
                    let want = cases.filter(expected[inbox]!).compactMap(\.id).sorted(by: >)
                    #expect(listed == want, "\(user.username), \(inbox)")
                }
                // A unit filter narrows each list to the unit's cases, however the list is asked.
                for unit in units.values {
                    for inbox in [CaseQuery.Inbox.all, .overdue, .supervised, .handle] {
                        var filter = CaseQuery.Filter()
                        filter.inbox = inbox
                        filter.unitCode = unit.code
                        let listed = try await everything(filter, actor)
                        let path = UnitPath(rawValue: unit.path)
                        let want = cases.filter { expected[inbox]!($0) && inRoots([path], $0) }.compactMap(\.id)
                            .sorted(by: >)
                        #expect(listed == want, "\(user.username), \(inbox), unit \(unit.code)")
                    }
                }
            }
        }
    }

    @Test(
        "a petition is seen by its reporter, the township's dispatcher and its handler, not by the rest of the village")
    func privateCase() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            try await seedCategories(app)
            let grid = try await loadActor("grid_worker", on: app.db)
            let dispatcher = try await loadActor("township_dispatcher", on: app.db)
            let report = CaseDesk.Report(
                categoryCode: "STA-LAND", villageCode: Fixture.villageA1, description: "两户宅基地边界纠纷",
                source: "grid")
            let record = try await CaseDesk.report(report, by: .person(grid), photos: app.photos, on: app.db)
            #expect(record.isPrivate)
            let id = try record.requireID()
            let api = APIClient(app: app)
            func sees(_ username: String) async throws -> Bool {
                let page = try await Browser(app).signedIn(username).get("/cases/\(id)").status
                let json = try await api.get("/api/v1/cases/\(id)", as: username).status
                #expect(page == json, "\(username): page \(page), API \(json)")
                let listed = try await Browser(app).signedIn(username).get("/cases?box=all").body.string
                #expect(listed.contains("href=\"/cases/\(id)\"") == (page == .ok) || username == "grid_worker")
                return page == .ok
            }
            for (username, expected) in [
                ("grid_worker", true), ("township_dispatcher", true), ("township_leader", true),
                ("county_auditor", true), ("village_head", false), ("village_clerk", false),
                ("department_handler", false), ("township_finance", false),
            ] {
                #expect(try await sees(username) == expected, "\(username) before dispatch")
            }
            try await CaseDesk.act(
                .init(
                    action: .dispatch, handlerCode: Fixture.villageA1, deadline: Date().addingTimeInterval(72 * 3600)),
                on: id, by: .person(dispatcher), photos: app.photos, on: app.db)
            #expect(try await sees("village_head"), "the handler sees it once it is hers")
            #expect(!(try await sees("village_clerk")))
        }
    }
}
