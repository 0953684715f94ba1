import Foundation

/// A point on the earth in WGS-84 degrees, as a phone's GPS or a browser reports it. Positions
/// only ever meet positions, so the slight inexactness of floating point is harmless here.
public struct GeoPoint: Sendable, Hashable, Codable {
    public var latitude: Double
    public var longitude: Double

    /// Nil unless the latitude lies in −90…90 and the longitude in −180…180.
    public init?(latitude: Double, longitude: Double) {
        guard (-90.0...90.0).contains(latitude), (-180.0...180.0).contains(longitude) else { return nil }
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// Distances on the earth's surface.
public enum Geo {
    /// The earth's mean radius (IUGG), in metres.
    public static let earthRadiusMeters = 6_371_008.8

    /// The great-circle distance between `a` and `b` in metres, by the haversine formula: exact
    /// enough for "within 200 m" anywhere, and stable for points a few metres apart.
    public static func distanceMeters(_ a: GeoPoint, _ b: GeoPoint) -> Double {
        let radians = Double.pi / 180
        let phi1 = a.latitude * radians
        let phi2 = b.latitude * radians
        let dPhi = (b.latitude - a.latitude) * radians
        let dLambda = (b.longitude - a.longitude) * radians
        let h = sin(dPhi / 2) * sin(dPhi / 2) + cos(phi1) * cos(phi2) * sin(dLambda / 2) * sin(dLambda / 2)
        return 2 * earthRadiusMeters * asin(min(1, h.squareRoot()))
    }
}
