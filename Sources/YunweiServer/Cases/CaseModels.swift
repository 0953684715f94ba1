import Fluent
import Vapor
import YunweiDomain

/// A category of the case tree of one county (see `CaseCategory`): the five top categories and
/// their subcategories. Cases are filed under subcategories.
final class CategoryRecord: Model, @unchecked Sendable {
    static let schema = "case_categories"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "county_id") var county: AdminUnit
    @Field(key: "code") var code: String
    @OptionalParent(key: "parent_id") var parent: CategoryRecord?
    @Field(key: "name_zh") var nameZh: String
    @Field(key: "name_en") var nameEn: String
    /// Who usually handles its cases, as `CategoryHandler`'s raw value (`village`, `township`,
    /// `department` or one unit's code).
    @OptionalField(key: "default_handler") var defaultHandler: String?
    @Field(key: "deadline_hours") var deadlineHours: Int
    @Field(key: "priority") var priority: String
    @Field(key: "private") var isPrivate: Bool
    /// The extra questions as JSON (`[CategoryQuestion]`).
    @Field(key: "questions") var questionsJSON: String
    @Field(key: "active") var active: Bool
    @Field(key: "sort") var sort: Int

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] {
        [
            $id, $county, $code, $parent, $nameZh, $nameEn, $defaultHandler, $deadlineHours, $priority, $isPrivate,
            $questionsJSON, $active, $sort,
        ]
    }

    init() {}

    var snapshot: [String: String] {
        [
            "code": code, "name_zh": nameZh, "name_en": nameEn, "default_handler": defaultHandler ?? "",
            "deadline_hours": String(deadlineHours), "priority": priority, "private": String(isPrivate),
            "questions": questionsJSON, "active": String(active),
        ]
    }
}

/// A reported problem and everything about its handling. The village path is copied onto the
/// case so that scoping is one prefix match, as for units.
final class CaseRecord: Model, @unchecked Sendable {
    static let schema = "cases"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "county_id") var county: AdminUnit
    @Parent(key: "township_id") var township: AdminUnit
    @Parent(key: "village_id") var village: AdminUnit
    @Field(key: "village_path") var villagePath: String
    @Parent(key: "category_id") var category: CategoryRecord
    @Field(key: "state") var state: String
    @Field(key: "priority") var priority: String
    @Field(key: "private") var isPrivate: Bool
    @Field(key: "description") var description: String
    /// Coordinates in millionths of a degree (no floating point in storage).
    @OptionalField(key: "lat_e6") var latE6: Int?
    @OptionalField(key: "lon_e6") var lonE6: Int?
    @OptionalField(key: "address") var address: String?
    @OptionalField(key: "facility_id") var facilityID: Int?
    /// Answers to the category's extra questions, JSON.
    @Field(key: "answers") var answersJSON: String
    /// `grid`, `public`, `open311` or `api`.
    @Field(key: "source") var source: String
    @OptionalField(key: "reporter_user_id") var reporterUserID: Int?
    /// Personal data: never on public pages or Open311.
    @OptionalField(key: "reporter_name") var reporterName: String?
    @OptionalField(key: "reporter_phone") var reporterPhone: String?
    /// 查询码 for reporters without an account.
    @OptionalField(key: "query_code") var queryCode: String?
    @OptionalParent(key: "handler_unit_id") var handlerUnit: AdminUnit?
    @OptionalField(key: "handler_path") var handlerPath: String?
    @OptionalField(key: "deadline_at") var deadlineAt: Date?
    @Field(key: "reported_at") var reportedAt: Date
    @OptionalField(key: "dispatched_at") var dispatchedAt: Date?
    @OptionalField(key: "resolved_at") var resolvedAt: Date?
    @OptionalField(key: "closed_at") var closedAt: Date?
    @Field(key: "reopen_count") var reopenCount: Int
    @Field(key: "supervised") var supervised: Bool
    @OptionalField(key: "overdue_at") var overdueAt: Date?
    @OptionalField(key: "satisfied") var satisfied: Bool?
    @OptionalField(key: "duplicate_of_id") var duplicateOfID: Int?
    @OptionalField(key: "open311_client_id") var open311ClientID: Int?
    @Field(key: "updated_at") var updatedAt: Date

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] {
        [
            $id, $county, $township, $village, $villagePath, $category, $state, $priority, $isPrivate, $description,
            $latE6, $lonE6, $address, $facilityID, $answersJSON, $source, $reporterUserID, $reporterName,
            $reporterPhone, $queryCode, $handlerUnit, $handlerPath, $deadlineAt, $reportedAt, $dispatchedAt,
            $resolvedAt, $closedAt, $reopenCount, $supervised, $overdueAt, $satisfied, $duplicateOfID, $open311ClientID,
            $updatedAt,
        ]
    }

    init() {}

    var caseState: CaseState { CaseState(rawValue: state) ?? .reported }

    /// Where the case belongs, for the policy.
    var place: CasePlace {
        CasePlace(
            villagePath: UnitPath(rawValue: villagePath), handlerPath: handlerPath.map(UnitPath.init),
            reporterUserID: reporterUserID.map(Int64.init), isPrivate: isPrivate)
    }
}

