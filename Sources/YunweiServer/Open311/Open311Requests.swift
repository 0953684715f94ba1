import Fluent
import Foundation
import Vapor
import YunweiDomain

/// GeoReport v2 service requests: a county's public cases, newest first. Only what the public
/// may know is shown — never a reporter's name, phone or query code, never a private case.
enum Open311Requests {
    /// The specification's response volume: 90 days or 1,000 requests, whichever is smaller.
    static let maxPageSize = 1000
    static let maxSpan: TimeInterval = 90 * 86_400

    struct Filter: Sendable {
        /// When given, these cases and no other condition (as the specification says).
        var ids: [Int]?
        var serviceCodes: [String]?
        var from: Date
        var through: Date
        var statuses: [Open311Status]?
        var pageSize = maxPageSize
        var page = 1

        /// The filter of `GET requests`; a malformed parameter is a 400 naming it.
        static func parse(_ request: Request, now: Date = Date()) throws -> Filter {
            func text(_ name: String) -> String? {
                request.query[String.self, at: name]?.trimmingCharacters(in: .whitespaces).nilIfEmpty
            }
            func list(_ name: String) -> [String]? {
                text(name).map {
                    $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                }
            }
            func date(_ name: String) throws -> W3CDateTime.Parsed? {
                guard let raw = text(name) else { return nil }
                guard let parsed = W3CDateTime.parse(raw) else {
                    throw Open311Failure(.badRequest, parameter: name, key: "open311.error.date", args: ["value": raw])
                }
                return parsed
            }
            func number(_ name: String, _ range: ClosedRange<Int>) throws -> Int? {
                guard let raw = text(name) else { return nil }
                guard let value = Int(raw), range.contains(value) else {
                    throw Open311Failure(
                        .badRequest, parameter: name, key: "open311.error.number",
                        args: ["min": String(range.lowerBound), "max": String(range.upperBound)])
                }
                return value
            }

            let start = try date("start_date")
            let end = try date("end_date")
            // An end date without a time takes in its whole day.
            let endInstant = end.map { $0.dateOnly ? $0.date.addingTimeInterval(86_400 - 0.001) : $0.date }
            let through = endInstant ?? start.map { $0.date.addingTimeInterval(maxSpan) } ?? now
            let from = start?.date ?? through.addingTimeInterval(-maxSpan)
            var filter = Filter(from: from, through: through)
            if let ids = list("service_request_id") {
                // Ids of ours are numbers; another system's id simply matches nothing.
                filter.ids = Array(ids.compactMap { Int($0) }.prefix(maxPageSize))
            } else {
                guard from <= through else {
                    throw Open311Failure(.badRequest, parameter: "end_date", key: "open311.error.date_order")
                }
                // A day's slack, so that a bare end date 90 days after the start takes in its day.
                guard through.timeIntervalSince(from) <= maxSpan + 86_400 else {
                    throw Open311Failure(
                        .badRequest, parameter: "end_date", key: "open311.error.date_span", args: ["days": "90"])
                }
            }
            filter.serviceCodes = list("service_code")
            if let statuses = list("status") {
                filter.statuses = try statuses.map { raw in
                    guard let status = Open311Status(rawValue: raw.lowercased()) else {
                        throw Open311Failure(
                            .badRequest, parameter: "status", key: "open311.error.status", args: ["value": raw])
                    }
                    return status
                }
            }
            filter.pageSize = try number("page_size", 1...maxPageSize) ?? maxPageSize
            filter.page = try number("page", 1...100_000) ?? 1
            return filter
        }
    }

    static func find(_ filter: Filter, in county: AdminUnit, on db: any Database) async throws -> [CaseRecord] {
        let services = try await Open311Services.all(of: county, retired: true, on: db)
        var categoryIDs = services.compactMap(\.category.id)
        var query = try CaseRecord.query(on: db).filter(\.$county.$id == county.requireID()).filter(
            \.$isPrivate == false)
        if let ids = filter.ids {
            guard !ids.isEmpty else { return [] }
            query = query.filter(\.$id ~~ ids)
        } else {
            if let codes = filter.serviceCodes {
                categoryIDs = services.filter { codes.contains($0.category.code) }.compactMap(\.category.id)
            }
            query = query.filter(\.$reportedAt >= filter.from).filter(\.$reportedAt <= filter.through)
            if let statuses = filter.statuses {
                query = query.filter(
                    \.$state ~~ CaseState.allCases.filter { statuses.contains($0.open311Status) }.map(\.rawValue))
            }
        }
        guard !categoryIDs.isEmpty else { return [] }
        let offset = (filter.page - 1) * filter.pageSize
        return try await query.filter(\.$category.$id ~~ categoryIDs).sort(\.$reportedAt, .descending)
            .sort(\.$id, .descending).range(offset..<offset + filter.pageSize).all()
    }

