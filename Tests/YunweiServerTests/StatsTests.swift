import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YunweiDomain

@testable import YunweiServer

/// A hand-built year of cases with answers worked out by hand (all times Asia/Shanghai, 2025):
///
/// | # | village | category | reported | state | handling | on time | feedback | overdue now |
/// |---|---|---|---|---|---|---|---|---|
/// | 1 | A1 | first | 10 Jan 10:00 | closed | 10 h | yes | satisfied | |
/// | 2 | A1 | first | 31 Jan 23:30 | resolved | 30 h | no (24 h limit) | | |
/// | 3 | A2 | second | 1 Feb 00:30 (still 31 Jan in UTC) | in progress | | | | yes |
/// | 4 | B1 | second | 15 Feb 09:00 | closed | 20 h | yes | unsatisfied | |
/// | 5 | B1 | first | 3 Mar 09:00 | rejected | | | | |
/// | 6 | A2 | second | 10 Mar 09:00 | dispatched, due in 2099 | | | | no |
/// | 7 | A1 | first | 31 Dec 2024 23:59 | closed | — outside the year | | | |
///
/// County 2025: collected 6, resolved 3 (50.0%), on time 2 of 3 (66.7%), average 20.0 h,
/// satisfaction 1 of 2 (50.0%), overdue 1.
enum StatsFixture {
    static let year = "from=2025-01-01&to=2025-12-31"

    static func shanghai(_ text: String) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.date(from: text)!
    }

    /// The two subcategories used, from different top categories.
    static func categories(on db: any Database) async throws -> (CategoryRecord, CategoryRecord) {
        let subs = try await CategoryRecord.query(on: db).filter(\.$parent.$id != nil).sort(\.$id).all()
        let first = try #require(subs.first)
        let second = try #require(subs.first { $0.$parent.id != first.$parent.id })
        return (first, second)
    }

    static func seed(_ app: Application) async throws {
        try await Fixture.seed(app)
        try await seedCategories(app)
        let db = app.db
        let (first, second) = try await categories(on: db)
        let hour: TimeInterval = 3600
        func add(
            _ village: String, _ category: CategoryRecord, _ reported: String, _ state: CaseState,
            dispatchAfter: TimeInterval? = hour, limit: TimeInterval = 24 * hour, deadline: Date? = nil,
            handling: TimeInterval? = nil, satisfied: Bool? = nil, reporterName: String? = nil
        ) async throws {
            let unit = try #require(try await AdminUnit.query(on: db).filter(\.$code == village).first())
            let codes = unit.unitPath.codes.map(\.rawValue)
            let county = try #require(try await AdminUnit.query(on: db).filter(\.$code == codes[0]).first())
            let township = try #require(try await AdminUnit.query(on: db).filter(\.$code == codes[1]).first())
            let reportedAt = shanghai(reported)
            let record = CaseRecord()
            record.$county.id = try county.requireID()
            record.$township.id = try township.requireID()
            record.$village.id = try unit.requireID()
            record.villagePath = unit.path
            record.$category.id = try category.requireID()
            record.state = state.rawValue
            record.priority = category.priority
            record.isPrivate = category.isPrivate
            record.description = "统计测试案件"
            record.answersJSON = "{}"
            record.source = reporterName == nil ? "grid" : "public"
            record.reporterName = reporterName
            record.reporterPhone = reporterName == nil ? nil : "13912345678"
            record.reportedAt = reportedAt
            if let dispatchAfter, state != .rejected {
                let dispatched = reportedAt.addingTimeInterval(dispatchAfter)
                record.dispatchedAt = dispatched
                record.deadlineAt = deadline ?? dispatched.addingTimeInterval(limit)
                record.$handlerUnit.id = try unit.requireID()
                record.handlerPath = unit.path
                if let handling { record.resolvedAt = dispatched.addingTimeInterval(handling) }
            }
            if state == .closed || state == .rejected {
                record.closedAt = (record.resolvedAt ?? reportedAt).addingTimeInterval(hour)
            }
            record.satisfied = satisfied
            record.reopenCount = 0
            record.supervised = false
            record.updatedAt = reportedAt
            try await record.create(on: db)
        }
        try await add(
            Fixture.villageA1, first, "2025-01-10 10:00", .closed, limit: 48 * hour, handling: 10 * hour,
            satisfied: true)
        try await add(Fixture.villageA1, first, "2025-01-31 23:30", .resolved, handling: 30 * hour)
        try await add(Fixture.villageA2, second, "2025-02-01 00:30", .inProgress, reporterName: "王先生")
        try await add(
            Fixture.villageB1, second, "2025-02-15 09:00", .closed, limit: 48 * hour, handling: 20 * hour,
            satisfied: false)
        try await add(Fixture.villageB1, first, "2025-03-03 09:00", .rejected)
        try await add(
            Fixture.villageA2, second, "2025-03-10 09:00", .dispatched, deadline: shanghai("2099-01-01 00:00"))
        try await add(Fixture.villageA1, first, "2024-12-31 23:59", .closed, handling: 5 * hour, satisfied: true)
    }
}

