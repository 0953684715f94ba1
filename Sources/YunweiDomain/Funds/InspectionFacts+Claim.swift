import Foundation

extension InspectionFacts {
    /// 报账 — a claim on a village's fund as the inspection sees it: who was paid what, for what,
    /// on which evidence, approved by whom, and how it was paid.
    public struct Claim: Sendable, Hashable {
        public var id: Int64
        public var village: UnitCode
        public var state: State
        public var amount: Money
        public var category: Category
        public var purpose: String
        public var payee: Payee
        /// The projects, facilities, contracts or payroll batches the money is for.
        public var links: [Link]
        public var invoices: [Invoice]
        /// Who performed each step (理财, 审批, 审核, 报账).
        public var approvals: [Approval]
        /// When township finance booked it; nil while pending.
        public var postedAt: Date?
        /// How the payee was paid; nil while pending.
        public var paidThrough: Channel?
        /// Whether the claim was flagged for public notice 公示 when it was submitted.
        public var noticeRequired: Bool
        /// Whether a notice was held.
        public var noticed: Bool

        public init(
            id: Int64, village: UnitCode, state: State = .posted, amount: Money, category: Category,
            purpose: String = "", payee: Payee, links: [Link] = [], invoices: [Invoice] = [],
            approvals: [Approval] = [], postedAt: Date?, paidThrough: Channel? = .bank, noticeRequired: Bool = false,
            noticed: Bool = false
        ) {
            self.id = id
            self.village = village
            self.state = state
            self.amount = amount
            self.category = category
            self.purpose = purpose
            self.payee = payee
            self.links = links
            self.invoices = invoices
            self.approvals = approvals
            self.postedAt = postedAt
            self.paidThrough = paidThrough
            self.noticeRequired = noticeRequired
            self.noticed = noticed
        }

        public enum State: String, Sendable, Hashable, Codable {
            /// Booked to the ledger and paid.
            case posted
            /// Submitted and somewhere in review.
            case pending
        }

        /// Whether the claim was posted inside `[start, end)`.
        func isPosted(from start: Date, to end: Date) -> Bool {
            guard state == .posted, let postedAt else { return false }
            return postedAt >= start && postedAt < end
        }
    }

    /// What a claim says the money was spent on: one of the permitted spending categories, or
    /// whatever else the record holds (an old or unknown key), kept as it was so the finding can
    /// quote it.
    public enum Category: Sendable, Hashable {
        case permitted(SpendingCategory)
        case other(String)

        public init(rawValue: String) {
            self = SpendingCategory(rawValue: rawValue).map(Category.permitted) ?? .other(rawValue)
        }

        public var rawValue: String {
            switch self {
            case .permitted(let category): category.rawValue
            case .other(let text): text
            }
        }
    }

    /// Who received the money.
    public struct Payee: Sendable, Hashable {
        public var name: String
        /// Set when the payee is a user of the system.
        public var userID: Int64?
        public var kind: Kind

        public init(name: String, userID: Int64? = nil, kind: Kind = .person) {
            self.name = name
            self.userID = userID
            self.kind = kind
        }

        public enum Kind: String, Sendable, Hashable, Codable {
            case person
            case company
            /// A government office, department or agency 机关单位.
            case government

            /// The kind of an organisation that a claim names as its payee. The claim form records
            /// only "organisation", so its name tells: one naming 政府, or ending in 局 or 办事处, is a
            /// government body (R8 transfers to one); any other is a company.
            public init(organisationNamed name: String) {
                let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
                let government =
                    trimmed.contains("政府") || trimmed.hasSuffix("局") || trimmed.hasSuffix("办事处")
                self = government ? .government : .company
            }
        }
    }

    /// What a claim's money is for.
    public enum Link: Sendable, Hashable {
        case project(Int64)
        case facility(Int64)
        case contract(Int64)
        case payroll(Int64)
    }

    /// An invoice 发票 attached to a claim.
    public struct Invoice: Sendable, Hashable {
        public var id: Int64
        public var number: String
        public var issuer: String
        public var date: StatisticsPeriod.Day
        public var amount: Money

        public init(id: Int64, number: String, issuer: String, date: StatisticsPeriod.Day, amount: Money) {
            self.id = id
            self.number = number
            self.issuer = issuer
            self.date = date
            self.amount = amount
        }
    }

    /// One person's step on a claim.
    public struct Approval: Sendable, Hashable {
        public var step: Step
        public var userID: Int64

        public init(step: Step, userID: Int64) {
            self.step = step
            self.userID = userID
        }

        public enum Step: String, Sendable, Hashable, Codable {
            /// 制单 — the village clerk drafted it.
            case draft
            /// 理财 — the villagers' finance group reviewed it.
            case review
            /// 审批 — the village head approved it.
            case approve
            /// 审核 — the township leader reviewed it.
            case audit
            /// 报账 — township finance posted it.
            case post
        }
    }
}