    /// One public case of the county, or nil (unknown, private, or another county's).
    static func find(id: Int, in county: AdminUnit, on db: any Database) async throws -> CaseRecord? {
        var filter = Filter(from: .distantPast, through: .distantFuture)
        filter.ids = [id]
        return try await find(filter, in: county, on: db).first
    }

    // MARK: documents

    static func document(_ records: [CaseRecord], in county: AdminUnit, _ request: Request) async throws
        -> Open311Document
    {
        let db = request.db
        let services = try await Open311Services.all(of: county, retired: true, on: db)
        let categories = Dictionary(
            services.compactMap { service in service.category.id.map { ($0, service.category) } },
            uniquingKeysWith: { a, _ in a })
        let unitIDs = Set(
            records.flatMap { [$0.$village.id, $0.$township.id] + ($0.$handlerUnit.id.map { [$0] } ?? []) })
        let units =
            unitIDs.isEmpty ? [] : try await AdminUnit.query(on: db).filter(\.$id ~~ Array(unitIDs)).all()
        let names = Dictionary(
            units.compactMap { unit in unit.id.map { ($0, unit.name) } }, uniquingKeysWith: { a, _ in a })
        let notes = try await resolveNotes(of: records.compactMap(\.id), on: db)
        let language = request.language
        let times = W3CDateTime.formatter()
        let items = records.map { record -> Open311Value in
            let category = categories[record.$category.id]
            let closed = record.caseState.open311Status == .closed
            let place = [names[record.$township.id], names[record.$village.id]].compactMap { $0 }.joined(separator: " ")
            return .record([
                ("service_request_id", .text(record.id.map(String.init))),
                ("status", .text(record.caseState.open311Status.rawValue)),
                ("status_notes", .text(closed ? record.id.flatMap { notes[$0] } : nil)),
                ("service_name", .text(category.map { Open311Services.name(of: $0, language) })),
                ("service_code", .text(category?.code)),
                ("description", .text(record.description)),
                ("agency_responsible", .text(record.$handlerUnit.id.flatMap { names[$0] })),
                ("service_notice", .text(request.t("open311.notice.state", ["state": "case_state." + record.state]))),
                ("requested_datetime", .text(times.string(from: record.reportedAt))),
                ("updated_datetime", .text(times.string(from: record.updatedAt))),
                ("expected_datetime", .text(record.deadlineAt.map(times.string(from:)))),
                ("address", .text(record.address ?? place.nilIfEmpty)),
                // The village's statistical code is what the county's addressing system knows.
                ("address_id", .text(record.villagePath.split(separator: "/").last.map(String.init))),
                ("zipcode", .text(nil)),
                ("lat", record.latE6.map { .number(degrees($0)) } ?? .text(nil)),
                ("long", record.lonE6.map { .number(degrees($0)) } ?? .text(nil)),
                ("media_url", .text(nil)),
            ])
        }
        return Open311Document(root: "service_requests", value: .list(item: "request", items))
    }

    /// The result note of each case's latest resolution.
    private static func resolveNotes(of caseIDs: [Int], on db: any Database) async throws -> [Int: String] {
        guard !caseIDs.isEmpty else { return [:] }
        let events = try await CaseEventRecord.query(on: db).filter(\.$caseRecord.$id ~~ caseIDs)
            .filter(\.$action == CaseAction.resolve.rawValue).sort(\.$id).all()
        var notes: [Int: String] = [:]
        for event in events { notes[event.$caseRecord.id] = event.note }
        return notes
    }

    /// Millionths of a degree as an exact decimal: 30657421 → `30.657421`.
    static func degrees(_ e6: Int) -> String {
        let sign = e6 < 0 ? "-" : ""
        let whole = abs(e6) / 1_000_000
        var fraction = String(abs(e6) % 1_000_000)
        fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return sign + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
    }
}
