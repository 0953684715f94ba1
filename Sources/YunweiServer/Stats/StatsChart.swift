import Foundation

/// The dashboard's two charts as small inline SVG drawn on the server — no JavaScript, readable
/// without colour (every bar carries its number), and described for screen readers by a title.
/// Every text that goes into the markup is escaped here.
enum StatsChart {
    struct MonthBar {
        let label: String
        let collected: Int
        let resolved: Int
    }

    struct RateBar {
        let label: String
        /// Per-mille; nil draws no bar and writes `—`.
        let perMille: Int?
    }

    static let collectedColour = "#0b57a4"
    static let resolvedColour = "#1b6e35"

    /// Collected and resolved side by side for each month, with a legend.
    static func months(_ bars: [MonthBar], title: String, collected: String, resolved: String) -> String {
        let height = 180
        // Room for the legend and for the numbers, written upwards above the bars.
        let top = 64
        let base = top + height
        let slot = 48
        let width = max(320, 40 + bars.count * slot)
        let peak = max(1, bars.map { max($0.collected, $0.resolved) }.max() ?? 1)
        var svg = open(width: width, height: base + 24, title: title)
        svg += legend(x: 40, y: 14, [(collectedColour, collected), (resolvedColour, resolved)])
        svg += "<line x1=\"36\" y1=\"\(base)\" x2=\"\(width - 4)\" y2=\"\(base)\" stroke=\"#6b7480\"/>"
        for (index, bar) in bars.enumerated() {
            let x = 40 + index * slot
            for (offset, value, colour) in [(0, bar.collected, collectedColour), (20, bar.resolved, resolvedColour)] {
                let barHeight = value == 0 ? 0 : max(1, value * height / peak)
                svg +=
                    "<rect x=\"\(x + offset)\" y=\"\(base - barHeight)\" width=\"19\" height=\"\(barHeight)\" fill=\"\(colour)\"/>"
                let (labelX, labelY) = (x + offset + 13, base - barHeight - 3)
                svg +=
                    "<text x=\"\(labelX)\" y=\"\(labelY)\" font-size=\"10\" transform=\"rotate(-90 \(labelX) \(labelY))\">\(value)</text>"
            }
            // Months are `2026-03`; under a bar the month alone says enough.
            let short = bar.label.count == 7 ? String(bar.label.suffix(2)) : bar.label
            svg +=
                "<text x=\"\(x + 20)\" y=\"\(base + 16)\" font-size=\"11\" text-anchor=\"middle\">\(escape(short))</text>"
        }
        return svg + "</svg>"
    }

    /// One horizontal bar per unit, 0–100%, with the name on the left and the rate on the right.
    static func rates(_ bars: [RateBar], title: String) -> String {
        let row = 22
        let labelWidth = 150
        let barWidth = 300
        let width = labelWidth + barWidth + 60
        var svg = open(width: width, height: 8 + bars.count * row, title: title)
        for (index, bar) in bars.enumerated() {
            let y = 4 + index * row
            svg +=
                "<text x=\"\(labelWidth - 6)\" y=\"\(y + 14)\" font-size=\"12\" text-anchor=\"end\">\(escape(clip(bar.label)))</text>"
            svg +=
                "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(barWidth)\" height=\"14\" fill=\"#eef2f6\"/>"
            if let perMille = bar.perMille {
                svg +=
                    "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(perMille * barWidth / 1000)\" height=\"14\" fill=\"\(resolvedColour)\"/>"
            }
            let rate = bar.perMille.map { "\($0 / 10).\($0 % 10)%" } ?? "—"
            svg += "<text x=\"\(labelWidth + barWidth + 6)\" y=\"\(y + 14)\" font-size=\"12\">\(rate)</text>"
        }
        return svg + "</svg>"
    }

    private static func open(width: Int, height: Int, title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\""
            + " style=\"max-width:\(width)px\" font-family=\"sans-serif\" fill=\"#1a1a1a\"><title>\(escape(title))</title>"
    }

    private static func legend(x: Int, y: Int, _ entries: [(String, String)]) -> String {
        var svg = ""
        var left = x
        for (colour, label) in entries {
            svg += "<rect x=\"\(left)\" y=\"\(y - 9)\" width=\"10\" height=\"10\" fill=\"\(colour)\"/>"
            svg += "<text x=\"\(left + 14)\" y=\"\(y)\" font-size=\"12\">\(escape(label))</text>"
            left += 24 + label.count * 12
        }
        return svg
    }

    /// Long unit names end in `…` so the bars keep their room.
    private static func clip(_ text: String) -> String {
        text.count > 12 ? String(text.prefix(11)) + "…" : text
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
