import Fluent
import Foundation
import SQLKit
import YunweiDomain

/// A year of realistic case history for the demo county, about 80 cases per village (so about
/// a million at `--scale 100`): reported by grid workers, the public and Open311, dispatched,
/// handled — mostly on time, some late, a few still overdue — resolved, given feedback or
/// closed by the job, some rejected as duplicates. Deterministic for a given start time.
///
/// Written in bulk (multi-row inserts of bound values, the same SQL on SQLite and PostgreSQL)
/// because a million cases through `CaseDesk` one by one would take an hour; the bulk load is
/// recorded in the audit trail as one record per batch.
enum DemoCases {
    static let perVillage = 80...90
    static let batchSize = 500

    struct Village {
        let id: Int
        let townshipID: Int
        let countyID: Int
        let path: String
        let departmentID: Int?
        let departmentPath: String?
        let townshipPath: String
    }

    struct Category {
        let id: Int
        let code: String
        let hours: Int
        let priority: String
        let isPrivate: Bool
        let handler: String?
    }

    static func seed(
        on db: any Database, now: Date, progress: @escaping @Sendable (String) -> Void
    ) async throws -> Int {
        let villages = try await loadVillages(on: db)
        let categories = try await CategoryRecord.query(on: db).filter(\.$parent.$id != nil).filter(\.$active == true)
            .sort(\.$id).all().map {
                Category(
                    id: try $0.requireID(), code: $0.code, hours: $0.deadlineHours, priority: $0.priority,
                    isPrivate: $0.isPrivate, handler: $0.defaultHandler)
            }
        guard !villages.isEmpty, !categories.isEmpty else { return 0 }
        var random = SplitMix64(seed: 20_261_129)
        var caseRows: [[any SQLExpression]] = []
        var eventRows: [[any SQLExpression]] = []
        var nextID = (try await CaseRecord.query(on: db).max(\.$id) ?? 0) + 1
        var total = 0
        for (index, village) in villages.enumerated() {
            for _ in 0..<random.int(in: perVillage) {
                let story = Story(id: nextID, village: village, categories: categories, now: now, random: &random)
                caseRows.append(story.caseRow)
                eventRows += story.eventRows
                nextID += 1
                total += 1
                if caseRows.count >= batchSize {
                    try await flush(&caseRows, &eventRows, on: db)
                }
            }
            if (index + 1) % 1000 == 0 { progress("cases: \(total) in \(index + 1)/\(villages.count) villages") }
        }
        try await flush(&caseRows, &eventRows, on: db)
        if !db.isSQLite {
            for table in ["cases", "case_events"] {
                try await db.sql.raw(
                    SQLQueryString(
                        stringLiteral:
                            "SELECT setval(pg_get_serial_sequence('\(table)', 'id'), (SELECT COALESCE(MAX(id), 1) FROM \(table)))"
                    )
                ).run()
            }
        }
        return total
    }

    private static func flush(
        _ cases: inout [[any SQLExpression]], _ events: inout [[any SQLExpression]], on db: any Database
    )
        async throws
    {
        guard !cases.isEmpty else { return }
        let caseBatch = cases
        let eventBatch = events
        cases.removeAll(keepingCapacity: true)
        events.removeAll(keepingCapacity: true)
        try await db.write { db in
            var insert = db.sql.insert(into: CaseRecord.schema).columns(Story.caseColumns)
            for row in caseBatch { insert = insert.values(row) }
            try await insert.run()
            for chunk in stride(from: 0, to: eventBatch.count, by: 2000) {
                var events = db.sql.insert(into: CaseEventRecord.schema).columns(Story.eventColumns)
                for row in eventBatch[chunk..<min(chunk + 2000, eventBatch.count)] { events = events.values(row) }
                try await events.run()
            }
            try await AuditTrail.record(
                on: db, by: .init(id: nil, name: "demo"), action: "demo_cases", entityType: "case",
                entityID: "batch", after: ["cases": String(caseBatch.count), "events": String(eventBatch.count)])
        }
    }

