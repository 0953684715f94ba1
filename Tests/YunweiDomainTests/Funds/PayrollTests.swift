import Foundation
import Testing

@testable import YunweiDomain

@Suite("Caretaker pay 管护人员工资: contracts and the monthly payroll")
struct PayrollTests {
    static let a1 = UnitCode("510121100201")!
    static let a2 = UnitCode("510121100202")!

    static func contract(
        _ id: Int64, _ village: UnitCode = a1, name: String = "王大山", idNumber: String = "510121198001011232",
        labour: Int64 = 80_000, performance: Int64 = 30_001, first: String = "2026-01", last: String? = nil
    ) -> CaretakerContract {
        CaretakerContract(
            id: id, village: village, name: name, idNumber: idNumber, duty: "村道保洁", monthlyLabour: Money(fen: labour),
            quarterlyPerformance: Money(fen: performance), passbook: "6228480402564890018",
            firstMonth: PayrollMonth(first)!, lastMonth: last.flatMap(PayrollMonth.init))
    }

    @Test("a complete contract has no issues; each problem is named beside its field")
    func contractIssues() {
        #expect(Self.contract(1).issues.isEmpty)
        #expect(Self.contract(1, idNumber: "51012119900909345x").issues.isEmpty)
        var bad = Self.contract(
            1, idNumber: "510121198001011233", labour: 0, performance: -1, first: "2026-05", last: "2026-04")
        bad.name = " "
        bad.duty = ""
        bad.passbook = "6228-48"
        #expect(
            Set(bad.issues.map(\.field)) == [
                "name", "id_number", "duty", "passbook", "monthly_labour", "quarterly_performance", "last_month",
            ])
        #expect(bad.issues.first { $0.field == "id_number" }?.key == "payroll.issue.id_number")
    }

    @Test("months read as yyyy-mm; quarter ends are 3, 6, 9 and 12")
    func months() {
        #expect(PayrollMonth("2026-03")?.endsQuarter == true)
        #expect(PayrollMonth("2026-4")?.endsQuarter == false)
        #expect(PayrollMonth("2026-13") == nil)
        #expect(PayrollMonth("26-03") == nil)
        #expect(PayrollMonth("2026-03")?.chineseLabel == "2026年3月")
        #expect(PayrollMonth(key: 202612)?.description == "2026-12")
    }

    @Test("outside a quarter end only labour is paid, by contracts active that month")
    func labourOnly() {
        let contracts = [
            Self.contract(1), Self.contract(2, Self.a2, labour: 60_000),
            Self.contract(3, first: "2026-05"), Self.contract(4, last: "2026-01"),
        ]
        let batch = PayrollBatch(month: PayrollMonth("2026-02")!, contracts: contracts)
        #expect(batch.lines.map(\.contractID) == [1, 2])
        #expect(batch.lines.allSatisfy { $0.kind == .labour })
        #expect(batch.total == Money(fen: 140_000))
        #expect(batch.villageTotals == [Self.a1: Money(fen: 80_000), Self.a2: Money(fen: 60_000)])
        #expect(
            PayrollBatch.scoreIssues(month: batch.month, contracts: [1, 2], entered: [:], complete: true).issues.isEmpty
        )
    }

    @Test("in a quarter-end month performance is the quarterly amount × score / 100, half-up to the fen")
    func quarterEnd() {
        let contracts = [
            Self.contract(1, name: "王大山"), Self.contract(2, name: "李小河", idNumber: "510121198505052345"),
            Self.contract(3, Self.a2, name: "张三"),
        ]
        let month = PayrollMonth("2026-03")!
        let batch = PayrollBatch(month: month, contracts: contracts, scores: [1: 100, 2: 85, 3: 0])
        let performance = batch.lines.filter { $0.kind == .performance }
        // 30001 fen × 85 / 100 = 25500.85 → 25501 fen.
        #expect(performance.map(\.amount.fen) == [30_001, 25_501, 0])
        #expect(performance.map(\.score) == [100, 85, 0])
        #expect(batch.villageTotals[Self.a1] == Money(fen: 80_000 + 30_001 + 80_000 + 25_501))
        #expect(batch.villageTotals[Self.a2] == Money(fen: 80_000))
        #expect(batch.total == Money(fen: 295_502))
        #expect(PayrollBatch.performance(Money(fen: 150), score: 50) == Money(fen: 75))
        #expect(PayrollBatch.performance(Money(fen: 1), score: 50) == Money(fen: 1))
        #expect(PayrollBatch.performance(Money(fen: 1), score: 49) == Money(fen: 0))

        let rows = batch.bankRows
        #expect(rows.map(\.name) == ["王大山", "李小河", "张三"])
        #expect(rows.map(\.amount.fen) == [110_001, 105_501, 80_000])
        #expect(rows.allSatisfy { $0.remark == "2026年3月管护工资" && $0.passbook == "6228480402564890018" })

        let claim = batch.claim(for: Self.a1, batchID: 7)
        #expect(claim.payee == .organisation(name: "管护人员工资（2026年3月，2人）"))
        #expect(claim.amount == Money(fen: 215_502))
        #expect(claim.spendingCategory == .labour)
        #expect(claim.links == [.payrollBatch(7)])
        #expect(claim.submissionIssues(now: Date()).isEmpty)
    }

    @Test("scores are whole numbers from 0 to 100; all are needed before the batch is issued")
    func scores() {
        let month = PayrollMonth("2026-06")!
        let (scores, issues) = PayrollBatch.scoreIssues(
            month: month, contracts: [1, 2, 3, 4], entered: [1: "100", 2: "101", 3: "八十", 4: ""], complete: false)
        #expect(scores == [1: 100])
        #expect(issues.map(\.field) == ["scores.2", "scores.3"])
        #expect(issues.allSatisfy { $0.key == "payroll.issue.score_range" })
        let complete = PayrollBatch.scoreIssues(month: month, contracts: [1, 4], entered: [1: " 0 "], complete: true)
        #expect(complete.scores == [1: 0])
        #expect(complete.issues == [FundIssue(field: "scores.4", key: "payroll.issue.score_required")])
    }
}