/// One step of a case's timeline: who did what, when, with which note and photos.
final class CaseEventRecord: Model, @unchecked Sendable {
    static let schema = "case_events"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "case_id") var caseRecord: CaseRecord
    @Field(key: "at") var at: Date
    @OptionalField(key: "actor_user_id") var actorUserID: Int?
    @Field(key: "actor_name") var actorName: String
    @Field(key: "action") var action: String
    @OptionalField(key: "from_state") var fromState: String?
    @Field(key: "to_state") var toState: String
    @OptionalField(key: "note") var note: String?
    @OptionalField(key: "handler_unit_id") var handlerUnitID: Int?
    @OptionalField(key: "deadline_at") var deadlineAt: Date?
    /// Content hashes of the photos added at this step, JSON array.
    @Field(key: "photos") var photosJSON: String

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] {
        [
            $id, $caseRecord, $at, $actorUserID, $actorName, $action, $fromState, $toState, $note, $handlerUnitID,
            $deadlineAt, $photosJSON,
        ]
    }

    init() {}
}

/// A photo's metadata; the bytes live on disk under the data directory, named by hash.
final class CasePhotoRecord: Model, @unchecked Sendable {
    static let schema = "case_photos"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "case_id") var caseRecord: CaseRecord
    @Field(key: "sha256") var sha256: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "bytes") var bytes: Int
    @Field(key: "created_at") var createdAt: Date

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] { [$id, $caseRecord, $sha256, $contentType, $bytes, $createdAt] }

    init() {}
}

/// 督办: a supervision of a case, automatic when it ran overdue or by a supervisor. Unread
/// supervisions are the township leader's notices.
final class SupervisionRecord: Model, @unchecked Sendable {
    static let schema = "case_supervisions"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "case_id") var caseRecord: CaseRecord
    @Parent(key: "township_id") var township: AdminUnit
    @Field(key: "at") var at: Date
    /// `overdue` (by the job) or `manual`.
    @Field(key: "kind") var kind: String
    @OptionalField(key: "by_user_id") var byUserID: Int?
    @OptionalField(key: "note") var note: String?
    @OptionalField(key: "new_deadline_at") var newDeadlineAt: Date?
    @OptionalField(key: "read_at") var readAt: Date?

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] {
        [$id, $caseRecord, $township, $at, $kind, $byUserID, $note, $newDeadlineAt, $readAt]
    }

    init() {}
}

/// An Open311 client application and its api key (only the hash is kept).
final class Open311ClientRecord: Model, @unchecked Sendable {
    static let schema = "open311_clients"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "county_id") var county: AdminUnit
    @Field(key: "name") var name: String
    @Field(key: "key_hash") var keyHash: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] { [$id, $county, $name, $keyHash, $createdAt, $revokedAt] }

    init() {}
}

/// Counts public reports per client address and hour, for the anti-abuse limit; kept in the
/// database so that several server processes share it.
final class ReportThrottleRecord: Model, @unchecked Sendable {
    static let schema = "report_throttle"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "address") var address: String
    @Field(key: "hour") var hour: Int64
    @Field(key: "count") var count: Int

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] { [$id, $address, $hour, $count] }

    init() {}
}
