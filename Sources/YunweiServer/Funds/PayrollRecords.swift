import Fluent
import Foundation
import YunweiDomain

/// 管护合同 — a caretaker's contract as stored (DOMAIN.md §4.3). Written only by `PayrollDesk`.
/// The ID and passbook numbers are kept whole for the bank file; every page shows them `Masked`.
final class CaretakerContractRecord: Model, @unchecked Sendable {
    static let schema = "caretaker_contracts"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "township_id") var townshipID: Int
    @Parent(key: "village_id") var village: AdminUnit
    /// `/county/township/village/`.
    @Field(key: "village_path") var villagePath: String
    @Field(key: "village_code") var villageCode: String
    @Field(key: "name") var name: String
    @Field(key: "id_number") var idNumber: String
    @Field(key: "duty") var duty: String
    @Field(key: "monthly_labour_fen") var monthlyLabourFen: Int64
    @Field(key: "quarterly_performance_fen") var quarterlyPerformanceFen: Int64
    @Field(key: "passbook") var passbook: String
    /// `yyyymm`.
    @Field(key: "first_month") var firstMonth: Int
    @OptionalField(key: "last_month") var lastMonth: Int?
    @Field(key: "created_by") var createdBy: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] {
        [
            $id, $townshipID, $village, $villagePath, $villageCode, $name, $idNumber, $duty, $monthlyLabourFen,
            $quarterlyPerformanceFen, $passbook, $firstMonth, $lastMonth, $createdBy, $createdAt, $updatedAt,
        ]
    }

    init() {}

    var contract: CaretakerContract {
        CaretakerContract(
            id: id.map(Int64.init), village: UnitCode(villageCode)!, name: name, idNumber: idNumber, duty: duty,
            monthlyLabour: Money(fen: monthlyLabourFen), quarterlyPerformance: Money(fen: quarterlyPerformanceFen),
            passbook: passbook, firstMonth: PayrollMonth(key: firstMonth)!,
            lastMonth: lastMonth.flatMap { PayrollMonth(key: $0) })
    }

    func set(_ contract: CaretakerContract) {
        name = contract.name.trimmingCharacters(in: .whitespacesAndNewlines)
        idNumber = CaretakerContract.normalizedIDNumber(contract.idNumber)
        duty = contract.duty.trimmingCharacters(in: .whitespacesAndNewlines)
        monthlyLabourFen = contract.monthlyLabour.fen
        quarterlyPerformanceFen = contract.quarterlyPerformance.fen
        passbook = CaretakerContract.normalizedPassbook(contract.passbook)
        firstMonth = contract.firstMonth.key
        lastMonth = contract.lastMonth?.key
    }

    /// What the audit trail keeps of a contract: numbers masked, as everywhere but the bank file.
    var snapshot: [String: String] {
        var fields = [
            "village": villageCode, "name": name, "id_number": Masked.idNumber(idNumber), "duty": duty,
            "monthly_labour_fen": String(monthlyLabourFen),
            "quarterly_performance_fen": String(quarterlyPerformanceFen),
            "passbook": Masked.account(passbook), "first_month": String(firstMonth),
        ]
        if let lastMonth { fields["last_month"] = String(lastMonth) }
        return fields
    }
}

/// Where a payroll batch stands: draft (scores may change) → issued (locked; the villages draft
/// their claims) → posted (every village's claim posted) → paid (the bank file paid).
enum PayrollBatchState: String, Sendable, CaseIterable {
    case draft, issued, posted, paid

    var catalogKey: String { "payroll.state.\(rawValue)" }
}

