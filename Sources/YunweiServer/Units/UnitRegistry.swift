import Fluent
import Vapor
import YunweiDomain

/// Creating and changing units and their factor data, with validation and the audit record in
/// the same transaction. Pages, the API and imports all come through here.
enum UnitRegistry {
    /// Adds a unit under `parentCode` (nil only for a county).
    static func create(
        code: String, name: String, kind: UnitKind, parentCode: String?, by author: AuditTrail.Author,
        on db: any Database
    ) async throws -> AdminUnit {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let unitCode = UnitCode(code) else { throw YunweiError.invalid("unit.error.bad_code", ["value": code]) }
        guard !name.isEmpty, name.count <= 100 else { throw YunweiError.invalid("unit.error.bad_name") }
        guard try await AdminUnit.query(on: db).filter(\.$code == code).first() == nil else {
            throw YunweiError.conflict("unit.error.duplicate_code", ["value": code])
        }
        var parent: AdminUnit?
        if let parentCode, !parentCode.isEmpty {
            parent = try await AdminUnit.query(on: db).filter(\.$code == parentCode).first()
            guard let parent else { throw YunweiError.invalid("unit.error.unknown_parent", ["value": parentCode]) }
            guard kind.allowedParents.contains(parent.unitKind) else {
                throw YunweiError.invalid("unit.error.parent_kind")
            }
            guard unitCode.fits(under: parent.unitCode, as: kind) else {
                throw YunweiError.invalid("unit.error.code_not_under_parent", ["value": code, "parent": parentCode])
            }
        } else if kind != .county {
            throw YunweiError.invalid("unit.error.parent_required")
        }
        let path = parent?.unitPath.appending(unitCode) ?? UnitPath(codes: [unitCode])
        let unit = AdminUnit(code: unitCode, name: name, kind: kind, parentID: try parent?.requireID(), path: path)
        try await unit.create(on: db)
        try await AuditTrail.record(
            on: db, by: author, action: "unit_create", entityType: "unit", entityID: code, unitPath: path.rawValue,
            after: unit.snapshot)
        return unit
    }

    static func rename(_ unit: AdminUnit, to name: String, by author: AuditTrail.Author, on db: any Database)
        async throws
    {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100 else { throw YunweiError.invalid("unit.error.bad_name") }
        let before = unit.snapshot
        unit.name = name
        try await unit.save(on: db)
        try await AuditTrail.record(
            on: db, by: author, action: "unit_update", entityType: "unit", entityID: unit.code, unitPath: unit.path,
            before: before, after: unit.snapshot)
    }

    /// Sets one village's factors for one year, creating or replacing the row.
    static func setFactors(
        _ factors: VillageFactors, for village: AdminUnit, by author: AuditTrail.Author, on db: any Database
    )
        async throws
    {
        guard village.unitKind == .village else { throw YunweiError.invalid("unit.error.not_a_village") }
        let villageID = try village.requireID()
        let existing = try await FactorRecord.query(on: db)
            .filter(\.$unit.$id == villageID).filter(\.$year == factors.year).first()
        let before = existing?.snapshot
        let record = existing ?? FactorRecord(unitID: villageID, factors)
        record.update(from: factors)
        try await record.save(on: db)
        try await AuditTrail.record(
            on: db, by: author, action: existing == nil ? "factors_create" : "factors_update",
            entityType: "village_factors",
            entityID: "\(village.code)/\(factors.year)", unitPath: village.path, before: before, after: record.snapshot)
    }
}
