/// A 12-digit statistical division code 统计用区划代码, e.g. county `510121000000`,
/// township `510121100000`, village `510121100201`. Departments get 12-digit codes from the
/// county's own range.
public struct UnitCode: RawRepresentable, Hashable, Codable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String

    /// Accepts exactly twelve ASCII digits.
    public init?(rawValue: String) {
        guard rawValue.utf8.count == 12, rawValue.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            return nil
        }
        self.rawValue = rawValue
    }

    public init?(_ text: String) { self.init(rawValue: text) }

    public var description: String { rawValue }

    public static func < (lhs: UnitCode, rhs: UnitCode) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The six-digit county prefix that every unit of one county shares.
    public var countyPrefix: Substring { rawValue.prefix(6) }

    /// Whether a unit with this code may sit under `parent` in the statistical code tree:
    /// a township shares its county's first 6 digits, a village its township's first 9, a group
    /// its village's first 12 is impossible so groups only share the village's first 9.
    public func fits(under parent: UnitCode, as kind: UnitKind) -> Bool {
        switch kind {
        case .county: false
        case .township, .department: rawValue.prefix(6) == parent.rawValue.prefix(6)
        case .village, .group: rawValue.prefix(9) == parent.rawValue.prefix(9)
        }
    }
}
