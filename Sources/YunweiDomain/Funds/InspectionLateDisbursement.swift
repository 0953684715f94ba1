extension InspectionRule {
    /// R1 滞拨 — each allocation a village was not credited with in full within
    /// `disbursementDays` Shanghai days of its approval (a credit on the last day is on time).
    ///
    /// Credits pay a village's allocations first in, first out, in the order they were approved,
    /// so an early credit may serve a later allocation. The finding's amount is the part credited
    /// after the deadline plus the part still missing when the period ends; an allocation whose
    /// deadline falls after the period is not yet due and is not judged.
    public static func lateDisbursements(_ facts: InspectionFacts, _ settings: InspectionSettings)
        -> [InspectionFinding]
    {
        let lastDay = InspectionDay.bounds(of: facts.period).upperBound
        let credits = InspectionRule.creditsByVillage(facts)
        var findings: [InspectionFinding] = []
        for (village, owed) in InspectionRule.allocationsByVillage(facts) {
            let paid = credits[village] ?? []
            var next = 0
            var leftInCredit = paid.first?.amount ?? .zero
            for allocation in owed {
                let deadline = InspectionDay.number(allocation.approvedAt) + settings.disbursementDays
                var needed = allocation.amount
                var late = Money.zero
                var lateCredits: [InspectionFacts.Disbursement] = []
                while needed > .zero, next < paid.count {
                    let taken = min(needed, leftInCredit)
                    if InspectionDay.number(paid[next].creditedAt) > deadline {
                        late += taken
                        lateCredits.append(paid[next])
                    }
                    needed -= taken
                    leftInCredit -= taken
                    if leftInCredit == .zero {
                        next += 1
                        leftInCredit = next < paid.count ? paid[next].amount : .zero
                    }
                }
                guard deadline <= lastDay, late + needed > .zero else { continue }
                var args = [
                    "village": village.rawValue, "allocated": allocation.amount.formatted,
                    "approved": InspectionDay.text(allocation.approvedAt), "deadline": InspectionDay.text(deadline),
                    "days": String(settings.disbursementDays), "amount": (late + needed).formatted,
                    "late": late.formatted, "missing": needed.formatted, "period_end": facts.period.last.description,
                ]
                let key: String
                switch (late > .zero, needed > .zero) {
                case (true, false):
                    key = "inspection.finding.R1.late"
                    args["credited"] = InspectionDay.text(lateCredits.last!.creditedAt)
                case (false, _): key = "inspection.finding.R1.missing"
                case (true, true): key = "inspection.finding.R1.late_missing"
                }
                findings.append(
                    InspectionFinding(
                        rule: .lateDisbursement, village: village, amount: late + needed,
                        evidence: [.allocation(allocation.id)] + lateCredits.map { .disbursement($0.id) },
                        message: InspectionText(key, args)))
            }
        }
        return findings.sorted(by: InspectionRule.villageThenEvidence)
    }

    /// Each village's allocations, in the order they were approved.
    static func allocationsByVillage(_ facts: InspectionFacts) -> [UnitCode: [InspectionFacts.Allocation]] {
        Dictionary(grouping: facts.allocations, by: \.village).mapValues { allocations in
            allocations.sorted { ($0.approvedAt, $0.id) < ($1.approvedAt, $1.id) }
        }
    }

    /// Each village's credits up to the end of the period, in the order they arrived.
    static func creditsByVillage(_ facts: InspectionFacts) -> [UnitCode: [InspectionFacts.Disbursement]] {
        let end = facts.period.end
        let credits = facts.disbursements.filter { $0.amount > .zero && $0.creditedAt < end }
        return Dictionary(grouping: credits, by: \.village).mapValues { credits in
            credits.sorted { ($0.creditedAt, $0.id) < ($1.creditedAt, $1.id) }
        }
    }

    /// The order every rule reports in: by village, then by the first record of the evidence.
    static func villageThenEvidence(_ lhs: InspectionFinding, _ rhs: InspectionFinding) -> Bool {
        if lhs.village != rhs.village { return lhs.village < rhs.village }
        let left = lhs.evidence.first.map { ($0.kind.order, $0.id) } ?? (0, 0)
        let right = rhs.evidence.first.map { ($0.kind.order, $0.id) } ?? (0, 0)
        return left < right
    }
}

extension InspectionEvidence.Kind {
    var order: Int {
        switch self {
        case .allocation: 0
        case .disbursement: 1
        case .claim: 2
        case .invoice: 3
        case .posting: 4
        }
    }
}
