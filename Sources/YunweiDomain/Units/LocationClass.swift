/// 地理区位 — a village's location class, with the allocation coefficient of DOMAIN.md §4.2.
public enum LocationClass: String, Codable, Sendable, CaseIterable {
    case plain
    case hill
    case mountain
    case remote

    /// The factor value used by allocation (plain 1.0, hill 1.2, mountain 1.5, remote 1.8), in tenths.
    public var coefficientTenths: Int {
        switch self {
        case .plain: 10
        case .hill: 12
        case .mountain: 15
        case .remote: 18
        }
    }
}
