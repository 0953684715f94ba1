import Fluent
import Foundation
import Vapor
import YunweiDomain

/// Where cases are reported and moved along: every page, API route, Open311 call and job goes
/// through here, so each step is decided by the domain (`CaseMachine`, `CasePolicy`) and
/// stored with its timeline record and audit record in one transaction.
enum CaseDesk {
    /// Who is taking a step: a signed-in person, the reporter holding the query code, or the
    /// system's own jobs.
    enum Authority: Sendable {
        case person(Actor)
        case reporter(name: String)
        case system

        var author: AuditTrail.Author {
            switch self {
            case .person(let actor): .init(actor)
            case .reporter(let name): .init(id: nil, name: name)
            case .system: .system
            }
        }

        var userID: Int? {
            if case .person(let actor) = self { return Int(actor.userID) }
            return nil
        }
    }

    /// A new report, as the forms, the API and Open311 deliver it.
    struct Report: Sendable {
        var categoryCode: String
        var villageCode: String
        var description: String
        var latitude: Double?
        var longitude: Double?
        var address: String?
        var facilityID: Int?
        var answers: [String: String] = [:]
        /// `grid`, `public`, `open311` or `api`.
        var source: String
        var reporterName: String?
        var reporterPhone: String?
        var open311ClientID: Int?
        var photos: [Data] = []
    }

    /// The village, its county and the category of a report, when the caller has already read
    /// and checked them (Open311 has), so the desk does not read them again.
    struct Known: Sendable {
        let county: AdminUnit
        let village: AdminUnit
        let category: CategoryRecord
    }

    /// Everything wrong with a report or a step at once, each beside its field.
    struct InputError: Error, Sendable {
        let issues: [CaseIssue]
    }

    static let maxDescription = 2000

