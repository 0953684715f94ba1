import Foundation

extension InspectionFacts {
    /// A village's share of an approved allocation 分配 (DOMAIN.md §4.2): what the township owes
    /// the village from the moment of approval. Only the version in force is a fact; a changed
    /// allocation is a new version, approved at its own moment.
    public struct Allocation: Sendable, Hashable {
        public var id: Int64
        public var village: UnitCode
        public var approvedAt: Date
        public var amount: Money

        public init(id: Int64, village: UnitCode, approvedAt: Date, amount: Money) {
            self.id = id
            self.village = village
            self.approvedAt = approvedAt
            self.amount = amount
        }
    }

    /// 拨付 — money the township paid to a village, net of any reversal.
    public struct Disbursement: Sendable, Hashable {
        public var id: Int64
        public var village: UnitCode
        public var creditedAt: Date
        public var amount: Money
        public var channel: Channel

        public init(id: Int64, village: UnitCode, creditedAt: Date, amount: Money, channel: Channel = .bank) {
            self.id = id
            self.village = village
            self.creditedAt = creditedAt
            self.amount = amount
            self.channel = channel
        }
    }

    /// One line of a voucher in a village's special account (DOMAIN.md §4.3).
    public struct Posting: Sendable, Hashable {
        public var id: Int64
        public var village: UnitCode
        public var account: Account
        public var debit: Money
        public var credit: Money
        public var postedAt: Date
        /// The claim this line books, if any.
        public var claimID: Int64?

        public init(
            id: Int64, village: UnitCode, account: Account, debit: Money = .zero, credit: Money = .zero,
            postedAt: Date, claimID: Int64? = nil
        ) {
            self.id = id
            self.village = village
            self.account = account
            self.debit = debit
            self.credit = credit
            self.postedAt = postedAt
            self.claimID = claimID
        }
    }

    /// The kind of account a posting line touches, by the village collective chart of accounts.
    public enum Account: String, Sendable, Hashable, Codable {
        /// 101 现金 — cash on hand, outside the special bank account.
        case cash
        /// 102 银行存款 — the special bank account.
        case bank
        /// 241 专项应付款 — the fund owed to its purposes.
        case specialPayable
        /// 522 补助收入 — subsidy income.
        case subsidyIncome
        /// Any expense or other account.
        case other
    }
}
