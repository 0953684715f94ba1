import Foundation

/// 报账单 — what a claim asks to pay (DOMAIN.md §4.3): to whom, how much, for which spending
/// category and purpose, for which O&M work, on which invoices. Where it stands is its
/// `ClaimState`; who signed which step, its `ClaimHistory`.
public struct Claim: Sendable, Hashable {
    /// Nil until the claim is first stored.
    public var id: Int64?
    public var payee: ClaimPayee
    public var amount: Money
    /// A `SpendingCategory` raw value, as entered; anything else is refused.
    public var category: String
    /// 用途 — what the money is for, in a sentence.
    public var purpose: String
    public var links: [ClaimLink]
    public var invoices: [Invoice]

    /// The longest purpose, in characters.
    public static let maxPurposeLength = 200
    /// The most invoices on one claim.
    public static let maxInvoices = 100

    public init(
        id: Int64? = nil, payee: ClaimPayee, amount: Money, category: String, purpose: String,
        links: [ClaimLink] = [], invoices: [Invoice] = []
    ) {
        self.id = id
        self.payee = payee
        self.amount = amount
        self.category = category
        self.purpose = purpose
        self.links = links
        self.invoices = invoices
    }

    /// The spending category, if the entered one is known.
    public var spendingCategory: SpendingCategory? { SpendingCategory(rawValue: category) }

    /// What is wrong with the claim as a draft at `now`, each problem beside its field: the payee,
    /// a positive amount, a known category, a purpose, well-formed links, and every invoice
    /// complete, not dated in the future and not entered twice (`invoices.2.number`, numbered
    /// from 1). A draft may be saved once this is empty.
    public func issues(now: Date) -> [FundIssue] {
        var issues = payee.issues
        if amount <= .zero { issues.append(FundIssue(field: "amount", key: "claim.issue.amount_not_positive")) }
        if spendingCategory == nil {
            issues.append(
                FundIssue(field: "category", key: "claim.issue.category_unknown", args: ["category": category]))
        }
        let purposeText = purpose.trimmingCharacters(in: .whitespacesAndNewlines)
        if purposeText.isEmpty {
            issues.append(FundIssue(field: "purpose", key: "claim.issue.purpose_required"))
        } else if purposeText.count > Self.maxPurposeLength {
            issues.append(
                FundIssue(
                    field: "purpose", key: "claim.issue.purpose_too_long", args: ["max": String(Self.maxPurposeLength)])
            )
        }
        for (offset, link) in links.enumerated() where link.id <= 0 {
            issues.append(FundIssue(field: "links.\(offset + 1)", key: "claim.issue.link_invalid"))
        }
        return issues + invoiceIssues(today: StatisticsPeriod.day(of: now))
    }

    /// What keeps the claim from being submitted at `now`: its draft issues, and then proof of
    /// the spending — invoices that add up to the amount exactly (a labour claim may instead
    /// name its contract or payroll batch), and a link to the O&M work it pays for (rule R3).
    public func submissionIssues(now: Date) -> [FundIssue] {
        var issues = issues(now: now)
        if invoices.isEmpty {
            if spendingCategory != .labour {
                issues.append(FundIssue(field: "invoices", key: "claim.issue.invoice_required"))
            } else if !links.contains(where: \.documentsLabour) {
                issues.append(FundIssue(field: "links", key: "claim.issue.labour_link_required"))
            }
        } else if invoiceSum != amount {
            let sum = invoiceSum.map(\.formatted) ?? "—"
            issues.append(
                FundIssue(
                    field: "invoices", key: "claim.issue.invoices_sum_mismatch",
                    args: ["sum": sum, "amount": amount.formatted]))
        }
        if links.isEmpty, !issues.contains(where: { $0.key == "claim.issue.labour_link_required" }) {
            issues.append(FundIssue(field: "links", key: "claim.issue.link_required"))
        }
        return issues
    }

    /// The invoices' total; nil if it would overflow, which no real claim does.
    public var invoiceSum: Money? {
        var total: Int64 = 0
        for invoice in invoices {
            let (sum, overflow) = total.addingReportingOverflow(invoice.amount.fen)
            if overflow { return nil }
            total = sum
        }
        return Money(fen: total)
    }

    /// The invoices of `claim` that another claim already carries (rule R5), each beside its number
    /// with the other claim named. `existing` maps the key of every invoice on a claim that is not
    /// withdrawn to that claim's id; the claim's own invoices, under its own id, are not
    /// duplicates of themselves.
    public static func duplicateInvoices(_ claim: Claim, against existing: [InvoiceKey: Int64]) -> [FundIssue] {
        claim.invoices.enumerated().compactMap { offset, invoice in
            guard let other = existing[invoice.key], other != claim.id else { return nil }
            return FundIssue(
                field: "invoices.\(offset + 1).number", key: "claim.issue.invoice_used",
                args: [
                    "number": invoice.number.trimmingCharacters(in: .whitespacesAndNewlines),
                    "issuer": invoice.issuer.trimmingCharacters(in: .whitespacesAndNewlines),
                    "other": String(other),
                ])
        }
    }

    private func invoiceIssues(today: StatisticsPeriod.Day) -> [FundIssue] {
        var issues: [FundIssue] = []
        if invoices.count > Self.maxInvoices {
            issues.append(
                FundIssue(
                    field: "invoices", key: "claim.issue.too_many_invoices", args: ["max": String(Self.maxInvoices)]))
        }
        var seen: [InvoiceKey: Int] = [:]
        for (offset, invoice) in invoices.enumerated() {
            let field = "invoices.\(offset + 1)"
            issues += invoice.issues(field: field, today: today)
            let key = invoice.key
            guard !key.number.isEmpty else { continue }
            if let first = seen[key] {
                issues.append(
                    FundIssue(
                        field: "\(field).number", key: "claim.issue.invoice_repeated",
                        args: [
                            "number": invoice.number.trimmingCharacters(in: .whitespacesAndNewlines),
                            "first": String(first),
                        ]))
            } else {
                seen[key] = offset + 1
            }
        }
        return issues
    }
}