    /// Files a report: checks it whole, stores its photos, and writes the case, its first
    /// timeline record and the audit record together. Public reports get a query code.
    static func report(
        _ report: Report, by authority: Authority, photos store: FileStore, now: Date = Date(), known: Known? = nil,
        on db: any Database
    ) async throws -> CaseRecord {
        var issues: [CaseIssue] = []
        let description = report.description.trimmingCharacters(in: .whitespacesAndNewlines)
        if description.count < 5 || description.count > maxDescription {
            issues.append(
                CaseIssue(field: "description", key: "case.input.description", args: ["max": String(maxDescription)]))
        }
        let village: AdminUnit? =
            if let known { known.village } else {
                try await AdminUnit.query(on: db).filter(\.$code == report.villageCode).first()
            }
        guard let village, village.unitKind == .village
        else { throw InputError(issues: issues + [CaseIssue(field: "village", key: "case.input.village")]) }
        if case .person(let actor) = authority, !CasePolicy.mayReport(actor, in: village.unitPath) {
            throw YunweiError.forbidden
        }
        let codes = village.unitPath.codes
        let unknownVillage = InputError(issues: [CaseIssue(field: "village", key: "case.input.village")])
        guard codes.count >= 3 else { throw unknownVillage }
        let county: AdminUnit? =
            if let known { known.county } else {
                try await AdminUnit.query(on: db).filter(\.$code == codes[0].rawValue).first()
            }
        guard let county, let township = try await AdminUnit.query(on: db).filter(\.$code == codes[1].rawValue).first()
        else { throw unknownVillage }
        let category: CategoryRecord? =
            if let known { known.category } else {
                try await CategoryRecord.query(on: db).filter(\.$county.$id == county.requireID())
                    .filter(\.$code == report.categoryCode).filter(\.$active == true).first()
            }
        guard let category, category.$parent.id != nil else {
            throw InputError(issues: issues + [CaseIssue(field: "category", key: "case.input.category")])
        }
        for question in category.questions {
            if let issue = question.issue(with: report.answers[question.key]) { issues.append(issue) }
        }
        var point: GeoPoint?
        switch (report.latitude, report.longitude) {
        case (nil, nil): break
        case (let latitude?, let longitude?):
            point = GeoPoint(latitude: latitude, longitude: longitude)
            if point == nil { issues.append(CaseIssue(field: "lat", key: "case.input.coordinates")) }
        default: issues.append(CaseIssue(field: "lat", key: "case.input.coordinates"))
        }
        let address = report.address?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if let address, address.count > 200 { issues.append(CaseIssue(field: "address", key: "case.input.address")) }
        if report.source == "public" || report.source == "open311" {
            if let phone = report.reporterPhone?.nilIfEmpty, UserImport.mobileNumber(phone) == nil {
                issues.append(CaseIssue(field: "phone", key: "case.input.phone"))
            }
        }
        issues += PhotoCheck.issues(for: report.photos)
        guard issues.isEmpty else { throw InputError(issues: issues) }

        let stored = try report.photos.map { data -> (String, PhotoKind, Int) in
            let kind = PhotoCheck.kind(of: data)!
            return (try store.save(data, contentType: kind.mediaType), kind, data.count)
        }
        // A choice given by its English label is stored as the choice itself.
        let answers = category.questions.reduce(into: [String: String]()) { answers, question in
            if let answer = report.answers[question.key]?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty {
                answers[question.key] = question.canonicalChoice(answer) ?? answer
            }
        }
        var generator = SystemRandomNumberGenerator()
        let needsCode = report.source != "grid" && report.source != "api"
        let queryCode = needsCode ? QueryCode.make(using: &generator).rawValue : nil
        let location = point
        return try await db.write { db in
            let record = CaseRecord()
            record.$county.id = try county.requireID()
            record.$township.id = try township.requireID()
            record.$village.id = try village.requireID()
            record.villagePath = village.path
            record.$category.id = try category.requireID()
            record.state = CaseState.reported.rawValue
            record.priority = category.priority
            record.isPrivate = category.isPrivate
            record.description = description
            record.latE6 = location.map { Int(($0.latitude * 1_000_000).rounded()) }
            record.lonE6 = location.map { Int(($0.longitude * 1_000_000).rounded()) }
            record.address = address
            record.facilityID = report.facilityID
            record.answersJSON = AuditTrail.json(answers)
            record.source = report.source
            record.reporterUserID = authority.userID
            record.reporterName = report.reporterName?.trimmingCharacters(in: .whitespaces).nilIfEmpty
            record.reporterPhone = report.reporterPhone?.nilIfEmpty.flatMap(UserImport.mobileNumber)
            record.queryCode = queryCode
            record.open311ClientID = report.open311ClientID
            record.reportedAt = now
            record.reopenCount = 0
            record.supervised = false
            record.updatedAt = now
            try await record.create(on: db)
            let caseID = try record.requireID()
            try await attach(stored, to: caseID, now: now, on: db)
            try await event(
                for: record, action: "report", from: nil, by: authority, note: nil, photos: stored.map(\.0), now: now,
                on: db)
            try await AuditTrail.record(
                on: db, by: authority.author, action: "case_report", entityType: "case", entityID: String(caseID),
                unitPath: village.path,
                after: ["category": category.code, "state": record.state, "source": record.source], at: now)
            return record
        }
    }

    /// A step on a case, as a form or the API sends it.
    struct Step: Sendable {
        var action: CaseAction
        var note: String?
        var handlerCode: String?
        var deadline: Date?
        var satisfied: Bool?
        var duplicateOf: Int?
        var photos: [Data] = []
    }

