import Fluent
import Foundation
import Vapor
import YunweiDomain

/// `/inspections`: 自查 as pages (DOMAIN.md §4.4) — choosing a scope and a year, the findings
/// grouped by rule with their evidence linked, and the self-inspection report in the seed's four
/// parts, printable on A4 and downloadable as one standalone HTML file. Every sentence is the
/// domain's `InspectionText`, shown through the server catalog in the request's language.
struct InspectionPages: RouteCollection {
    struct ScopeOption: Encodable {
        let code: String
        let name: String
    }

    struct IndexPage: Encodable {
        let page: Page
        let scopes: [ScopeOption]
        let years: [Int]
        let year: Int
    }

    struct Link: Encodable {
        let label: String
        let href: String
    }

    struct Row: Encodable {
        let village: String
        let amount: Int
        let text: String
        let links: [Link]
    }

    struct RuleGroup: Encodable {
        let rule: String
        let name: String
        let count: Int
        let villages: Int
        let amount: Int
        let rows: [Row]
    }

    struct ShowPage: Encodable {
        let page: Page
        let code: String
        let scope: String
        let year: Int
        let from: String
        let to: String
        let total: Int
        let groups: [RuleGroup]
    }

    struct Paragraph: Encodable {
        let marker: String
        let text: String
        let item: Bool
    }

    struct Section: Encodable {
        let heading: String
        let paragraphs: [Paragraph]
    }

    struct ReportPage: Encodable {
        let lang: String
        let title: String
        let recipient: String
        let opening: String
        let sections: [Section]
        let signature: [String]
        let back: String
        let download: Bool
    }

    func boot(routes: any RoutesBuilder) throws {
        let inspections = routes.grouped("inspections")
        inspections.get(use: index)
        inspections.get(":code", ":year", use: show)
        inspections.get(":code", ":year", "report", use: report)
        inspections.get(":code", ":year", "report.html", use: download)
    }

    /// The choice of scope and year; with both in the query, the inspection itself.
    func index(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let roots = Policy.scope(actor, .inspectFunds)
        guard !roots.isEmpty else { throw YunweiError.forbidden }
        if let code: String = request.query["unit"], let year: String = request.query["year"] {
            let (unit, year) = try await Inspection.scope(code: code, year: year, for: actor, on: request.db)
            return request.redirect(to: "/inspections/\(unit.code)/\(year)")
        }
        let units = try await AdminUnit.query(on: request.db)
            .filter(\.$kind ~~ [UnitKind.county.rawValue, UnitKind.township.rawValue]).sort(\.$path).all()
        let scopes = units.filter { unit in roots.contains { unit.unitPath.isWithin($0) || unit.unitPath == $0 } }
            .map { ScopeOption(code: $0.code, name: $0.name) }
        let thisYear = StatisticsPeriod.day(of: Date()).year
        let page = IndexPage(
            page: await Page.make(for: request, title: "inspection_pages.title"), scopes: scopes,
            years: Array((Inspection.firstYear...thisYear).reversed()), year: thisYear)
        return try await request.view.render("funds/inspections", page).encodeResponse(for: request)
    }

    /// The findings, rule by rule, with every rule's count, and links to their evidence.
    func show(request: Request) async throws -> View {
        let run = try await inspection(request)
        let catalog = request.application.catalog
        let language = request.language
        let names = run.villageNames
        let claimOfInvoice = run.claimOfInvoice
        let byRule = Dictionary(grouping: run.findings, by: \.rule)
        let groups = run.report.tallies.map { tally in
            RuleGroup(
                rule: tally.rule.rawValue, name: catalog.text(tally.rule.nameKey, in: language), count: tally.count,
                villages: tally.villages, amount: Int(tally.amount.fen),
                rows: (byRule[tally.rule] ?? []).map { finding in
                    Row(
                        village: names[finding.village] ?? finding.village.rawValue, amount: Int(finding.amount.fen),
                        text: catalog.text(run.message(finding), in: language),
                        links: finding.evidence.map {
                            link($0, village: finding.village, claimOf: claimOfInvoice, request)
                        })
                })
        }
        let page = ShowPage(
            page: await Page.make(for: request, title: "inspection_pages.title"), code: run.unit.code,
            scope: run.unit.name, year: run.year, from: run.facts.period.first.description,
            to: run.facts.period.last.description, total: run.findings.count, groups: groups)
        return try await request.view.render("funds/inspection", page)
    }

    /// The report, printable.
    func report(request: Request) async throws -> View {
        let run = try await inspection(request)
        return try await request.view.render("funds/inspection-report", reportPage(run, request, download: false))
    }

    /// The report as one HTML file to keep.
    func download(request: Request) async throws -> Response {
        let run = try await inspection(request)
        let response = try await request.view.render(
            "funds/inspection-report", reportPage(run, request, download: true)
        ).encodeResponse(for: request)
        response.headers.replaceOrAdd(
            name: .contentDisposition, value: "attachment; filename=\"inspection-\(run.unit.code)-\(run.year).html\"")
        return response
    }

    private func inspection(_ request: Request) async throws -> Inspection {
        let actor = try request.requireActor()
        let (unit, year) = try await Inspection.scope(
            code: request.parameters.get("code"), year: request.parameters.get("year"), for: actor, on: request.db)
        return try await Inspection.run(unit: unit, year: year, on: request.db, alongside: request.dbOnAnotherLoop)
    }

    private func reportPage(_ run: Inspection, _ request: Request, download: Bool) -> ReportPage {
        let catalog = request.application.catalog
        let language = request.language
        let report = run.report
        return ReportPage(
            lang: language.rawValue, title: catalog.text(report.title, in: language),
            recipient: catalog.text(report.recipient, in: language),
            opening: catalog.text(report.opening, in: language),
            sections: report.sections.map { section in
                Section(
                    heading: catalog.text(section.heading, in: language),
                    paragraphs: section.paragraphs.map { paragraph in
                        let item: Bool = if case .item = paragraph.marker { true } else { false }
                        return Paragraph(
                            marker: catalog.text(paragraph.marker, in: language),
                            text: catalog.text(paragraph.text, in: language), item: item)
                    })
            },
            signature: report.signature.map { catalog.text($0, in: language) },
            back: "/inspections/\(run.unit.code)/\(run.year)", download: download)
    }

    /// Where a reader sees a piece of evidence: a claim (an invoice's, for an invoice) or the
    /// village's statement for ledger records, the allocation's page for an allocation.
    private func link(
        _ evidence: InspectionEvidence, village: UnitCode, claimOf: [Int64: Int64], _ request: Request
    ) -> Link {
        let label = request.t("inspection_pages.evidence.\(evidence.kind.rawValue)", ["id": String(evidence.id)])
        switch evidence.kind {
        case .claim: return Link(label: label, href: "/claims/\(evidence.id)")
        case .invoice:
            let href = claimOf[evidence.id].map { "/claims/\($0)" } ?? "/ledger/villages/\(village.rawValue)"
            return Link(label: label, href: href)
        case .allocation: return Link(label: label, href: "/allocations/\(evidence.id)")
        case .disbursement, .posting: return Link(label: label, href: "/ledger/villages/\(village.rawValue)")
        }
    }
}
