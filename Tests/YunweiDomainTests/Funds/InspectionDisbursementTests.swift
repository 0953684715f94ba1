import Foundation
import Testing
import YunweiDomain

@Suite("R1 滞拨 — late disbursement")
struct InspectionLateDisbursementTests {
    private func facts(approved: String, credits: [(String, Money)], amount: Money = Town.yuan(100_000)) -> Facts {
        Town.cleanFacts().with {
            $0.allocations = [
                Facts.Allocation(id: 1, village: Town.village, approvedAt: Town.at(approved), amount: amount)
            ]
            $0.disbursements = credits.enumerated().map { index, credit in
                Facts.Disbursement(
                    id: Int64(index + 1), village: Town.village, creditedAt: Town.at(credit.0), amount: credit.1)
            }
        }
    }

    @Test("a village credited on the 31st day after approval is late for the whole allocation")
    func lateByOneDay() {
        let findings = InspectionRule.lateDisbursements(
            facts(approved: "2026-03-01", credits: [("2026-04-01", Town.yuan(100_000))]), .standard)
        #expect(findings.count == 1)
        #expect(findings.first?.rule == .lateDisbursement)
        #expect(findings.first?.village == Town.village)
        #expect(findings.first?.amount == Town.yuan(100_000))
        #expect(findings.first?.evidence == [.allocation(1), .disbursement(1)])
        #expect(findings.first?.message.key == "inspection.finding.R1.late")
        #expect(findings.first?.message.args["deadline"] == "2026-03-31")
        #expect(findings.first?.message.args["credited"] == "2026-04-01")
    }

    @Test("a credit late in the evening of the 30th day, Shanghai time, is on time")
    func exactlyThirtyDays() {
        let credited = Town.at("2026-03-31", hour: 23).addingTimeInterval(59 * 60)
        var onTime = facts(approved: "2026-03-01", credits: [])
        onTime.disbursements = [
            Facts.Disbursement(id: 1, village: Town.village, creditedAt: credited, amount: Town.yuan(100_000))
        ]
        #expect(InspectionRule.lateDisbursements(onTime, .standard).isEmpty)
    }

    @Test("an allocation never credited is missing by the end of the period, for its whole amount")
    func missingAtPeriodEnd() {
        let findings = InspectionRule.lateDisbursements(facts(approved: "2026-11-01", credits: []), .standard)
        #expect(findings.map(\.amount) == [Town.yuan(100_000)])
        #expect(findings.first?.message.key == "inspection.finding.R1.missing")
        #expect(findings.first?.message.args["period_end"] == "2026-12-31")
        #expect(findings.first?.evidence == [.allocation(1)])
    }

    @Test("only the late and the missing parts count: ¥60,000 on time, ¥30,000 late, ¥10,000 never")
    func partlyLatePartlyMissing() {
        let findings = InspectionRule.lateDisbursements(
            facts(
                approved: "2026-03-01", credits: [("2026-03-20", Town.yuan(60_000)), ("2026-05-01", Town.yuan(30_000))]),
            .standard)
        #expect(findings.map(\.amount) == [Town.yuan(40_000)])
        #expect(findings.first?.message.key == "inspection.finding.R1.late_missing")
        #expect(findings.first?.message.args["late"] == "¥30,000.00")
        #expect(findings.first?.message.args["missing"] == "¥10,000.00")
        #expect(findings.first?.evidence == [.allocation(1), .disbursement(2)])
    }

    @Test("credits pay allocations in the order they were approved")
    func firstInFirstOut() {
        var twoAllocations = facts(approved: "2026-01-10", credits: [("2026-01-20", Town.yuan(100_000))])
        twoAllocations.allocations.append(
            Facts.Allocation(id: 2, village: Town.village, approvedAt: Town.at("2026-06-01"), amount: Town.yuan(20_000))
        )
        twoAllocations.disbursements.append(
            Facts.Disbursement(
                id: 2, village: Town.village, creditedAt: Town.at("2026-08-01"), amount: Town.yuan(20_000)))
        let findings = InspectionRule.lateDisbursements(twoAllocations, .standard)
        #expect(findings.map(\.evidence) == [[.allocation(2), .disbursement(2)]])
        #expect(findings.map(\.amount) == [Town.yuan(20_000)])
    }

    @Test("a village credited within 30 days, or whose allocation is not yet due at period end, is not late")
    func onTimeOrNotYetDue() {
        #expect(InspectionRule.lateDisbursements(Town.cleanFacts(), .standard).isEmpty)
        let notYetDue = facts(approved: "2026-12-15", credits: [])
        #expect(InspectionRule.lateDisbursements(notYetDue, .standard).isEmpty)
    }
}

@Suite("R2 截留 — withholding")
struct InspectionWithholdingTests {
    @Test("a village credited ¥90,000 of ¥100,000 due is ¥10,000 short, with the allocation and the credit as evidence")
    func shortfall() {
        let facts = Town.cleanFacts().with { $0.disbursements[0].amount = Town.yuan(90_000) }
        let findings = InspectionRule.withheldFunds(facts, .standard)
        #expect(findings.count == 1)
        #expect(findings.first?.rule == .withholding)
        #expect(findings.first?.amount == Town.yuan(10_000))
        #expect(findings.first?.evidence == [.allocation(1), .disbursement(1)])
        #expect(findings.first?.message.args["credited"] == "¥90,000.00")
    }

    @Test("a credit after the period ends does not make up the shortfall")
    func creditAfterThePeriod() {
        let facts = Town.cleanFacts().with { $0.disbursements[0].creditedAt = Town.at("2027-01-05") }
        #expect(InspectionRule.withheldFunds(facts, .standard).map(\.amount) == [Town.yuan(100_000)])
    }

    @Test("a village credited in full, in two payments, with a new allocation not yet due, is not short")
    func creditedInFull() {
        let facts = Town.cleanFacts().with {
            $0.disbursements = [
                Facts.Disbursement(
                    id: 1, village: Town.village, creditedAt: Town.at("2026-01-20"), amount: Town.yuan(70_000)),
                Facts.Disbursement(
                    id: 2, village: Town.village, creditedAt: Town.at("2026-02-01"), amount: Town.yuan(30_000)),
            ]
            $0.allocations.append(
                Facts.Allocation(
                    id: 2, village: Town.village, approvedAt: Town.at("2026-12-20"), amount: Town.yuan(5_000)))
        }
        #expect(InspectionRule.withheldFunds(facts, .standard).isEmpty)
    }
}
