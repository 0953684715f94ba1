import Foundation

extension Money {
    /// Reads an amount in yuan as people write it: `1234.56`, `1,234.5`, `¥12`, `￥12`, `-3.2`,
    /// `-¥1,234.56`. Digit by digit, never through a floating-point number, so `0.1 + 0.2` troubles
    /// nobody. Returns nil for anything else: more than two decimals (a fraction of a fen is
    /// not money), misplaced thousands separators, stray characters, or an amount too large.
    public init?(yuan text: String) {
        var rest = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        var negative = false
        var sawSign = false
        var sawSymbol = false
        while let first = rest.first, "-+¥￥".contains(first) {
            if first == "¥" || first == "￥" {
                if sawSymbol { return nil }
                sawSymbol = true
            } else {
                if sawSign { return nil }
                sawSign = true
                negative = first == "-"
            }
            rest = rest.dropFirst()
        }
        let pieces = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard pieces.count <= 2, let whole = Self.groupedDigits(pieces[0]) else { return nil }
        let decimals = pieces.count == 2 ? pieces[1] : ""
        guard pieces.count == 1 || (1...2).contains(decimals.count),
            decimals.allSatisfy(\.isASCIIDigit)
        else { return nil }

        var fen: Int64 = 0
        for digit in whole + decimals.padding(toLength: 2) {
            let (shifted, overflowA) = fen.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = shifted.addingReportingOverflow(Int64(digit.asciiValue! - 48))
            if overflowA || overflowB { return nil }
            fen = next
        }
        self.init(fen: negative ? -fen : fen)
    }

    /// The integer digits with any thousands separators removed, or nil unless the separators,
    /// if any, sit every three digits (`1,234,567`, not `12,34`).
    private static func groupedDigits(_ text: Substring) -> String? {
        let groups = text.split(separator: ",", omittingEmptySubsequences: false)
        guard let head = groups.first, (1...(groups.count == 1 ? Int.max : 3)).contains(head.count),
            groups.dropFirst().allSatisfy({ $0.count == 3 }),
            groups.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) })
        else { return nil }
        return groups.joined()
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isWholeNumber }
}

extension Substring {
    /// Right-pads with zeros: the decimals `5` of `1.5` are fifty fen.
    fileprivate func padding(toLength length: Int) -> String {
        String(self) + String(repeating: "0", count: Swift.max(0, length - count))
    }
}
