import Fluent
import Foundation
import Vapor
import YunweiDomain

/// A county's category tree: adding and changing categories with the domain's checks and the
/// audit record, inside the caller's write transaction.
enum CategoryRegistry {
    /// The county's categories as domain values, parents first.
    static func categories(ofCounty countyID: Int, on db: any Database) async throws -> [CaseCategory] {
        let records = try await CategoryRecord.query(on: db).filter(\.$county.$id == countyID).sort(\.$sort).sort(\.$id)
            .all()
        let codes = Dictionary(
            records.compactMap { record in record.id.map { ($0, record.code) } }, uniquingKeysWith: { a, _ in a })
        return records.map { $0.category(parentCode: $0.$parent.id.flatMap { codes[$0] }) }
    }

    /// Adds `category` to the county, or replaces the one with its code. Every problem of the
    /// definition, alone and among its siblings, is reported at once.
    @discardableResult
    static func save(
        _ category: CaseCategory, county: AdminUnit, by author: AuditTrail.Author, on db: any Database
    ) async throws -> CategoryRecord {
        let countyID = try county.requireID()
        let others = try await categories(ofCounty: countyID, on: db).filter { $0.code != category.code }
        let issues = category.issues + category.issues(among: others)
        guard issues.isEmpty else { throw CaseDesk.InputError(issues: issues) }
        var parentID: Int?
        if let parentCode = category.parentCode {
            parentID = try await CategoryRecord.query(on: db).filter(\.$county.$id == countyID)
                .filter(\.$code == parentCode).first()?.requireID()
        }
        let existing = try await CategoryRecord.query(on: db).filter(\.$county.$id == countyID)
            .filter(\.$code == category.code).first()
        let before = existing?.snapshot
        let record = existing ?? CategoryRecord()
        record.$county.id = countyID
        record.code = category.code
        record.$parent.id = parentID
        record.nameZh = category.nameZh
        record.nameEn = category.nameEn
        record.defaultHandler = category.defaultHandler?.rawValue
        record.deadlineHours = category.deadlineHours
        record.priority = category.priority.rawValue
        record.isPrivate = category.isPrivate
        record.questionsJSON = String(data: try JSONEncoder().encode(category.questions), encoding: .utf8) ?? "[]"
        if existing == nil {
            record.active = true
            record.sort = others.count
        }
        try await record.save(on: db)
        try await AuditTrail.record(
            on: db, by: author, action: existing == nil ? "category_create" : "category_update", entityType: "category",
            entityID: category.code, unitPath: county.path, before: before, after: record.snapshot)
        return record
    }

    /// Retires or restores a category; retired ones take no new reports but keep their cases.
    static func setActive(_ active: Bool, _ record: CategoryRecord, by author: AuditTrail.Author, on db: any Database)
        async throws
    {
        let before = record.snapshot
        record.active = active
        try await record.save(on: db)
        try await AuditTrail.record(
            on: db, by: author, action: active ? "category_restore" : "category_retire", entityType: "category",
            entityID: record.code, before: before, after: record.snapshot)
    }
}

extension CategoryRecord {
    func category(parentCode: String?) -> CaseCategory {
        CaseCategory(
            code: code, parentCode: parentCode, nameZh: nameZh, nameEn: nameEn,
            defaultHandler: defaultHandler.flatMap(CategoryHandler.init(rawValue:)), deadlineHours: deadlineHours,
            priority: CasePriority(rawValue: priority) ?? .normal, isPrivate: isPrivate, questions: questions)
    }
}
