extension InspectionRule {
    /// R10 — a claim posted in the period without the public notice 公示 it needed: at or above
    /// `noticeThreshold`, or flagged for notice when it was submitted.
    public static func missingNotices(_ facts: InspectionFacts, _ settings: InspectionSettings)
        -> [InspectionFinding]
    {
        let (start, end) = (facts.period.start, facts.period.end)
        var findings: [InspectionFinding] = []
        for claim in facts.claims
        where !claim.noticed && (claim.amount >= settings.noticeThreshold || claim.noticeRequired)
            && claim.isPosted(from: start, to: end)
        {
            findings.append(
                InspectionFinding(
                    rule: .missingNotice, village: claim.village, amount: claim.amount, evidence: [.claim(claim.id)],
                    message: InspectionText(
                        "inspection.finding.R10.no_notice",
                        [
                            "village": claim.village.rawValue, "claim": String(claim.id), "payee": claim.payee.name,
                            "amount": claim.amount.formatted, "threshold": settings.noticeThreshold.formatted,
                        ])))
        }
        return findings.sorted(by: InspectionRule.villageThenEvidence)
    }
}
