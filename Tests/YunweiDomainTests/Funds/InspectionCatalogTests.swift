import Foundation
import Testing
import YunweiDomain

@Suite("The self-inspection texts, funds-inspection.json")
struct InspectionCatalogTests {
    /// Every text a clean and a faulty report use — the faulty one listing one finding a rule and
    /// counting the rest — with every finding's message and every rule's name.
    private static func textsInUse() -> [InspectionText] {
        var texts: [InspectionText] = []
        let short = InspectionSettings(reportDetailLimit: 1)
        for facts in [Town.cleanFacts(), Town.faultyFacts()] {
            let findings = InspectionRule.findings(in: facts, settings: short)
            let report = InspectionReport(
                facts: facts, findings: findings, settings: short, dated: Day(year: 2027, month: 1, day: 15))
            texts += [report.title, report.recipient, report.opening] + report.signature
            for section in report.sections { texts += [section.heading] + section.paragraphs.map(\.text) }
            texts += findings.map(\.message)
        }
        texts += InspectionRule.allCases.map { InspectionText($0.nameKey) }
        texts += ["point", "item"].map { InspectionText("inspection.report.marker.\($0)", ["n": "1", "numeral": "一"]) }
        return texts
    }

    @Test("every key in use has Chinese and English text, and the file holds no other key")
    func complete() throws {
        let catalog = try Town.catalog()
        let inUse = Set(Self.textsInUse().map(\.key))
        #expect(inUse.subtracting(catalog.texts.keys).isEmpty, "missing from the file")
        #expect(Set(catalog.texts.keys).subtracting(inUse).isEmpty, "kept but never used")
        for (key, texts) in catalog.texts {
            #expect(Set(texts.keys) == ["zh-Hans", "en"], "\(key)")
            #expect(texts.values.allSatisfy { !$0.trimmingCharacters(in: .whitespaces).isEmpty }, "\(key)")
        }
    }

    @Test("every placeholder of every text in use is filled, in both languages")
    func placeholdersFilled() throws {
        let catalog = try Town.catalog()
        for text in Self.textsInUse() {
            for language in InspectionCatalog.Language.allCases {
                let rendered = catalog.string(text, in: language)
                #expect(!rendered.contains("{") && !rendered.contains("}"), "\(text.key) \(language)")
            }
        }
    }

    @Test("the English report reads in English: no Chinese beyond the names of places and people")
    func englishReport() throws {
        let facts = Town.faultyFacts()
        let report = InspectionReport(
            facts: facts, findings: InspectionRule.findings(in: facts), dated: Day(year: 2027, month: 1, day: 15))
        let text = try Town.catalog().render(report, in: .en)
        #expect(text.hasPrefix("转斗乡: self-inspection report on the rural public-service O&M subsidy fund, 2026"))
        #expect(
            text.contains(
                "(1) Late disbursement: allocations not credited in full within 30 days of approval — 3, in 2 village(s), for ¥46,000.00."
            ))
        #expect(text.hasSuffix("转斗乡\n2027-01-15"))
        #expect(!text.contains("经自查"))
    }

    @Test("points are numbered in Chinese numerals as documents number them")
    func numerals() {
        let catalog = InspectionCatalog(texts: [
            "inspection.report.marker.point": ["zh-Hans": "（{numeral}）", "en": "({n}) "],
            "x": ["zh-Hans": "甲", "en": "x"],
        ])
        let report = InspectionReport(
            title: InspectionText("x"), recipient: InspectionText("x"), opening: InspectionText("x"),
            sections: [
                InspectionReport.Section(
                    heading: InspectionText("x"),
                    paragraphs: [1, 10, 11, 20, 99].map { InspectionReport.Paragraph(.point($0), InspectionText("x")) })
            ],
            signature: [],
            figures: InspectionReport(facts: Town.cleanFacts(), findings: [], dated: Day(year: 2027, month: 1, day: 1))
                .figures,
            tallies: [])
        let lines = catalog.render(report, in: .zhHans).split(separator: "\n").suffix(5)
        #expect(Array(lines) == ["（一）甲", "（十）甲", "（十一）甲", "（二十）甲", "（九十九）甲"])
    }
}
