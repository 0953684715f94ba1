/// 发票 — an invoice attached to a claim: its number and issuer (which together identify it), the
/// day it was issued (Shanghai), its amount and, once scanned, the SHA-256 of the scan.
public struct Invoice: Sendable, Hashable {
    public var number: String
    public var issuer: String
    public var date: StatisticsPeriod.Day
    public var amount: Money
    /// Lowercase hexadecimal SHA-256 of the scanned image, if there is a scan.
    public var scanHash: String?

    /// The longest number, in characters: a fully digital invoice 数电发票 has 20 digits.
    public static let maxNumberLength = 32
    /// The longest issuer name, in characters.
    public static let maxIssuerLength = 100

    public init(number: String, issuer: String, date: StatisticsPeriod.Day, amount: Money, scanHash: String? = nil) {
        self.number = number
        self.issuer = issuer
        self.date = date
        self.amount = amount
        self.scanHash = scanHash
    }

    /// What identifies the invoice wherever it is entered again.
    public var key: InvoiceKey { InvoiceKey(issuer: issuer, number: number) }

    /// What is wrong with the invoice on `today`, each beside its field under `field`
    /// (`invoices.2`): number and issuer given, a positive amount, not dated in the future, a
    /// well-formed scan hash.
    public func issues(field: String, today: StatisticsPeriod.Day) -> [FundIssue] {
        var issues: [FundIssue] = []
        issues += Self.text(
            number, field: "\(field).number", max: Self.maxNumberLength,
            keys: ("claim.issue.invoice_number_required", "claim.issue.invoice_number_too_long"))
        issues += Self.text(
            issuer, field: "\(field).issuer", max: Self.maxIssuerLength,
            keys: ("claim.issue.invoice_issuer_required", "claim.issue.invoice_issuer_too_long"))
        if amount <= .zero {
            issues.append(FundIssue(field: "\(field).amount", key: "claim.issue.invoice_amount_not_positive"))
        }
        if date > today {
            issues.append(
                FundIssue(
                    field: "\(field).date", key: "claim.issue.invoice_date_future", args: ["date": date.description]))
        }
        if let scanHash, scanHash.utf8.count != 64 || !scanHash.utf8.allSatisfy(Self.isLowerHex) {
            issues.append(FundIssue(field: "\(field).scan_hash", key: "claim.issue.invoice_scan_hash"))
        }
        return issues
    }

    /// A required text of at most `max` characters; `keys` say it is missing and too long.
    private static func text(
        _ value: String, field: String, max: Int, keys: (required: String, tooLong: String)
    ) -> [FundIssue] {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return [FundIssue(field: field, key: keys.required)] }
        if trimmed.count > max { return [FundIssue(field: field, key: keys.tooLong, args: ["max": String(max)])] }
        return []
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool { (48...57).contains(byte) || (97...102).contains(byte) }
}
