import Testing
import YunweiDomain

private typealias F = ClaimFixtures

@Suite("Duplicate invoices")
struct InvoiceKeyTests {
    @Test("an invoice number is the same however it is typed: spaces, case, full-width digits and letters")
    func normalisation() {
        let plain = InvoiceKey(issuer: "成都某某建筑有限公司", number: "NO.00123")
        for number in [" no.00123 ", "No.00123", "ＮＯ．００１２３", "no.００１２３", "NO. 00123", "\u{3000}NO.00123"] {
            #expect(InvoiceKey(issuer: "成都某某建筑有限公司", number: number) == plain, "\(number)")
        }
        #expect(plain.number == "no.00123")
        #expect(InvoiceKey(issuer: "x", number: "NO.00124") != InvoiceKey(issuer: "x", number: "NO.00123"))
    }

    @Test("an issuer is the same with full-width brackets, surrounding spaces or another case")
    func issuerNormalisation() {
        let plain = InvoiceKey(issuer: "成都某某建筑有限公司(双流)", number: "1")
        #expect(InvoiceKey(issuer: " 成都某某建筑有限公司（双流） ", number: "1") == plain)
        #expect(InvoiceKey(issuer: "ABC  Trading", number: "1") == InvoiceKey(issuer: "abc trading", number: "1"))
        #expect(InvoiceKey(issuer: "ABC Trading", number: "1") != InvoiceKey(issuer: "ABCTrading", number: "1"))
    }

    @Test("an invoice already on another claim is refused, naming that claim")
    func usedElsewhere() {
        var claim = F.claim(yuan: 300, id: 41)
        claim.invoices = [
            F.invoice("A1", yuan: 100), F.invoice(" no.００１２３ ", issuer: "某五金店", yuan: 100),
            F.invoice("A3", yuan: 100),
        ]
        let existing = [
            InvoiceKey(issuer: "某五金店", number: "NO.00123"): Int64(17),
            InvoiceKey(issuer: "成都某某建筑有限公司", number: "A1"): Int64(41),
        ]
        let issues = Claim.duplicateInvoices(claim, against: existing)
        #expect(
            issues == [
                FundIssue(
                    field: "invoices.2.number", key: "claim.issue.invoice_used",
                    args: ["number": "no.００１２３", "issuer": "某五金店", "other": "17"])
            ])
    }

    @Test("a new claim's invoices are checked against every stored claim")
    func newClaim() {
        let claim = F.claim(yuan: 1_000, id: nil)
        let existing = [claim.invoices[0].key: Int64(41)]
        #expect(Claim.duplicateInvoices(claim, against: existing).map(\.args["other"]) == ["41"])
        #expect(Claim.duplicateInvoices(claim, against: [:]).isEmpty)
    }
}
