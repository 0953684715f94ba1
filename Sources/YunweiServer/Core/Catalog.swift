import Foundation
import Vapor

/// The string catalog: every user-visible text, in Simplified Chinese and English.
/// Loaded from `Localization/*.json` in the resources folder; each file maps a key to
/// `{"zh-Hans": "…", "en": "…"}`, and placeholders are named, like `{line}`.
public struct Catalog: Sendable {
    public private(set) var entries: [String: [Language: String]] = [:]

    public init(entries: [String: [Language: String]] = [:]) {
        self.entries = entries
    }

    /// Reads every `*.json` file in `directory`. A key defined twice is an error, so two
    /// capabilities can never silently overwrite each other's text.
    public static func load(from directory: String) throws -> Catalog {
        var catalog = Catalog()
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".json") }.sorted()
        for file in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(file))
            let raw = try JSONDecoder().decode([String: [String: String]].self, from: data)
            for (key, texts) in raw {
                guard catalog.entries[key] == nil else {
                    throw CatalogError(reason: "key \(key) is defined twice (again in \(file))")
                }
                var byLanguage: [Language: String] = [:]
                for (tag, text) in texts {
                    guard let language = Language(rawValue: tag) else {
                        throw CatalogError(reason: "key \(key) in \(file) has unknown language \(tag)")
                    }
                    byLanguage[language] = text
                }
                catalog.entries[key] = byLanguage
            }
        }
        return catalog
    }

    /// The text for `key` in `language` with its placeholders filled. An argument that is itself
    /// a catalog key (a role or unit kind name, say) is shown translated. A missing key shows
    /// itself, so a gap is visible on the page and caught by the catalog test.
    public func text(_ key: String, in language: Language, _ args: [String: String] = [:]) -> String {
        guard let text = entries[key]?[language] ?? entries[key]?[.zhHans] else { return key }
        guard !args.isEmpty else { return text }
        // One pass over the text: a value put in is never read again for placeholders.
        var result = ""
        var rest = text[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            if let value = args[String(rest[rest.index(after: open)..<close])] {
                result += entries[value]?[language] ?? value
            } else {
                result += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// Keys that lack a text in some language.
    public var incompleteKeys: [String] {
        entries.filter { _, texts in Language.allCases.contains { (texts[$0] ?? "").isEmpty } }.keys.sorted()
    }
}

struct CatalogError: Error, CustomStringConvertible {
    let reason: String
    var description: String { "String catalog: \(reason)" }
}

extension Application {
    private struct CatalogKey: StorageKey { typealias Value = Catalog }

    public var catalog: Catalog {
        get { storage[CatalogKey.self] ?? Catalog() }
        set { storage[CatalogKey.self] = newValue }
    }
}
