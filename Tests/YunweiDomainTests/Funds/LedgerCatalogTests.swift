import Foundation
import Testing

@testable import YunweiDomain

@Suite("The ledger's catalog entries")
struct LedgerCatalogTests {
    let catalog = LedgerFixtures.catalog

    /// Every issue the ledger can raise, with arguments of the shape it raises them with.
    let issues: [FundIssue] = [
        .memoRequired, .tooFewLines(1), .lineNegative(0), .lineBothSides(0), .lineEmpty(0), .tooLarge,
        .unbalanced(debits: Money(yuan: 1), credits: .zero),
        .unbalancedBook(LedgerFixtures.village, debits: Money(yuan: 1), credits: .zero),
        .amountNotPositive(.zero), .notStored, .reversalOfReversal,
        .reversalBeforeOriginal(LedgerFixtures.day("2026-01-01")), .periodReversed,
        .insufficient(available: .zero, requested: Money(yuan: 1)), .reservationClosed(.posted),
    ]

    @Test("every account, side, source and reservation state has a name in Chinese and in English")
    func namesAreComplete() {
        let keys =
            AccountKind.allCases.map(\.nameKey) + LedgerSide.allCases.map { "ledger_side.\($0.rawValue)" }
            + LedgerSource.Kind.allCases.map { "ledger_source.\($0.rawValue)" }
            + ReservationState.allCases.map(\.nameKey)
        for key in keys {
            #expect(catalog[key]?["zh-Hans"]?.isEmpty == false, "\(key) zh-Hans")
            #expect(catalog[key]?["en"]?.isEmpty == false, "\(key) en")
        }
    }

    @Test("every issue has a message in both languages with a placeholder for each of its arguments, and no other")
    func issuesAreComplete() {
        for issue in issues {
            for language in ["zh-Hans", "en"] {
                guard let text = catalog[issue.key]?[language] else {
                    Issue.record("\(issue.key) has no \(language) text")
                    continue
                }
                #expect(placeholders(in: text) == Set(issue.args.keys), "\(issue.key) \(language)")
            }
        }
    }

    @Test("the catalog holds no ledger error that the ledger never raises")
    func noStrayErrors() {
        let raised = Set(issues.map(\.key))
        #expect(Set(catalog.keys.filter { $0.hasPrefix("ledger.error.") }) == raised)
    }

    @Test("the ledger sources name no error key that the catalog lacks")
    func sourcesMatchCatalog() throws {
        let funds = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/YunweiDomain/Funds")
        let files = try FileManager.default.contentsOfDirectory(atPath: funds.path)
            .filter { $0.hasPrefix("Ledger") || $0.hasPrefix("Account") || $0.hasPrefix("Voucher") }
        var named: Set<String> = []
        for file in files {
            let text = try String(contentsOf: funds.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: /"(ledger\.error\.[a-z_]+)"/) { named.insert(String(match.1)) }
        }
        #expect(!named.isEmpty)
        #expect(named.subtracting(catalog.keys).isEmpty)
    }

    private func placeholders(in text: String) -> Set<String> {
        Set(text.matches(of: /\{([a-z_]+)\}/).map { String($0.1) })
    }
}