    private static func loadVillages(on db: any Database) async throws -> [Village] {
        let units = try await AdminUnit.query(on: db).all()
        let byCode = Dictionary(units.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let departments = units.filter { $0.unitKind == .department }
        return units.filter { $0.unitKind == .village }.sorted { $0.code < $1.code }.compactMap { village in
            let codes = village.unitPath.codes
            guard codes.count >= 3, let county = byCode[codes[0].rawValue], let township = byCode[codes[1].rawValue],
                let villageID = village.id, let townshipID = township.id, let countyID = county.id
            else { return nil }
            let department =
                departments.first { $0.path.hasPrefix(township.path) }
                ?? departments.first { $0.parentCode == county.code }
            return Village(
                id: villageID, townshipID: townshipID, countyID: countyID, path: village.path,
                departmentID: department?.id,
                departmentPath: department?.path, townshipPath: township.path)
        }
    }
}

/// One demo case's life, decided by its age and a few dice.
private struct Story {
    static let caseColumns = [
        "id", "county_id", "township_id", "village_id", "village_path", "category_id", "state", "priority", "private",
        "description", "lat_e6", "lon_e6", "address", "answers", "source", "reporter_name", "reporter_phone",
        "query_code",
        "handler_unit_id", "handler_path", "deadline_at", "reported_at", "dispatched_at", "resolved_at", "closed_at",
        "reopen_count", "supervised", "overdue_at", "satisfied", "updated_at",
    ]
    static let eventColumns = ["case_id", "at", "actor_name", "action", "from_state", "to_state", "note", "photos"]

    static let problems = [
        "村道路面出现坑洼，车辆通行困难", "自来水停水已超过一天", "排水沟渠被垃圾堵塞，雨天积水", "垃圾收集点满溢无人清运",
        "路灯不亮，夜间出行不便", "邻里因宅基地边界发生纠纷", "活动室屋顶漏雨", "提灌站水泵故障无法抽水", "河道有人倾倒建筑垃圾",
        "健身器材损坏存在安全隐患", "村口桥梁护栏松动", "散养牲畜进入农田",
    ]
    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高")

    var caseRow: [any SQLExpression] = []
    var eventRows: [[any SQLExpression]] = []

