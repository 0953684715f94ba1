import Foundation
import Testing
import YunweiDomain

@Suite("The self-inspection report 自查报告")
struct InspectionReportTests {
    private let dated = Day(year: 2027, month: 1, day: 15)

    @Test("a clean year has no finding under any rule")
    func cleanYear() {
        #expect(InspectionRule.findings(in: Town.cleanFacts()).isEmpty)
    }

    @Test("with no findings, every rule says 经自查，不存在…的情况 and the figures are computed from the facts")
    func noFindings() throws {
        let facts = Town.cleanFacts()
        let report = InspectionReport(facts: facts, findings: InspectionRule.findings(in: facts), dated: dated)
        let text = try Town.catalog().render(report, in: .zhHans)
        print(text)
        let lines = text.split(separator: "\n").map(String.init)

        #expect(lines.first == "转斗乡关于2026年度农村公共服务运行维护补助资金的自查报告")
        let headings = ["一、基本情况", "二、主要做法", "三、自查发现", "四、下一步工作打算"]
        let positions = headings.compactMap { lines.firstIndex(of: $0) }
        #expect(positions.count == 4 && positions == positions.sorted())

        let findings = lines[positions[2]..<positions[3]].dropFirst()
        #expect(findings.count == InspectionRule.allCases.count)
        for (line, rule) in zip(findings, InspectionRule.allCases) {
            #expect(line.hasPrefix("（\(["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"][rule.number - 1])）"))
            #expect(line.contains("：经自查，不存在"), "\(rule)")
            #expect(line.hasSuffix("的情况。"), "\(rule)")
        }
        #expect(lines.contains("（一）滞拨：经自查，不存在补助资金未在批准后30日内拨付到村的情况。"))
        #expect(lines.contains("（十）公示：经自查，不存在单笔¥5,000.00及以上的报账未经公示的情况。"))
        #expect(
            lines.contains(
                "转斗乡共有2个村（社区）纳入运行维护补助资金管理，农村公共服务运行维护项目共1项，报账4笔。项目投资总额（分配资金）¥100,000.00，已拨付到村¥100,000.00，项目投资使用额¥81,500.00，拨付结余¥18,500.00。"
            ))
        #expect(lines.contains { $0.hasPrefix("经自查，转斗乡不存在滞拨、截留") })
        #expect(lines.contains { $0.contains("共向1个村（社区）拨付资金¥100,000.00，计1笔") })
        #expect(lines.contains { $0.contains("共报账4笔，金额¥81,500.00") })
        #expect(!text.contains("整改"))
        #expect(lines.suffix(2) == ["转斗乡", "2027年1月15日"])
    }

    @Test(
        "with findings, every rule that found something gives its count, villages and amount, then the findings one by one"
    )
    func withFindings() throws {
        let facts = Town.faultyFacts()
        let findings = InspectionRule.findings(in: facts)
        let report = InspectionReport(facts: facts, findings: findings, dated: dated)
        for tally in report.tallies {
            let expected = try #require(Town.faultyTallies[tally.rule])
            #expect(tally.count == expected.count, "\(tally.rule)")
            #expect(tally.villages == expected.villages, "\(tally.rule)")
            #expect(tally.amount == expected.amount, "\(tally.rule)")
        }

        let text = try Town.catalog().render(report, in: .zhHans)
        print(text)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains("经自查，发现10个方面的问题共20项，具体情况见第三部分。"))
        #expect(lines.contains("（一）滞拨：经自查，有3笔分配资金未在批准后30日内足额拨付到村，涉及2个村，金额¥46,000.00。"))
        #expect(lines.contains("（二）截留：经自查，有1个村实际到账资金少于应拨数额，少拨金额¥18,000.00。"))
        #expect(lines.contains("（十）公示：经自查，有1笔应公示的报账未经公示，涉及1个村，金额¥5,500.00。"))
        #expect(lines.contains("1.青山村：截至2026-12-31应拨付到村¥58,000.00，实际到账¥40,000.00，少拨¥18,000.00。"))
        #expect(lines.contains("1.红星村：第315号报账¥5,500.00应当公示（单笔¥5,000.00及以上须公示），但未经公示即报账。"))
        #expect(!text.contains("经自查，不存在"))
        #expect(lines.contains { $0.hasPrefix("（一）立即整改自查发现的问题。对发现的10个方面20项问题") })
        #expect(lines.contains { $0.hasPrefix("（二）及时足额拨付。") })
        #expect(lines.contains { $0.hasPrefix("（十一）补充公示。对1笔应公示未公示的报账补充公示") })
        #expect(lines.contains { $0.hasPrefix("（十四）进一步加强经验总结。") })
    }

    @Test("a rule that found more than the report lists counts the rest")
    func detailLimit() throws {
        let facts = Town.faultyFacts()
        let settings = InspectionSettings(reportDetailLimit: 1)
        let report = InspectionReport(
            facts: facts, findings: InspectionRule.findings(in: facts, settings: settings), settings: settings,
            dated: dated)
        let lines = try Town.catalog().render(report, in: .zhHans).split(separator: "\n")
        #expect(lines.filter { $0 == "另有2项，详见自查明细。" }.count == 4)
        #expect(lines.filter { $0 == "另有1项，详见自查明细。" }.count == 2)
    }

    @Test("the figures are the facts' own sums")
    func figures() {
        let facts = Town.faultyFacts()
        let figures = InspectionReport(facts: facts, findings: [], dated: dated).figures
        #expect(figures.projects == 2)
        #expect(figures.claims == 19)
        #expect(figures.allocated == Town.yuan(178_000))
        #expect(figures.disbursed == Town.yuan(160_000))
        #expect(figures.disbursements == 5)
        #expect(figures.villagesCredited == 2)
        #expect(figures.disbursedByBank == Town.yuan(158_000))
        #expect(figures.claimsNeedingNotice == 4)
        #expect(figures.noticed == 3)
        #expect(figures.balance == figures.disbursed - figures.spent)
    }
}
