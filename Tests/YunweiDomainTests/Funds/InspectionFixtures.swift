import Foundation
import YunweiDomain

typealias Facts = InspectionFacts
typealias Day = StatisticsPeriod.Day

/// A small township for the inspection tests: 红星村 and 青山村 under 转斗乡, the fund year 2026,
/// and a clean year of money — allocated, credited on time, spent by claims that keep every rule —
/// that each test spoils in exactly one way.
enum Town {
    static let township = UnitCode("510121100000")!
    static let village = UnitCode("510121100201")!
    static let neighbour = UnitCode("510121100202")!
    static let year2026 = StatisticsPeriod(
        first: Day(year: 2026, month: 1, day: 1), last: Day(year: 2026, month: 12, day: 31))!

    /// Users: the clerk drafts, the finance group reviews, the village head approves, the
    /// township leader audits, township finance posts.
    static let clerk: Int64 = 10
    static let financeGroup: Int64 = 11
    static let villageHead: Int64 = 12
    static let townshipLeader: Int64 = 13
    static let townshipFinance: Int64 = 14
    static let neighbourHead: Int64 = 15

    static let officials = [
        Facts.Official(userID: villageHead, name: "王建国", unit: village),
        Facts.Official(userID: clerk, name: "赵丽", unit: village),
        Facts.Official(userID: townshipLeader, name: "李明", unit: township),
        Facts.Official(userID: neighbourHead, name: "陈刚", unit: neighbour),
    ]

    /// The Shanghai instant of `text` (`2026-03-01`) at `hour` o'clock.
    static func at(_ text: String, hour: Int = 10) -> Date {
        Day(text)!.start.addingTimeInterval(TimeInterval(hour * 3_600))
    }

    static func yuan(_ amount: Int64) -> Money { Money(yuan: amount) }

    /// A claim that keeps every rule: a supplier paid through the bank for maintenance of a
    /// facility, with one invoice for the whole amount and every step done by its own person.
    static func claim(
        _ id: Int64, _ amount: Money, on day: String = "2026-05-10", village: UnitCode = village,
        payee: Facts.Payee = Facts.Payee(name: "成都宏达建材有限公司", kind: .company)
    ) -> Facts.Claim {
        Facts.Claim(
            id: id, village: village, amount: amount, category: .permitted(.infrastructure),
            purpose: "村道坑槽修补", payee: payee, links: [.facility(7)],
            invoices: [
                Facts.Invoice(id: id * 10, number: "No\(id)", issuer: "成都宏达建材有限公司", date: Day(day)!, amount: amount)
            ],
            approvals: [
                Facts.Approval(step: .draft, userID: clerk), Facts.Approval(step: .review, userID: financeGroup),
                Facts.Approval(step: .approve, userID: villageHead),
                Facts.Approval(step: .audit, userID: townshipLeader),
                Facts.Approval(step: .post, userID: townshipFinance),
            ],
            postedAt: at(day), paidThrough: .bank, noticeRequired: amount >= yuan(5_000), noticed: amount >= yuan(5_000)
        )
    }

    /// A clean year: ¥100,000 allocated to 红星村 on 10 January, credited on 20 January, ¥81,500
    /// spent in four claims, ¥18,500 (18.5%) left at year end.
    static func cleanFacts() -> Facts {
        Facts(
            scope: [township], scopeName: "转斗乡", year: 2026, period: year2026,
            villages: [
                Facts.Village(code: village, township: township, name: "红星村"),
                Facts.Village(code: neighbour, township: township, name: "青山村"),
            ],
            projects: [Facts.Project(id: 1, village: village, accepted: true)],
            officials: officials,
            allocations: [
                Facts.Allocation(id: 1, village: village, approvedAt: at("2026-01-10"), amount: yuan(100_000))
            ],
            disbursements: [
                Facts.Disbursement(id: 1, village: village, creditedAt: at("2026-01-20"), amount: yuan(100_000))
            ],
            claims: [
                claim(101, yuan(3_000), on: "2026-02-10"),
                claim(102, yuan(12_000), on: "2026-04-15"),
                claim(103, yuan(60_000), on: "2026-08-01").with { $0.links = [.project(1)] },
                claim(104, yuan(6_500), on: "2026-12-05"),
            ],
            postings: [
                Facts.Posting(
                    id: 1, village: village, account: .bank, debit: yuan(100_000), postedAt: at("2026-01-20")),
                Facts.Posting(
                    id: 2, village: village, account: .bank, credit: yuan(3_000), postedAt: at("2026-02-10"),
                    claimID: 101),
            ],
            balances: [
                Facts.VillageBalance(village: village, opening: .zero, receipts: yuan(100_000), closing: yuan(18_500))
            ])
    }

    static let catalogURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Resources/Localization/funds-inspection.json")

    static func catalog() throws -> InspectionCatalog { try InspectionCatalog(json: Data(contentsOf: catalogURL)) }
}

protocol Tweakable {}

extension Tweakable {
    /// A copy with one change: `claim(1, …).with { $0.noticed = false }`.
    func with(_ change: (inout Self) -> Void) -> Self {
        var copy = self
        change(&copy)
        return copy
    }
}

extension Facts: Tweakable {}
extension Facts.Claim: Tweakable {}

extension InspectionFacts {
    /// The claim with `id`, to spoil in place.
    subscript(claim id: Int64) -> Claim {
        get { claims.first { $0.id == id }! }
        set { claims[claims.firstIndex { $0.id == id }!] = newValue }
    }
}
