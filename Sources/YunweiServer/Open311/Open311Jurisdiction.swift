import Fluent
import Vapor
import YunweiDomain

/// GeoReport v2's `jurisdiction_id` is a county's 12-digit code. A server holding one county
/// lets clients leave it out, as the specification allows; with several it is required.
enum Open311Jurisdiction {
    static func county(_ jurisdictionID: String?, on db: any Database) async throws -> AdminUnit {
        let counties = AdminUnit.query(on: db).filter(\.$kind == UnitKind.county.rawValue)
        if let id = jurisdictionID?.trimmingCharacters(in: .whitespaces).nilIfEmpty {
            guard let county = try await counties.filter(\.$code == id).first() else {
                throw Open311Failure(
                    .notFound, parameter: "jurisdiction_id", key: "open311.error.jurisdiction_unknown", args: ["id": id]
                )
            }
            return county
        }
        let found = try await counties.sort(\.$code).limit(2).all()
        guard found.count == 1 else {
            throw Open311Failure(
                found.isEmpty ? .notFound : .badRequest, parameter: "jurisdiction_id",
                key: found.isEmpty ? "open311.error.no_jurisdiction" : "open311.error.jurisdiction_required")
        }
        return found[0]
    }

    /// The jurisdiction a request names, in its query or (for a POST) its form.
    static func county(for request: Request, form: String? = nil) async throws -> AdminUnit {
        try await county(form?.nilIfEmpty ?? request.query[String.self, at: "jurisdiction_id"], on: request.db)
    }
}
