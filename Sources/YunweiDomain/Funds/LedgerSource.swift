/// What a journal entry was posted for — the document a clerk would clip to the voucher 原始凭证.
/// Stored as two columns, `kind` and `id`, the id being the row id of that document.
public enum LedgerSource: Hashable, Sendable {
    /// An approved allocation 因素法分配 funding the county pool.
    case allocation(Int64)
    /// A disbursement 拨付 crediting a village.
    case disbursement(Int64)
    /// A claim 报账 posted by township finance.
    case claim(Int64)
    /// A caretakers' payroll batch 管护员报酬发放批次, posted or paid.
    case payrollBatch(Int64)

    /// The kind column; its raw value also names the catalog entry `ledger_source.<raw value>`.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case allocation
        case disbursement
        case claim
        case payrollBatch = "payroll_batch"
    }

    /// Reads the two stored columns back.
    public init(kind: Kind, id: Int64) {
        switch kind {
        case .allocation: self = .allocation(id)
        case .disbursement: self = .disbursement(id)
        case .claim: self = .claim(id)
        case .payrollBatch: self = .payrollBatch(id)
        }
    }

    /// Which kind of document the entry was posted for.
    public var kind: Kind {
        switch self {
        case .allocation: .allocation
        case .disbursement: .disbursement
        case .claim: .claim
        case .payrollBatch: .payrollBatch
        }
    }

    /// The row id of the source document.
    public var id: Int64 {
        switch self {
        case .allocation(let id), .disbursement(let id), .claim(let id), .payrollBatch(let id): id
        }
    }
}
