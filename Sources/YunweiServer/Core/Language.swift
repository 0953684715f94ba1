import Vapor

/// The two languages of the interface. Simplified Chinese is the default; English is complete.
public enum Language: String, Sendable, CaseIterable, Codable {
    case zhHans = "zh-Hans"
    case en

    /// The language a request asked for: the `lang` cookie set by the switch, then
    /// Accept-Language, then Chinese.
    static func preferred(by request: Request) -> Language {
        if let cookie = request.cookies[Language.cookieName]?.string, let chosen = Language(rawValue: cookie) {
            return chosen
        }
        for entry in request.headers[.acceptLanguage].flatMap({ $0.split(separator: ",") }) {
            let tag =
                entry.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            if tag.hasPrefix("zh") { return .zhHans }
            if tag.hasPrefix("en") { return .en }
        }
        return .zhHans
    }

    static let cookieName = "lang"
}

extension Request {
    private struct LanguageKey: StorageKey { typealias Value = Language }

    /// The language this request is answered in, decided once.
    var language: Language {
        if let known = storage[LanguageKey.self] { return known }
        let chosen = Language.preferred(by: self)
        storage[LanguageKey.self] = chosen
        return chosen
    }

    /// A catalog text in this request's language.
    func t(_ key: String, _ args: [String: String] = [:]) -> String {
        application.catalog.text(key, in: language, args)
    }
}
