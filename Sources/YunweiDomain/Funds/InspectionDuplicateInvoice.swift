import Foundation

extension InspectionRule {
    /// R5 — an invoice claimed more than once: the same issuer and number (compared as
    /// `InvoiceKey` does, as at submission) on two claims, or twice on one. The earliest use — by posting
    /// time, a pending claim last — is the original; every later use in a claim posted in the
    /// period, or still pending, is a finding of that claim's village, for that invoice's amount,
    /// with the original beside it as evidence. Claims posted before the period may be in the
    /// facts only to be the original.
    public static func duplicateInvoices(_ facts: InspectionFacts, _ settings: InspectionSettings)
        -> [InspectionFinding]
    {
        struct Use {
            var claim: Int
            var invoice: Int
        }
        // Only the numbers are hashed, by fingerprint: they are short and nearly unique. Issuers
        // and the numbers' exact forms are compared among the few invoices that share one.
        let claims = facts.claims
        var seen: [UInt64: Use] = [:]
        seen.reserveCapacity(claims.count)
        var repeated: [UInt64: [Use]] = [:]
        for claimIndex in claims.indices {
            // Read in place: copying a million invoices costs more than hashing their numbers.
            for invoiceIndex in 0..<claims[claimIndex].invoices.count {
                let fingerprint = InspectionInvoiceKey.fingerprint(claims[claimIndex].invoices[invoiceIndex].number)
                let use = Use(claim: claimIndex, invoice: invoiceIndex)
                guard let previous = seen.updateValue(use, forKey: fingerprint) else { continue }
                repeated[fingerprint, default: [previous]].append(use)
            }
        }
        let sameInvoice = repeated.values.flatMap { uses in
            Dictionary(grouping: uses) { use in
                let invoice = claims[use.claim].invoices[use.invoice]
                return InvoiceKey(issuer: invoice.issuer, number: invoice.number)
            }
            .values.filter { $0.count > 1 }
        }

        let (start, end) = (facts.period.start, facts.period.end)
        func order(_ use: Use) -> (Date, Int64, Int64) {
            let claim = claims[use.claim]
            return (claim.postedAt ?? .distantFuture, claim.id, claim.invoices[use.invoice].id)
        }
        var findings: [InspectionFinding] = []
        for uses in sameInvoice {
            let uses = uses.sorted { order($0) < order($1) }
            let original = claims[uses[0].claim]
            let originalInvoice = original.invoices[uses[0].invoice]
            for use in uses.dropFirst() {
                let claim = claims[use.claim]
                guard claim.state == .pending || claim.isPosted(from: start, to: end) else { continue }
                let invoice = claim.invoices[use.invoice]
                findings.append(
                    InspectionFinding(
                        rule: .duplicateInvoice, village: claim.village, amount: invoice.amount,
                        evidence: [
                            .claim(claim.id), .invoice(invoice.id), .claim(original.id), .invoice(originalInvoice.id),
                        ],
                        message: InspectionText(
                            "inspection.finding.R5.duplicate",
                            [
                                "village": claim.village.rawValue, "claim": String(claim.id),
                                "number": invoice.number, "issuer": invoice.issuer, "amount": invoice.amount.formatted,
                                "original_claim": String(original.id), "original_village": original.village.rawValue,
                            ])))
            }
        }
        return findings.sorted(by: InspectionRule.villageThenEvidence)
    }
}
