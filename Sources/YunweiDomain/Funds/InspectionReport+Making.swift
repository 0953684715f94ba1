extension InspectionReport {
    /// The report of `facts` and the findings the rules made of them, dated `date`.
    public init(
        facts: InspectionFacts, findings: [InspectionFinding], settings: InspectionSettings = .standard,
        dated date: StatisticsPeriod.Day
    ) {
        let figures = Figures(facts, settings: settings)
        let byRule = Dictionary(grouping: findings, by: \.rule)
        let tallies = InspectionRule.allCases.map { rule in
            let found = byRule[rule] ?? []
            return Tally(
                rule: rule, count: found.count, villages: Set(found.map(\.village)).count,
                amount: found.reduce(.zero) { $0 + $1.amount })
        }
        let scope = ["scope": facts.scopeName]
        let maker = ReportMaker(facts: facts, settings: settings, figures: figures, tallies: tallies)
        self.init(
            title: InspectionText("inspection.report.title", scope.merging(["year": String(facts.year)]) { $1 }),
            recipient: InspectionText("inspection.report.recipient"),
            opening: InspectionText(
                "inspection.report.opening",
                scope.merging(["first": facts.period.first.description, "last": facts.period.last.description]) {
                    $1
                }),
            sections: [
                Section(heading: InspectionText("inspection.report.section.basic"), paragraphs: maker.basics),
                Section(heading: InspectionText("inspection.report.section.practice"), paragraphs: maker.practice),
                Section(
                    heading: InspectionText("inspection.report.section.findings"),
                    paragraphs: maker.findings(byRule)),
                Section(heading: InspectionText("inspection.report.section.plans"), paragraphs: maker.plans),
            ],
            signature: [
                InspectionText("inspection.report.signature.unit", scope),
                InspectionText(
                    "inspection.report.signature.date",
                    [
                        "year": String(date.year), "month": String(date.month), "day": String(date.day),
                        "date": date.description,
                    ]),
            ],
            figures: figures, tallies: tallies)
    }
}

/// Writes the paragraphs of each section from the figures and the tallies.
private struct ReportMaker {
    let facts: InspectionFacts
    let settings: InspectionSettings
    let figures: InspectionReport.Figures
    let tallies: [InspectionReport.Tally]

    private var found: [InspectionReport.Tally] { tallies.filter { $0.count > 0 } }

    /// Figures as catalog arguments: amounts as `¥1,234.56`, counts as digits.
    private var args: [String: String] {
        [
            "scope": facts.scopeName, "villages": String(figures.villages), "projects": String(figures.projects),
            "claims": String(figures.claims), "spent": figures.spent.formatted, "labour": figures.labour.formatted,
            "large": String(figures.claimsNeedingNotice), "noticed": String(figures.noticed),
            "allocated": figures.allocated.formatted, "disbursed": figures.disbursed.formatted,
            "disbursements": String(figures.disbursements), "bank": figures.disbursedByBank.formatted,
            "credited_villages": String(figures.villagesCredited),
            "postings": String(figures.postings), "balance": figures.balance.formatted,
            "threshold": settings.noticeThreshold.formatted, "days": String(settings.disbursementDays),
            "percent": String(settings.idlePercent), "rules": String(found.count),
            "count": String(found.reduce(0) { $0 + $1.count }),
        ]
    }

    /// 一、基本情况: the figures, then whether anything was found.
    var basics: [InspectionReport.Paragraph] {
        [
            .init(nil, InspectionText("inspection.report.basic.overview", args)),
            .init(
                nil,
                InspectionText(found.isEmpty ? "inspection.report.basic.clean" : "inspection.report.basic.found", args)),
        ]
    }

    /// 二、主要做法: the seed's three practices, each with what the figures show of it.
    var practice: [InspectionReport.Paragraph] {
        ["ledger", "claims", "review"].enumerated().map { index, name in
            .init(.point(index + 1), InspectionText("inspection.report.practice.\(name)", args))
        }
    }

    /// 三、自查发现: one point a rule, with the rule's count and amount or the sentence that it
    /// found nothing, and under it the first findings one by one.
    func findings(_ byRule: [InspectionRule: [InspectionFinding]]) -> [InspectionReport.Paragraph] {
        var paragraphs: [InspectionReport.Paragraph] = []
        let names = Dictionary(facts.villages.map { ($0.code, $0.name) }) { first, _ in first }
        for tally in tallies {
            var ruleArgs = args
            ruleArgs["count"] = String(tally.count)
            ruleArgs["villages"] = String(tally.villages)
            ruleArgs["amount"] = tally.amount.formatted
            let outcome = tally.count > 0 ? "found" : "none"
            paragraphs.append(
                .init(
                    .point(tally.rule.number),
                    InspectionText("inspection.report.findings.\(tally.rule.rawValue).\(outcome)", ruleArgs)))
            let listed = (byRule[tally.rule] ?? []).prefix(settings.reportDetailLimit)
            for (index, finding) in listed.enumerated() {
                var message = finding.message
                if let name = names[finding.village] { message.args["village"] = name }
                paragraphs.append(.init(.item(index + 1), message))
            }
            if tally.count > listed.count {
                paragraphs.append(
                    .init(
                        nil,
                        InspectionText("inspection.report.findings.more", ["count": String(tally.count - listed.count)])
                    ))
            }
        }
        return paragraphs
    }

    /// 四、下一步工作打算: when something was found, putting it right first, rule by rule; then
    /// the seed's three standing intentions.
    var plans: [InspectionReport.Paragraph] {
        var texts: [InspectionText] = []
        if !found.isEmpty {
            texts.append(InspectionText("inspection.report.plans.rectify", args))
            for tally in found {
                var remedyArgs = args
                remedyArgs["count"] = String(tally.count)
                remedyArgs["amount"] = tally.amount.formatted
                texts.append(InspectionText("inspection.report.plans.remedy.\(tally.rule.rawValue)", remedyArgs))
            }
        }
        for name in ["supervision", "management", "experience"] {
            texts.append(InspectionText("inspection.report.plans.\(name)", args))
        }
        return texts.enumerated().map { .init(.point($0.offset + 1), $0.element) }
    }
}
