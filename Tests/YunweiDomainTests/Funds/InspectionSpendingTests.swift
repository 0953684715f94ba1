import Foundation
import Testing
import YunweiDomain

@Suite("R3 挪用/挤占 — diversion")
struct InspectionDiversionTests {
    @Test("a claim booked to a category the fund may not pay for is diverted, for the whole claim")
    func outsideTheCategories() {
        let facts = Town.cleanFacts().with { $0[claim: 102].category = Facts.Category(rawValue: "招商引资") }
        let findings = InspectionRule.divertedSpending(facts, .standard)
        #expect(findings.map(\.evidence) == [[.claim(102)]])
        #expect(findings.first?.amount == Town.yuan(12_000))
        #expect(findings.first?.message.key == "inspection.finding.R3.category")
        #expect(findings.first?.message.args["category"] == "招商引资")
    }

    @Test("a claim tied to no project, facility, contract or payroll is diverted")
    func unlinked() {
        let facts = Town.cleanFacts().with { $0[claim: 101].links = [] }
        let findings = InspectionRule.divertedSpending(facts, .standard)
        #expect(findings.map(\.message.key) == ["inspection.finding.R3.unlinked"])
        #expect(findings.map(\.amount) == [Town.yuan(3_000)])
    }

    @Test("labour paid by payroll, permitted categories, and claims not posted in the period are not diverted")
    func permitted() {
        let facts = Town.cleanFacts().with {
            $0[claim: 101].category = .permitted(.labour)
            $0[claim: 101].links = [.payroll(3)]
            $0[claim: 101].invoices = []
            $0.claims.append(
                Town.claim(105, Town.yuan(900)).with {
                    $0.category = .other("招待"); $0.state = .pending; $0.postedAt = nil
                })
            $0.claims.append(Town.claim(106, Town.yuan(900), on: "2025-12-20").with { $0.links = [] })
        }
        #expect(InspectionRule.divertedSpending(facts, .standard).isEmpty)
        #expect(Facts.Category(rawValue: "agriculture") == .permitted(.agriculture))
    }
}

@Suite("R4 虚列 — false listing")
struct InspectionFalseListingTests {
    @Test("a claim without an invoice is falsely listed, for the whole claim")
    func noInvoice() {
        let facts = Town.cleanFacts().with { $0[claim: 102].invoices = [] }
        let findings = InspectionRule.falselyListedSpending(facts, .standard)
        #expect(findings.map(\.message.key) == ["inspection.finding.R4.no_invoice"])
        #expect(findings.map(\.amount) == [Town.yuan(12_000)])
        #expect(findings.map(\.evidence) == [[.claim(102)]])
    }

    @Test("invoices of ¥11,800 on a claim of ¥12,000 leave ¥200 unexplained, with the invoices as evidence")
    func invoicesShort() {
        let facts = Town.cleanFacts().with { $0[claim: 102].invoices[0].amount = Town.yuan(11_800) }
        let findings = InspectionRule.falselyListedSpending(facts, .standard)
        #expect(findings.map(\.message.key) == ["inspection.finding.R4.invoice_sum"])
        #expect(findings.map(\.amount) == [Town.yuan(200)])
        #expect(findings.map(\.evidence) == [[.claim(102), .invoice(1020)]])
    }

    @Test("spending on a project not yet accepted is falsely listed")
    func notAccepted() {
        let facts = Town.cleanFacts().with { $0.projects[0].accepted = false }
        let findings = InspectionRule.falselyListedSpending(facts, .standard)
        #expect(findings.map(\.message.key) == ["inspection.finding.R4.no_acceptance"])
        #expect(findings.map(\.amount) == [Town.yuan(60_000)])
        #expect(findings.first?.message.args["project"] == "1")
    }

    @Test("labour without invoices, and invoices that add up exactly across two, are not falsely listed")
    func wellEvidenced() {
        let facts = Town.cleanFacts().with {
            $0[claim: 101].category = .permitted(.labour)
            $0[claim: 101].invoices = []
            $0[claim: 102].invoices = [
                Facts.Invoice(
                    id: 1, number: "A1", issuer: "宏达", date: Day(year: 2026, month: 4, day: 1),
                    amount: Money(fen: 700_001)),
                Facts.Invoice(
                    id: 2, number: "A2", issuer: "宏达", date: Day(year: 2026, month: 4, day: 2),
                    amount: Money(fen: 499_999)),
            ]
        }
        #expect(InspectionRule.falselyListedSpending(facts, .standard).isEmpty)
    }
}

@Suite("R5 — duplicate invoices")
struct InspectionDuplicateInvoiceTests {
    @Test("a full-width, upper-case, padded invoice number is the same invoice as its plain form")
    func fullWidthDuplicate() {
        let facts = Town.cleanFacts().with {
            $0[claim: 101].invoices[0].number = " no88001234 "
            $0[claim: 104].invoices[0].number = "ＮＯ８８００１２３４"
            $0[claim: 104].invoices[0].issuer = "成都宏达建材有限公司　"
        }
        let findings = InspectionRule.duplicateInvoices(facts, .standard)
        #expect(findings.count == 1)
        #expect(findings.first?.rule == .duplicateInvoice)
        #expect(findings.first?.amount == Town.yuan(6_500))
        #expect(findings.first?.evidence == [.claim(104), .invoice(1040), .claim(101), .invoice(1010)])
        #expect(findings.first?.message.args["original_claim"] == "101")
    }

    @Test("a number typed with a space inside is the same invoice, as the submission check says")
    func spaceInsideNumber() {
        let facts = Town.cleanFacts().with {
            $0[claim: 101].invoices[0].number = "NO 88001234"
            $0[claim: 104].invoices[0].number = "no88001234"
            $0[claim: 104].invoices[0].issuer = "成都宏达建材有限公司"
        }
        #expect(facts[claim: 101].invoices[0].issuer == "成都宏达建材有限公司")
        let findings = InspectionRule.duplicateInvoices(facts, .standard)
        #expect(findings.count == 1)
        #expect(findings.first?.evidence.first == .claim(104))
    }

    @Test("an invoice already claimed last year is a duplicate this year; a pending claim reusing it is caught too")
    func lookBackAndPending() {
        let facts = Town.cleanFacts().with {
            $0.claims.append(
                Town.claim(90, Town.yuan(3_000), on: "2025-11-02").with { $0.invoices[0].number = "No102" })
            $0.claims.append(
                Town.claim(107, Town.yuan(800)).with {
                    $0.state = .pending
                    $0.postedAt = nil
                    $0.invoices[0].number = "NO102"
                })
        }
        let findings = InspectionRule.duplicateInvoices(facts, .standard)
        #expect(findings.map(\.evidence.first) == [.claim(102), .claim(107)])
        #expect(findings.allSatisfy { $0.evidence.contains(.claim(90)) })
    }

    @Test("the same number from another issuer, or another number from the same issuer, is not a duplicate")
    func distinctInvoices() {
        let facts = Town.cleanFacts().with {
            $0[claim: 102].invoices[0].number = "No101"
            $0[claim: 102].invoices[0].issuer = "青山五金店"
            $0[claim: 103].invoices[0].number = "No1010"
        }
        #expect(InspectionRule.duplicateInvoices(facts, .standard).isEmpty)
    }
}
