import Foundation
import Testing

@testable import YunweiDomain

@Suite("The allocation catalog funds-allocation.json")
struct AllocationCatalogTests {
    typealias F = AllocationFixture
    typealias Catalog = [String: [String: String]]

    private static let catalogURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Resources/Localization/funds-allocation.json")

    /// Every issue the allocation code can raise, each provoked once.
    private func everyIssue() throws -> [FundIssue] {
        var issues: [FundIssue] = []
        func collect<T>(_ result: Result<T, AllocationRejection>) {
            if case .failure(let rejection) = result { issues += rejection.issues }
        }
        func collect<T>(_ result: Result<T, FundIssue>) {
            if case .failure(let issue) = result { issues.append(issue) }
        }
        collect(AllocationWeights.parse([.population: "x", .area: "2", .location: "0.1234567"]))
        collect(AllocationWeights.parse([.population: "0.5"]))
        collect(AllocationWeights.make(millionths: [.area: 1]))
        let weights = try F.weights([.area: 1_000_000])
        var wrong = F.village(3, year: 2023)
        wrong.performance = 200
        for request in [
            F.request(pool: Money(fen: -1), base: Money(fen: -1), weights: weights, villages: []),
            F.request(
                pool: Money(yuan: 20_000_000_000), weights: weights, villages: [F.village(1), F.village(1), wrong]),
            F.request(
                pool: Money(fen: 1), base: Money(fen: 1), weights: weights, villages: [F.village(1), F.village(2)]),
            F.request(
                pool: Money(fen: 1), weights: weights,
                villages: (0...AllocationRequest.maxVillages).map { F.village($0 % 1_000) }),
        ] {
            collect(AllocationByFactors.allocate(request))
        }
        let table = try F.allocate(pool: Money(fen: 10), weights: weights, villages: [F.village(1)])
        let draft = AllocationVersion.first(table)
        let otherYear = try AllocationByFactors.allocate(
            AllocationRequest(
                year: F.year + 1, pool: Money(fen: 10), base: .zero, weights: weights,
                villages: [F.village(1, year: F.year + 1)])
        ).get()
        collect(draft.publishing())
        collect(draft.revising(to: table, reason: "x"))
        collect(draft.editing(to: otherYear))
        let approved = try draft.approving().get()
        collect(approved.editing(to: table))
        collect(approved.revising(to: table, reason: " "))
        return issues
    }

    private func placeholders(_ text: String) -> Set<String> {
        var names: Set<String> = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.insert(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    @Test("every issue key has Chinese and English text whose placeholders are exactly its arguments")
    func everyKeyIsTranslated() throws {
        let catalog = try JSONDecoder().decode(Catalog.self, from: Data(contentsOf: Self.catalogURL))
        for issue in try everyIssue() {
            let texts = try #require(catalog[issue.key], "\(issue.key) is missing")
            for language in ["zh-Hans", "en"] {
                let text = try #require(texts[language], "\(issue.key) has no \(language)")
                #expect(placeholders(text) == Set(issue.args.keys), "\(issue.key) \(language)")
            }
            for value in issue.args.values where value.hasPrefix("allocation_") {
                #expect(catalog[value]?.count == 2, "\(value) is missing")
            }
        }
    }

    @Test("the catalog holds no key that nothing uses")
    func noUnusedKeys() throws {
        let catalog = try JSONDecoder().decode(Catalog.self, from: Data(contentsOf: Self.catalogURL))
        let names = AllocationFactor.allCases.map(\.catalogKey) + AllocationStatus.allCases.map(\.catalogKey)
        #expect(Set(catalog.keys) == Set(try everyIssue().map(\.key) + names))
    }
}
