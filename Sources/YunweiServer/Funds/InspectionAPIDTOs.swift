import Foundation
import Vapor
import YunweiDomain

/// The response body of `GET /api/v1/inspections`: plain values with snake_case keys. Money is
/// whole fen; the sentences are in the request's language.
enum InspectionAPIDTO {
    struct Inspection: Content {
        let unit: String
        let year: Int
        /// The Shanghai days inspected, `YYYY-MM-DD`.
        let from: String
        let to: String
        let findings: [Finding]
        /// One count a rule, R1…R10, including the rules that found nothing.
        let rules: [Rule]
        let figures: Figures

        init(_ run: YunweiServer.Inspection, catalog: Catalog, language: Language) {
            unit = run.unit.code
            year = run.year
            from = run.facts.period.first.description
            to = run.facts.period.last.description
            findings = run.findings.map { finding in
                Finding(
                    rule: finding.rule.rawValue, amount: finding.amount.fen, village: finding.village.rawValue,
                    allocations: finding.evidence.ids(.allocation),
                    disbursements: finding.evidence.ids(.disbursement), claims: finding.evidence.ids(.claim),
                    invoices: finding.evidence.ids(.invoice), postings: finding.evidence.ids(.posting),
                    key: finding.message.key, text: catalog.text(run.message(finding), in: language))
            }
            rules = run.report.tallies.map {
                Rule(
                    rule: $0.rule.rawValue, name: catalog.text($0.rule.nameKey, in: language), count: $0.count,
                    villages: $0.villages, amount: $0.amount.fen)
            }
            figures = Figures(run.report.figures)
        }
    }

    struct Finding: Content {
        let rule: String
        let amount: Int64
        let village: String
        let allocations: [Int64]
        let disbursements: [Int64]
        let claims: [Int64]
        let invoices: [Int64]
        let postings: [Int64]
        /// The catalog key of the sentence.
        let key: String
        let text: String
    }

    struct Rule: Content {
        let rule: String
        let name: String
        let count: Int
        let villages: Int
        let amount: Int64
    }

    struct Figures: Content {
        let villages: Int
        let projects: Int
        let claims: Int
        let spent: Int64
        let labour: Int64
        let claimsNeedingNotice: Int
        let noticed: Int
        let allocated: Int64
        let disbursed: Int64
        let disbursements: Int
        let villagesCredited: Int
        let disbursedByBank: Int64
        let postings: Int
        let balance: Int64

        enum CodingKeys: String, CodingKey {
            case villages, projects, claims, spent, labour, noticed, allocated, disbursed, disbursements, postings
            case balance
            case claimsNeedingNotice = "claims_needing_notice"
            case villagesCredited = "villages_credited"
            case disbursedByBank = "disbursed_by_bank"
        }

        init(_ figures: InspectionReport.Figures) {
            villages = figures.villages
            projects = figures.projects
            claims = figures.claims
            spent = figures.spent.fen
            labour = figures.labour.fen
            claimsNeedingNotice = figures.claimsNeedingNotice
            noticed = figures.noticed
            allocated = figures.allocated.fen
            disbursed = figures.disbursed.fen
            disbursements = figures.disbursements
            villagesCredited = figures.villagesCredited
            disbursedByBank = figures.disbursedByBank.fen
            postings = figures.postings
            balance = figures.balance.fen
        }
    }
}

extension [InspectionEvidence] {
    /// The ids of the evidence of one kind, in order.
    func ids(_ kind: InspectionEvidence.Kind) -> [Int64] { filter { $0.kind == kind }.map(\.id) }
}
