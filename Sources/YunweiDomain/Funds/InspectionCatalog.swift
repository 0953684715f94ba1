import Foundation

/// The texts of `Resources/Localization/funds-inspection.json` — `{"key": {"zh-Hans": "…", "en": "…"}}` with
/// placeholders such as `{amount}` — and the plain-text rendering of findings and reports with
/// them. The server shows the same keys through its own catalog; this rendering is what a
/// download and the tests read.
public struct InspectionCatalog: Sendable {
    public enum Language: String, Sendable, CaseIterable {
        case zhHans = "zh-Hans"
        case en
    }

    public let texts: [String: [String: String]]

    public init(texts: [String: [String: String]]) { self.texts = texts }

    public init(json: Data) throws {
        self.init(texts: try JSONDecoder().decode([String: [String: String]].self, from: json))
    }

    /// The sentence in `language`, every `{name}` replaced by its argument. A key the catalog
    /// lacks shows as itself, so a gap is visible rather than blank.
    public func string(_ text: InspectionText, in language: Language) -> String {
        guard let template = texts[text.key]?[language.rawValue] else { return text.key }
        var result = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            result += text.args[name] ?? "{\(name)}"
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// The whole report as plain text, one paragraph a line.
    public func render(_ report: InspectionReport, in language: Language) -> String {
        var lines = [string(report.title, in: language), "", string(report.recipient, in: language)]
        lines.append(string(report.opening, in: language))
        for section in report.sections {
            lines.append(string(section.heading, in: language))
            for paragraph in section.paragraphs {
                let marker = paragraph.marker.map { string(markerText($0), in: language) } ?? ""
                lines.append(marker + string(paragraph.text, in: language))
            }
        }
        lines.append("")
        lines += report.signature.map { string($0, in: language) }
        return lines.joined(separator: "\n")
    }

    private func markerText(_ marker: InspectionReport.Marker) -> InspectionText {
        switch marker {
        case .point(let number):
            InspectionText("inspection.report.marker.point", ["n": String(number), "numeral": Self.numeral(number)])
        case .item(let number):
            InspectionText("inspection.report.marker.item", ["n": String(number), "numeral": Self.numeral(number)])
        }
    }

    /// 一 … 九十九: the Chinese numerals documents number their points with.
    static func numeral(_ number: Int) -> String {
        let digits = Array("零一二三四五六七八九")
        guard (1...99).contains(number) else { return String(number) }
        let tens = number / 10
        let units = number % 10
        let head = tens == 0 ? "" : (tens == 1 ? "" : String(digits[tens])) + "十"
        return head + (units == 0 ? "" : String(digits[units]))
    }
}
