/// The materialized path of a unit in the tree: its ancestors' codes and its own, joined and
/// closed by `/`, e.g. `/510121000000/510121100000/510121100201/`. A unit's subtree is exactly
/// the units whose path starts with its path, so scoping a query is one prefix match.
public struct UnitPath: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public init(codes: [UnitCode]) {
        self.rawValue = "/" + codes.map(\.rawValue).joined(separator: "/") + "/"
    }

    public var description: String { rawValue }

    public var codes: [UnitCode] {
        rawValue.split(separator: "/").compactMap { UnitCode(String($0)) }
    }

    public func appending(_ code: UnitCode) -> UnitPath {
        UnitPath(rawValue: rawValue + code.rawValue + "/")
    }

    /// Whether this path is `other` or lies below it.
    public func isWithin(_ other: UnitPath) -> Bool { rawValue.hasPrefix(other.rawValue) }
}
