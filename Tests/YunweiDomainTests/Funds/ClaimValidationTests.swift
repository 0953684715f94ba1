import Foundation
import Testing
import YunweiDomain

private typealias F = ClaimFixtures

private func fields(_ issues: [FundIssue]) -> [String] { issues.map(\.field) }
private func keys(_ issues: [FundIssue]) -> [String] { issues.map(\.key) }

@Suite("What a claim must say")
struct ClaimValidationTests {
    @Test("a complete claim has no issues as a draft nor at submission")
    func complete() {
        #expect(F.claim().issues(now: F.now).isEmpty)
        #expect(F.claim().submissionIssues(now: F.now).isEmpty)
    }

    @Test("a blank payee, a zero amount, an unknown category and a blank purpose are each named at their field")
    func claimFields() {
        let claim = Claim(
            payee: .organisation(name: "  "), amount: .zero, category: "office", purpose: "\n",
            links: [.project(7)], invoices: [])
        let issues = claim.issues(now: F.now)
        #expect(fields(issues) == ["payee.name", "amount", "category", "purpose"])
        #expect(
            keys(issues) == [
                "claim.issue.payee_required", "claim.issue.amount_not_positive", "claim.issue.category_unknown",
                "claim.issue.purpose_required",
            ])
        #expect(issues[2].args == ["category": "office"])
    }

    @Test("texts have their limits: a purpose of 201 characters, a payee of 51")
    func lengths() {
        var claim = F.claim()
        claim.purpose = String(repeating: "修", count: 201)
        claim.payee = .organisation(name: String(repeating: "某", count: 51))
        let issues = claim.issues(now: F.now)
        #expect(keys(issues) == ["claim.issue.payee_too_long", "claim.issue.purpose_too_long"])
        #expect(issues.map(\.args) == [["max": "50"], ["max": "200"]])
        claim.purpose = String(repeating: "修", count: 200)
        claim.payee = .organisation(name: String(repeating: "某", count: 50))
        #expect(claim.issues(now: F.now).isEmpty)
    }

    @Test("a person without an account is paid by a valid resident ID number")
    func residentID() {
        var claim = F.claim()
        claim.payee = .person(name: "王芳", idNumber: "510121199001011237")
        #expect(claim.issues(now: F.now).isEmpty)
        for wrong in ["510121199001011234", "51012119900101123", "", "5101211990010112AB"] {
            claim.payee = .person(name: "王芳", idNumber: wrong)
            #expect(fields(claim.issues(now: F.now)) == ["payee.id_number"], "\(wrong)")
        }
        #expect(ClaimPayee.isResidentID(" 11010519491231002x "))
        #expect(ClaimPayee.isResidentID("５１０１２１１９９００１０１１２３７"))
    }

    @Test("every category of the subsidy is accepted, and nothing else")
    func categories() {
        for category in SpendingCategory.allCases {
            var claim = F.claim()
            claim.category = category.rawValue
            #expect(claim.issues(now: F.now).isEmpty)
            #expect(claim.spendingCategory == category)
        }
    }

    @Test("each invoice's problems are named by its position from 1: invoices.2.number")
    func invoiceFields() {
        var claim = F.claim(yuan: 300)
        claim.invoices = [
            F.invoice("A1", yuan: 100),
            Invoice(number: " ", issuer: "", date: F.today, amount: .zero, scanHash: "ABC"),
            F.invoice("A3", yuan: 100, date: StatisticsPeriod.Day(year: 2026, month: 1, day: 2)),
        ]
        let issues = claim.issues(now: F.now)
        #expect(
            fields(issues) == [
                "invoices.2.number", "invoices.2.issuer", "invoices.2.amount", "invoices.2.scan_hash",
                "invoices.3.date",
            ])
        #expect(
            keys(issues) == [
                "claim.issue.invoice_number_required", "claim.issue.invoice_issuer_required",
                "claim.issue.invoice_amount_not_positive", "claim.issue.invoice_scan_hash",
                "claim.issue.invoice_date_future",
            ])
        #expect(issues.last?.args == ["date": "2026-01-02"])
    }

    @Test("an invoice dated today in Shanghai is not in the future, even early in the morning")
    func invoiceToday() {
        var claim = F.claim()
        claim.invoices[0].date = F.today
        let justAfterMidnight = F.today.start.addingTimeInterval(60)
        #expect(claim.issues(now: justAfterMidnight).isEmpty)
        #expect(!claim.issues(now: F.today.start.addingTimeInterval(-60)).isEmpty)
    }

    @Test("a well-formed scan hash is 64 lowercase hexadecimal digits")
    func scanHash() {
        var claim = F.claim()
        claim.invoices[0].scanHash = String(repeating: "0123456789abcdef", count: 4)
        #expect(claim.issues(now: F.now).isEmpty)
        claim.invoices[0].scanHash = String(repeating: "0123456789ABCDEF", count: 4)
        #expect(fields(claim.issues(now: F.now)) == ["invoices.1.scan_hash"])
    }

    @Test("the same invoice twice in one claim is refused at the second, naming the first")
    func repeatedWithinClaim() {
        var claim = F.claim(yuan: 300)
        claim.invoices = [
            F.invoice("NO.00123", yuan: 100), F.invoice("A2", yuan: 100), F.invoice(" no.００１２３ ", yuan: 100),
        ]
        let issues = claim.issues(now: F.now)
        #expect(fields(issues) == ["invoices.3.number"])
        #expect(issues.first?.key == "claim.issue.invoice_repeated")
        #expect(issues.first?.args == ["number": "no.００１２３", "first": "1"])
    }

    @Test("the same number from another issuer is another invoice")
    func sameNumberOtherIssuer() {
        var claim = F.claim(yuan: 200)
        claim.invoices = [F.invoice("00123", issuer: "甲公司", yuan: 100), F.invoice("00123", issuer: "乙公司", yuan: 100)]
        #expect(claim.submissionIssues(now: F.now).isEmpty)
    }

    @Test("at submission the invoices must add up to the claimed amount exactly")
    func invoiceSum() {
        var claim = F.claim(yuan: 1_000)
        claim.invoices = [F.invoice("A1", yuan: 600), F.invoice("A2", yuan: 399)]
        #expect(claim.issues(now: F.now).isEmpty)
        let issues = claim.submissionIssues(now: F.now)
        #expect(fields(issues) == ["invoices"])
        #expect(issues.first?.key == "claim.issue.invoices_sum_mismatch")
        #expect(issues.first?.args == ["sum": "¥999.00", "amount": "¥1,000.00"])
        claim.invoices[1].amount = Money(yuan: 400)
        #expect(claim.submissionIssues(now: F.now).isEmpty)
    }

    @Test("a claim for works needs its invoices at submission")
    func invoicesRequired() {
        var claim = F.claim()
        claim.invoices = []
        #expect(keys(claim.issues(now: F.now)).isEmpty)
        #expect(keys(claim.submissionIssues(now: F.now)) == ["claim.issue.invoice_required"])
    }

    @Test("a labour claim may go without invoices if it names its contract or payroll batch")
    func labourWithoutInvoices() {
        var claim = Claim(
            payee: .user(id: 12, name: "赵大"), amount: Money(yuan: 800), category: "labour", purpose: "一月保洁劳务")
        #expect(keys(claim.submissionIssues(now: F.now)) == ["claim.issue.labour_link_required"])
        claim.links = [.project(3)]
        #expect(keys(claim.submissionIssues(now: F.now)) == ["claim.issue.labour_link_required"])
        claim.links = [.contract(5)]
        #expect(claim.submissionIssues(now: F.now).isEmpty)
        claim.links = [.payrollBatch(9)]
        #expect(claim.submissionIssues(now: F.now).isEmpty)
    }

    @Test("a claim must be linked to the O&M work it pays for, and links must name a record")
    func links() {
        var claim = F.claim()
        claim.links = []
        #expect(keys(claim.submissionIssues(now: F.now)) == ["claim.issue.link_required"])
        claim.links = [.facility(3), .project(0)]
        #expect(fields(claim.issues(now: F.now)) == ["links.2"])
        #expect(keys(claim.issues(now: F.now)) == ["claim.issue.link_invalid"])
    }

    @Test("a claim carries at most 100 invoices")
    func tooManyInvoices() {
        var claim = F.claim(yuan: 101)
        claim.invoices = (1...101).map { F.invoice("N\($0)", yuan: 1) }
        #expect(keys(claim.issues(now: F.now)) == ["claim.issue.too_many_invoices"])
    }

    @Test("invoice totals that would overflow are a mismatch, not a crash")
    func overflow() {
        var claim = F.claim()
        claim.invoices = [F.invoice("A", yuan: 1), F.invoice("B", yuan: 1)]
        claim.invoices[0].amount = Money(fen: .max)
        #expect(claim.invoiceSum == nil)
        #expect(keys(claim.submissionIssues(now: F.now)) == ["claim.issue.invoices_sum_mismatch"])
    }
}
