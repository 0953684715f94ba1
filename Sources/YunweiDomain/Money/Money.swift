/// An amount of renminbi in whole fen 分 (DOMAIN.md §4.1). Never floating point: amounts are
/// added, split and compared exactly, and what a clerk types is what is stored.
///
/// It encodes as one bare integer of fen, so a database column or JSON field holds `123456`,
/// not a nested object.
public struct Money: Hashable, Comparable, Codable, Sendable {
    public var fen: Int64

    public init(fen: Int64) { self.fen = fen }

    public init(yuan: Int64) { self.fen = yuan * 100 }

    public static let zero = Money(fen: 0)

    public var isNegative: Bool { fen < 0 }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.fen < rhs.fen }

    public init(from decoder: any Decoder) throws {
        fen = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(fen)
    }
}

extension Money: AdditiveArithmetic {
    public static func + (lhs: Money, rhs: Money) -> Money { Money(fen: lhs.fen + rhs.fen) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(fen: lhs.fen - rhs.fen) }
    public static prefix func - (amount: Money) -> Money { Money(fen: -amount.fen) }
}

extension Money: CustomStringConvertible {
    public var description: String { formatted }

    /// `¥1,234.56`, or `-¥1,234.56` for a negative amount — how amounts appear on every page.
    public var formatted: String {
        let parts = YuanDigits(magnitude: fen.magnitude)
        var groups: [Substring] = []
        var rest = Substring(parts.yuan)
        while rest.count > 3 {
            groups.insert(rest.suffix(3), at: 0)
            rest = rest.dropLast(3)
        }
        groups.insert(rest, at: 0)
        return (isNegative ? "-¥" : "¥") + groups.joined(separator: ",") + "." + parts.cents
    }

    /// `1234.56` or `-1234.56`: no symbol, no grouping, always two decimals — the form bank files
    /// and CSV exports expect.
    public var yuanString: String {
        let parts = YuanDigits(magnitude: fen.magnitude)
        return (isNegative ? "-" : "") + parts.yuan + "." + parts.cents
    }
}

/// The decimal digits of an amount's magnitude, split at the decimal point. Working on the
/// magnitude keeps `Int64.min` printable.
struct YuanDigits {
    let yuan: String
    let cents: String

    init(magnitude: UInt64) {
        yuan = String(magnitude / 100)
        let fen = magnitude % 100
        cents = fen < 10 ? "0\(fen)" : "\(fen)"
    }
}
