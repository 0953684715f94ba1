/// One account of the special ledger 专账: a kind of account in the books of one unit — the
/// county's pool, or one village's bank account, special payable, expenses.
///
/// Its stable key is `<level>:<unit code>:<kind>`, e.g. `village:510121100201:bank` or
/// `county:510121000000:pool`. The key is what a ledger line stores, and the account encodes as
/// that bare string.
public struct LedgerAccount: RawRepresentable, Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// The unit whose books hold the account: the county for county accounts, else the village.
    public let unit: UnitCode
    /// What the account records.
    public let kind: AccountKind

    /// The account of `kind` in the books of `unit`. The caller passes a county for county
    /// kinds and a village for village kinds; the key records which level was meant.
    public init(_ kind: AccountKind, of unit: UnitCode) {
        self.unit = unit
        self.kind = kind
    }

    /// Reads a key; nil unless it names a known kind at that kind's level with a 12-digit code.
    public init?(rawValue: String) {
        let parts = rawValue.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let unit = UnitCode(String(parts[1])),
            let kind = AccountKind(rawValue: String(parts[2])),
            kind.level.rawValue == parts[0]
        else { return nil }
        self.init(kind, of: unit)
    }

    /// The stable key, `village:510121100201:bank`.
    public var rawValue: String { "\(kind.level.rawValue):\(unit.rawValue):\(kind.rawValue)" }

    public var description: String { rawValue }

    /// The code in the village collective chart, `102`; nil for county accounts.
    public var chartCode: String? { kind.chartCode }

    /// The side on which the balance is positive.
    public var normalSide: LedgerSide { kind.normalSide }

    /// The catalog key of the account's name, `ledger_account.bank`.
    public var nameKey: String { kind.nameKey }

    /// Accounts sort by unit, then in chart order.
    public static func < (lhs: LedgerAccount, rhs: LedgerAccount) -> Bool {
        (lhs.unit, lhs.kind) < (rhs.unit, rhs.kind)
    }
}

extension LedgerAccount {
    /// 县级补助资金池 of a county.
    public static func pool(of county: UnitCode) -> LedgerAccount { LedgerAccount(.pool, of: county) }

    /// 县级补助资金来源 of a county.
    public static func fund(of county: UnitCode) -> LedgerAccount { LedgerAccount(.fund, of: county) }

    /// 已拨付村级 of a county.
    public static func disbursed(of county: UnitCode) -> LedgerAccount { LedgerAccount(.disbursed, of: county) }

    /// 101 现金 of a village.
    public static func cash(of village: UnitCode) -> LedgerAccount { LedgerAccount(.cash, of: village) }

    /// 102 银行存款 of a village: its fund bank account.
    public static func bank(of village: UnitCode) -> LedgerAccount { LedgerAccount(.bank, of: village) }

    /// 202 应付款 of a village.
    public static func payable(of village: UnitCode) -> LedgerAccount { LedgerAccount(.payable, of: village) }

    /// 241 专项应付款 of a village: its fund balance.
    public static func specialPayable(of village: UnitCode) -> LedgerAccount {
        LedgerAccount(.specialPayable, of: village)
    }

    /// 522 补助收入 of a village.
    public static func subsidyIncome(of village: UnitCode) -> LedgerAccount {
        LedgerAccount(.subsidyIncome, of: village)
    }

    /// The 551 其他支出 detail account of a village for spending in `category`.
    public static func expense(_ category: SpendingCategory, of village: UnitCode) -> LedgerAccount {
        LedgerAccount(AccountKind(expenseFor: category), of: village)
    }

    /// The county whose pool funds `village`: in the statistical code tree a county is the first
    /// six digits of its villages' codes followed by zeros.
    public static func county(of village: UnitCode) -> UnitCode {
        UnitCode(village.countyPrefix + "000000")!
    }
}
