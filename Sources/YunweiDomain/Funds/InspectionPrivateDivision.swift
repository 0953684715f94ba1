extension InspectionRule {
    /// R6 私分 — money that went to the people who control it, in claims posted in the period:
    ///
    /// - the payee performed a step of the same claim (by user id): `R6.approver`;
    /// - the payee holds a post at the claim's village or its township, by user id or by the exact
    ///   name (spaces trimmed): `R6.official`;
    /// - payments split to stay under the notice threshold: claims to one payee (by name) in one
    ///   village, each under the threshold, whose posting days lie within `splitWindowDays` of the
    ///   first and whose sum reaches the threshold: `R6.split`, one finding for the group.
    ///   Payroll claims are left out — monthly pay is regular, not split — and so are claims
    ///   already found above, so no claim is counted twice.
    public static func privateDivisions(_ facts: InspectionFacts, _ settings: InspectionSettings)
        -> [InspectionFinding]
    {
        let officials = OfficialIndex(facts)
        var findings: [InspectionFinding] = []
        var splitCandidates: [(claim: Int, payee: String)] = []
        let (start, end) = (facts.period.start, facts.period.end)
        facts.claims.withUnsafeBufferPointer { claims in
            // Fields are read in place, and a claim is copied only when it is a finding: copying a
            // million claims out of the array would cost more than the rule.
            for index in claims.indices where claims[index].isPosted(from: start, to: end) {
                let name = claims[index].payee.name.trimmedOfSpaces
                let userID = claims[index].payee.userID
                let key: String
                var args: [String: String] = [:]
                if let userID, let approval = claims[index].approvals.first(where: { $0.userID == userID }) {
                    key = "inspection.finding.R6.approver"
                    args["step"] = approval.step.rawValue
                } else if let official = officials.holder(userID: userID, name: name, at: claims[index].village) {
                    key = "inspection.finding.R6.official"
                    args["unit"] = official.unit.rawValue
                } else {
                    let amount = claims[index].amount
                    if amount > .zero, amount < settings.noticeThreshold, !claims[index].isPayroll {
                        splitCandidates.append((index, name))
                    }
                    continue
                }
                let claim = claims[index]
                args.merge(
                    [
                        "village": claim.village.rawValue, "claim": String(claim.id), "payee": claim.payee.name,
                        "amount": claim.amount.formatted,
                    ]
                ) { $1 }
                findings.append(
                    InspectionFinding(
                        rule: .privateDivision, village: claim.village, amount: claim.amount,
                        evidence: [.claim(claim.id)], message: InspectionText(key, args)))
            }
        }
        findings += splitPayments(facts.claims, candidates: splitCandidates, settings: settings)
        return findings.sorted(by: InspectionRule.villageThenEvidence)
    }

    /// The groups of `R6.split`, found in one pass over each payee's claims in posting order.
    /// Villages and names are numbered first, so that the million claims are sorted by integers.
    private static func splitPayments(
        _ claims: [InspectionFacts.Claim], candidates: [(claim: Int, payee: String)], settings: InspectionSettings
    ) -> [InspectionFinding] {
        struct Entry {
            var payee: Int64
            var day: Int32
            var claimID: Int64
            var amount: Money
            var claim: Int
        }
        func number<Key: Hashable>(_ key: Key, in numbers: inout [Key: Int64]) -> Int64 {
            if let known = numbers[key] { return known }
            let next = Int64(numbers.count)
            numbers[key] = next
            return next
        }
        var villages: [UnitCode: Int64] = [:]
        var names = InspectionName.Numbering()
        var entries: [Entry] = []
        entries.reserveCapacity(candidates.count)
        claims.withUnsafeBufferPointer { claims in
            for (index, name) in candidates {
                let payee = number(claims[index].village, in: &villages) << 32 | names.number(of: name)
                let day = Int32(InspectionDay.number(claims[index].postedAt!))
                entries.append(
                    Entry(payee: payee, day: day, claimID: claims[index].id, amount: claims[index].amount, claim: index)
                )
            }
        }
        entries.sort { ($0.payee, $0.day, $0.claimID) < ($1.payee, $1.day, $1.claimID) }

        var findings: [InspectionFinding] = []
        var first = 0
        var next = 0
        var sum = Money.zero
        while first < entries.count {
            if next <= first {
                next = first
                sum = .zero
            }
            while next < entries.count, entries[next].payee == entries[first].payee,
                Int(entries[next].day) - Int(entries[first].day) <= settings.splitWindowDays
            {
                sum += entries[next].amount
                next += 1
            }
            if sum >= settings.noticeThreshold {
                let claim = claims[entries[first].claim]
                findings.append(
                    InspectionFinding(
                        rule: .privateDivision, village: claim.village, amount: sum,
                        evidence: entries[first..<next].map { .claim($0.claimID) },
                        message: InspectionText(
                            "inspection.finding.R6.split",
                            [
                                "village": claim.village.rawValue, "payee": claim.payee.name,
                                "count": String(next - first), "amount": sum.formatted,
                                "first": InspectionDay.text(Int(entries[first].day)),
                                "last": InspectionDay.text(Int(entries[next - 1].day)),
                                "days": String(settings.splitWindowDays),
                                "threshold": settings.noticeThreshold.formatted,
                            ])))
                first = next
            } else {
                sum -= entries[first].amount
                first += 1
            }
        }
        return findings
    }
}

/// Who holds a post where (R6): the officials of each village and township, and every official's
/// user id and name, so that most payees are cleared by one set look-up.
private struct OfficialIndex {
    var byUnit: [UnitCode: [InspectionFacts.Official]] = [:]
    var userIDs: Set<Int64> = []
    var names: Set<UInt64> = []
    var townshipOf: [UnitCode: UnitCode] = [:]

    init(_ facts: InspectionFacts) {
        for official in facts.officials {
            byUnit[official.unit, default: []].append(official)
            userIDs.insert(official.userID)
            names.insert(InspectionName.fingerprint(official.trimmedName))
        }
        for village in facts.villages { townshipOf[village.code] = village.township }
    }

    /// The official at `village` or its township who is the payee with `userID` or `name`, if any.
    func holder(userID: Int64?, name: String, at village: UnitCode) -> InspectionFacts.Official? {
        let knownID = userID.map(userIDs.contains) ?? false
        guard knownID || names.contains(InspectionName.fingerprint(name)) else { return nil }
        let township = townshipOf[village] ?? UnitCode(String(village.rawValue.prefix(9)) + "000")
        for unit in [village, township].compactMap(\.self) {
            for official in byUnit[unit] ?? []
            where official.userID == userID || (!name.isEmpty && InspectionName.same(official.trimmedName, name)) {
                return official
            }
        }
        return nil
    }
}

extension InspectionFacts.Official {
    /// The name as payees' names are compared with it: without spaces at either end.
    var trimmedName: String { name.trimmedOfSpaces }
}

extension InspectionFacts.Claim {
    /// Whether the claim pays a payroll batch.
    var isPayroll: Bool {
        links.contains { if case .payroll = $0 { true } else { false } }
    }
}
