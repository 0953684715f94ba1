import Foundation
import Testing
import YunweiDomain

@Suite("R6 私分 — private division")
struct InspectionPrivateDivisionTests {
    private func person(_ name: String, _ userID: Int64? = nil) -> Facts.Payee {
        Facts.Payee(name: name, userID: userID, kind: .person)
    }

    @Test("a village head who approved a payment to himself is found, for the whole claim")
    func payeeApproved() {
        let facts = Town.cleanFacts().with { $0[claim: 102].payee = person("王建国", Town.villageHead) }
        let findings = InspectionRule.privateDivisions(facts, .standard)
        #expect(findings.map(\.message.key) == ["inspection.finding.R6.approver"])
        #expect(findings.map(\.amount) == [Town.yuan(12_000)])
        #expect(findings.map(\.evidence) == [[.claim(102)]])
        #expect(findings.first?.message.args["step"] == "approve")
    }

    @Test("a payee named exactly as an official of the village, or of its township, is found without a user id")
    func officialByName() {
        let facts = Town.cleanFacts().with {
            $0[claim: 101].payee = person(" 赵丽 ")
            $0[claim: 104].payee = person("李明")
        }
        let findings = InspectionRule.privateDivisions(facts, .standard)
        #expect(findings.map(\.message.key) == ["inspection.finding.R6.official", "inspection.finding.R6.official"])
        #expect(findings.map(\.evidence) == [[.claim(101)], [.claim(104)]])
        #expect(findings.map { $0.message.args["unit"] } == [Town.village.rawValue, Town.township.rawValue])
    }

    @Test("three payments of ¥2,000 to one person within 30 days — the last on the 30th day — are one split of ¥6,000")
    func splitPayments() {
        let facts = Town.cleanFacts().with {
            for (id, day) in [(201, "2026-03-01"), (202, "2026-03-15"), (203, "2026-03-31")] {
                $0.claims.append(Town.claim(Int64(id), Town.yuan(2_000), on: day, payee: person("张三")))
            }
        }
        let findings = InspectionRule.privateDivisions(facts, .standard)
        #expect(findings.count == 1)
        #expect(findings.first?.message.key == "inspection.finding.R6.split")
        #expect(findings.first?.amount == Town.yuan(6_000))
        #expect(findings.first?.evidence == [.claim(201), .claim(202), .claim(203)])
        #expect(findings.first?.message.args["count"] == "3")
    }

    @Test(
        "payments that stay under the threshold together, lie 31 days apart, go to a neighbour's official, or are monthly pay, are not private division"
    )
    func noPrivateDivision() {
        let facts = Town.cleanFacts().with {
            $0.claims += [
                Town.claim(201, Money(fen: 250_000), on: "2026-03-01", payee: person("张三")),
                Town.claim(202, Money(fen: 249_999), on: "2026-03-10", payee: person("张三")),
                Town.claim(203, Town.yuan(4_000), on: "2026-06-01", payee: person("李四")),
                Town.claim(204, Town.yuan(4_000), on: "2026-07-02", payee: person("李四")),
                Town.claim(205, Town.yuan(900), payee: person("陈刚", Town.neighbourHead)),
                Town.claim(206, Town.yuan(2_600), on: "2026-01-31", payee: person("刘保洁")).with {
                    $0.links = [.payroll(1)]
                },
                Town.claim(207, Town.yuan(2_600), on: "2026-02-28", payee: person("刘保洁")).with {
                    $0.links = [.payroll(2)]
                },
            ]
        }
        #expect(InspectionRule.privateDivisions(facts, .standard).isEmpty)
    }
}

@Suite("R8 转嫁 — shifted costs")
struct InspectionShiftingTests {
    @Test("a payment to a government body is shifted, for the whole claim")
    func governmentPayee() {
        let facts = Town.cleanFacts().with {
            $0[claim: 102].payee = Facts.Payee(name: "转斗乡农业服务中心", kind: .government)
        }
        let findings = InspectionRule.shiftedCosts(facts, .standard)
        #expect(findings.map(\.message.key) == ["inspection.finding.R8.government_payee"])
        #expect(findings.map(\.amount) == [Town.yuan(12_000)])
        #expect(findings.map(\.evidence) == [[.claim(102)]])
    }

    @Test("a purpose naming an office cost is shifted, and the word is quoted")
    func officeCost() {
        let facts = Town.cleanFacts().with { $0[claim: 101].purpose = "村委会2026年一季度办公费" }
        let findings = InspectionRule.shiftedCosts(facts, .standard)
        #expect(findings.map(\.message.key) == ["inspection.finding.R8.office_cost"])
        #expect(findings.first?.message.args["keyword"] == "办公费")
        #expect(findings.map(\.amount) == [Town.yuan(3_000)])
    }

    @Test("fuel for the garbage truck and a company payee are O&M costs, not shifted")
    func operatingCosts() {
        let facts = Town.cleanFacts().with {
            $0[claim: 101].purpose = "垃圾清运车辆加油"
            $0[claim: 102].purpose = "办公"
        }
        #expect(InspectionRule.shiftedCosts(facts, .standard).isEmpty)
    }
}

@Suite("The kind of an organisation payee, by its name")
struct InspectionPayeeKindTests {
    @Test(
        "a name naming 政府, or ending in 局 or 办事处, is a government body",
        arguments: ["城关镇人民政府", " 县财政局 ", "城关街道办事处", "县政府驻村工作队"])
    func government(_ name: String) {
        #expect(Facts.Payee.Kind(organisationNamed: name) == .government)
    }

    @Test(
        "any other organisation is a company, even one with 局 or 办 inside its name",
        arguments: ["成都市邮局快递有限公司", "红星建筑劳务有限公司", "办事处装修队", ""])
    func company(_ name: String) {
        #expect(Facts.Payee.Kind(organisationNamed: name) == .company)
    }
}
