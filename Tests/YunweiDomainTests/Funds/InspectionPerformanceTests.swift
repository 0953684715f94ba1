import Foundation
import Testing
import YunweiDomain

/// A county-sized year: 12,000 villages under 400 townships, 80 claims each — 960,000 claims with
/// their invoices and approvals, as many ledger lines — and about one claim in a hundred spoiled,
/// so every rule has work to report.
private enum BigCounty {
    static let villagesCount = 12_000
    static let claimsPerVillage = 80

    static func facts() -> Facts {
        var random = SplitMix64(seed: 2026)
        let yearStart = Day(year: 2026, month: 1, day: 1).start
        func day(_ number: Int) -> Date { yearStart.addingTimeInterval(Double(number) * 86_400 + 36_000) }
        let purposes = ["村道坑槽修补", "垃圾清运", "水渠清淤", "路灯维修", "健身器材维护", "农家书屋图书", "防汛物资", "村委会办公费"]
        let suppliers = (0..<40).map { "供应商\($0)" }
        let issuers = (0..<40).map { "成都宏达建材\($0)厂" }

        var villages: [Facts.Village] = []
        var officials: [Facts.Official] = []
        var allocations: [Facts.Allocation] = []
        var disbursements: [Facts.Disbursement] = []
        var claims: [Facts.Claim] = []
        var postings: [Facts.Posting] = []
        var balances: [Facts.VillageBalance] = []
        villages.reserveCapacity(villagesCount)
        claims.reserveCapacity(villagesCount * claimsPerVillage)
        postings.reserveCapacity(villagesCount * claimsPerVillage)

        for index in 0..<villagesCount {
            let townshipNumber = 100 + index / 30
            let township = UnitCode("510121\(townshipNumber)000")!
            let village = UnitCode("510121\(townshipNumber)\(String(format: "%03d", 201 + index % 30))")!
            villages.append(Facts.Village(code: village, township: township, name: "村\(index)"))
            let base = Int64(index) * 10
            officials.append(Facts.Official(userID: base + 1, name: "主任\(index)", unit: village))
            officials.append(Facts.Official(userID: base + 2, name: "会计\(index)", unit: village))
            if index % 30 == 0 {
                officials.append(Facts.Official(userID: base + 3, name: "乡长\(index)", unit: township))
            }

            let allocated = Money(yuan: 400_000)
            allocations.append(
                Facts.Allocation(id: Int64(index), village: village, approvedAt: day(20), amount: allocated))
            let creditDay = index % 50 == 0 ? 60 : 30
            let credited = index % 70 == 0 ? Money(yuan: 390_000) : allocated
            disbursements.append(
                Facts.Disbursement(id: Int64(index), village: village, creditedAt: day(creditDay), amount: credited))

            let approvals = [
                Facts.Approval(step: .draft, userID: base + 2), Facts.Approval(step: .review, userID: base + 4),
                Facts.Approval(step: .approve, userID: base + 1), Facts.Approval(step: .audit, userID: base + 5),
                Facts.Approval(step: .post, userID: base + 6),
            ]
            let links: [Facts.Link] = [.facility(Int64(index))]
            var spent = Money.zero
            for number in 0..<claimsPerVillage {
                let id = Int64(index * claimsPerVillage + number)
                let roll = random.int(in: 0...999)
                let amount = Money(fen: Int64(random.int(in: 20_000...800_000)))
                let posted = day(40 + random.int(in: 0...300))
                let supplier = random.int(in: 0...39)
                var invoiceNumber = "FP\(id)"
                if roll == 1 { invoiceNumber = "FP\(id - 1)" }
                if roll == 2 { invoiceNumber = "ＦＰ\(id - 2)" }
                var claim = Facts.Claim(
                    id: id, village: village, amount: amount, category: .permitted(.infrastructure),
                    purpose: purposes[roll == 3 ? 7 : number % 7],
                    payee: Facts.Payee(name: suppliers[supplier], kind: .company), links: links,
                    invoices: [
                        Facts.Invoice(
                            id: id, number: invoiceNumber, issuer: issuers[supplier],
                            date: Day(year: 2026, month: 3, day: 1), amount: amount)
                    ],
                    approvals: approvals, postedAt: posted, paidThrough: roll == 4 ? .cash : .bank,
                    noticeRequired: amount >= Money(yuan: 5_000), noticed: amount >= Money(yuan: 5_000) && roll != 5)
                switch roll {
                case 6: claim.category = .other("招商引资")
                case 7: claim.links = []
                case 8: claim.invoices = []
                case 9: claim.invoices[0].amount = amount - Money(yuan: 10)
                case 10: claim.payee = Facts.Payee(name: "主任\(index)", userID: base + 1)
                case 11: claim.payee = Facts.Payee(name: "乡党政办", kind: .government)
                default: break
                }
                spent += amount
                claims.append(claim)
                postings.append(
                    Facts.Posting(
                        id: id, village: village, account: roll == 4 ? .cash : .bank, credit: amount, postedAt: posted,
                        claimID: id))
            }
            balances.append(
                Facts.VillageBalance(village: village, opening: .zero, receipts: credited, closing: credited - spent))
        }
        return Facts(
            scope: [UnitCode("510121000000")!], scopeName: "大县", year: 2026, period: Town.year2026, villages: villages,
            officials: officials, allocations: allocations, disbursements: disbursements, claims: claims,
            postings: postings, balances: balances)
    }
}

@Suite("The self-inspection at county scale")
struct InspectionPerformanceTests {
    @Test("all ten rules over 960,000 claims of 12,000 villages run in well under three seconds in release")
    func countyScale() {
        let built = ContinuousClock.now
        let facts = BigCounty.facts()
        print(
            "inspection: built \(facts.claims.count) claims of \(facts.villages.count) villages in \(ContinuousClock.now - built)"
        )

        let clock = ContinuousClock()
        var findings: [InspectionFinding] = []
        var perRule: [String] = []
        let total = clock.measure {
            for rule in InspectionRule.allCases {
                var found: [InspectionFinding] = []
                let elapsed = clock.measure { found = rule.check(facts, .standard) }
                perRule.append("\(rule.rawValue) \(found.count) in \(elapsed)")
                findings += found
            }
        }
        let reportTime = clock.measure {
            _ = InspectionReport(facts: facts, findings: findings, dated: Day(year: 2027, month: 1, day: 15))
        }
        print("inspection: all rules in \(total), \(findings.count) findings; report in \(reportTime)")
        print("inspection: " + perRule.joined(separator: "; "))

        #expect(facts.claims.count == 960_000)
        for rule in InspectionRule.allCases {
            #expect(findings.contains { $0.rule == rule }, "\(rule) found nothing")
        }
        #if DEBUG
            #expect(total < .seconds(120))
        #else
            #expect(total < .seconds(3))
        #endif
    }
}
