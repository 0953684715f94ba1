import Foundation
import YunweiDomain

/// The places, people, moments and claims the claim tests share. County A has township 1 with
/// villages 1a and 1b and township 2 with village 2a; county B has one village. Everybody acts for
/// village 1a, or for township 1 above it.
enum ClaimFixtures {
    static let now = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01 08:00 in Shanghai
    static let day: TimeInterval = 24 * 60 * 60
    static let today = StatisticsPeriod.Day(year: 2026, month: 1, day: 1)

    static func path(_ codes: String...) -> UnitPath { UnitPath(codes: codes.map { UnitCode($0)! }) }

    static let countyA = path("510121000000")
    static let township1 = path("510121000000", "510121100000")
    static let village1a = path("510121000000", "510121100000", "510121100201")
    static let village1b = path("510121000000", "510121100000", "510121100202")
    static let township2 = path("510121000000", "510121101000")
    static let village2a = path("510121000000", "510121101000", "510121101201")
    static let countyB = path("510122000000")
    static let villageB = path("510122000000", "510122100000", "510122100201")

    /// Where a role of that kind sits: village roles at village 1a, township roles at township 1,
    /// county roles at county A, the department handler at a county A department.
    static func seat(of role: Role) -> UnitPath {
        switch role.heldAt {
        case .county: countyA
        case .township: township1
        case .department: path("510121000000", "510121900001")
        case .village, .group: village1a
        }
    }

    static func actor(_ id: Int64, _ grants: (Role, UnitPath)...) -> Actor {
        Actor(
            userID: id, username: "user\(id)",
            grants: grants.map { Grant(role: $0.0, unit: $0.1.codes.last!, path: $0.1) })
    }

    /// One person per step of village 1a's chain.
    static let clerk = actor(1, (.villageClerk, village1a))
    static let financeMember = actor(2, (.financeGroup, village1a))
    static let head = actor(3, (.villageHead, village1a))
    static let leader = actor(4, (.townshipLeader, township1))
    static let finance = actor(5, (.townshipFinance, township1))

    static func invoice(
        _ number: String = "00123456", issuer: String = "成都某某建筑有限公司", yuan: Int64,
        date: StatisticsPeriod.Day = StatisticsPeriod.Day(year: 2025, month: 12, day: 20)
    ) -> Invoice {
        Invoice(number: number, issuer: issuer, date: date, amount: Money(yuan: yuan))
    }

    /// A complete claim of `yuan` paying a road contractor, proved by one invoice and linked to
    /// a project.
    static func claim(yuan: Int64 = 1_000, id: Int64? = 41) -> Claim {
        Claim(
            id: id, payee: .organisation(name: "成都某某建筑有限公司"), amount: Money(yuan: yuan),
            category: SpendingCategory.infrastructure.rawValue, purpose: "修补二组机耕道坑洼",
            links: [.project(7)], invoices: [invoice(yuan: yuan)])
    }

    static let place = ClaimPlace(villagePath: village1a)
}