    /// Takes `step` on case `caseID`: the policy says whether this person may, the machine
    /// whether the case's state allows it; then the case, its timeline, a supervision record
    /// when due, and the audit record are written in one transaction.
    @discardableResult
    static func act(
        _ step: Step, on caseID: Int, by authority: Authority, photos store: FileStore, now: Date = Date(),
        on db: any Database
    ) async throws -> CaseRecord {
        let photoIssues = PhotoCheck.issues(for: step.photos)
        if !photoIssues.isEmpty { throw InputError(issues: photoIssues) }
        let handler: AdminUnit?
        if let code = step.handlerCode?.trimmingCharacters(in: .whitespaces).nilIfEmpty {
            guard let unit = try await AdminUnit.query(on: db).filter(\.$code == code).first(),
                [.village, .township, .department, .group].contains(unit.unitKind)
            else { throw InputError(issues: [CaseIssue(field: "handler", key: "case.input.handler")]) }
            handler = unit
        } else {
            handler = nil
        }
        let stored = try step.photos.map { data -> (String, PhotoKind, Int) in
            let kind = PhotoCheck.kind(of: data)!
            return (try store.save(data, contentType: kind.mediaType), kind, data.count)
        }
        return try await db.write { db in
            try await lock(caseID, on: db)
            guard let record = try await CaseRecord.find(caseID, on: db) else { throw YunweiError.notFound }
            let place = record.place
            if case .person(let actor) = authority {
                guard CasePolicy.mayView(actor, place) else { throw YunweiError.notFound }
                guard CasePolicy.may(actor, step.action, on: place, in: record.caseState) else {
                    throw YunweiError.forbidden
                }
            }
            if let handler {
                // A case goes to a unit of its own county, never elsewhere.
                let county = UnitPath(rawValue: record.villagePath).codes.first.map { UnitPath(codes: [$0]) }
                guard let county, handler.unitPath.isWithin(county) else {
                    throw InputError(issues: [CaseIssue(field: "handler", key: "case.input.handler")])
                }
            }
            if let original = step.duplicateOf {
                guard original != caseID, let other = try await CaseRecord.find(original, on: db),
                    other.$county.id == record.$county.id
                else { throw InputError(issues: [CaseIssue(field: "duplicate_of", key: "case.input.duplicate_of")]) }
            }
            let currentHandler = try await record.$handlerUnit.get(on: db)
            let context = TransitionContext(
                now: now, note: step.note, handler: handler?.unitCode, currentHandler: currentHandler?.unitCode,
                deadline: step.deadline, resolvedAt: record.resolvedAt, satisfied: step.satisfied,
                duplicateOf: step.duplicateOf.map(Int64.init))
            let before = snapshot(record)
            let from = record.caseState
            let outcome: CaseOutcome
            switch CaseMachine.transition(from: from, step.action, context: context) {
            case .success(let decided): outcome = decided
            case .failure(let refusal):
                throw YunweiError(
                    refusal.kind == .conflict ? .conflict : .unprocessableEntity,
                    code: refusal.kind == .conflict ? "conflict" : "invalid", key: refusal.key, args: refusal.args)
            }
            apply(outcome, of: step, to: record, handler: handler, now: now)
            try await record.save(on: db)
            if outcome.supervised {
                try await supervise(
                    record, kind: "manual", by: authority, note: step.note, deadline: outcome.newDeadline, now: now,
                    on: db)
            }
            try await attach(stored, to: caseID, now: now, on: db)
            try await event(
                for: record, action: step.action.rawValue, from: from, by: authority, note: step.note,
                photos: stored.map(\.0),
                now: now, on: db)
            try await AuditTrail.record(
                on: db, by: authority.author, action: "case_\(step.action.rawValue)", entityType: "case",
                entityID: String(caseID), unitPath: record.villagePath, before: before, after: snapshot(record), at: now
            )
            return record
        }
    }

