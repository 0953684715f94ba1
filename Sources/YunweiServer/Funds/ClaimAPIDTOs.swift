import Foundation
import Vapor
import YunweiDomain

/// The request and response bodies of the claim API: plain values with snake_case keys. Money is
/// whole fen; days are Shanghai days `YYYY-MM-DD`; instants are ISO 8601 UTC.
enum ClaimAPIDTO {
    /// `POST /api/v1/claims`.
    struct DraftInput: Content {
        var category: String?
        var amount: Int64?
        var payee: PayeeInput?
        var purpose: String?
        var invoices: [InvoiceInput]?
        var links: [ClaimLinkDTO]?
        var village: String?
    }

    /// A payee: a name, or `{"name", "user"?, "id_number"?}`.
    struct PayeeInput: Codable, Sendable {
        var name: String
        var user: Int64?
        var idNumber: String?

        enum CodingKeys: String, CodingKey {
            case name, user
            case idNumber = "id_number"
        }

        init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                name = text
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
            user = try container.decodeIfPresent(Int64.self, forKey: .user)
            idNumber = try container.decodeIfPresent(String.self, forKey: .idNumber)
        }

        var payee: ClaimPayee {
            if let user { return .user(id: user, name: name) }
            if let idNumber { return .person(name: name, idNumber: idNumber) }
            return .organisation(name: name)
        }
    }

    struct InvoiceInput: Codable, Sendable {
        var number: String?
        var issuer: String?
        var date: String?
        var amount: Int64?
    }

    /// `POST /api/v1/claims/{id}/actions`.
    struct ActionInput: Content {
        var action: String?
        var note: String?
    }

    struct Payee: Content {
        let kind: String
        let name: String
        let user: Int64?
    }

    struct InvoiceOutput: Content {
        let number: String
        let issuer: String
        let date: String
        let amount: Int64
    }

    struct ObjectionOutput: Content {
        let at: Date
        let by: String
        let text: String
    }

    struct Notice: Content {
        let start: Date
        let end: Date
        let objections: [ObjectionOutput]
    }

    struct Event: Content {
        let at: Date
        let actor: Int
        let actorName: String
        let action: String
        let from: String?
        let to: String
        let note: String?
        let duty: String?

        enum CodingKeys: String, CodingKey {
            case at, actor, action, from, to, note, duty
            case actorName = "actor_name"
        }
    }

    /// A claim as its viewer sees it, with the steps they may take now.
    struct ClaimOutput: Content {
        let id: Int
        let village: String
        let villageName: String
        let state: String
        let amount: Int64
        let category: String
        let payee: Payee
        let purpose: String
        let links: [ClaimLinkDTO]
        let invoices: [InvoiceOutput]
        let notice: Notice?
        let history: [Event]
        let actions: [String]
        let postedEntry: Int?
        let createdAt: Date
        let updatedAt: Date

        enum CodingKeys: String, CodingKey {
            case id, village, state, amount, category, payee, purpose, links, invoices, notice, history, actions
            case villageName = "village_name"
            case postedEntry = "posted_entry"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }

        init(_ loaded: ClaimDesk.Loaded, for actor: Actor, now: Date = Date()) throws {
            let record = loaded.record
            id = try record.requireID()
            village = loaded.village.code
            villageName = loaded.village.name
            state = record.state
            amount = record.amountFen
            category = record.category
            payee = Payee(kind: record.payeeKind, name: record.payeeName, user: record.payeeUserID)
            purpose = record.purpose
            links = record.claimLinks.map(ClaimLinkDTO.init)
            invoices = loaded.invoices.map {
                InvoiceOutput(number: $0.number, issuer: $0.issuer, date: $0.date, amount: $0.amountFen)
            }
            notice = loaded.notice.map { notice in
                Notice(
                    start: notice.start, end: notice.end,
                    objections: notice.objections.map { objection in
                        let by: String =
                            switch objection.by {
                            case .user(_, let name): name
                            case .named(let name): name
                            case .public: "public"
                            }
                        return ObjectionOutput(at: objection.at, by: by, text: objection.text)
                    })
            }
            history = loaded.events.map {
                Event(
                    at: $0.at, actor: $0.actorID, actorName: $0.actorName, action: $0.action, from: $0.fromState,
                    to: $0.toState, note: $0.note, duty: $0.duty)
            }
            actions = ClaimPolicy.actions(
                for: actor, on: loaded.place, in: record.claimState, notice: loaded.notice, now: now
            ).map(\.rawValue)
            postedEntry = record.postedEntryID
            createdAt = record.createdAt
            updatedAt = record.updatedAt
        }
    }
}

extension ClaimAPIDTO.DraftInput {
    /// The claim the body describes, for a draft (`POST`) or a revision (`PUT`); what is missing
    /// or malformed is refused (422), each beside its field.
    func claim() throws -> Claim {
        var issues: [CaseIssue] = []
        func required(_ field: String) { issues.append(CaseIssue(field: field, key: "claim.input.required")) }
        if category == nil { required("category") }
        if amount == nil { required("amount") }
        if payee == nil { required("payee.name") }
        if purpose == nil { required("purpose") }
        var parsedInvoices: [Invoice] = []
        for (offset, item) in (invoices ?? []).enumerated() {
            let field = "invoices.\(offset + 1)"
            let day = item.date.flatMap { StatisticsPeriod.Day($0) }
            if day == nil { issues.append(CaseIssue(field: "\(field).date", key: "claim.input.date")) }
            if item.amount == nil { required("\(field).amount") }
            guard let day, let amount = item.amount else { continue }
            parsedInvoices.append(
                Invoice(number: item.number ?? "", issuer: item.issuer ?? "", date: day, amount: Money(fen: amount)))
        }
        var parsedLinks: [ClaimLink] = []
        for (offset, item) in (links ?? []).enumerated() {
            guard let link = item.link else {
                issues.append(CaseIssue(field: "links.\(offset + 1)", key: "claim.input.link_kind"))
                continue
            }
            parsedLinks.append(link)
        }
        guard issues.isEmpty, let category, let amount, let payee, let purpose else {
            throw CaseDesk.InputError(issues: issues)
        }
        return Claim(
            payee: payee.payee, amount: Money(fen: amount), category: category, purpose: purpose,
            links: parsedLinks, invoices: parsedInvoices)
    }
}