/// 工资批次 — one township's caretaker payroll for one month. Its lines are `PayrollLineRecord`s.
final class PayrollBatchRecord: Model, @unchecked Sendable {
    static let schema = "payroll_batches"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "township_id") var township: AdminUnit
    @Field(key: "township_path") var townshipPath: String
    /// `yyyymm`.
    @Field(key: "month") var month: Int
    /// A `PayrollBatchState` raw value.
    @Field(key: "state") var state: String
    @Field(key: "created_by") var createdBy: Int
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "issued_by") var issuedBy: Int?
    @OptionalField(key: "issued_at") var issuedAt: Date?
    @OptionalField(key: "posted_at") var postedAt: Date?
    @OptionalField(key: "paid_by") var paidBy: Int?
    @OptionalField(key: "paid_at") var paidAt: Date?

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] {
        [
            $id, $township, $townshipPath, $month, $state, $createdBy, $createdAt, $issuedBy, $issuedAt, $postedAt,
            $paidBy, $paidAt,
        ]
    }

    init() {}

    var batchState: PayrollBatchState { PayrollBatchState(rawValue: state) ?? .draft }
    var payrollMonth: PayrollMonth { PayrollMonth(key: month)! }

    var snapshot: [String: String] { ["township_path": townshipPath, "month": String(month), "state": state] }
}

/// One line of a payroll batch: a copy of the contract's person and passbook as paid, what the
/// line pays for, the score of a performance line, and the amount.
final class PayrollLineRecord: Model, @unchecked Sendable {
    static let schema = "payroll_lines"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "batch_id") var batch: PayrollBatchRecord
    @Parent(key: "contract_id") var contract: CaretakerContractRecord
    @Field(key: "position") var position: Int
    @Field(key: "village_id") var villageID: Int
    @Field(key: "village_code") var villageCode: String
    @Field(key: "name") var name: String
    @Field(key: "id_number") var idNumber: String
    @Field(key: "passbook") var passbook: String
    /// A `PayrollBatch.Kind` raw value.
    @Field(key: "kind") var kind: String
    @OptionalField(key: "score") var score: Int?
    @Field(key: "amount_fen") var amountFen: Int64

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] {
        [
            $id, $batch, $contract, $position, $villageID, $villageCode, $name, $idNumber, $passbook, $kind, $score,
            $amountFen,
        ]
    }

    init() {}

    var line: PayrollBatch.Line {
        PayrollBatch.Line(
            contractID: Int64($contract.id), village: UnitCode(villageCode)!, name: name, idNumber: idNumber,
            passbook: passbook, kind: PayrollBatch.Kind(rawValue: kind) ?? .labour, score: score,
            amount: Money(fen: amountFen))
    }
}

/// The caretaker pay tables. One batch per township and month.
struct CreatePayroll: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CaretakerContractRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("township_id", .int, .required, .references(AdminUnit.schema, "id"))
            .field("village_id", .int, .required, .references(AdminUnit.schema, "id"))
            .field("village_path", .string, .required)
            .field("village_code", .string, .required)
            .field("name", .string, .required)
            .field("id_number", .string, .required)
            .field("duty", .string, .required)
            .field("monthly_labour_fen", .int64, .required)
            .field("quarterly_performance_fen", .int64, .required)
            .field("passbook", .string, .required)
            .field("first_month", .int, .required)
            .field("last_month", .int)
            .field("created_by", .int, .required, .references(User.schema, "id"))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema(PayrollBatchRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("township_id", .int, .required, .references(AdminUnit.schema, "id"))
            .field("township_path", .string, .required)
            .field("month", .int, .required)
            .field("state", .string, .required)
            .field("created_by", .int, .required, .references(User.schema, "id"))
            .field("created_at", .datetime, .required)
            .field("issued_by", .int, .references(User.schema, "id"))
            .field("issued_at", .datetime)
            .field("posted_at", .datetime)
            .field("paid_by", .int, .references(User.schema, "id"))
            .field("paid_at", .datetime)
            .unique(on: "township_id", "month")
            .create()
        try await database.schema(PayrollLineRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("batch_id", .int, .required, .references(PayrollBatchRecord.schema, "id"))
            .field("contract_id", .int, .required, .references(CaretakerContractRecord.schema, "id"))
            .field("position", .int, .required)
            .field("village_id", .int, .required, .references(AdminUnit.schema, "id"))
            .field("village_code", .string, .required)
            .field("name", .string, .required)
            .field("id_number", .string, .required)
            .field("passbook", .string, .required)
            .field("kind", .string, .required)
            .field("score", .int)
            .field("amount_fen", .int64, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PayrollLineRecord.schema).delete()
        try await database.schema(PayrollBatchRecord.schema).delete()
        try await database.schema(CaretakerContractRecord.schema).delete()
    }
}