    init(id: Int, village: DemoCases.Village, categories: [DemoCases.Category], now: Date, random: inout SplitMix64) {
        let category = categories[random.int(in: 0...(categories.count - 1))]
        let reported = now.addingTimeInterval(-Double(random.int(in: 600...(365 * 86_400))))
        let age = now.timeIntervalSince(reported)
        let sourceRoll = random.int(in: 0...99)
        let source = sourceRoll < 70 ? "grid" : sourceRoll < 95 ? "public" : "open311"
        let handlerIsDepartment = category.handler == "department" && village.departmentID != nil
        let handlerIsTownship = category.handler == "township"
        let handlerID =
            handlerIsDepartment ? village.departmentID! : handlerIsTownship ? village.townshipID : village.id
        let handlerPath =
            handlerIsDepartment ? village.departmentPath! : handlerIsTownship ? village.townshipPath : village.path
        let dispatched = reported.addingTimeInterval(Double(random.int(in: 1800...(20 * 3600))))
        let deadline = dispatched.addingTimeInterval(Double(category.hours * 3600))
        let lateRoll = random.int(in: 0...99)
        let handling =
            Double(category.hours * 3600) * Double(lateRoll < 88 ? random.int(in: 10...95) : random.int(in: 105...300))
            / 100
        let resolved = dispatched.addingTimeInterval(handling)
        let feedbackDelay = Double(random.int(in: 3600...(6 * 86_400)))
        let fate = random.int(in: 0...999)
        var state: CaseState
        var dispatchedAt: Date? = dispatched
        var resolvedAt: Date?
        var closedAt: Date?
        var satisfied: Bool?
        var actions: [(String, CaseState, Date)] = [("report", .reported, reported)]
        if fate < 20 {
            state = .rejected
            dispatchedAt = nil
            closedAt = dispatched
            actions.append(("reject", .rejected, dispatched))
        } else if dispatched > now {
            state = .reported
            dispatchedAt = nil
        } else if fate < 60 || resolved > now {
            // Still being handled: accepted unless just dispatched.
            let accepted = dispatched.addingTimeInterval(3600) < now
            state = accepted ? .inProgress : .dispatched
            actions.append(("dispatch", .dispatched, dispatched))
            if accepted { actions.append(("accept", .inProgress, dispatched.addingTimeInterval(3600))) }
        } else {
            resolvedAt = resolved
            actions.append(("dispatch", .dispatched, dispatched))
            actions.append(("accept", .inProgress, dispatched.addingTimeInterval(1800)))
            actions.append(("resolve", .resolved, resolved))
            let answered = resolved.addingTimeInterval(feedbackDelay)
            if answered < now && random.int(in: 0...99) < 70 {
                state = .closed
                satisfied = random.int(in: 0...99) < 93
                closedAt = answered
                actions.append(("feedback", .closed, answered))
            } else if now.timeIntervalSince(resolved) >= FeedbackWindow.length {
                state = .closed
                closedAt = resolved.addingTimeInterval(FeedbackWindow.length)
                actions.append(("auto_close", .closed, closedAt!))
            } else {
                state = .resolved
            }
        }
        _ = age
        let overdue = CaseDeadline.isOverdue(deadline: dispatchedAt == nil ? nil : deadline, state: state, now: now)
        let surname = Self.surnames[random.int(in: 0...(Self.surnames.count - 1))]
        let isPublic = source != "grid"
        let queryCode = source == "public" ? QueryCode.make(using: &random).rawValue : nil
        let assigned = dispatchedAt != nil
        let nullDate = SQLLiteral.null
        func date(_ value: Date?) -> any SQLExpression { value.map { SQLBind($0) } ?? nullDate }
        caseRow = [
            SQLBind(id), SQLBind(village.countyID), SQLBind(village.townshipID), SQLBind(village.id),
            SQLBind(village.path),
            SQLBind(category.id), SQLBind(state.rawValue), SQLBind(category.priority), SQLBind(category.isPrivate),
            SQLBind(Self.problems[random.int(in: 0...(Self.problems.count - 1))]),
            SQLBind(30_500_000 + random.int(in: 0...900_000)), SQLBind(104_100_000 + random.int(in: 0...900_000)),
            SQLBind("\(random.int(in: 1...12))组"), SQLBind("{}"), SQLBind(source),
            isPublic ? SQLBind("\(surname)先生") : nullDate,
            isPublic ? SQLBind("139\(String(format: "%08d", random.int(in: 0...99_999_999)))") : nullDate,
            queryCode.map { SQLBind($0) } ?? nullDate,
            assigned ? SQLBind(handlerID) : nullDate, assigned ? SQLBind(handlerPath) : nullDate,
            assigned ? SQLBind(deadline) : nullDate, SQLBind(reported), date(dispatchedAt), date(resolvedAt),
            date(closedAt),
            SQLBind(0), SQLBind(overdue), overdue ? SQLBind(deadline) : nullDate,
            satisfied.map { SQLBind($0) } ?? nullDate,
            SQLBind(actions.last!.2),
        ]
        var previous: CaseState?
        for (action, to, at) in actions {
            eventRows.append([
                SQLBind(id), SQLBind(at), SQLBind(action == "report" ? (isPublic ? "public" : "grid_worker") : "demo"),
                SQLBind(action), previous.map { SQLBind($0.rawValue) } ?? nullDate, SQLBind(to.rawValue),
                action == "resolve" ? SQLBind("已处理完毕") : nullDate, SQLBind("[]"),
            ])
            previous = to
        }
    }
}
