/// The kinds of administrative unit. The tree is county 县/区 → township 乡/镇/街道 → village 村/社区
/// (→ villager group 村民小组); departments 职能部门 hang under a county or township.
public enum UnitKind: String, Codable, Sendable, CaseIterable, Comparable {
    case county
    case township
    case village
    case group
    case department

    /// The kinds a unit of this kind may have as its parent.
    public var allowedParents: Set<UnitKind> {
        switch self {
        case .county: []
        case .township: [.county]
        case .village: [.township]
        case .group: [.village]
        case .department: [.county, .township]
        }
    }

    private var order: Int {
        switch self {
        case .county: 0
        case .township: 1
        case .department: 2
        case .village: 3
        case .group: 4
        }
    }

    public static func < (lhs: UnitKind, rhs: UnitKind) -> Bool { lhs.order < rhs.order }
}
