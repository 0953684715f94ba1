extension InspectionRule {
    /// R7 坐支 — money in the period that moved in cash instead of through the village's special
    /// bank account, above the petty-cash allowance:
    ///
    /// - a disbursement handed over in cash: `R7.cash_disbursement`;
    /// - a posted claim paid in cash: `R7.cash_claim`, with its cash postings as evidence;
    /// - a payment out of the cash account (a credit to 101 现金) that books no such claim:
    ///   `R7.cash_posting`. Cash drawn into the till (a debit) is not yet a payment.
    public static func cashPayments(_ facts: InspectionFacts, _ settings: InspectionSettings)
        -> [InspectionFinding]
    {
        let (start, end) = (facts.period.start, facts.period.end)
        let allowance = settings.cashAllowance
        var findings: [InspectionFinding] = []
        for disbursement in facts.disbursements
        where disbursement.channel == .cash && disbursement.amount > allowance && disbursement.creditedAt >= start
            && disbursement.creditedAt < end
        {
            findings.append(
                InspectionFinding(
                    rule: .cashOutsideAccount, village: disbursement.village, amount: disbursement.amount,
                    evidence: [.disbursement(disbursement.id)],
                    message: InspectionText(
                        "inspection.finding.R7.cash_disbursement",
                        [
                            "village": disbursement.village.rawValue, "amount": disbursement.amount.formatted,
                            "date": InspectionDay.text(disbursement.creditedAt),
                        ])))
        }

        var cashPayments: [InspectionFacts.Posting] = []
        var cashPostingsOfClaim: [Int64: [Int64]] = [:]
        for posting in facts.postings where posting.account == .cash && posting.credit > .zero {
            if let claim = posting.claimID { cashPostingsOfClaim[claim, default: []].append(posting.id) }
            if posting.postedAt >= start, posting.postedAt < end { cashPayments.append(posting) }
        }
        var claimsFound: Set<Int64> = []
        for claim in facts.claims
        where claim.paidThrough == .cash && claim.amount > allowance && claim.isPosted(from: start, to: end) {
            claimsFound.insert(claim.id)
            findings.append(
                InspectionFinding(
                    rule: .cashOutsideAccount, village: claim.village, amount: claim.amount,
                    evidence: [.claim(claim.id)] + (cashPostingsOfClaim[claim.id] ?? []).map { .posting($0) },
                    message: InspectionText(
                        "inspection.finding.R7.cash_claim",
                        [
                            "village": claim.village.rawValue, "claim": String(claim.id), "payee": claim.payee.name,
                            "amount": claim.amount.formatted,
                        ])))
        }
        for posting in cashPayments where posting.credit > allowance {
            if let claim = posting.claimID, claimsFound.contains(claim) { continue }
            findings.append(
                InspectionFinding(
                    rule: .cashOutsideAccount, village: posting.village, amount: posting.credit,
                    evidence: [.posting(posting.id)],
                    message: InspectionText(
                        "inspection.finding.R7.cash_posting",
                        [
                            "village": posting.village.rawValue, "posting": String(posting.id),
                            "amount": posting.credit.formatted, "date": InspectionDay.text(posting.postedAt),
                        ])))
        }
        return findings.sorted(by: InspectionRule.villageThenEvidence)
    }
}
