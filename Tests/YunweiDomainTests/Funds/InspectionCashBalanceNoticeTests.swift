import Foundation
import Testing
import YunweiDomain

@Suite("R7 坐支 — cash outside the special account")
struct InspectionCashPaymentTests {
    @Test("a claim paid in cash is found with its cash posting, and that posting is not counted again")
    func cashClaim() {
        let facts = Town.cleanFacts().with {
            $0[claim: 101].paidThrough = .cash
            $0.postings.append(
                Facts.Posting(
                    id: 9, village: Town.village, account: .cash, credit: Town.yuan(3_000),
                    postedAt: Town.at("2026-02-10"), claimID: 101))
        }
        let findings = InspectionRule.cashPayments(facts, .standard)
        #expect(findings.map(\.message.key) == ["inspection.finding.R7.cash_claim"])
        #expect(findings.map(\.amount) == [Town.yuan(3_000)])
        #expect(findings.map(\.evidence) == [[.claim(101), .posting(9)]])
    }

    @Test("a payment out of the cash account and a disbursement handed over in cash are found")
    func cashPostingAndDisbursement() {
        let facts = Town.cleanFacts().with {
            $0.postings.append(
                Facts.Posting(
                    id: 9, village: Town.village, account: .cash, credit: Money(fen: 45_050),
                    postedAt: Town.at("2026-06-03")))
            $0.disbursements.append(
                Facts.Disbursement(
                    id: 2, village: Town.village, creditedAt: Town.at("2026-07-01"), amount: Town.yuan(2_000),
                    channel: .cash))
        }
        let findings = InspectionRule.cashPayments(facts, .standard)
        #expect(findings.map(\.evidence) == [[.disbursement(2)], [.posting(9)]])
        #expect(findings.map(\.amount) == [Town.yuan(2_000), Money(fen: 45_050)])
        #expect(
            findings.map(\.message.key) == [
                "inspection.finding.R7.cash_disbursement", "inspection.finding.R7.cash_posting",
            ])
    }

    @Test("bank payments, cash drawn into the till, and cash within a petty-cash allowance are not found")
    func noCash() {
        let facts = Town.cleanFacts().with {
            $0.postings.append(
                Facts.Posting(
                    id: 9, village: Town.village, account: .cash, debit: Town.yuan(500), postedAt: Town.at("2026-06-03")
                ))
            $0.postings.append(
                Facts.Posting(
                    id: 10, village: Town.village, account: .cash, credit: Town.yuan(80),
                    postedAt: Town.at("2026-06-04")))
        }
        #expect(InspectionRule.cashPayments(Town.cleanFacts(), .standard).isEmpty)
        #expect(InspectionRule.cashPayments(facts, InspectionSettings(cashAllowance: Town.yuan(100))).isEmpty)
    }
}

@Suite("R9 — idle balance")
struct InspectionIdleBalanceTests {
    @Test("a year-end balance one fen above 30% of the available funds is idle, for the whole balance")
    func idle() {
        let facts = Town.cleanFacts().with {
            $0.balances[0] = Facts.VillageBalance(
                village: Town.village, opening: Town.yuan(10_000), receipts: Town.yuan(90_000),
                closing: Money(fen: 3_000_001))
        }
        let findings = InspectionRule.idleBalances(facts, .standard)
        #expect(findings.map(\.amount) == [Money(fen: 3_000_001)])
        #expect(findings.first?.rule == .idleBalance)
        #expect(findings.first?.message.args["share"] == "30.0%")
        #expect(findings.first?.message.args["available"] == "¥100,000.00")
    }

    @Test("exactly 30% left is not idle, and a period that stops before year end judges no balance")
    func notIdle() {
        let exactly = Town.cleanFacts().with { $0.balances[0].closing = Town.yuan(30_000) }
        #expect(InspectionRule.idleBalances(exactly, .standard).isEmpty)
        let midYear = Town.cleanFacts().with {
            $0.balances[0].closing = Town.yuan(90_000)
            $0.period = StatisticsPeriod(
                first: Day(year: 2026, month: 1, day: 1), last: Day(year: 2026, month: 6, day: 30))!
        }
        #expect(InspectionRule.idleBalances(midYear, .standard).isEmpty)
    }
}

@Suite("R10 — missing public notice")
struct InspectionMissingNoticeTests {
    @Test("a claim of exactly ¥5,000 posted without notice is found, and so is one flagged for notice below it")
    func exactlyTheThreshold() {
        let facts = Town.cleanFacts().with {
            $0.claims.append(Town.claim(201, Town.yuan(5_000)).with { $0.noticed = false })
            $0.claims.append(Town.claim(202, Town.yuan(4_000)).with { $0.noticeRequired = true })
        }
        let findings = InspectionRule.missingNotices(facts, .standard)
        #expect(findings.map(\.evidence) == [[.claim(201)], [.claim(202)]])
        #expect(findings.map(\.amount) == [Town.yuan(5_000), Town.yuan(4_000)])
        #expect(findings.first?.message.args["threshold"] == "¥5,000.00")
    }

    @Test("a claim one fen under the threshold needs no notice, and a noticed claim is fine")
    func belowOrNoticed() {
        let facts = Town.cleanFacts().with { $0.claims.append(Town.claim(201, Money(fen: 499_999))) }
        #expect(InspectionRule.missingNotices(facts, .standard).isEmpty)
    }
}
