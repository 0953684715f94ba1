import Testing
import YunweiDomain

@Suite("Who sees which allocation version")
struct AllocationPolicyTests {
    static func path(_ codes: String...) -> UnitPath { UnitPath(codes: codes.map { UnitCode($0)! }) }
    static let county = path("510121000000")
    static let township = path("510121000000", "510121100000")
    static let village = path("510121000000", "510121100000", "510121100201")
    static let otherCounty = path("510122000000")

    static func actor(_ role: Role, at unit: UnitPath) -> Actor {
        Actor(userID: 1, username: "someone", grants: [Grant(role: role, unit: unit.codes.last!, path: unit)])
    }

    @Test("the county's admin and auditor see every version; township and village staff only the published one")
    func versions() {
        for status in AllocationStatus.allCases {
            for (role, unit) in [(Role.countyAdmin, Self.county), (.countyAuditor, Self.county)] {
                #expect(AllocationPolicy.mayView(Self.actor(role, at: unit), county: Self.county, status: status))
            }
            for (role, unit) in [(Role.townshipFinance, Self.township), (.villageClerk, Self.village)] {
                #expect(
                    AllocationPolicy.mayView(Self.actor(role, at: unit), county: Self.county, status: status)
                        == (status == .published), "\(role) \(status)")
            }
            // No funds to see: a grid worker; another county's admin.
            #expect(
                !AllocationPolicy.mayView(
                    Self.actor(.gridWorker, at: Self.village), county: Self.county, status: status))
            #expect(
                !AllocationPolicy.mayView(
                    Self.actor(.countyAdmin, at: Self.otherCounty), county: Self.county, status: status))
        }
    }
}
