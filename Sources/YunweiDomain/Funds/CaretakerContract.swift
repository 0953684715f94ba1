import Foundation

/// 管护合同 — a caretaker's contract with the village (DOMAIN.md §4.3, caretaker pay): who, with
/// which duty, paid a monthly labour amount 劳务报酬 and a quarterly performance amount 绩效报酬
/// (scaled by the quarter's score), into which passbook 一折通, from which month to which.
public struct CaretakerContract: Sendable, Hashable {
    /// Nil until the contract is first stored.
    public var id: Int64?
    public var village: UnitCode
    public var name: String
    /// 公民身份号码, 18 characters with its check character.
    public var idNumber: String
    /// 管护职责 — e.g. 村道保洁、水渠巡查.
    public var duty: String
    public var monthlyLabour: Money
    public var quarterlyPerformance: Money
    /// 一折通 passbook or bank card number, digits only.
    public var passbook: String
    public var firstMonth: PayrollMonth
    /// Nil: open-ended.
    public var lastMonth: PayrollMonth?

    /// The longest name and duty, in characters.
    public static let maxNameLength = 50
    public static let maxDutyLength = 100
    /// A passbook number has between 8 and 30 digits.
    public static let passbookDigits = 8...30

    public init(
        id: Int64? = nil, village: UnitCode, name: String, idNumber: String, duty: String, monthlyLabour: Money,
        quarterlyPerformance: Money, passbook: String, firstMonth: PayrollMonth, lastMonth: PayrollMonth? = nil
    ) {
        self.id = id
        self.village = village
        self.name = name
        self.idNumber = idNumber
        self.duty = duty
        self.monthlyLabour = monthlyLabour
        self.quarterlyPerformance = quarterlyPerformance
        self.passbook = passbook
        self.firstMonth = firstMonth
        self.lastMonth = lastMonth
    }

    /// Whether the contract pays for `month`.
    public func isActive(in month: PayrollMonth) -> Bool {
        firstMonth <= month && (lastMonth.map { month <= $0 } ?? true)
    }

    /// What is wrong with the contract, each problem beside its field: a name, a resident ID
    /// number with a valid check character, a duty, passbook digits, positive amounts, and a last
    /// month not before the first.
    public var issues: [FundIssue] {
        var issues: [FundIssue] = []
        let trimmedName = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmedName.isEmpty {
            issues.append(FundIssue(field: "name", key: "payroll.issue.name_required"))
        } else if trimmedName.count > Self.maxNameLength {
            issues.append(
                FundIssue(field: "name", key: "payroll.issue.name_too_long", args: ["max": String(Self.maxNameLength)]))
        }
        if !ClaimPayee.isResidentID(idNumber) {
            issues.append(FundIssue(field: "id_number", key: "payroll.issue.id_number"))
        }
        let trimmedDuty = duty.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmedDuty.isEmpty {
            issues.append(FundIssue(field: "duty", key: "payroll.issue.duty_required"))
        } else if trimmedDuty.count > Self.maxDutyLength {
            issues.append(
                FundIssue(field: "duty", key: "payroll.issue.duty_too_long", args: ["max": String(Self.maxDutyLength)]))
        }
        let digits = Self.normalizedPassbook(passbook)
        if !digits.allSatisfy({ $0.isASCII && $0.isNumber }) || !Self.passbookDigits.contains(digits.count) {
            issues.append(
                FundIssue(
                    field: "passbook", key: "payroll.issue.passbook",
                    args: [
                        "min": String(Self.passbookDigits.lowerBound), "max": String(Self.passbookDigits.upperBound),
                    ]))
        }
        if monthlyLabour <= .zero {
            issues.append(FundIssue(field: "monthly_labour", key: "payroll.issue.amount_not_positive"))
        }
        if quarterlyPerformance <= .zero {
            issues.append(FundIssue(field: "quarterly_performance", key: "payroll.issue.amount_not_positive"))
        }
        if let lastMonth, lastMonth < firstMonth {
            issues.append(
                FundIssue(
                    field: "last_month", key: "payroll.issue.last_before_first", args: ["first": firstMonth.description]
                ))
        }
        return issues
    }

    /// The ID number as stored: trimmed, half-width, with an upper-case `X`.
    public static func normalizedIDNumber(_ text: String) -> String {
        InvoiceKey.foldWidth(text).trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
    }

    /// The passbook number as stored: half-width digits, spaces removed (people type it in groups).
    public static func normalizedPassbook(_ text: String) -> String {
        InvoiceKey.foldWidth(text).filter { !$0.isWhitespace }
    }
}

/// A calendar month of pay, e.g. 2026-03 (the Shanghai month).
public struct PayrollMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int

    /// Nil unless `month` is 1…12 and `year` 2000…2100.
    public init?(year: Int, month: Int) {
        guard (1...12).contains(month), (2000...2100).contains(year) else { return nil }
        self.year = year
        self.month = month
    }

    /// Reads `2026-03` (or `2026-3`).
    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, (1...2).contains(parts[1].count),
            let year = Int(parts[0]), let month = Int(parts[1])
        else { return nil }
        self.init(year: year, month: month)
    }

    /// `yyyymm`, as stored.
    public var key: Int { year * 100 + month }

    public init?(key: Int) { self.init(year: key / 100, month: key % 100) }

    /// Whether the month ends a quarter (3, 6, 9, 12), when performance pay is due.
    public var endsQuarter: Bool { month % 3 == 0 }

    /// `2026-03`.
    public var description: String { String(format: "%04d-%02d", year, month) }

    /// `2026年3月`, as bank remarks and claim payees read.
    public var chineseLabel: String { "\(year)年\(month)月" }

    public static func < (lhs: PayrollMonth, rhs: PayrollMonth) -> Bool { lhs.key < rhs.key }
}
