/// 自查报告 — the self-inspection report in the seed's shape (DOMAIN.md §4.4): a title and
/// addressee, an opening, four sections — 一、基本情况, 二、主要做法, 三、自查发现,
/// 四、下一步工作打算 — and the signature. Every sentence is a catalog key with its computed
/// figures, so the same report reads in Chinese or English (`InspectionCatalog.render`); the
/// figures and the tallies per rule are kept beside the text for tables and checks.
public struct InspectionReport: Sendable, Hashable, Codable {
    public var title: InspectionText
    public var recipient: InspectionText
    public var opening: InspectionText
    public var sections: [Section]
    public var signature: [InspectionText]
    public var figures: Figures
    /// One tally a rule, R1…R10, including the rules that found nothing.
    public var tallies: [Tally]

    public init(
        title: InspectionText, recipient: InspectionText, opening: InspectionText, sections: [Section],
        signature: [InspectionText], figures: Figures, tallies: [Tally]
    ) {
        self.title = title
        self.recipient = recipient
        self.opening = opening
        self.sections = sections
        self.signature = signature
        self.figures = figures
        self.tallies = tallies
    }

    /// A heading and its paragraphs.
    public struct Section: Sendable, Hashable, Codable {
        public var heading: InspectionText
        public var paragraphs: [Paragraph]

        public init(heading: InspectionText, paragraphs: [Paragraph]) {
            self.heading = heading
            self.paragraphs = paragraphs
        }
    }

    /// A paragraph, numbered as official documents number theirs: `（一）` for a point of a
    /// section, `1.` for an item under a point.
    public struct Paragraph: Sendable, Hashable, Codable {
        public var marker: Marker?
        public var text: InspectionText

        public init(_ marker: Marker?, _ text: InspectionText) {
            self.marker = marker
            self.text = text
        }
    }

    public enum Marker: Sendable, Hashable, Codable {
        /// `（一）`, `（二）` …
        case point(Int)
        /// `1.`, `2.` … under a point.
        case item(Int)
    }

    /// The figures of 基本情况 and 主要做法, each computed from the facts.
    public struct Figures: Sendable, Hashable, Codable {
        /// Villages in the scope.
        public var villages: Int
        public var projects: Int
        /// Claims posted in the period, and their sum.
        public var claims: Int
        public var spent: Money
        /// Of which caretakers' labour.
        public var labour: Money
        /// Claims posted at or above the notice threshold, and how many of them were noticed.
        public var claimsNeedingNotice: Int
        public var noticed: Int
        /// The year's allocations — the investment 项目投资总额.
        public var allocated: Money
        /// Credits to villages in the period, how many, to how many villages, and how much of it
        /// through the bank.
        public var disbursed: Money
        public var disbursements: Int
        public var villagesCredited: Int
        public var disbursedByBank: Money
        /// Ledger lines booked in the period.
        public var postings: Int

        /// What was disbursed and not yet spent.
        public var balance: Money { disbursed - spent }
    }

    /// What one rule found: how many findings, in how many villages, for how much.
    public struct Tally: Sendable, Hashable, Codable {
        public var rule: InspectionRule
        public var count: Int
        public var villages: Int
        public var amount: Money

        public init(rule: InspectionRule, count: Int, villages: Int, amount: Money) {
            self.rule = rule
            self.count = count
            self.villages = villages
            self.amount = amount
        }
    }
}