@Suite("Case statistics")
struct StatsTests {
    func report(
        _ app: Application, unit code: String, from: String = "2025-01-01", to: String = "2025-12-31",
        sums: Bool = true
    ) async throws -> CaseStatsReport {
        let unit = try #require(try await AdminUnit.query(on: app.db).filter(\.$code == code).first())
        let period = try CaseStatsAccess.period(from: from, to: to)
        return try await CaseStatsReport.build(
            for: unit, period: period, now: StatsFixture.shanghai("2025-11-01 00:00"), language: .zhHans, sums: sums,
            on: app.db)
    }

    /// Every line of every table of a report, for comparing two reports.
    func lines(_ report: CaseStatsReport) -> [String] {
        ["total \(report.summary)"]
            + [("unit", report.byUnit), ("category", report.byCategory), ("month", report.byMonth)].flatMap {
                table, rows in rows.map { "\(table) \($0.key) \($0.figures)" }
            }
    }

    @Test("the running sums kept by the database agree with counting the cases, whole months and part months alike")
    func sumsAgreeWithCounting() async throws {
        try await withApp { app in
            try await StatsFixture.seed(app)
            for unit in [Fixture.county, Fixture.townshipA, Fixture.villageA2, Fixture.townshipB] {
                for (from, to) in [
                    ("2025-01-01", "2025-12-31"), ("2025-01-15", "2025-03-05"), ("2024-12-31", "2025-02-28"),
                ] {
                    let summed = try await report(app, unit: unit, from: from, to: to)
                    let counted = try await report(app, unit: unit, from: from, to: to, sums: false)
                    #expect(lines(summed) == lines(counted), "\(unit) \(from)…\(to)")
                }
            }
            // Part months at both ends: 31 January 23:30 and 1 February 00:30 only.
            let span = try await report(app, unit: Fixture.county, from: "2025-01-15", to: "2025-02-10")
            #expect(span.byMonth.map(\.figures.collected) == [1, 1])
            #expect(span.summary.resolved == 1)
            #expect(span.summary.overdueNow == 1)
        }
    }

    @Test("the sums' migrations revert cleanly, and filling the sums afresh from the cases gives the same figures")
    func backfill() async throws {
        try await withApp { app in
            try await StatsFixture.seed(app)
            let before = lines(try await report(app, unit: Fixture.county))
            try await RebuildRunningDeadlineIndex().revert(on: app.db)
            try await CreateCaseStatCells().revert(on: app.db)
            try await CreateCaseStatCells().prepare(on: app.db)
            try await RebuildRunningDeadlineIndex().prepare(on: app.db)
            #expect(lines(try await report(app, unit: Fixture.county)) == before)
        }
    }

