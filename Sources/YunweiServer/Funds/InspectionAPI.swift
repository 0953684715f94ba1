import Fluent
import Foundation
import Vapor
import YunweiDomain

/// 自查 under `/api/v1` (DOMAIN.md §4.4): `GET /inspections?unit=CODE&year=YYYY` runs the ten
/// rules over a township's or county's fund year and answers the findings, each with its
/// evidence ids and its sentence in the request's language, and the report's figures. The rules
/// are the domain's (`InspectionRule`); the facts are `InspectionFactsLoader`'s.
struct InspectionAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(LoginRequired()).get("inspections", use: inspect)
    }

    func inspect(request: Request) async throws -> InspectionAPIDTO.Inspection {
        let actor = try request.requireActor()
        let (unit, year) = try await Inspection.scope(
            code: request.query["unit"], year: request.query["year"], for: actor, on: request.db)
        let run = try await Inspection.run(unit: unit, year: year, on: request.db, alongside: request.dbOnAnotherLoop)
        return InspectionAPIDTO.Inspection(run, catalog: request.application.catalog, language: request.language)
    }
}

/// One self-inspection as the pages and the API show it: the scope, the facts, the findings and
/// the report made of them.
struct Inspection: Sendable {
    let unit: AdminUnit
    let year: Int
    let facts: InspectionFacts
    let findings: [InspectionFinding]
    let report: InspectionReport
    /// Village names by code, for sentences and tables (built once: a county has thousands).
    let villageNames: [UnitCode: String]

    init(unit: AdminUnit, year: Int, facts: InspectionFacts, findings: [InspectionFinding], report: InspectionReport) {
        self.unit = unit
        self.year = year
        self.facts = facts
        self.findings = findings
        self.report = report
        villageNames = Dictionary(facts.villages.map { ($0.code, $0.name) }) { first, _ in first }
    }

    /// The first fund year the pages offer.
    static let firstYear = 2020

    /// The unit and year asked for, checked: 422 for a missing or bad year or unit code, or a unit
    /// that is not a township or county; 404 for an unknown unit or one the actor may not inspect.
    static func scope(code: String?, year: String?, for actor: Actor, on db: any Database) async throws
        -> (AdminUnit, Int)
    {
        var issues: [CaseIssue] = []
        let code = code?.trimmingCharacters(in: .whitespaces) ?? ""
        if code.isEmpty {
            issues.append(CaseIssue(field: "unit", key: "inspection_pages.error.unit_required"))
        } else if UnitCode(code) == nil {
            issues.append(CaseIssue(field: "unit", key: "inspection_pages.error.unit_code"))
        }
        let thisYear = StatisticsPeriod.day(of: Date()).year
        let parsed = year.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        if parsed == nil || !(firstYear...thisYear).contains(parsed!) {
            issues.append(
                CaseIssue(
                    field: "year", key: "inspection_pages.error.year",
                    args: ["first": String(firstYear), "last": String(thisYear)]))
        }
        guard issues.isEmpty, let year = parsed else { throw CaseDesk.InputError(issues: issues) }
        guard let unit = try await AdminUnit.query(on: db).filter(\.$code == code).first(),
            Policy.can(actor, .inspectFunds, at: unit.unitPath)
        else { throw YunweiError.notFound }
        guard unit.unitKind == .township || unit.unitKind == .county else {
            throw CaseDesk.InputError(issues: [CaseIssue(field: "unit", key: "inspection_pages.error.unit_kind")])
        }
        return (unit, year)
    }

    /// Loads the facts and runs every rule; the report is dated today. The facts' largest read
    /// goes through `alongside` when given, at the same time as the others.
    static func run(
        unit: AdminUnit, year: Int, now: Date = Date(), on db: any Database, alongside: (any Database)? = nil
    ) async throws -> Inspection {
        let facts = try await InspectionFactsLoader.facts(
            unit: unit, year: year, now: now, on: db, alongside: alongside)
        let findings = InspectionRule.findings(in: facts)
        let report = InspectionReport(facts: facts, findings: findings, dated: StatisticsPeriod.day(of: now))
        return Inspection(unit: unit, year: year, facts: facts, findings: findings, report: report)
    }

    /// The claim each invoice belongs to, for the invoice's evidence link (read it once).
    var claimOfInvoice: [Int64: Int64] {
        var claims: [Int64: Int64] = [:]
        for claim in facts.claims { for invoice in claim.invoices { claims[invoice.id] = claim.id } }
        return claims
    }

    /// A finding's sentence with the village's name in place of its code.
    func message(_ finding: InspectionFinding) -> InspectionText {
        var message = finding.message
        if let name = villageNames[finding.village] { message.args["village"] = name }
        return message
    }
}

extension Catalog {
    /// An inspection sentence in `language`.
    func text(_ text: InspectionText, in language: Language) -> String {
        self.text(text.key, in: language, text.args)
    }

    /// A report paragraph's number, `（一）` or `1.`, in `language`.
    func text(_ marker: InspectionReport.Marker?, in language: Language) -> String {
        guard let marker else { return "" }
        switch marker {
        case .point(let number):
            return text(
                "inspection.report.marker.point", in: language, ["n": String(number), "numeral": numeral(number)])
        case .item(let number):
            return text(
                "inspection.report.marker.item", in: language, ["n": String(number), "numeral": numeral(number)])
        }
    }

    /// 一 … 九十九.
    private func numeral(_ number: Int) -> String {
        let digits = Array("零一二三四五六七八九")
        guard (1...99).contains(number) else { return String(number) }
        let (tens, units) = (number / 10, number % 10)
        let head = tens == 0 ? "" : (tens == 1 ? "" : String(digits[tens])) + "十"
        return head + (units == 0 ? "" : String(digits[units]))
    }
}
