extension InspectionRule {
    /// R3 挪用/挤占 — each claim posted in the period whose category is not one the fund may pay
    /// for (the four kinds of O&M work and caretakers' labour), or which is tied to no project,
    /// facility, contract or payroll batch. The amount is the whole claim.
    public static func divertedSpending(_ facts: InspectionFacts, _ settings: InspectionSettings)
        -> [InspectionFinding]
    {
        let (start, end) = (facts.period.start, facts.period.end)
        var findings: [InspectionFinding] = []
        for claim in facts.claims where claim.isPosted(from: start, to: end) {
            let key: String
            var args: [String: String] = [:]
            if case .other(let category) = claim.category {
                key = "inspection.finding.R3.category"
                args["category"] = category
            } else if claim.links.isEmpty {
                key = "inspection.finding.R3.unlinked"
            } else {
                continue
            }
            args.merge(["village": claim.village.rawValue, "claim": String(claim.id), "amount": claim.amount.formatted])
            {
                $1
            }
            findings.append(
                InspectionFinding(
                    rule: .diversion, village: claim.village, amount: claim.amount, evidence: [.claim(claim.id)],
                    message: InspectionText(key, args)))
        }
        return findings.sorted(by: InspectionRule.villageThenEvidence)
    }
}
