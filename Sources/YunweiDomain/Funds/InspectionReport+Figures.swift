extension InspectionReport.Figures {
    /// The figures of `facts`: claims and credits counted in the period, allocations and projects
    /// as the facts hold them.
    init(_ facts: InspectionFacts, settings: InspectionSettings) {
        let (start, end) = (facts.period.start, facts.period.end)
        villages = facts.villages.count
        projects = facts.projects.count
        (claims, spent, labour, claimsNeedingNotice, noticed) = (0, .zero, .zero, 0, 0)
        for claim in facts.claims where claim.isPosted(from: start, to: end) {
            claims += 1
            spent += claim.amount
            if claim.category == .permitted(.labour) { labour += claim.amount }
            if claim.amount >= settings.noticeThreshold {
                claimsNeedingNotice += 1
                if claim.noticed { noticed += 1 }
            }
        }
        allocated = facts.allocations.reduce(.zero) { $0 + $1.amount }
        (disbursed, disbursements, disbursedByBank) = (.zero, 0, .zero)
        var credited: Set<UnitCode> = []
        for credit in facts.disbursements where credit.creditedAt >= start && credit.creditedAt < end {
            disbursed += credit.amount
            disbursements += 1
            credited.insert(credit.village)
            if credit.channel == .bank { disbursedByBank += credit.amount }
        }
        villagesCredited = credited.count
        postings = facts.postingCount ?? facts.postings.count { $0.postedAt >= start && $0.postedAt < end }
    }
}
