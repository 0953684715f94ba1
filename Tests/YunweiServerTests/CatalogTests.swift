import Foundation
import Testing
import YunweiDomain

@testable import YunweiServer

@Suite("String catalog")
struct CatalogTests {
    let catalog: Catalog

    init() throws {
        catalog = try Catalog.load(from: repositoryRoot + "/Resources/Localization")
    }

    @Test("placeholders are filled in one pass: names translated, unknown ones kept, values never read again")
    func placeholders() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(
            """
            {"greeting": {"zh-Hans": "{who}，你好：{what}{missing}", "en": "Hello {who}: {what}{missing}"},
             "role.village_clerk": {"zh-Hans": "村报账员", "en": "village clerk"}}
            """.utf8
        ).write(to: folder.appendingPathComponent("test.json"))
        let catalog = try Catalog.load(from: folder.path)
        let args = ["who": "role.village_clerk", "what": "{who}"]
        #expect(catalog.text("greeting", in: .zhHans, args) == "村报账员，你好：{who}{missing}")
        #expect(catalog.text("greeting", in: .en, args) == "Hello village clerk: {who}{missing}")
        #expect(catalog.text("greeting", in: .en) == "Hello {who}: {what}{missing}")
        #expect(catalog.text("absent", in: .en, args) == "absent")
    }

    @Test("every text exists in both Simplified Chinese and English")
    func bothLanguages() {
        #expect(catalog.incompleteKeys.isEmpty, "keys missing a language: \(catalog.incompleteKeys)")
    }

    @Test("every key used by a template exists")
    func templateKeys() throws {
        let views = repositoryRoot + "/Resources/Views"
        let files =
            FileManager.default.enumerator(atPath: views)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".leaf") }
            ?? []
        #expect(!files.isEmpty)
        var missing: [String] = []
        for file in files {
            let text = try String(contentsOfFile: views + "/" + file, encoding: .utf8)
            // Whole literal keys only; computed ones (`"role." + x`) are checked by `domainNames`.
            for key in Self.matches(of: #"#t\("([^"]+)"\s*[,)]"#, in: text) where catalog.entries[key] == nil {
                missing.append("\(file): \(key)")
            }
        }
        #expect(missing.isEmpty, "template keys missing from the catalog: \(missing)")
    }

    /// Every literal that looks like a catalog key in the Swift sources — messages, notices,
    /// navigation, import issues — must be in the catalog.
    @Test("every key used by the code exists")
    func codeKeys() throws {
        let namespaces = [
            "error", "login", "password", "nav", "task", "unit", "factor", "user", "import", "audit", "api", "imports",
            "users",
            "units", "home", "account", "role", "unit_kind", "location", "factors", "csv",
        ]
        let sources = repositoryRoot + "/Sources"
        let files =
            FileManager.default.enumerator(atPath: sources)?.compactMap { $0 as? String }.filter {
                $0.hasSuffix(".swift")
            } ?? []
        var missing: Set<String> = []
        for file in files {
            let text = try String(contentsOfFile: sources + "/" + file, encoding: .utf8)
            for key in Self.matches(of: #""([a-z_]+(?:\.[a-z0-9_]+)+)""#, in: text) {
                guard let namespace = key.split(separator: ".").first, namespaces.contains(String(namespace)) else {
                    continue
                }
                guard !key.hasSuffix("."), !key.hasSuffix(".json"), !key.hasSuffix(".csv") else { continue }
                if catalog.entries[key] == nil { missing.insert("\(file): \(key)") }
            }
        }
        #expect(missing.isEmpty, "code keys missing from the catalog: \(missing.sorted())")
    }

    @Test("every role, unit kind and location class has a name")
    func domainNames() {
        for role in Role.allCases { #expect(catalog.entries["role.\(role.rawValue)"] != nil) }
        for kind in UnitKind.allCases { #expect(catalog.entries["unit_kind.\(kind.rawValue)"] != nil) }
        for location in LocationClass.allCases { #expect(catalog.entries["location.\(location.rawValue)"] != nil) }
        for status in [400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 500] {
            #expect(catalog.entries["error.title.\(status)"] != nil)
        }
    }

    static func matches(of pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}