    /// Stores what the machine decided.
    private static func apply(
        _ outcome: CaseOutcome, of step: Step, to record: CaseRecord, handler: AdminUnit?, now: Date
    ) {
        record.state = outcome.state.rawValue
        record.updatedAt = now
        if outcome.newHandler != nil, let handler {
            record.$handlerUnit.id = handler.id
            record.handlerPath = handler.path
        }
        if let deadline = outcome.newDeadline {
            record.deadlineAt = deadline
            record.overdueAt = nil
        }
        if outcome.state == .dispatched, record.dispatchedAt == nil { record.dispatchedAt = now }
        if outcome.supervised { record.supervised = true }
        switch outcome.state {
        case .resolved:
            record.resolvedAt = now
        case .inProgress where outcome.reopened:
            record.reopenCount += 1
            record.satisfied = false
            record.resolvedAt = nil
        case .closed:
            record.closedAt = now
            if let satisfied = step.satisfied, step.action == .feedback { record.satisfied = satisfied }
        case .rejected:
            record.closedAt = now
            record.duplicateOfID = outcome.duplicateOf.map(Int.init)
        default:
            break
        }
    }

    private static func attach(_ photos: [(String, PhotoKind, Int)], to caseID: Int, now: Date, on db: any Database)
        async throws
    {
        for (hash, kind, bytes) in photos {
            let photo = CasePhotoRecord()
            photo.$caseRecord.id = caseID
            photo.sha256 = hash
            photo.contentType = kind.mediaType
            photo.bytes = bytes
            photo.createdAt = now
            try await photo.create(on: db)
        }
    }

    /// 督办: the supervision record that puts a case in the township leader's inbox.
    static func supervise(
        _ record: CaseRecord, kind: String, by authority: Authority, note: String?, deadline: Date?, now: Date,
        on db: any Database
    ) async throws {
        let supervision = SupervisionRecord()
        supervision.$caseRecord.id = try record.requireID()
        supervision.$township.id = record.$township.id
        supervision.at = now
        supervision.kind = kind
        supervision.byUserID = authority.userID
        supervision.note = note
        supervision.newDeadlineAt = deadline
        try await supervision.create(on: db)
    }

    static func event(
        for record: CaseRecord, action: String, from: CaseState?, by authority: Authority, note: String?,
        photos: [String],
        now: Date, on db: any Database
    ) async throws {
        let event = CaseEventRecord()
        event.$caseRecord.id = try record.requireID()
        event.at = now
        event.actorUserID = authority.userID
        event.actorName = authority.author.name
        event.action = action
        event.fromState = from?.rawValue
        event.toState = record.state
        event.note = note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        event.handlerUnitID = record.$handlerUnit.id
        event.deadlineAt = record.deadlineAt
        event.photosJSON = String(data: try JSONEncoder().encode(photos), encoding: .utf8) ?? "[]"
        try await event.create(on: db)
    }

    /// Holds the case's row until the transaction ends, so two people acting on one case at once
    /// take turns (PostgreSQL; SQLite's immediate transactions already do).
    private static func lock(_ caseID: Int, on db: any Database) async throws {
        guard !db.isSQLite else { return }
        try await db.sql.raw("SELECT id FROM cases WHERE id = \(bind: caseID) FOR UPDATE").run()
    }

    /// The case `caseID` if `actor` may see it; 404 otherwise — asked before anything of a
    /// request is read, so that a refusal never tells whether the case exists.
    static func visible(_ caseID: Int, to actor: Actor, on db: any Database) async throws -> CaseRecord {
        guard let record = try await CaseRecord.find(caseID, on: db), CasePolicy.mayView(actor, record.place) else {
            throw YunweiError.notFound
        }
        return record
    }

    static func snapshot(_ record: CaseRecord) -> [String: String] {
        [
            "state": record.state, "handler": record.handlerPath ?? "",
            "deadline": record.deadlineAt.map { String(Int64($0.timeIntervalSince1970)) } ?? "",
            "supervised": String(record.supervised), "reopen_count": String(record.reopenCount),
        ]
    }
}

extension CategoryRecord {
    var questions: [CategoryQuestion] {
        (try? JSONDecoder().decode([CategoryQuestion].self, from: Data(questionsJSON.utf8))) ?? []
    }
}
