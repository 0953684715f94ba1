import Fluent
import Vapor
import YunweiDomain

/// GeoReport v2 services: a county's active public subcategories, `service_code` being the
/// category code. Private categories (petitions, stability) are never services.
///
/// Open311 locates a request only by lat/long or address text, but every case belongs to a
/// village. So every service definition asks for it: a required `village` attribute whose
/// values are the county's villages (key = village code, name = township and village). A client
/// may instead send the village code as `address_id`, which is what a county's addressing
/// system calls a village.
enum Open311Services {
    static let villageAttribute = "village"

    struct Service: Sendable {
        let category: CategoryRecord
        let group: CategoryRecord
    }

    struct Village: Sendable {
        let code: String
        /// `青山镇 桃源村`: a village name alone may repeat between townships.
        let name: String
    }

    /// The county's services, in the tree's order; with `retired`, also the retired ones (whose
    /// cases are still listed).
    static func all(of county: AdminUnit, retired: Bool = false, on db: any Database) async throws -> [Service] {
        let records = try await CategoryRecord.query(on: db).filter(\.$county.$id == county.requireID())
            .sort(\.$sort).sort(\.$id).all()
        let tops = Dictionary(
            records.compactMap { record in record.id.map { ($0, record) } }, uniquingKeysWith: { a, _ in a })
        return records.compactMap { record in
            guard record.active || retired, !record.isPrivate, let parentID = record.$parent.id,
                let top = tops[parentID],
                !top.isPrivate
            else { return nil }
            return Service(category: record, group: top)
        }
    }

    /// The active public service `code` of the county: the category and its group, read by code
    /// (a report names one; reading the whole tree for it was a tenth of a report's time).
    static func find(_ code: String, of county: AdminUnit, on db: any Database) async throws -> Service? {
        guard
            let record = try await CategoryRecord.query(on: db).filter(\.$county.$id == county.requireID())
                .filter(\.$code == code).first(),
            record.active, !record.isPrivate, let parentID = record.$parent.id,
            let top = try await CategoryRecord.find(parentID, on: db), !top.isPrivate
        else { return nil }
        return Service(category: record, group: top)
    }

    static func villages(of county: AdminUnit, on db: any Database) async throws -> [Village] {
        let units = try await AdminUnit.query(on: db).filter(\.$path =~ county.path)
            .filter(\.$kind ~~ [UnitKind.township.rawValue, UnitKind.village.rawValue]).sort(\.$code).all()
        let townships = Dictionary(
            units.filter { $0.unitKind == .township }.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        return units.filter { $0.unitKind == .village }.map { village in
            Village(
                code: village.code,
                name: [village.parentCode.flatMap { townships[$0] }, village.name].compactMap { $0 }.joined(
                    separator: " "))
        }
    }

    // MARK: documents

    static func list(_ services: [Service], _ request: Request) -> Open311Document {
        let items = services.map { service -> Open311Value in
            let category = service.category
            let group = service.group
            return .record([
                ("service_code", .text(category.code)),
                ("service_name", .text(name(of: category, request.language))),
                ("description", .text(description(of: service, request))),
                // Every service asks for its village (see above), so every one has a definition.
                ("metadata", .bool(true)),
                ("type", .text("realtime")),
                (
                    "keywords",
                    .text([category.nameZh, category.nameEn, group.nameZh, group.nameEn].joined(separator: ", "))
                ),
                ("group", .text(name(of: group, request.language))),
            ])
        }
        return Open311Document(root: "services", value: .list(item: "service", items))
    }

    static func definition(_ service: Service, villages: [Village], _ request: Request) -> Open311Document {
        let village = Open311Value.record([
            ("variable", .bool(true)),
            ("code", .text(villageAttribute)),
            ("datatype", .text("singlevaluelist")),
            ("required", .bool(true)),
            ("datatype_description", .text(request.t("open311.village.datatype"))),
            ("order", .number("1")),
            ("description", .text(request.t("open311.village.description"))),
            (
                "values",
                .list(item: "value", villages.map { .record([("key", .text($0.code)), ("name", .text($0.name))]) })
            ),
        ])
        let questions = service.category.questions.filter { $0.key != villageAttribute }.enumerated().map {
            index, question in attribute(question, order: index + 2, request)
        }
        return Open311Document(
            root: "service_definition",
            value: .record([
                ("service_code", .text(service.category.code)),
                ("attributes", .list(item: "attribute", [village] + questions)),
            ]))
    }

    private static func attribute(_ question: CategoryQuestion, order: Int, _ request: Request) -> Open311Value {
        let datatype: String
        let hint: String?
        switch question.kind {
        case .text:
            (datatype, hint) = (
                "string", request.t("open311.datatype.text", ["max": String(CategoryQuestion.maxAnswerLength)])
            )
        case .number: (datatype, hint) = ("number", request.t("open311.datatype.number"))
        case .choice: (datatype, hint) = ("singlevaluelist", nil)
        }
        return .record([
            ("variable", .bool(true)),
            ("code", .text(question.key)),
            ("datatype", .text(datatype)),
            ("required", .bool(question.required)),
            ("datatype_description", .text(hint)),
            ("order", .number(String(order))),
            ("description", .text(request.language == .en ? question.labelEn : question.labelZh)),
            (
                "values",
                .list(
                    item: "value",
                    question.choices.map { choice in
                        .record([
                            ("key", .text(choice)),
                            ("name", .text(question.choiceLabel(choice, english: request.language == .en))),
                        ])
                    })
            ),
        ])
    }

    static func name(of category: CategoryRecord, _ language: Language) -> String {
        language == .en ? category.nameEn : category.nameZh
    }

    private static func description(of service: Service, _ request: Request) -> String {
        request.t(
            "open311.service.description",
            [
                "group": name(of: service.group, request.language),
                "name": name(of: service.category, request.language),
                "hours": String(service.category.deadlineHours),
            ])
    }
}
