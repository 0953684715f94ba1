/// 自查材料 — everything a self-inspection (DOMAIN.md §4.4) looks at, for one scope and period,
/// as plain values. The server fills it with one query per array (units, projects, officials,
/// allocations, disbursements, claims with their invoices and approvals, postings, balances); the
/// rules then decide everything from it without touching a database, so the same facts always
/// give the same findings.
///
/// The arrays are not expected in any order, and each rule picks what concerns it: claims count
/// when they were posted in the period (claims posted earlier may be included as a look-back for
/// duplicate invoices, R5); disbursements count until the period ends. Drafts, rejected and
/// withdrawn claims are not facts.
public struct InspectionFacts: Sendable, Hashable {
    /// The township(s) or county inspected.
    public var scope: [UnitCode]
    /// How the report names the scope, e.g. 转斗乡.
    public var scopeName: String
    /// The fund year 年度 whose allocations are inspected; R9 looks at its year end.
    public var year: Int
    /// The Shanghai days inspected, usually the whole year.
    public var period: StatisticsPeriod
    public var villages: [Village]
    public var projects: [Project]
    public var officials: [Official]
    public var allocations: [Allocation]
    public var disbursements: [Disbursement]
    public var claims: [Claim]
    public var postings: [Posting]
    /// How many postings the period holds, when `postings` carries only those the rules read
    /// (the cash lines, R7) rather than all of them; nil: count `postings`.
    public var postingCount: Int?
    public var balances: [VillageBalance]

    public init(
        scope: [UnitCode], scopeName: String, year: Int, period: StatisticsPeriod, villages: [Village] = [],
        projects: [Project] = [], officials: [Official] = [], allocations: [Allocation] = [],
        disbursements: [Disbursement] = [], claims: [Claim] = [], postings: [Posting] = [],
        balances: [VillageBalance] = []
    ) {
        self.scope = scope
        self.scopeName = scopeName
        self.year = year
        self.period = period
        self.villages = villages
        self.projects = projects
        self.officials = officials
        self.allocations = allocations
        self.disbursements = disbursements
        self.claims = claims
        self.postings = postings
        self.balances = balances
    }

    /// A village of the scope and the township it belongs to.
    public struct Village: Sendable, Hashable {
        public var code: UnitCode
        public var township: UnitCode
        public var name: String

        public init(code: UnitCode, township: UnitCode, name: String) {
            self.code = code
            self.township = township
            self.name = name
        }
    }

    /// An O&M project 项目 of a village, and whether the quality group has signed its acceptance
    /// 验收 (DOMAIN.md §5).
    public struct Project: Sendable, Hashable {
        public var id: Int64
        public var village: UnitCode
        public var accepted: Bool

        public init(id: Int64, village: UnitCode, accepted: Bool) {
            self.id = id
            self.village = village
            self.accepted = accepted
        }
    }

    /// A person holding a post at a village or township — a role at that unit — who must not be
    /// paid the unit's subsidy money (R6).
    public struct Official: Sendable, Hashable {
        public var userID: Int64
        public var name: String
        public var unit: UnitCode

        public init(userID: Int64, name: String, unit: UnitCode) {
            self.userID = userID
            self.name = name
            self.unit = unit
        }
    }

    /// A village's special account over the fund year: what it held on 1 January, what it
    /// received during the year, and what it holds on 31 December (R9).
    public struct VillageBalance: Sendable, Hashable {
        public var village: UnitCode
        public var opening: Money
        public var receipts: Money
        public var closing: Money

        public init(village: UnitCode, opening: Money, receipts: Money, closing: Money) {
            self.village = village
            self.opening = opening
            self.receipts = receipts
            self.closing = closing
        }

        /// What the village could spend during the year.
        public var available: Money { opening + receipts }
    }

    /// How money moved: through the village's special bank account, or in cash outside it.
    public enum Channel: String, Sendable, Hashable, Codable {
        case bank
        case cash
    }
}
