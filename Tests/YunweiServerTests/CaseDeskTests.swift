import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YunweiDomain

@testable import YunweiServer

/// The demo county's categories in the test county, for case tests.
func seedCategories(_ app: Application) async throws {
    try await app.db.write { db in
        guard let county = try await AdminUnit.query(on: db).filter(\.$code == Fixture.county).first() else { return }
        for category in DemoCategories.all {
            try await CategoryRegistry.save(category, county: county, by: .system, on: db)
        }
    }
}

func loadActor(_ username: String, on db: any Database) async throws -> Actor {
    let user = try #require(try await User.query(on: db).filter(\.$username == username).first())
    return try #require(try await ActorLoader.load(userID: user.requireID(), on: db)).actor
}

@Suite("Case desk")
struct CaseDeskTests {
    static let roadDamage = DemoCategories.all.first { $0.parentCode != nil && $0.questions.isEmpty && !$0.isPrivate }!
        .code

    @Test("a case goes from report through dispatch, handling and feedback to closed, with its timeline and audit")
    func wholeLife() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            try await seedCategories(app)
            let grid = try await loadActor("grid_worker", on: app.db)
            let dispatcher = try await loadActor("township_dispatcher", on: app.db)
            let head = try await loadActor("village_head", on: app.db)
            let now = Date()
            let report = CaseDesk.Report(
                categoryCode: Self.roadDamage, villageCode: Fixture.villageA1, description: "村口道路塌陷一处，约两米宽",
                latitude: 30.1, longitude: 104.2, source: "grid")
            let record = try await CaseDesk.report(report, by: .person(grid), photos: app.photos, now: now, on: app.db)
            let id = try record.requireID()
            #expect(record.caseState == .reported)
            #expect(record.queryCode == nil)
            try await CaseDesk.act(
                .init(action: .dispatch, handlerCode: Fixture.villageA1, deadline: now.addingTimeInterval(48 * 3600)),
                on: id,
                by: .person(dispatcher), photos: app.photos, now: now, on: app.db)
            // The grid worker may not accept; the village head may.
            await #expect(throws: YunweiError.self) {
                try await CaseDesk.act(
                    .init(action: .accept), on: id, by: .person(grid), photos: app.photos, on: app.db)
            }
            try await CaseDesk.act(.init(action: .accept), on: id, by: .person(head), photos: app.photos, on: app.db)
            // Resolving needs a result note.
            await #expect(throws: YunweiError.self) {
                try await CaseDesk.act(
                    .init(action: .resolve), on: id, by: .person(head), photos: app.photos, on: app.db)
            }
            try await CaseDesk.act(
                .init(action: .resolve, note: "已修复路面"), on: id, by: .person(head), photos: app.photos, on: app.db)
            let closed = try await CaseDesk.act(
                .init(action: .feedback, satisfied: true), on: id, by: .person(grid), photos: app.photos, on: app.db)
            #expect(closed.caseState == .closed)
            #expect(closed.satisfied == true)
            let events = try await CaseEventRecord.query(on: app.db).filter(\.$caseRecord.$id == id).sort(\.$id).all()
            #expect(events.map(\.action) == ["report", "dispatch", "accept", "resolve", "feedback"])
            let audits = try await AuditRecord.query(on: app.db).filter(\.$entityType == "case").filter(
                \.$entityID == String(id)
            )
            .count()
            #expect(audits == 5)
            #expect(
                try await AuditTrail.verify(on: app.db)
                    == .intact(count: try await AuditRecord.query(on: app.db).count()))
        }
    }

    @Test("an illegal step is refused with 409 and changes nothing")
    func illegalStep() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            try await seedCategories(app)
            let grid = try await loadActor("grid_worker", on: app.db)
            let head = try await loadActor("village_head", on: app.db)
            let record = try await CaseDesk.report(
                .init(
                    categoryCode: Self.roadDamage, villageCode: Fixture.villageA1, description: "垃圾点满溢三天",
                    source: "grid"),
                by: .person(grid), photos: app.photos, on: app.db)
            let events = try await CaseEventRecord.query(on: app.db).count()
            do {
                try await CaseDesk.act(
                    .init(action: .resolve, note: "x"), on: record.requireID(), by: .person(head), photos: app.photos,
                    on: app.db)
                Issue.record("resolving a reported case must be refused")
            } catch let error as YunweiError {
                // Not yet handed to the village: either refused as not theirs or not now.
                #expect([.conflict, .forbidden].contains(error.status))
            }
            #expect(try await CaseEventRecord.query(on: app.db).count() == events)
            #expect(try await CaseRecord.find(record.requireID(), on: app.db)?.caseState == .reported)
        }
    }

    @Test("a bad report lists every problem and stores nothing")
    func badReport() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            try await seedCategories(app)
            let grid = try await loadActor("grid_worker", on: app.db)
            let report = CaseDesk.Report(
                categoryCode: Self.roadDamage, villageCode: Fixture.villageA1, description: "坏", latitude: 91,
                longitude: 10,
                source: "grid", photos: [Data("not a photo".utf8)])
            do {
                _ = try await CaseDesk.report(report, by: .person(grid), photos: app.photos, on: app.db)
                Issue.record("a bad report must be refused")
            } catch let error as CaseDesk.InputError {
                #expect(Set(error.issues.map(\.field)).isSuperset(of: ["description", "lat", "photos.1"]))
            }
            #expect(try await CaseRecord.query(on: app.db).count() == 0)
            // Another village's grid worker may not report here.
            let other = CaseDesk.Report(
                categoryCode: Self.roadDamage, villageCode: Fixture.villageB1, description: "道路破损严重", source: "grid")
            await #expect(throws: YunweiError.self) {
                _ = try await CaseDesk.report(other, by: .person(grid), photos: app.photos, on: app.db)
            }
        }
    }

    @Test("the job escalates an overdue case once and closes a resolved case after 7 days without feedback")
    func jobs() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            try await seedCategories(app)
            let grid = try await loadActor("grid_worker", on: app.db)
            let dispatcher = try await loadActor("township_dispatcher", on: app.db)
            let head = try await loadActor("village_head", on: app.db)
            let start = Date()
            func report() async throws -> Int {
                try await CaseDesk.report(
                    .init(
                        categoryCode: Self.roadDamage, villageCode: Fixture.villageA1, description: "路灯不亮已一周",
                        source: "grid"),
                    by: .person(grid), photos: app.photos, now: start, on: app.db
                ).requireID()
            }
            let late = try await report()
            try await CaseDesk.act(
                .init(action: .dispatch, handlerCode: Fixture.villageA1, deadline: start.addingTimeInterval(3600)),
                on: late,
                by: .person(dispatcher), photos: app.photos, now: start, on: app.db)
            let done = try await report()
            try await CaseDesk.act(
                .init(action: .dispatch, handlerCode: Fixture.villageA1, deadline: start.addingTimeInterval(3600)),
                on: done,
                by: .person(dispatcher), photos: app.photos, now: start, on: app.db)
            try await CaseDesk.act(
                .init(action: .accept), on: done, by: .person(head), photos: app.photos, now: start, on: app.db)
            try await CaseDesk.act(
                .init(action: .resolve, note: "修好了"), on: done, by: .person(head), photos: app.photos, now: start,
                on: app.db)
            let first = try await CaseJobs.run(at: start.addingTimeInterval(2 * 3600), on: app.db)
            #expect(first == .init(escalated: 1, closed: 0))
            let again = try await CaseJobs.run(at: start.addingTimeInterval(3 * 3600), on: app.db)
            #expect(again == .init(escalated: 0, closed: 0))
            #expect(try await SupervisionRecord.query(on: app.db).filter(\.$kind == "overdue").count() == 1)
            let week = try await CaseJobs.run(at: start.addingTimeInterval(7 * 24 * 3600 + 1), on: app.db)
            #expect(week.closed == 1)
            #expect(try await CaseRecord.find(done, on: app.db)?.caseState == .closed)
        }
    }
}
