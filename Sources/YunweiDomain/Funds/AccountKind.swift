/// What an account of the fund's special ledger 专账 records (DOMAIN.md §4.3), in the order of the
/// chart. The raw values are stable: they end every account key and name the catalog entry
/// `ledger_account.<raw value>`.
///
/// Village accounts carry their code in the village collective chart of accounts
/// 《村集体经济组织会计制度》 (财会〔2004〕12号), so postings export as vouchers for the township's
/// village bookkeeping. That chart's codes are used as published: 101 现金, 102 银行存款,
/// 202 应付款, 241 专项应付款, 522 补助收入, 541 管理费用, 551 其他支出 (502 is 经营支出 and there
/// is no 251).
///
/// Spending is charged to 551 其他支出 with one detail account per spending category
/// (55101–55105), never to 541 管理费用: the fund pays for public services, not for running the
/// collective, and keeping it out of 541 keeps the collective's own office costs apart from the
/// fund, which is what the 转嫁 and 挤占 checks look for. The details are what the seed asks for:
/// 会计核算列专项明细科目支出.
///
/// County accounts are kept in the county's fiscal books, not in the village chart: they have no
/// chart code and never appear in a village voucher.
public enum AccountKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// 县级补助资金来源 — the fund the county has put into the pool, as approved allocations.
    /// Credit-normal, like a fund source: it grows by each pool funding and nothing else.
    case fund
    /// 县级补助资金池 — the fund's money still at county level. Debit-normal, an asset: funded in,
    /// disbursed out. Its balance is what has been allocated but not yet passed down.
    case pool
    /// 已拨付村级 — what the county has passed down to villages. Debit-normal, like an
    /// expenditure: pool + disbursed = fund at every moment.
    case disbursed
    /// 101 现金 — the village's cash. Debit-normal. The fund never passes through cash by a
    /// standard posting; any movement here is what rule R7 坐支 looks for.
    case cash
    /// 102 银行存款 — the village's fund bank account 专户. Debit-normal: credited by disbursements,
    /// paid from by claims and payrolls. Its statement is the one reconciled with the bank's.
    case bank
    /// 202 应付款 — what the village owes to payees for a payroll approved but not yet paid by the
    /// bank. Credit-normal.
    case payable
    /// 241 专项应付款 — the fund received by the village and not yet used. Credit-normal: credited
    /// by each disbursement, debited by each use as it is posted, paid or not. Its balance is the
    /// village's fund balance, the one reservations are measured against.
    case specialPayable = "special_payable"
    /// 522 补助收入 — the part of the fund that has been used, recognized as income to match the
    /// expense it paid, so the fund leaves the collective's own result unchanged. Credit-normal.
    case subsidyIncome = "subsidy_income"
    /// 55101 其他支出—基础设施和环境. Debit-normal, like every expense.
    case expenseInfrastructure = "expense_infrastructure"
    /// 55102 其他支出—农业生产服务. Debit-normal.
    case expenseAgriculture = "expense_agriculture"
    /// 55103 其他支出—农村生活服务. Debit-normal.
    case expenseLife = "expense_life"
    /// 55104 其他支出—农村社会管理. Debit-normal.
    case expenseSocial = "expense_social"
    /// 55105 其他支出—管护员劳务. Debit-normal.
    case expenseLabour = "expense_labour"

    /// The expense account that spending in `category` is charged to.
    public init(expenseFor category: SpendingCategory) {
        switch category {
        case .infrastructure: self = .expenseInfrastructure
        case .agriculture: self = .expenseAgriculture
        case .life: self = .expenseLife
        case .social: self = .expenseSocial
        case .labour: self = .expenseLabour
        }
    }

    /// The spending category an expense account is for; nil for the other accounts.
    public var category: SpendingCategory? {
        switch self {
        case .expenseInfrastructure: .infrastructure
        case .expenseAgriculture: .agriculture
        case .expenseLife: .life
        case .expenseSocial: .social
        case .expenseLabour: .labour
        case .fund, .pool, .disbursed, .cash, .bank, .payable, .specialPayable, .subsidyIncome: nil
        }
    }

    /// Whose books hold the account: the county's or a village's.
    public var level: UnitKind {
        switch self {
        case .fund, .pool, .disbursed: .county
        default: .village
        }
    }

    /// The code in the village collective chart; nil for county accounts.
    public var chartCode: String? {
        switch self {
        case .fund, .pool, .disbursed: nil
        case .cash: "101"
        case .bank: "102"
        case .payable: "202"
        case .specialPayable: "241"
        case .subsidyIncome: "522"
        case .expenseInfrastructure: "55101"
        case .expenseAgriculture: "55102"
        case .expenseLife: "55103"
        case .expenseSocial: "55104"
        case .expenseLabour: "55105"
        }
    }

    /// The side on which the account's balance is positive 余额方向, as documented on each case.
    public var normalSide: LedgerSide {
        switch self {
        case .pool, .disbursed, .cash, .bank: .debit
        case .expenseInfrastructure, .expenseAgriculture, .expenseLife, .expenseSocial, .expenseLabour: .debit
        case .fund, .payable, .specialPayable, .subsidyIncome: .credit
        }
    }

    /// The catalog key of the account's name, `ledger_account.<raw value>`.
    public var nameKey: String { "ledger_account.\(rawValue)" }

    public static func < (lhs: AccountKind, rhs: AccountKind) -> Bool { lhs.order < rhs.order }

    private var order: Int { Self.allCases.firstIndex(of: self)! }
}

/// 借 and 贷 — the two sides of a double entry.
public enum LedgerSide: String, Sendable, Hashable, Codable, CaseIterable {
    /// 借: raises debit-normal accounts (assets, expenses), lowers the others.
    case debit
    /// 贷: raises credit-normal accounts (sources, liabilities, income), lowers the others.
    case credit

    /// The other side: what a reversal posts an amount on.
    public var opposite: LedgerSide { self == .debit ? .credit : .debit }
}
