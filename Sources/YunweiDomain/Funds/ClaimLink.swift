/// What O&M work a claim pays for (DOMAIN.md §4.3, §4.4 rule R3: money not linked to an O&M
/// project, facility or contract is diversion). Each names a record by its id; that the record
/// exists and belongs to the claim's village is the server's to check.
public enum ClaimLink: Sendable, Hashable {
    /// A project 项目 decided by the villagers.
    case project(Int64)
    /// A facility 设施 in the village's register.
    case facility(Int64)
    /// A contract 合同, e.g. a caretaker's.
    case contract(Int64)
    /// A payroll batch 工资批次 of caretakers' pay.
    case payrollBatch(Int64)

    /// The linked record's id.
    public var id: Int64 {
        switch self {
        case .project(let id), .facility(let id), .contract(let id), .payrollBatch(let id): id
        }
    }

    /// Whether the link documents labour without invoices: a contract or a payroll batch.
    public var documentsLabour: Bool {
        switch self {
        case .contract, .payrollBatch: true
        case .project, .facility: false
        }
    }
}
