import Fluent
import Vapor
import YunweiDomain

/// `/audit`: the audit trail for county auditors, newest first, filtered by date, person,
/// action, entity and unit, paged by sequence number; and a check of the whole hash chain.
struct AuditPages: RouteCollection {
    struct Row: Encodable {
        let seq: Int64
        let at: Double
        let actor: String
        let action: String
        let entity: String
        let unitPath: String?
        let before: String?
        let after: String?
    }

    struct Filters: Content {
        var from: String?
        var to: String?
        var actor: String?
        var action: String?
        var entity: String?
        var unit: String?
        var before: Int64?
    }

    struct AuditPage: Encodable {
        let page: Page
        let rows: [Row]
        let filters: Filters
        let next: String?
        let verification: String?
        let verificationOK: Bool
    }

    static let pageSize = 30

    func boot(routes: any RoutesBuilder) throws {
        routes.get("audit", use: list)
        routes.get("audit", "verify", use: verify)
    }

    func list(request: Request) async throws -> View {
        try await render(request, verification: nil, ok: true)
    }

    func verify(request: Request) async throws -> View {
        _ = try scope(request)
        let result = try await AuditTrail.verify(on: request.db)
        switch result {
        case .intact(let count):
            return try await render(
                request, verification: request.t("audit.intact", ["count": String(count)]), ok: true)
        case .broken(let seq, let reason):
            return try await render(
                request,
                verification: request.t(
                    "audit.broken", ["seq": String(seq), "reason": request.t("audit.reason.\(reason)")]),
                ok: false)
        }
    }

    private func scope(_ request: Request) throws -> [UnitPath] {
        let scope = Policy.scope(try request.requireActor(), .viewAuditLog)
        guard !scope.isEmpty else { throw YunweiError.forbidden }
        return scope
    }

    private func render(_ request: Request, verification: String?, ok: Bool) async throws -> View {
        let scope = try scope(request)
        let filters = try request.query.decode(Filters.self)
        var query = AuditRecord.query(on: request.db).sort(\.$seq, .descending).limit(Self.pageSize + 1)
        // An auditor sees records of their units, and records tied to no unit (logins, users).
        query = query.group(.or) { group in
            group.filter(\.$unitPath == nil)
            for root in scope { group.filter(\.$unitPath =~ root.rawValue) }
        }
        if let before = filters.before { query = query.filter(\.$seq < before) }
        if let from = filters.from.flatMap(Self.day) { query = query.filter(\.$atMillis >= from) }
        if let to = filters.to.flatMap(Self.day) { query = query.filter(\.$atMillis < to + 86_400_000) }
        if let actor = filters.actor?.nilIfEmpty { query = query.filter(\.$actorName == actor.lowercased()) }
        if let action = filters.action?.nilIfEmpty { query = query.filter(\.$action == action) }
        if let entity = filters.entity?.nilIfEmpty { query = query.filter(\.$entityID == entity) }
        if let unit = filters.unit?.nilIfEmpty, UnitCode(unit) != nil {
            query = query.filter(\.$unitPath ~~ "/\(unit)/")
        }
        var records = try await query.all()
        var next: String?
        if records.count > Self.pageSize {
            records.removeLast()
            var components = URLComponents()
            components.path = "/audit"
            var items = request.url.query.flatMap { URLComponents(string: "?\($0)")?.queryItems } ?? []
            items.removeAll { $0.name == "before" }
            items.append(URLQueryItem(name: "before", value: String(records.last!.seq)))
            components.queryItems = items
            next = components.string
        }
        let page = await Page.make(for: request, title: "audit.title")
        return try await request.view.render(
            "audit",
            AuditPage(
                page: page,
                rows: records.map {
                    Row(
                        seq: $0.seq, at: Double($0.atMillis) / 1000, actor: $0.actorName, action: $0.action,
                        entity: "\($0.entityType) \($0.entityID)", unitPath: $0.unitPath, before: $0.before,
                        after: $0.after)
                }, filters: filters, next: next, verification: verification, verificationOK: ok))
    }

    /// A date `yyyy-MM-dd` as the millisecond its day begins in Asia/Shanghai.
    static func day(_ text: String) -> Int64? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = ShanghaiTime.zone
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.date(from: text).map { Int64($0.timeIntervalSince1970 * 1000) }
    }
}
