import Fluent
import Vapor
import YunweiDomain

/// `POST requests`: a client application reports a case for someone. The api_key must belong
/// to an active client of this county; then the report goes to `CaseDesk` like every other, with
/// source `open311` and the client recorded, and is checked, stored and audited there.
enum Open311Submission {
    /// The form of the specification (`application/x-www-form-urlencoded`). Coordinates are read
    /// as text so that a malformed one gets our message, not a decoding error.
    struct Form: Content {
        var jurisdictionID: String?
        var apiKey: String?
        var serviceCode: String?
        var lat: String?
        var long: String?
        var addressString: String?
        var addressID: String?
        var email: String?
        var deviceID: String?
        var accountID: String?
        var firstName: String?
        var lastName: String?
        var phone: String?
        var description: String?
        var mediaURL: String?
        /// `attribute[code]=value`
        var attribute: [String: String]?

        enum CodingKeys: String, CodingKey {
            case jurisdictionID = "jurisdiction_id"
            case apiKey = "api_key"
            case serviceCode = "service_code"
            case lat, long
            case addressString = "address_string"
            case addressID = "address_id"
            case email
            case deviceID = "device_id"
            case accountID = "account_id"
            case firstName = "first_name"
            case lastName = "last_name"
            case phone, description
            case mediaURL = "media_url"
            case attribute
        }
    }

    /// Files the report and returns the new case with its category.
    static func submit(_ form: Form, _ request: Request) async throws -> (CaseRecord, Open311Services.Service) {
        let db = request.db
        let county = try await Open311Jurisdiction.county(for: request, form: form.jurisdictionID)
        let key = form.apiKey ?? request.query[String.self, at: "api_key"]
        guard let client = try await Open311Clients.client(forKey: key, county: county, on: db) else {
            throw Open311Failure(.forbidden, parameter: "api_key", key: "open311.error.api_key")
        }
        guard let code = trimmed(form.serviceCode) else {
            throw Open311Failure(.badRequest, parameter: "service_code", key: "open311.error.service_code_missing")
        }
        guard let service = try await Open311Services.find(code, of: county, on: db) else {
            throw Open311Failure(
                .notFound, parameter: "service_code", key: "open311.error.service_unknown", args: ["code": code])
        }

        var problems: [Open311Failure.Problem] = []
        let latitude = trimmed(form.lat)
        let longitude = trimmed(form.long)
        let address = trimmed(form.addressString)
        let addressID = trimmed(form.addressID)
        var point: (Double, Double)?
        switch (latitude, longitude) {
        case (nil, nil): break
        case (let latitude?, let longitude?):
            if let lat = Double(latitude), let long = Double(longitude), lat.isFinite, long.isFinite {
                point = (lat, long)
            } else {
                problems.append(.init(parameter: "lat/long", key: "case.input.coordinates"))
            }
        default: problems.append(.init(parameter: "lat/long", key: "case.input.coordinates"))
        }
        if latitude == nil, longitude == nil, address == nil, addressID == nil {
            problems.append(.init(key: "open311.error.location"))
        }
        let villageCode = trimmed(form.attribute?[Open311Services.villageAttribute]) ?? addressID
        var village: AdminUnit?
        if let villageCode {
            village = try await AdminUnit.query(on: db).filter(\.$code == villageCode)
                .filter(\.$kind == UnitKind.village.rawValue).filter(\.$path =~ county.path).first()
        }
        if village == nil {
            problems.append(
                .init(
                    parameter: "attribute[\(Open311Services.villageAttribute)]",
                    key: villageCode == nil ? "open311.error.village_missing" : "open311.error.village_unknown",
                    args: ["code": villageCode ?? ""]))
        }
        guard problems.isEmpty, let village else { throw Open311Failure(.badRequest, problems) }

        var answers = form.attribute ?? [:]
        answers[Open311Services.villageAttribute] = nil
        let report = CaseDesk.Report(
            categoryCode: service.category.code, villageCode: village.code, description: form.description ?? "",
            latitude: point?.0, longitude: point?.1, address: address, answers: answers, source: "open311",
            reporterName: reporterName(first: trimmed(form.firstName), last: trimmed(form.lastName)),
            reporterPhone: trimmed(form.phone), open311ClientID: try client.requireID())
        let record = try await CaseDesk.report(
            report, by: .reporter(name: "open311:" + client.name), photos: request.application.photos,
            known: .init(county: county, village: village, category: service.category), on: db)
        return (record, service)
    }

    static func receipt(_ record: CaseRecord, _ service: Open311Services.Service, _ request: Request) -> Open311Document
    {
        Open311Document(
            root: "service_requests",
            value: .list(
                item: "request",
                [
                    .record([
                        ("service_request_id", .text(record.id.map(String.init))),
                        (
                            "service_notice",
                            .text(
                                request.t(
                                    "open311.notice.received", ["hours": String(service.category.deadlineHours)]))
                        ),
                        ("account_id", .text(nil)),
                    ])
                ]))
    }

    /// `张` + `三` → `张三`; `John` + `Smith` → `John Smith`; at most 100 characters.
    static func reporterName(first: String?, last: String?) -> String? {
        let parts = [first, last].compactMap { $0 }
        guard !parts.isEmpty else { return nil }
        let name =
            parts.allSatisfy({ $0.unicodeScalars.allSatisfy(\.isASCII) })
            ? parts.joined(separator: " ") : [last, first].compactMap { $0 }.joined()
        return String(name.prefix(100))
    }

    private static func trimmed(_ text: String?) -> String? {
        text?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
    }
}
