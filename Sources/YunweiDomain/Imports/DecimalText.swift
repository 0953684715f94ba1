/// A decimal number as a person or a spreadsheet writes it (`1,234.5`, `-3`, `12`), read exactly
/// into an integer count of hundredths, fen or units, never through `Double`: `0.1 + 0.2` must
/// not lose a fen.
enum DecimalText {
    enum Failure: Error, Equatable {
        /// Not digits, or thousands separators in the wrong places, or scientific notation.
        case notANumber
        /// More decimal places than the column allows.
        case tooManyDecimals
        /// Beyond what an `Int64` holds.
        case tooLarge
    }

    /// Reads `text` scaled by 10^`places`: with `places` 2, `"12.3"` is 1230.
    /// Commas are accepted as thousands separators only in groups of three.
    static func parse(_ text: String, places: Int) -> Result<Int64, Failure> {
        var body = Substring(text)
        let isNegative = body.hasPrefix("-")
        if isNegative { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let wholeText = parts.first else { return .failure(.notANumber) }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard let whole = groupedDigits(wholeText), fraction.allSatisfy(\.isASCIIDigit),
            !(whole.isEmpty && fraction.isEmpty), !(parts.count == 2 && fraction.isEmpty)
        else { return .failure(.notANumber) }
        let significant = fraction.reversed().drop { $0 == "0" }.count
        guard significant <= places else { return .failure(.tooManyDecimals) }

        var value: Int64 = 0
        let digits =
            whole + fraction.prefix(places) + String(repeating: "0", count: places - min(places, fraction.count))
        for digit in digits {
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = shifted.addingReportingOverflow(Int64(digit.wholeNumberValue!))
            if o1 || o2 { return .failure(.tooLarge) }
            value = next
        }
        return .success(isNegative ? -value : value)
    }

    /// `1,234,567` → `1234567`; nil when a comma group is not three digits.
    private static func groupedDigits(_ text: Substring) -> String? {
        let groups = text.split(separator: ",", omittingEmptySubsequences: false)
        guard groups.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }) else { return nil }
        if groups.count > 1 {
            guard (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else {
                return nil
            }
        }
        return groups.joined()
    }

    /// The inverse of `parse` for messages: 1230 with `places` 2 is `"12.30"`, 1200 is `"12"`.
    static func format(_ value: Int64, places: Int) -> String {
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let sign = value < 0 ? "-" : ""
        let magnitude = value.magnitude
        let whole = magnitude / UInt64(scale)
        let fraction = magnitude % UInt64(scale)
        guard fraction != 0 else { return sign + String(whole) }
        let digits = String(fraction)
        return sign + String(whole) + "." + String(repeating: "0", count: places - digits.count) + digits
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
