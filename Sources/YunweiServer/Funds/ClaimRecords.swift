import Fluent
import Foundation
import SQLKit
import YunweiDomain

/// 报账单 — one claim as stored (DOMAIN.md §4.3). Written only by `ClaimDesk`, each change in one
/// transaction with its `claim_events` record and its audit record.
final class ClaimRecord: Model, @unchecked Sendable {
    static let schema = "claims"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "county_id") var countyID: Int
    @Field(key: "township_id") var townshipID: Int
    @Parent(key: "village_id") var village: AdminUnit
    /// `/county/township/village/`.
    @Field(key: "village_path") var villagePath: String
    /// A `ClaimState` raw value.
    @Field(key: "state") var state: String
    @Field(key: "amount_fen") var amountFen: Int64
    /// A `SpendingCategory` raw value.
    @Field(key: "category") var category: String
    /// `user`, `person` or `organisation`.
    @Field(key: "payee_kind") var payeeKind: String
    @Field(key: "payee_name") var payeeName: String
    @OptionalField(key: "payee_user_id") var payeeUserID: Int64?
    @OptionalField(key: "payee_id_number") var payeeIDNumber: String?
    @Field(key: "purpose") var purpose: String
    /// JSON `[{"kind": "project", "id": 1}]`.
    @Field(key: "links") var links: String
    @OptionalField(key: "notice_started_at") var noticeStartedAt: Date?
    @Field(key: "created_by") var createdBy: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalField(key: "posted_entry_id") var postedEntryID: Int?

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] {
        [
            $id, $countyID, $townshipID, $village, $villagePath, $state, $amountFen, $category, $payeeKind, $payeeName,
            $payeeUserID, $payeeIDNumber, $purpose, $links, $noticeStartedAt, $createdBy, $createdAt, $updatedAt,
            $postedEntryID,
        ]
    }

    init() {}

    var claimState: ClaimState { ClaimState(rawValue: state) ?? .draft }

    var payee: ClaimPayee {
        switch payeeKind {
        case "user": .user(id: payeeUserID ?? 0, name: payeeName)
        case "person": .person(name: payeeName, idNumber: payeeIDNumber ?? "")
        default: .organisation(name: payeeName)
        }
    }

    var claimLinks: [ClaimLink] {
        let stored = (try? JSONDecoder().decode([ClaimLinkDTO].self, from: Data(links.utf8))) ?? []
        return stored.compactMap(\.link)
    }

    func setPayee(_ payee: ClaimPayee) {
        payeeName = payee.name
        switch payee {
        case .user(let id, _):
            payeeKind = "user"
            payeeUserID = id
            payeeIDNumber = nil
        case .person(_, let idNumber):
            payeeKind = "person"
            payeeUserID = nil
            payeeIDNumber = idNumber
        case .organisation:
            payeeKind = "organisation"
            payeeUserID = nil
            payeeIDNumber = nil
        }
    }

    func setLinks(_ links: [ClaimLink]) {
        let data = (try? JSONEncoder().encode(links.map(ClaimLinkDTO.init))) ?? Data("[]".utf8)
        self.links = String(decoding: data, as: UTF8.self)
    }
}

/// A claim link as stored and as sent by the API: `{"kind": "project", "id": 1}`.
struct ClaimLinkDTO: Codable, Sendable, Hashable {
    var kind: String
    var id: Int64

    static let kinds = ["project", "facility", "contract", "payroll_batch"]

    init(kind: String, id: Int64) {
        self.kind = kind
        self.id = id
    }

    init(_ link: ClaimLink) {
        switch link {
        case .project(let id): self.init(kind: "project", id: id)
        case .facility(let id): self.init(kind: "facility", id: id)
        case .contract(let id): self.init(kind: "contract", id: id)
        case .payrollBatch(let id): self.init(kind: "payroll_batch", id: id)
        }
    }

    var link: ClaimLink? {
        switch kind {
        case "project": .project(id)
        case "facility": .facility(id)
        case "contract": .contract(id)
        case "payroll_batch": .payrollBatch(id)
        default: nil
        }
    }
}

/// 发票 — one invoice of a claim, with its normalised key (`InvoiceKey`) for the duplicate check.
final class ClaimInvoiceRecord: Model, @unchecked Sendable {
    static let schema = "claim_invoices"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "claim_id") var claim: ClaimRecord
    @Field(key: "position") var position: Int
    @Field(key: "number") var number: String
    @Field(key: "issuer") var issuer: String
    @Field(key: "issuer_key") var issuerKey: String
    @Field(key: "number_key") var numberKey: String
    /// `YYYY-MM-DD`, Shanghai.
    @Field(key: "date") var date: String
    @Field(key: "amount_fen") var amountFen: Int64

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] {
        [$id, $claim, $position, $number, $issuer, $issuerKey, $numberKey, $date, $amountFen]
    }

    init() {}

    var invoice: Invoice? {
        guard let day = StatisticsPeriod.Day(date) else { return nil }
        return Invoice(number: number, issuer: issuer, date: day, amount: Money(fen: amountFen))
    }
}

