import Foundation
import Testing
import YunweiDomain

private typealias F = ClaimFixtures

/// Every text the claim chain names — states, actions, duties, the unnamed objector, refusals and
/// issues — is in `Resources/Localization/funds-claims.json` in both languages with the same placeholders, the
/// file holds nothing else, and every placeholder of a raised refusal or issue is among its
/// arguments.
@Suite("The claim chain's texts")
struct ClaimCatalogTests {
    /// The package's root, four levels above this file.
    private static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private typealias Texts = [String: [String: String]]

    private func catalog() throws -> Texts {
        let file = Self.root.appendingPathComponent("Resources/Localization/funds-claims.json")
        return try JSONDecoder().decode(Texts.self, from: Data(contentsOf: file))
    }

    /// The `"claim.…"` literals of the claim sources.
    private var keysInSources: Set<String> {
        get throws {
            let folder = Self.root.appendingPathComponent("Sources/YunweiDomain/Funds")
            let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            let literal = /"(claim\.[a-z_]+\.[a-z0-9_]+)"/
            return try Set(
                files.filter { $0.pathExtension == "swift" }.flatMap { file in
                    try String(contentsOf: file, encoding: .utf8).matches(of: literal).map { String($0.1) }
                })
        }
    }

    private var namedKeys: Set<String> {
        var keys = Set(ClaimState.allCases.map { "claim_state.\($0.rawValue)" })
        keys.formUnion(ClaimAction.allCases.map { "claim_action.\($0.rawValue)" })
        keys.formUnion(ClaimDuty.allCases.map { "claim_duty.\($0.rawValue)" })
        keys.insert("claim_objector.public")
        return keys
    }

    /// Refusals and issues that between them raise every key of the sources.
    private var raised: [(key: String, args: [String: String])] {
        let broken = Claim(
            id: 1, payee: .person(name: "", idNumber: "1"), amount: .zero, category: "x", purpose: "",
            links: [.project(0)],
            invoices: [
                Invoice(number: "", issuer: "", date: F.today, amount: .zero, scanHash: "x"),
                F.invoice("A", yuan: 1, date: StatisticsPeriod.Day(year: 2030, month: 1, day: 1)),
                F.invoice("A", yuan: 1),
                Invoice(
                    number: String(repeating: "1", count: 33), issuer: String(repeating: "某", count: 101),
                    date: F.today, amount: Money(yuan: 1)),
            ])
        var long = F.claim()
        long.payee = .organisation(name: String(repeating: "某", count: 51))
        long.purpose = String(repeating: "某", count: 201)
        long.invoices = (0...100).map { F.invoice("N\($0)", yuan: 1) }
        var noInvoice = F.claim()
        noInvoice.invoices = []
        noInvoice.links = []
        let labour = Claim(payee: .user(id: 1, name: "赵大"), amount: Money(yuan: 1), category: "labour", purpose: "劳务")
        let issues =
            broken.submissionIssues(now: F.now) + long.submissionIssues(now: F.now)
            + noInvoice.submissionIssues(now: F.now) + labour.submissionIssues(now: F.now)
            + Claim.duplicateInvoices(F.claim(id: 2), against: [F.claim().invoices[0].key: 1])

        let notices = [nil, PublicNotice(start: F.now), PublicNotice(start: F.now.addingTimeInterval(-9 * F.day))]
        let notes = [nil, "理由", String(repeating: "字", count: 501)]
        var refusals: [ClaimRefusal] = []
        for state in ClaimState.allCases {
            for action in ClaimAction.allCases {
                for notice in notices {
                    for note in notes {
                        let context = ClaimTransitionContext(now: F.now, claim: broken, note: note, notice: notice)
                        if case .failure(let refusal) = ClaimMachine.transition(
                            from: state, action: action, context: context)
                        {
                            refusals.append(refusal)
                        }
                    }
                }
            }
        }
        let both = F.actor(1, (.villageClerk, F.village1a), (.financeGroup, F.village1a))
        let signed = ClaimPlace(
            villagePath: F.village1a, payeeUserID: 2, history: ClaimHistory().recording(.draft, by: 1))
        refusals += [
            ClaimPolicy.refusal(F.leader, .submit, on: signed, in: .draft),
            ClaimPolicy.refusal(F.financeMember, .review, on: signed, in: .submitted),
            ClaimPolicy.refusal(both, .review, on: signed, in: .submitted),
        ].compactMap { $0 }
        return refusals.map { ($0.key, $0.args) } + issues.map { ($0.key, $0.args) }
    }

    @Test("every key the claim chain names or raises is in the catalog, in both languages, and no other")
    func complete() throws {
        let catalog = try catalog()
        let sourceKeys = try keysInSources
        #expect(sourceKeys.count > 30)
        #expect(Set(catalog.keys) == namedKeys.union(sourceKeys))
        let placeholder = /\{([a-z_]+)\}/
        for (key, texts) in catalog {
            #expect(Set(texts.keys) == ["zh-Hans", "en"], "\(key)")
            #expect(texts.values.allSatisfy { !$0.isEmpty }, "\(key)")
            let names = texts.mapValues { Set($0.matches(of: placeholder).map { String($0.1) }) }
            #expect(names["zh-Hans"] == names["en"], "\(key)")
        }
    }

    @Test("these refusals and issues raise every key of the sources")
    func everyKeyRaised() throws {
        let sources = try keysInSources
        let raisedKeys = Set(raised.map(\.key))
        #expect(sources.subtracting(raisedKeys).isEmpty, "never raised: \(sources.subtracting(raisedKeys).sorted())")
        #expect(raisedKeys.subtracting(sources).isEmpty, "not in sources: \(raisedKeys.subtracting(sources).sorted())")
    }

    @Test("every placeholder of a raised text is among its arguments; arguments that are keys exist")
    func placeholders() throws {
        let catalog = try catalog()
        let placeholder = /\{([a-z_]+)\}/
        for (key, args) in raised {
            for text in catalog[key]?.values.map({ $0 }) ?? [] {
                for match in text.matches(of: placeholder) {
                    #expect(args[String(match.1)] != nil, "\(key) lacks {\(match.1)}")
                }
            }
            for value in args.values where value.hasPrefix("claim_") {
                #expect(catalog[value] != nil, "\(value)")
            }
        }
    }
}
