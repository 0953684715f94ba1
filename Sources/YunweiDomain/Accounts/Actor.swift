/// A role held at one unit. `path` is the unit's materialized path, carried along so that checking
/// a grant is a prefix match with no lookup.
public struct Grant: Sendable, Hashable, Codable {
    public var role: Role
    public var unit: UnitCode
    public var path: UnitPath

    public init(role: Role, unit: UnitCode, path: UnitPath) {
        self.role = role
        self.unit = unit
        self.path = path
    }

    /// Whether the path really is the unit's path, closed by `/`. A stray path such as `""` or `/`
    /// would be a prefix of every unit, so the policy ignores incoherent grants: it fails closed.
    public var isCoherent: Bool {
        let codes = path.codes
        return codes.last == unit && UnitPath(codes: codes) == path
    }

    /// Whether this grant reaches the unit at `target`: its own unit or anything below it.
    public func reaches(_ target: UnitPath) -> Bool { isCoherent && target.isWithin(path) }
}

/// A signed-in person and every role they hold. One person may hold several roles at several
/// units; what they may do is the union of what each grant allows.
public struct Actor: Sendable {
    public var userID: Int64
    public var username: String
    public var grants: [Grant]

    public init(userID: Int64, username: String, grants: [Grant]) {
        self.userID = userID
        self.username = username
        self.grants = grants
    }

    /// The roles this person holds anywhere.
    public var roles: Set<Role> { Set(grants.map(\.role)) }

    /// Whether this person holds `role` at any unit.
    public func holds(_ role: Role) -> Bool { grants.contains { $0.role == role } }

    /// Whether this person holds `role` at a unit that reaches `path`.
    public func holds(_ role: Role, reaching path: UnitPath) -> Bool {
        grants.contains { $0.role == role && $0.reaches(path) }
    }
}
