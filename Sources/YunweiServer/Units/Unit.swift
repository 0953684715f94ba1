import Fluent
import Vapor
import YunweiDomain

/// An administrative unit: county, township, village, villager group or department.
/// `@unchecked Sendable` because Fluent models are reference types with property wrappers;
/// a model is only ever used by one task at a time.
final class AdminUnit: Model, @unchecked Sendable {
    static let schema = "units"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: String
    @OptionalParent(key: "parent_id") var parent: AdminUnit?
    /// The materialized path, see `UnitPath`.
    @Field(key: "path") var path: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] { [$id, $code, $name, $kind, $parent, $path, $createdAt, $updatedAt] }

    init() {}

    init(code: UnitCode, name: String, kind: UnitKind, parentID: Int?, path: UnitPath) {
        self.code = code.rawValue
        self.name = name
        self.kind = kind.rawValue
        self.$parent.id = parentID
        self.path = path.rawValue
    }

    var unitKind: UnitKind { UnitKind(rawValue: kind) ?? .village }
    var unitCode: UnitCode { UnitCode(code)! }
    var unitPath: UnitPath { UnitPath(rawValue: path) }
    var parentCode: String? { unitPath.codes.dropLast().last?.rawValue }

    /// The audit trail's view of a unit.
    var snapshot: [String: String] {
        ["code": code, "name": name, "kind": kind, "parent": parentCode ?? ""]
    }
}

struct CreateUnits: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AdminUnit.schema)
            .field("id", .int, .identifier(auto: true))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("parent_id", .int, .references(AdminUnit.schema, "id"))
            .field("path", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
        try await database.sql.raw("CREATE INDEX units_path ON units (path)").run()
        try await database.sql.raw("CREATE INDEX units_parent ON units (parent_id)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AdminUnit.schema).delete()
    }
}
