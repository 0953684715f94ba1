import Fluent
import Foundation
import Vapor
import YunweiDomain

/// `/claims/{id}/print`: the 报账单 on one A4 sheet, without navigation — the claim, its amount in
/// figures and in Chinese capitals (always Chinese: it is what the voucher must say), its
/// invoices, and the signature lines of the chain filled from the history with the name and day
/// of whoever last signed each step.
extension ClaimPages {
    struct Signature: Encodable {
        let duty: String
        let name: String?
        let day: String?
    }

    struct PrintPage: Encodable {
        let lang: String
        let id: Int
        let villageName: String
        let day: String
        let category: String
        let purpose: String
        let payee: String
        let payeeIDNumber: String?
        let amount: Int
        let amountCapital: String
        let invoices: [InvoiceLine]
        let invoiceTotal: Int
        let state: String
        let signatures: [Signature]
    }

    func print(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let loaded = try await ClaimDesk.view(try Self.id(request), by: actor, on: request.db)
        let record = loaded.record
        let names = try await Self.names(loaded.events.map(\.actorID), on: request.db)
        // The latest signature of each duty: after a return, the round that went through.
        var signed: [ClaimDuty: ClaimEventRecord] = [:]
        for event in loaded.events {
            guard let duty = event.duty.flatMap(ClaimDuty.init(rawValue:)),
                event.action != ClaimAction.return.rawValue, event.action != ClaimAction.withdraw.rawValue
            else { continue }
            signed[duty] = event
        }
        let signatures = ClaimDuty.allCases.map { duty in
            let event = signed[duty]
            return Signature(
                duty: "claim_pages.sign.\(duty.rawValue)", name: event.map { names[$0.actorID] ?? $0.actorName },
                day: event.map { StatisticsPeriod.day(of: $0.at).description })
        }
        let context = PrintPage(
            lang: request.language.rawValue, id: try record.requireID(), villageName: loaded.village.name,
            day: StatisticsPeriod.day(of: record.createdAt).description,
            category: SpendingCategory.catalogKey(of: record.category),
            purpose: record.purpose, payee: record.payeeName, payeeIDNumber: record.payeeIDNumber.map(Masked.idNumber),
            amount: Int(record.amountFen), amountCapital: "人民币" + Money(fen: record.amountFen).chineseCapital,
            invoices: Self.invoiceLines(loaded), invoiceTotal: Int(loaded.claim.invoiceSum?.fen ?? 0),
            state: "claim_state.\(record.state)", signatures: signatures)
        return try await request.view.render("funds/claim-print", context).encodeResponse(for: request)
    }
}