/// One step taken on a claim: its history, read for separation of duties.
final class ClaimEventRecord: Model, @unchecked Sendable {
    static let schema = "claim_events"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "claim_id") var claim: ClaimRecord
    @Field(key: "at") var at: Date
    @Field(key: "actor_id") var actorID: Int
    @Field(key: "actor_name") var actorName: String
    /// A `ClaimAction` raw value, or `draft` for the claim's creation.
    @Field(key: "action") var action: String
    @OptionalField(key: "from_state") var fromState: String?
    @Field(key: "to_state") var toState: String
    @OptionalField(key: "note") var note: String?
    /// The `ClaimDuty` signed for, if any.
    @OptionalField(key: "duty") var duty: String?

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] {
        [$id, $claim, $at, $actorID, $actorName, $action, $fromState, $toState, $note, $duty]
    }

    init() {}
}

/// 异议 — an objection recorded while the claim's public notice runs.
final class ClaimObjectionRecord: Model, @unchecked Sendable {
    static let schema = "claim_objections"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "claim_id") var claim: ClaimRecord
    @Field(key: "at") var at: Date
    @OptionalField(key: "by_user_id") var byUserID: Int?
    @Field(key: "by_name") var byName: String
    @Field(key: "text") var text: String

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] { [$id, $claim, $at, $byUserID, $byName, $text] }

    init() {}
}

/// The claims' tables: claims, their invoices, their history and the objections to their notice.
struct CreateClaims: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ClaimRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("county_id", .int, .required, .references(AdminUnit.schema, "id"))
            .field("township_id", .int, .required, .references(AdminUnit.schema, "id"))
            .field("village_id", .int, .required, .references(AdminUnit.schema, "id"))
            .field("village_path", .string, .required)
            .field("state", .string, .required)
            .field("amount_fen", .int64, .required)
            .field("category", .string, .required)
            .field("payee_kind", .string, .required)
            .field("payee_name", .string, .required)
            .field("payee_user_id", .int64)
            .field("payee_id_number", .string)
            .field("purpose", .string, .required)
            .field("links", .string, .required)
            .field("notice_started_at", .datetime)
            .field("created_by", .int, .required, .references(User.schema, "id"))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("posted_entry_id", .int, .references(LedgerEntryRecord.schema, "id"))
            .create()
        try await database.schema(ClaimInvoiceRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("claim_id", .int, .required, .references(ClaimRecord.schema, "id"))
            .field("position", .int, .required)
            .field("number", .string, .required)
            .field("issuer", .string, .required)
            .field("issuer_key", .string, .required)
            .field("number_key", .string, .required)
            .field("date", .string, .required)
            .field("amount_fen", .int64, .required)
            .unique(on: "claim_id", "position")
            .create()
        try await database.schema(ClaimEventRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("claim_id", .int, .required, .references(ClaimRecord.schema, "id"))
            .field("at", .datetime, .required)
            .field("actor_id", .int, .required, .references(User.schema, "id"))
            .field("actor_name", .string, .required)
            .field("action", .string, .required)
            .field("from_state", .string)
            .field("to_state", .string, .required)
            .field("note", .string)
            .field("duty", .string)
            .create()
        try await database.schema(ClaimObjectionRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("claim_id", .int, .required, .references(ClaimRecord.schema, "id"))
            .field("at", .datetime, .required)
            .field("by_user_id", .int, .references(User.schema, "id"))
            .field("by_name", .string, .required)
            .field("text", .string, .required)
            .create()
        let sql = database.sql
        try await sql.raw("CREATE INDEX claims_village_state ON claims (village_path, state)").run()
        try await sql.raw("CREATE INDEX claim_invoices_key ON claim_invoices (issuer_key, number_key)").run()
        try await sql.raw("CREATE INDEX claim_events_claim ON claim_events (claim_id, id)").run()
        try await sql.raw("CREATE INDEX claim_objections_claim ON claim_objections (claim_id, id)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ClaimObjectionRecord.schema).delete()
        try await database.schema(ClaimEventRecord.schema).delete()
        try await database.schema(ClaimInvoiceRecord.schema).delete()
        try await database.schema(ClaimRecord.schema).delete()
    }
}
