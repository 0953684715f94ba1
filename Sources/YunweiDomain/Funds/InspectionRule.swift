/// The ten automatic checks of a self-inspection 自查 (DOMAIN.md §4.4). The raw values `R1`…`R10`
/// are stable: they are stored with findings and name the rule in the catalog as
/// `inspection.rule.R1`.
public enum InspectionRule: String, Sendable, Hashable, Codable, CaseIterable {
    /// R1 滞拨 — a village not credited within the set days of the allocation's approval.
    case lateDisbursement = "R1"
    /// R2 截留 — a village credited less than it was allocated.
    case withholding = "R2"
    /// R3 挪用/挤占 — spending outside the permitted categories, or tied to no O&M work.
    case diversion = "R3"
    /// R4 虚列 — spending without invoices, with invoices that do not add up, or on a project
    /// not yet accepted.
    case falseListing = "R4"
    /// R5 — one invoice claimed twice.
    case duplicateInvoice = "R5"
    /// R6 私分 — money paid to those who approved it or hold office, or split to avoid notice.
    case privateDivision = "R6"
    /// R7 坐支 — money paid in cash outside the special account.
    case cashOutsideAccount = "R7"
    /// R8 转嫁 — office costs or government bodies paid from the fund.
    case shifting = "R8"
    /// R9 — too much left unspent at year end.
    case idleBalance = "R9"
    /// R10 — a claim that needed a public notice 公示 posted without one.
    case missingNotice = "R10"

    /// The check itself: a pure function of the facts and the limits.
    public var check: @Sendable (InspectionFacts, InspectionSettings) -> [InspectionFinding] {
        switch self {
        case .lateDisbursement: InspectionRule.lateDisbursements
        case .withholding: InspectionRule.withheldFunds
        case .diversion: InspectionRule.divertedSpending
        case .falseListing: InspectionRule.falselyListedSpending
        case .duplicateInvoice: InspectionRule.duplicateInvoices
        case .privateDivision: InspectionRule.privateDivisions
        case .cashOutsideAccount: InspectionRule.cashPayments
        case .shifting: InspectionRule.shiftedCosts
        case .idleBalance: InspectionRule.idleBalances
        case .missingNotice: InspectionRule.missingNotices
        }
    }

    /// Every rule's findings, rule by rule in order R1…R10.
    public static func findings(in facts: InspectionFacts, settings: InspectionSettings = .standard)
        -> [InspectionFinding]
    {
        allCases.flatMap { $0.check(facts, settings) }
    }

    /// The catalog key of the rule's short name, e.g. 滞拨.
    public var nameKey: String { "inspection.rule.\(rawValue)" }

    /// The rule's number, 1…10.
    public var number: Int { Int(rawValue.dropFirst())! }
}
