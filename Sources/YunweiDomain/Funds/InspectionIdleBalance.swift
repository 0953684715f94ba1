extension InspectionRule {
    /// R9 — a village that ends the year with more than `idlePercent` of the year's available
    /// funds (opening balance plus the year's receipts) unspent. The amount is the whole year-end
    /// balance. Judged only when the period reaches 31 December of the fund year: before that no
    /// balance is a year-end balance.
    public static func idleBalances(_ facts: InspectionFacts, _ settings: InspectionSettings)
        -> [InspectionFinding]
    {
        guard facts.period.last >= StatisticsPeriod.Day(year: facts.year, month: 12, day: 31) else { return [] }
        var findings: [InspectionFinding] = []
        for balance in facts.balances {
            let available = balance.available
            guard available > .zero, balance.closing.fen * 100 > available.fen * Int64(settings.idlePercent) else {
                continue
            }
            let perMille = CaseStatistics.perMille(Int(balance.closing.fen), of: Int(available.fen))
            findings.append(
                InspectionFinding(
                    rule: .idleBalance, village: balance.village, amount: balance.closing, evidence: [],
                    message: InspectionText(
                        "inspection.finding.R9.idle",
                        [
                            "village": balance.village.rawValue, "amount": balance.closing.formatted,
                            "available": available.formatted, "share": CaseStatistics.percentText(perMille),
                            "percent": String(settings.idlePercent), "year": String(facts.year),
                        ])))
        }
        return findings.sorted(by: InspectionRule.villageThenEvidence)
    }
}
