extension InspectionRule {
    /// R2 截留 — a village credited less, by the end of the period, than the allocations already
    /// due to it (approved at least `disbursementDays` days before the period ends). The amount is
    /// the shortfall; the evidence is the allocations due and the credits received. Money never
    /// credited is both late (R1) and short (R2): the report gives each rule's amount and never
    /// adds amounts across rules.
    public static func withheldFunds(_ facts: InspectionFacts, _ settings: InspectionSettings)
        -> [InspectionFinding]
    {
        let lastDay = InspectionDay.bounds(of: facts.period).upperBound
        let credits = InspectionRule.creditsByVillage(facts)
        var findings: [InspectionFinding] = []
        for (village, allocations) in InspectionRule.allocationsByVillage(facts) {
            let due = allocations.filter {
                InspectionDay.number($0.approvedAt) + settings.disbursementDays <= lastDay
            }
            let paid = credits[village] ?? []
            let owed = due.reduce(Money.zero) { $0 + $1.amount }
            let credited = paid.reduce(Money.zero) { $0 + $1.amount }
            guard credited < owed else { continue }
            let shortfall = owed - credited
            findings.append(
                InspectionFinding(
                    rule: .withholding, village: village, amount: shortfall,
                    evidence: due.map { .allocation($0.id) } + paid.map { .disbursement($0.id) },
                    message: InspectionText(
                        "inspection.finding.R2.shortfall",
                        [
                            "village": village.rawValue, "allocated": owed.formatted, "credited": credited.formatted,
                            "amount": shortfall.formatted, "period_end": facts.period.last.description,
                        ])))
        }
        return findings.sorted(by: InspectionRule.villageThenEvidence)
    }
}
