import Foundation

/// 管护人员工资表 — a township's caretaker payroll for one month (DOMAIN.md §4.3, caretaker pay):
/// one labour line 劳务报酬 per contract active that month, and in a quarter-end month (3, 6, 9,
/// 12) one performance line 绩效报酬 per contract, its quarterly amount scaled by the person's
/// score (0–100) and rounded to the fen half-up. Each village's total is paid through one claim
/// of that village, and the bank pays each person's total into their passbook 一折通.
public struct PayrollBatch: Sendable, Hashable {
    /// What a line pays for.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// 劳务报酬 — the month's labour.
        case labour
        /// 绩效报酬 — the quarter's performance, scaled by the score.
        case performance
    }

    /// One line of the payroll.
    public struct Line: Sendable, Hashable {
        public var contractID: Int64
        public var village: UnitCode
        public var name: String
        public var idNumber: String
        public var passbook: String
        public var kind: Kind
        /// The score a performance line was scaled by; nil for labour.
        public var score: Int?
        public var amount: Money

        public init(
            contractID: Int64, village: UnitCode, name: String, idNumber: String, passbook: String, kind: Kind,
            score: Int?, amount: Money
        ) {
            self.contractID = contractID
            self.village = village
            self.name = name
            self.idNumber = idNumber
            self.passbook = passbook
            self.kind = kind
            self.score = score
            self.amount = amount
        }
    }

    /// One row of the bank file: a person's pay for the month, into their passbook.
    public struct BankRow: Sendable, Hashable {
        public var name: String
        public var passbook: String
        public var amount: Money
        public var remark: String
    }

    /// The highest score.
    public static let maxScore = 100

    public let month: PayrollMonth
    public let lines: [Line]

    /// Computes the payroll of `month` from the township's `contracts` (those not active that month
    /// are left out) and, in a quarter-end month, the `scores` by contract id; a contract without a
    /// score gets none yet (0) — `scoreIssues` says which are missing.
    public init(month: PayrollMonth, contracts: [CaretakerContract], scores: [Int64: Int] = [:]) {
        self.month = month
        var lines: [Line] = []
        let active = contracts.filter { $0.id != nil && $0.isActive(in: month) }
            .sorted { ($0.village.rawValue, $0.id!) < ($1.village.rawValue, $1.id!) }
        for contract in active {
            let id = contract.id!
            func line(_ kind: Kind, score: Int?, amount: Money) -> Line {
                Line(
                    contractID: id, village: contract.village, name: contract.name, idNumber: contract.idNumber,
                    passbook: contract.passbook, kind: kind, score: score, amount: amount)
            }
            lines.append(line(.labour, score: nil, amount: contract.monthlyLabour))
            if month.endsQuarter {
                let score = scores[id] ?? 0
                lines.append(
                    line(
                        .performance, score: score,
                        amount: Self.performance(contract.quarterlyPerformance, score: score)))
            }
        }
        self.lines = lines
    }

    /// A payroll already computed and stored, as its lines.
    public init(month: PayrollMonth, lines: [Line]) {
        self.month = month
        self.lines = lines
    }

    /// The quarterly amount × score / 100, rounded to the fen half-up.
    public static func performance(_ quarterly: Money, score: Int) -> Money {
        let clamped = Int64(min(max(score, 0), maxScore))
        return Money(fen: (quarterly.fen * clamped + 50) / 100)
    }

    /// What is wrong with the entered scores, each beside its field `scores.<contract id>`: a
    /// whole number from 0 to 100, and (when `complete`) one for every contract of the month.
    /// Outside a quarter-end month no score is asked.
    public static func scoreIssues(
        month: PayrollMonth, contracts: [Int64], entered: [Int64: String], complete: Bool
    ) -> (scores: [Int64: Int], issues: [FundIssue]) {
        guard month.endsQuarter else { return ([:], []) }
        var scores: [Int64: Int] = [:]
        var issues: [FundIssue] = []
        for id in contracts {
            let text = (entered[id] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty {
                if complete { issues.append(FundIssue(field: "scores.\(id)", key: "payroll.issue.score_required")) }
            } else if let score = Int(text), (0...maxScore).contains(score) {
                scores[id] = score
            } else {
                issues.append(
                    FundIssue(
                        field: "scores.\(id)", key: "payroll.issue.score_range",
                        args: ["value": text, "max": String(maxScore)]))
            }
        }
        return (scores, issues)
    }

    /// The whole payroll.
    public var total: Money { lines.reduce(.zero) { $0 + $1.amount } }

    /// Each village's total, by village.
    public var villageTotals: [UnitCode: Money] {
        lines.reduce(into: [:]) { $0[$1.village, default: .zero] = $0[$1.village, default: .zero] + $1.amount }
    }

    /// The villages paid, in code order.
    public var villages: [UnitCode] { villageTotals.keys.sorted { $0.rawValue < $1.rawValue } }

    /// How many people of `village` are paid.
    public func people(in village: UnitCode) -> Int {
        Set(lines.filter { $0.village == village }.map(\.contractID)).count
    }

    /// The remark on each bank row: `2026年3月管护工资`.
    public var bankRemark: String { "\(month.chineseLabel)管护工资" }

    /// The bank file's rows: one per person with their month's total (labour and performance
    /// together), in line order; a person owed nothing is left out.
    public var bankRows: [BankRow] {
        var order: [Int64] = []
        var rows: [Int64: BankRow] = [:]
        for line in lines {
            if var row = rows[line.contractID] {
                row.amount = row.amount + line.amount
                rows[line.contractID] = row
            } else {
                order.append(line.contractID)
                rows[line.contractID] = BankRow(
                    name: line.name, passbook: line.passbook, amount: line.amount, remark: bankRemark)
            }
        }
        return order.compactMap { rows[$0] }.filter { $0.amount > .zero }
    }

    /// The claim 报账单 through which `village` pays its part of batch `batchID`: caretakers'
    /// labour, to `管护人员工资（2026年3月，N人）`, linked to the batch (so it needs no invoices).
    public func claim(for village: UnitCode, batchID: Int64) -> Claim {
        let people = people(in: village)
        return Claim(
            payee: .organisation(name: "管护人员工资（\(month.chineseLabel)，\(people)人）"),
            amount: villageTotals[village] ?? .zero, category: SpendingCategory.labour.rawValue,
            purpose: "\(month.chineseLabel)管护人员工资（\(people)人）", links: [.payrollBatch(batchID)])
    }
}