    @Test("the sums follow a case through its steps, in the same transaction as each step")
    func sumsFollowSteps() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            try await seedCategories(app)
            let grid = try await loadActor("grid_worker", on: app.db)
            let dispatcher = try await loadActor("township_dispatcher", on: app.db)
            let head = try await loadActor("village_head", on: app.db)
            let now = Date()
            let year = StatisticsPeriod.year(containing: now)
            let village = try #require(
                try await AdminUnit.query(on: app.db).filter(\.$code == Fixture.villageA1).first())
            func figures() async throws -> CaseStatistics {
                try await CaseStatsReport.build(for: village, period: year, now: now, language: .en, on: app.db).summary
            }
            let id = try await CaseDesk.report(
                .init(
                    categoryCode: CaseDeskTests.roadDamage, villageCode: Fixture.villageA1, description: "路灯不亮已一周",
                    source: "grid"),
                by: .person(grid), photos: app.photos, now: now, on: app.db
            ).requireID()
            #expect(try await figures().collected == 1)
            #expect(try await figures().resolved == 0)
            try await CaseDesk.act(
                .init(action: .dispatch, handlerCode: Fixture.villageA1, deadline: now.addingTimeInterval(48 * 3600)),
                on: id, by: .person(dispatcher), photos: app.photos, now: now, on: app.db)
            try await CaseDesk.act(.init(action: .accept), on: id, by: .person(head), photos: app.photos, on: app.db)
            try await CaseDesk.act(
                .init(action: .resolve, note: "已更换灯泡"), on: id, by: .person(head), photos: app.photos,
                now: now.addingTimeInterval(2 * 3600), on: app.db)
            var resolved = try await figures()
            #expect(resolved.resolved == 1)
            #expect(resolved.resolvedOnTime == 1)
            #expect(resolved.handlingSecondsTotal == 2 * 3600)
            #expect(resolved.feedbackGiven == 0)
            // Unsatisfied within the week: back in progress, no longer resolved.
            try await CaseDesk.act(
                .init(action: .feedback, satisfied: false), on: id, by: .person(grid), photos: app.photos,
                now: now.addingTimeInterval(3 * 3600), on: app.db)
            resolved = try await figures()
            #expect(resolved.resolved == 0)
            #expect(resolved.feedbackGiven == 1)
            #expect(resolved.satisfied == 0)
            #expect(resolved.collected == 1)
        }
    }

    @Test("a county's figures follow the fixed definitions, in total, by township, by category and by month")
    func countyFigures() async throws {
        try await withApp { app in
            try await StatsFixture.seed(app)
            let report = try await report(app, unit: Fixture.county)
            let total = report.summary
            #expect(total.collected == 6)
            #expect(total.resolved == 3)
            #expect(total.resolutionRate == 500)
            #expect(total.resolvedOnTime == 2)
            #expect(total.onTimeRate == 667)
            #expect(total.handledCount == 3)
            #expect(total.handlingSecondsTotal == 60 * 3600)
            #expect(CaseStatsFormat.hoursText(total) == "20.0")
            #expect(total.feedbackGiven == 2)
            #expect(total.satisfied == 1)
            #expect(total.satisfactionRate == 500)
            #expect(total.overdueNow == 1)

            let townships = Dictionary(uniqueKeysWithValues: report.byUnit.map { ($0.key, $0.figures) })
            #expect(Set(townships.keys) == [Fixture.townshipA, Fixture.townshipB])
            #expect(townships[Fixture.townshipA]?.collected == 4)
            #expect(townships[Fixture.townshipA]?.resolved == 2)
            #expect(townships[Fixture.townshipA]?.resolvedOnTime == 1)
            #expect(townships[Fixture.townshipA]?.overdueNow == 1)
            #expect(townships[Fixture.townshipB]?.collected == 2)
            #expect(townships[Fixture.townshipB]?.satisfactionRate == 0)

            // 00:30 on 1 February in Shanghai is still 31 January in UTC: it counts in February.
            #expect(report.byMonth.count == 12)
            #expect(report.byMonth.map(\.figures.collected) == [2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0])
            #expect(report.byMonth.map(\.figures.resolved) == [2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
            #expect(report.byMonth[1].figures.overdueNow == 1)
            #expect(report.byMonth[0].key == "2025-01")

            let (first, second) = try await StatsFixture.categories(on: app.db)
            let categories = Dictionary(uniqueKeysWithValues: report.byCategory.map { ($0.key, $0) })
            #expect(categories[first.code]?.figures.collected == 3)
            #expect(categories[first.code]?.figures.resolved == 2)
            #expect(categories[second.code]?.figures.collected == 3)
            #expect(categories[second.code]?.figures.resolved == 1)
            let firstTop = try #require(categories[first.code]?.parent)
            #expect(categories[firstTop]?.figures.collected == 3)
            // Top categories add up to the total.
            let tops = report.byCategory.filter { $0.parent == nil }
            #expect(tops.reduce(CaseStatistics.zero) { $0 + $1.figures } == total)
        }
    }

    @Test("a township is broken down by its villages, a village is just itself, and a month is a month")
    func townshipAndVillage() async throws {
        try await withApp { app in
            try await StatsFixture.seed(app)
            let township = try await report(app, unit: Fixture.townshipA)
            let villages = Dictionary(uniqueKeysWithValues: township.byUnit.map { ($0.key, $0.figures) })
            #expect(villages[Fixture.villageA1]?.collected == 2)
            #expect(villages[Fixture.villageA1]?.resolved == 2)
            #expect(villages[Fixture.villageA2]?.collected == 2)
            #expect(villages[Fixture.villageA2]?.overdueNow == 1)
            let village = try await report(app, unit: Fixture.villageA1)
            #expect(village.summary.collected == 2)
            #expect(CaseStatsFormat.hoursText(village.summary) == "20.0")
            #expect(village.byUnit.map(\.key) == [Fixture.villageA1])
            // One month alone; the last day of December 2024 belongs to that year only.
            let february = try await report(app, unit: Fixture.county, from: "2025-02-01", to: "2025-02-28")
            #expect(february.byMonth.map(\.figures.collected) == [2])
            let december = try await report(app, unit: Fixture.county, from: "2024-12-01", to: "2024-12-31")
            #expect(december.summary.collected == 1)
            #expect(december.summary.satisfied == 1)
        }
    }

    @Test("the statistics API gives counts, rates and hours, broken down on request")
    func api() async throws {
        try await withApp { app in
            try await StatsFixture.seed(app)
            let api = APIClient(app: app)
            let response = try await api.get(
                "/api/v1/stats/cases?unit=\(Fixture.county)&\(StatsFixture.year)&by=month", as: "county_admin")
            #expect(response.status == .ok)
            let summary = try #require(response.json["summary"] as? [String: Any])
            #expect(summary["collected"] as? Int == 6)
            #expect(summary["resolved"] as? Int == 3)
            #expect(summary["resolution_rate"] as? Double == 0.5)
            #expect(summary["on_time_rate"] as? Double == 0.667)
            #expect(summary["average_handling_hours"] as? Double == 20)
            #expect(summary["satisfaction_rate"] as? Double == 0.5)
            #expect(summary["overdue_now"] as? Int == 1)
            #expect(response.json["from"] as? String == "2025-01-01")
            let months = try #require(response.json["rows"] as? [[String: Any]])
            #expect(months.count == 12)
            #expect(months.first?["key"] as? String == "2025-01")
            let byUnit = try await api.get(
                "/api/v1/stats/cases?unit=\(Fixture.county)&\(StatsFixture.year)&by=unit", as: "county_auditor")
            #expect(
                (byUnit.json["rows"] as? [[String: Any]])?.compactMap { $0["key"] as? String } == [
                    Fixture.townshipA, Fixture.townshipB,
                ])
            let empty = try await api.get(
                "/api/v1/stats/cases?unit=\(Fixture.county)&from=2025-06-01&to=2025-06-30", as: "county_admin")
            let nothing = try #require(empty.json["summary"] as? [String: Any])
            #expect(nothing["collected"] as? Int == 0)
            #expect(nothing["resolution_rate"] is NSNull)
            let bad = try await api.get(
                "/api/v1/stats/cases?unit=\(Fixture.county)&from=2025-02-30&by=week", as: "county_admin")
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.detailFields == ["by"])
            let badDate = try await api.get(
                "/api/v1/stats/cases?unit=\(Fixture.county)&from=2025-02-30&to=2024-01-01", as: "county_admin")
            #expect(badDate.detailFields == ["from"])
            let reversed = try await api.get(
                "/api/v1/stats/cases?unit=\(Fixture.county)&from=2025-02-01&to=2024-01-01", as: "county_admin")
            #expect(reversed.detailFields == ["to"])
        }
    }

    @Test("a village head sees her own village's statistics and no other unit's")
    func villageHeadScope() async throws {
        try await withApp { app in
            try await StatsFixture.seed(app)
            let api = APIClient(app: app)
            let own = try await api.get("/api/v1/stats/cases?\(StatsFixture.year)", as: "village_head")
            #expect(own.status == .ok)
            #expect((own.json["unit"] as? [String: Any])?["code"] as? String == Fixture.villageA1)
            #expect((own.json["summary"] as? [String: Any])?["collected"] as? Int == 2)
            for unit in [Fixture.villageA2, Fixture.townshipA, Fixture.county, Fixture.villageB1] {
                let other = try await api.get(
                    "/api/v1/stats/cases?unit=\(unit)&\(StatsFixture.year)", as: "village_head")
                #expect(other.status == .notFound)
            }
            // Roles without statistics are refused outright, even for their own village.
            let grid = try await api.get("/api/v1/stats/cases?unit=\(Fixture.villageA1)", as: "grid_worker")
            #expect(grid.status == .forbidden)
            #expect(try await api.get("/api/v1/stats/cases", as: "department_handler").status == .forbidden)
            let browser = Browser(app)
            try await browser.login("village_head")
            #expect(try await browser.get("/stats?unit=\(Fixture.villageA2)").status == .notFound)
            #expect(try await browser.get("/stats.csv?unit=\(Fixture.townshipA)").status == .notFound)
        }
    }

    @Test("the dashboard shows the tables and two SVG charts in both languages, and stays small")
    func dashboard() async throws {
        try await withApp { app in
            try await StatsFixture.seed(app)
            for language in ["zh-Hans", "en"] {
                let browser = Browser(app, language: language)
                try await browser.login("county_admin")
                let home = try await browser.get("/")
                #expect(home.body.string.contains("href=\"/stats\""))
                let page = try await browser.get("/stats?unit=\(Fixture.county)&\(StatsFixture.year)")
                #expect(page.status == .ok)
                let html = page.body.string
                #expect(html.contains("青山镇"))
                #expect(html.contains("石门乡"))
                #expect(html.components(separatedBy: "<svg").count == 3)
                #expect(html.contains("50.0%"))
                #expect(html.contains("66.7%"))
                #expect(html.contains(language == "en" ? "Resolution rate" : "办结率"))
                #expect(!html.contains(">stats."), "a catalog key shows instead of its text")
                #expect(page.body.readableBytes < 60_000)
            }
            // The default is the person's top unit and this year.
            let leader = Browser(app)
            try await leader.login("township_leader")
            let own = try await leader.get("/stats")
            #expect(own.status == .ok)
            #expect(own.body.string.contains("桃源村"))
            let bad = try await leader.get("/stats?from=2025-02-30")
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("2026-03-31"))
        }
    }

    @Test("the CSV downloads open in Excel: a byte-order mark, a header row, and personal data only for those who may")
    func csv() async throws {
        try await withApp { app in
            try await StatsFixture.seed(app)
            let admin = Browser(app)
            try await admin.login("county_admin")
            let stats = try await admin.get("/stats.csv?unit=\(Fixture.county)&\(StatsFixture.year)")
            #expect(stats.status == .ok)
            #expect(stats.headers.contentType?.subType == "csv")
            let statsBytes = [UInt8](stats.body.readableBytesView)
            #expect(Array(statsBytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let statsLines = stats.body.string.dropFirst().components(separatedBy: "\r\n")
            #expect(statsLines.first?.hasPrefix("统计表,代码,名称,收集,办结,办结率") == true)
            #expect(statsLines.contains { $0.hasPrefix("合计,\(Fixture.county),云岭县,6,3,50.0%,66.7%,20.0,50.0%,1") })

            let cases = try await admin.get("/cases.csv?unit=\(Fixture.county)&\(StatsFixture.year)")
            #expect(cases.status == .ok)
            let caseBytes = [UInt8](cases.body.readableBytesView)
            #expect(Array(caseBytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
            // Only one byte-order mark, at the very start.
            #expect(cases.body.string.dropFirst().contains("\u{FEFF}") == false)
            let lines = cases.body.string.dropFirst().components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.first?.hasPrefix("案件编号,上报时间,状态") == true)
            #expect(lines.count == 1 + 6)
            // The source is in words, like the state, not a stored code.
            #expect(lines.dropFirst().allSatisfy { !$0.contains(",grid,") && !$0.contains(",public,") })
            #expect(lines.dropFirst().contains { $0.contains(",网格员上报,") || $0.contains(",群众反映,") })
            #expect(!cases.body.string.contains("王先生"))
            #expect(!(lines.first ?? "").contains("上报人"))

            let dispatcher = Browser(app)
            try await dispatcher.login("township_dispatcher")
            let withContacts = try await dispatcher.get("/cases.csv?\(StatsFixture.year)")
            #expect(withContacts.body.string.contains("上报人电话"))
            #expect(withContacts.body.string.contains("王先生"))
            let contactLines = withContacts.body.string.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(contactLines.count == 1 + 4)

            let grid = Browser(app)
            try await grid.login("grid_worker")
            #expect(try await grid.get("/cases.csv").status == .forbidden)
        }
    }
}
