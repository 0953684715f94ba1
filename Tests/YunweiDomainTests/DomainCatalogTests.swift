import Foundation
import Testing
import YunweiDomain

/// Every text the domain names — roles, unit kinds, location classes, password rules, reasons an
/// audit trail breaks — is in `domain.json` in both languages, and the file holds nothing else.
/// (The audit page's sentences around a reason, `audit.intact` and `audit.broken`, live with the
/// page in `core.json`.)
@Suite("The domain's texts")
struct DomainCatalogTests {
    static let catalogURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Resources/Localization/domain.json")

    static var keysTheDomainUses: Set<String> {
        var keys = Set(Role.allCases.map { "role.\($0.rawValue)" })
        keys.formUnion(UnitKind.allCases.map { "unit_kind.\($0.rawValue)" })
        keys.formUnion(LocationClass.allCases.map { "location.\($0.rawValue)" })
        keys.formUnion(PasswordRule.violations(of: "", username: ""))
        keys.formUnion(AuditVerification.Reason.allCases.map { "audit.reason.\($0)" })
        return keys
    }

    @Test("every key the domain uses has Chinese and English text, and no other key is kept")
    func complete() throws {
        let catalog = try JSONDecoder().decode(
            [String: [String: String]].self, from: Data(contentsOf: Self.catalogURL))
        #expect(Set(catalog.keys) == Self.keysTheDomainUses)
        for (key, texts) in catalog {
            #expect(Set(texts.keys) == ["zh-Hans", "en"], "\(key)")
            #expect(texts.values.allSatisfy { !$0.isEmpty }, "\(key)")
        }
    }

    @Test("the password length in the text is the rule's")
    func passwordLength() throws {
        let catalog = try JSONDecoder().decode(
            [String: [String: String]].self, from: Data(contentsOf: Self.catalogURL))
        for text in catalog["password.too_short"]?.values.map({ $0 }) ?? [] {
            #expect(text.contains(" \(PasswordRule.minLength) "))
        }
    }

    @Test("every spending category, and the unknown one, is named in both languages in funds-ledger.json")
    func spendingCategories() throws {
        let url = Self.catalogURL.deletingLastPathComponent().appendingPathComponent("funds-ledger.json")
        let catalog = try JSONDecoder().decode([String: [String: String]].self, from: Data(contentsOf: url))
        let keys = SpendingCategory.allCases.map(\.catalogKey) + [SpendingCategory.catalogKey(of: "bonus")]
        #expect(keys.last == "spending_category.unknown")
        for key in keys {
            #expect(catalog[key]?.keys.sorted() == ["en", "zh-Hans"], "\(key)")
        }
    }
}
