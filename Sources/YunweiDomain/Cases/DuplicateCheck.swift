/// 重复上报 — whether a new report may be one the county already has, so that the reporter and
/// the dispatcher see the earlier case before a second crew is sent. It only suggests: the
/// dispatcher decides, and rejects a true duplicate with a link to its original.
public enum DuplicateCheck {
    /// How near two reports must be to count as one place, by default (configurable per county).
    public static let defaultRadiusMeters = 200.0

    /// What the check compares of a case.
    public struct Sighting: Sendable, Hashable {
        /// The subcategory's code, e.g. `FAC-ROAD`.
        public var category: String
        public var village: UnitCode
        public var state: CaseState
        public var point: GeoPoint?
        /// The facility 设施 the report names, if any.
        public var facilityID: Int64?

        public init(category: String, village: UnitCode, state: CaseState, point: GeoPoint?, facilityID: Int64?) {
            self.category = category
            self.village = village
            self.state = state
            self.point = point
            self.facilityID = facilityID
        }
    }

    /// Whether `candidate` may duplicate `existing`: same subcategory, same village, the existing
    /// case still open (a resolved one included — a second report may say the fix did not hold),
    /// and either both positions within `radiusMeters` of each other or the same facility. A
    /// report without a position is never near anything: distance alone decides nothing then.
    public static func isPossibleDuplicate(
        _ candidate: Sighting, of existing: Sighting, radiusMeters: Double = defaultRadiusMeters
    ) -> Bool {
        guard candidate.category == existing.category, candidate.village == existing.village,
            existing.state.isOpen
        else { return false }
        if let facility = candidate.facilityID, facility == existing.facilityID { return true }
        guard let here = candidate.point, let there = existing.point else { return false }
        return Geo.distanceMeters(here, there) <= radiusMeters
    }
}
