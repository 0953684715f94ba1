extension InspectionRule {
    /// R4 虚列 — each claim posted in the period that lacks what proves the spending was real,
    /// judged in this order, one finding a claim:
    ///
    /// 1. no invoice at all, unless it is caretakers' labour (paid by payroll, not by invoice);
    /// 2. linked to a project that has not been accepted 验收 (or that the facts do not know);
    /// 3. invoices that do not add up to the claim — the amount is the difference.
    ///
    /// The first two put the whole claim in doubt, so their amount is the claim's.
    public static func falselyListedSpending(_ facts: InspectionFacts, _ settings: InspectionSettings)
        -> [InspectionFinding]
    {
        let (start, end) = (facts.period.start, facts.period.end)
        var accepted: [Int64: Bool] = [:]
        for project in facts.projects { accepted[project.id] = project.accepted }
        var findings: [InspectionFinding] = []
        for claim in facts.claims where claim.isPosted(from: start, to: end) {
            var args: [String: String] = [:]
            var evidence: [InspectionEvidence] = [.claim(claim.id)]
            let key: String
            let amount: Money
            let invoiced = claim.invoices.reduce(Money.zero) { $0 + $1.amount }
            if claim.invoices.isEmpty, claim.category != .permitted(.labour) {
                (key, amount) = ("inspection.finding.R4.no_invoice", claim.amount)
            } else if let project = claim.unacceptedProject(accepted) {
                (key, amount) = ("inspection.finding.R4.no_acceptance", claim.amount)
                args["project"] = String(project)
            } else if !claim.invoices.isEmpty, invoiced != claim.amount {
                (key, amount) = (
                    "inspection.finding.R4.invoice_sum",
                    invoiced > claim.amount ? invoiced - claim.amount : claim.amount - invoiced
                )
                args["invoiced"] = invoiced.formatted
                evidence += claim.invoices.map { .invoice($0.id) }
            } else {
                continue
            }
            args.merge(
                [
                    "village": claim.village.rawValue, "claim": String(claim.id), "claimed": claim.amount.formatted,
                    "amount": amount.formatted,
                ]
            ) { $1 }
            findings.append(
                InspectionFinding(
                    rule: .falseListing, village: claim.village, amount: amount, evidence: evidence,
                    message: InspectionText(key, args)))
        }
        return findings.sorted(by: InspectionRule.villageThenEvidence)
    }
}

extension InspectionFacts.Claim {
    /// The first linked project without a signed acceptance.
    fileprivate func unacceptedProject(_ accepted: [Int64: Bool]) -> Int64? {
        for link in links {
            if case .project(let id) = link, accepted[id] != true { return id }
        }
        return nil
    }
}
