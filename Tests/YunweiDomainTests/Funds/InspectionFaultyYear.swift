import Foundation
import YunweiDomain

extension Town {
    /// The clean year spoiled in every way the rules know, each message of each rule once (R1's
    /// three, R7's three …), with small claims paid to suppliers of their own so that no
    /// unintended split appears. The expected tallies are in `faultyTallies`.
    static func faultyFacts() -> Facts {
        func supplied(_ id: Int64, _ amount: Money, on day: String = "2026-05-10") -> Facts.Claim {
            claim(id, amount, on: day, payee: Facts.Payee(name: "供应商\(id)", kind: .company))
        }
        func person(_ name: String, _ userID: Int64? = nil) -> Facts.Payee {
            Facts.Payee(name: name, userID: userID, kind: .person)
        }
        return cleanFacts().with {
            $0.projects.append(Facts.Project(id: 2, village: village, accepted: false))
            $0.allocations += [
                Facts.Allocation(id: 2, village: village, approvedAt: at("2026-06-01"), amount: yuan(20_000)),
                Facts.Allocation(id: 3, village: neighbour, approvedAt: at("2026-03-01"), amount: yuan(50_000)),
                Facts.Allocation(id: 4, village: neighbour, approvedAt: at("2026-10-01"), amount: yuan(8_000)),
            ]
            $0.disbursements += [
                Facts.Disbursement(
                    id: 2, village: village, creditedAt: at("2026-07-01"), amount: yuan(2_000), channel: .cash),
                Facts.Disbursement(id: 3, village: village, creditedAt: at("2026-08-01"), amount: yuan(18_000)),
                Facts.Disbursement(id: 4, village: neighbour, creditedAt: at("2026-03-10"), amount: yuan(30_000)),
                Facts.Disbursement(id: 5, village: neighbour, creditedAt: at("2026-05-01"), amount: yuan(10_000)),
            ]
            $0.claims += [
                supplied(301, yuan(1_000)).with { $0.category = .other("招商引资") },
                supplied(302, yuan(1_200)).with { $0.links = [] },
                supplied(303, yuan(800)).with { $0.invoices = [] },
                supplied(304, yuan(2_000)).with { $0.links = [.project(2)] },
                supplied(305, yuan(1_500)).with { $0.invoices[0].amount = yuan(1_400) },
                supplied(306, yuan(700)).with { $0.invoices[0].number = "NO101" },
                claim(307, yuan(1_000), payee: person("王建国", villageHead)),
                claim(308, yuan(600), on: "2026-09-01", payee: person("李明")),
                claim(309, yuan(2_000), on: "2026-03-01", payee: person("张三")),
                claim(310, yuan(2_000), on: "2026-03-15", payee: person("张三")),
                claim(311, yuan(2_000), on: "2026-03-31", payee: person("张三")),
                supplied(312, yuan(400)).with { $0.paidThrough = .cash },
                supplied(313, yuan(500)).with { $0.payee = Facts.Payee(name: "转斗乡党政办", kind: .government) },
                supplied(314, yuan(450)).with { $0.purpose = "上级检查接待费" },
                supplied(315, yuan(5_500)).with { $0.noticed = false },
            ]
            $0.postings.append(
                Facts.Posting(id: 50, village: village, account: .cash, credit: yuan(300), postedAt: at("2026-06-20")))
            $0.balances[0].closing = yuan(50_000)
        }
    }

    /// How many findings each rule makes of `faultyFacts`, in how many villages, for how much.
    static let faultyTallies: [InspectionRule: (count: Int, villages: Int, amount: Money)] = [
        .lateDisbursement: (3, 2, yuan(46_000)), .withholding: (1, 1, yuan(18_000)), .diversion: (2, 1, yuan(2_200)),
        .falseListing: (3, 1, yuan(2_900)), .duplicateInvoice: (1, 1, yuan(700)), .privateDivision: (3, 1, yuan(7_600)),
        .cashOutsideAccount: (3, 1, yuan(2_700)), .shifting: (2, 1, yuan(950)), .idleBalance: (1, 1, yuan(50_000)),
        .missingNotice: (1, 1, yuan(5_500)),
    ]
}
