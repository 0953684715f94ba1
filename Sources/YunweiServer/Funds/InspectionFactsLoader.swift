import Fluent
import Foundation
import SQLKit
import YunweiDomain

/// 自查材料 from the tables: the `InspectionFacts` of a township or county for a fund year, one
/// set-based query per array (no query per village or claim), reading only the columns the rules
/// need. Every query is scoped to the unit's subtree by its path.
///
/// - Villages: the scope's villages from `units`.
/// - Officials: every role grant held at a village or township of the scope.
/// - Allocations: each village's share of the year's latest approved or published version of the
///   county's allocation, approved at that version's approval.
/// - Disbursements: credits of any version of the year's allocations, leaving out those whose
///   entry was reversed; paid in cash when their entry debits a village's 101 现金.
/// - Claims: pending and posted ones (drafts, returned and withdrawn claims are not facts), posted
///   up to the period's end, looking back to 1 January of the year before so that an invoice
///   claimed again is found (R5); with their invoices and, for a payee who is a user, the steps
///   of their history (the steps matter only to R6, which compares a payee's user id with
///   who took them). A claim is paid in cash when its posted entry credits 101 现金, else
///   through the bank (read from the period's postings).
/// - Postings: every line of the scope's village accounts booked in the period.
/// - Balances: each village's fund (241 专项应付款) on 1 January, what disbursements brought in
///   during the year, and what is left at the period's end (R9 judges it only at 31 December).
/// - Projects: there is no project table yet, so none are facts; a claim linked to a project is
///   therefore read as linked to a project not accepted (R4) until projects are stored.
///
/// The period is the Shanghai year, cut at today while the year runs: no deadline after today is
/// judged.
enum InspectionFactsLoader {
    static func facts(unit: AdminUnit, year: Int, on db: any Database) async throws -> InspectionFacts {
        try await facts(unit: unit, year: year, now: Date(), on: db)
    }

    /// The facts as of `now`, which cuts the period of the running year.
    /// The claims, the largest read, go through `alongside` when given (another connection, on
    /// SQLite another event loop's), so that they are read while the rest is.
    static func facts(
        unit: AdminUnit, year: Int, now: Date, on db: any Database, alongside: (any Database)? = nil
    ) async throws -> InspectionFacts {
        let sql = db.sql
        let first = StatisticsPeriod.Day(year: year, month: 1, day: 1)
        let today = StatisticsPeriod.day(of: now)
        let last = min(StatisticsPeriod.Day(year: year, month: 12, day: 31), max(today, first))
        let period = StatisticsPeriod(first: first, last: last)!
        let scope = unit.path + "%"
        let countyCode = unit.unitPath.codes.first?.rawValue ?? unit.code
        let countyID = try await sql.raw("SELECT id FROM units WHERE code = \(bind: countyCode)").first()?
            .decode(column: "id", as: Int.self)

        var facts = InspectionFacts(
            scope: [unit.unitCode], scopeName: unit.name, year: year, period: period)
        // The independent reads are started at once; each holds a connection for its read.
        async let claimsRead = claims(
            scope, from: StatisticsPeriod.Day(year: year - 1, month: 1, day: 1), to: last, on: db,
            alongside: alongside ?? db)
        async let villagesRead = villages(scope, on: db)
        async let officialsRead = officials(scope, on: db)
        async let balancesRead = balances(scope, from: first, to: last, on: db)
        async let allocationsRead = allocations(scope, county: countyID, year: year, on: db)
        async let disbursementsRead = disbursements(scope, county: countyID, year: year, on: db)
        let (villages, villageIDs) = try await villagesRead
        // The rules read only the cash lines (R7); the report counts all of the period's lines.
        facts.postings = try await postings(scope, villages: villageIDs, from: first, to: last, on: db)
        facts.postingCount = try await sql.raw(
            """
            SELECT COUNT(*) AS n FROM ledger_lines
            WHERE unit_id IN (SELECT id FROM units WHERE kind = 'village' AND path LIKE \(bind: scope))
              AND accounting_date >= \(bind: first.description) AND accounting_date <= \(bind: last.description)
            """
        ).first()?.decode(column: "n", as: Int.self)
        // A claim was paid in cash when its posting credits 101 现金; only claims posted in the
        // period are judged for it (R7), and their lines are among the period's postings.
        let paidInCash = Set(
            facts.postings.lazy.filter { $0.account == .cash && $0.credit > .zero }.compactMap(\.claimID))
        facts.claims = try await claimsRead
        for index in facts.claims.indices where facts.claims[index].state == .posted {
            facts.claims[index].paidThrough = paidInCash.contains(facts.claims[index].id) ? .cash : .bank
        }
        facts.villages = villages
        facts.officials = try await officialsRead
        facts.allocations = try await allocationsRead
        facts.disbursements = try await disbursementsRead
        facts.balances = try await balancesRead
        return facts
    }

    /// The last code of a stored path, `/…/510121100201/` → 510121100201.
    private static func lastCode(_ path: String) -> UnitCode? {
        path.split(separator: "/").last.flatMap { UnitCode(String($0)) }
    }

    /// The scope's villages, and their codes by row id.
    private static func villages(_ scope: String, on db: any Database) async throws
        -> ([InspectionFacts.Village], [Int: UnitCode])
    {
        var villages: [InspectionFacts.Village] = []
        var codes: [Int: UnitCode] = [:]
        for row in try await db.rows(
            "SELECT id, code, name, path FROM units WHERE kind = 'village' AND path LIKE \(bind: scope) ORDER BY code"
        ) {
            let parts = try row.decode(column: "path", as: String.self).split(separator: "/")
            guard let code = UnitCode(try row.decode(column: "code", as: String.self)), parts.count >= 2,
                let township = UnitCode(String(parts[parts.count - 2]))
            else { continue }
            codes[try row.decode(column: "id", as: Int.self)] = code
            villages.append(
                InspectionFacts.Village(
                    code: code, township: township, name: try row.decode(column: "name", as: String.self)))
        }
        return (villages, codes)
    }

    private static func officials(_ scope: String, on db: any Database) async throws -> [InspectionFacts.Official] {
        try await db.rows(
            """
            SELECT g.user_id, us.display_name, u.code FROM role_grants g
            JOIN users us ON us.id = g.user_id JOIN units u ON u.id = g.unit_id
            WHERE u.kind IN ('village', 'township') AND u.path LIKE \(bind: scope)
            """
        ).compactMap { row in
            guard let code = UnitCode(try row.decode(column: "code", as: String.self)) else { return nil }
            return InspectionFacts.Official(
                userID: Int64(try row.decode(column: "user_id", as: Int.self)),
                name: try row.decode(column: "display_name", as: String.self), unit: code)
        }
    }

    /// The county's allocation shares of the scope's villages; none without a county.
    private static func allocations(_ scope: String, county: Int?, year: Int, on db: any Database) async throws
        -> [InspectionFacts.Allocation]
    {
        guard let county else { return [] }
        let rows = try await db.rows(
            """
            SELECT a.id, a.version, a.approved_at, a.published_at, a.created_at, u.code, r.amount_fen
            FROM allocations a JOIN allocation_rows r ON r.allocation_id = a.id JOIN units u ON u.id = r.village_id
            WHERE a.county_id = \(bind: county) AND a.year = \(bind: year)
              AND a.status IN ('approved', 'published') AND u.path LIKE \(bind: scope)
            """
        )
        var latest = Int.min
        var shares: [(version: Int, share: InspectionFacts.Allocation)] = []
        for row in rows {
            let version = try row.decode(column: "version", as: Int.self)
            guard let code = UnitCode(try row.decode(column: "code", as: String.self)) else { continue }
            let approvedAt =
                try optional(row, "approved_at", as: Date.self)
                ?? optional(row, "published_at", as: Date.self)
                ?? row.decode(column: "created_at", as: Date.self)
            latest = max(latest, version)
            shares.append(
                (
                    version,
                    InspectionFacts.Allocation(
                        id: Int64(try row.decode(column: "id", as: Int.self)), village: code, approvedAt: approvedAt,
                        amount: Money(fen: try row.decode(column: "amount_fen", as: Int64.self)))
                ))
        }
        return shares.filter { $0.version == latest }.map(\.share)
    }

    /// The county's disbursements to the scope's villages; none without a county.
    private static func disbursements(_ scope: String, county: Int?, year: Int, on db: any Database) async throws
        -> [InspectionFacts.Disbursement]
    {
        guard let county else { return [] }
        return try await db.rows(
            """
            SELECT d.id, d.amount_fen, d.accounting_date, u.code, e.at,
              (SELECT COUNT(*) FROM ledger_lines l
               WHERE l.entry_id = d.entry_id AND l.kind = 'cash' AND l.debit_fen > 0) AS cash_lines
            FROM disbursements d JOIN allocations a ON a.id = d.allocation_id JOIN units u ON u.id = d.village_id
            LEFT JOIN ledger_entries e ON e.id = d.entry_id
            WHERE a.county_id = \(bind: county) AND a.year = \(bind: year) AND u.path LIKE \(bind: scope)
              AND NOT EXISTS (SELECT 1 FROM ledger_entries rv WHERE rv.reverses_id = d.entry_id)
            """
        ).compactMap { row -> InspectionFacts.Disbursement? in
            guard let code = UnitCode(try row.decode(column: "code", as: String.self)) else { return nil }
            let booked = StatisticsPeriod.Day(try row.decode(column: "accounting_date", as: String.self))
            guard let at = try optional(row, "at", as: Date.self) ?? booked?.start.addingTimeInterval(12 * 3600)
            else { return nil }
            return InspectionFacts.Disbursement(
                id: Int64(try row.decode(column: "id", as: Int.self)), village: code, creditedAt: at,
                amount: Money(fen: try row.decode(column: "amount_fen", as: Int64.self)),
                channel: try row.decode(column: "cash_lines", as: Int64.self) > 0 ? .cash : .bank)
        }
    }

    /// The states of a claim somewhere in review.
    private static let pendingStates: [ClaimState] = [
        .submitted, .reviewed, .inNotice, .villageApproved, .leaderReviewed,
    ]

    /// The claims that are facts: pending, or posted between `from` and `to` (Shanghai days).
    /// The query must join each claim `c` to its posting entry `pe`.
    private static func claimFilter(_ scope: String, from: StatisticsPeriod.Day, to: StatisticsPeriod.Day)
        -> SQLQueryString
    {
        """
        c.village_path LIKE \(bind: scope) AND (c.state IN (\(binds: pendingStates.map(\.rawValue)))
          OR (c.state = 'posted' AND pe.accounting_date >= \(bind: from.description)
            AND pe.accounting_date <= \(bind: to.description)))
        """
    }

    private static func claims(
        _ scope: String, from: StatisticsPeriod.Day, to: StatisticsPeriod.Day, on db: any Database,
        alongside: any Database
    ) async throws -> [InspectionFacts.Claim] {
        let filter = claimFilter(scope, from: from, to: to)
        async let invoiceRows = db.rows(
            """
            SELECT i.id, i.claim_id, i.number, i.issuer, i.date, i.amount_fen
            FROM claim_invoices i JOIN claims c ON c.id = i.claim_id
              LEFT JOIN ledger_entries pe ON pe.id = c.posted_entry_id
            WHERE \(filter) ORDER BY i.claim_id, i.position
            """
        )
        async let eventRows = db.rows(
            """
            SELECT ev.claim_id, ev.action, ev.actor_id FROM claim_events ev JOIN claims c ON c.id = ev.claim_id
              LEFT JOIN ledger_entries pe ON pe.id = c.posted_entry_id
            WHERE c.payee_user_id IS NOT NULL AND \(filter) ORDER BY ev.claim_id, ev.id
            """
        )
        async let claimRows = alongside.rows(
            """
            SELECT c.id, c.village_path, c.state, c.amount_fen, c.category, c.payee_kind, c.payee_name,
              c.payee_user_id, c.purpose, c.links, c.notice_started_at, pe.at AS posted_at
            FROM claims c LEFT JOIN ledger_entries pe ON pe.id = c.posted_entry_id
            WHERE \(filter)
            """
        )
        var invoices: [Int: [InspectionFacts.Invoice]] = [:]
        // A year has a few hundred distinct invoice dates: each is parsed once.
        var days: [String: StatisticsPeriod.Day] = [:]
        for row in try await invoiceRows {
            let text = try row.decode(column: "date", as: String.self)
            let parsed = days[text] ?? StatisticsPeriod.Day(text)
            days[text] = parsed
            guard let day = parsed else { continue }
            invoices[try row.decode(column: "claim_id", as: Int.self), default: []].append(
                InspectionFacts.Invoice(
                    id: Int64(try row.decode(column: "id", as: Int.self)),
                    number: try row.decode(column: "number", as: String.self),
                    issuer: try row.decode(column: "issuer", as: String.self), date: day,
                    amount: Money(fen: try row.decode(column: "amount_fen", as: Int64.self))))
        }
        var approvals: [Int: [InspectionFacts.Approval]] = [:]
        for row in try await eventRows {
            guard let step = step(of: try row.decode(column: "action", as: String.self)) else { continue }
            approvals[try row.decode(column: "claim_id", as: Int.self), default: []].append(
                InspectionFacts.Approval(step: step, userID: Int64(try row.decode(column: "actor_id", as: Int.self))))
        }
        // Claims share a handful of villages, link lists and organisations paid: each distinct one
        // is read once.
        var villages: [String: UnitCode] = [:]
        var organisations: [String: InspectionFacts.Payee.Kind] = [:]
        var linkLists: [String: [InspectionFacts.Link]] = [:]
        let decoder = JSONDecoder()
        return try await claimRows.compactMap { row in
            let id = try row.decode(column: "id", as: Int.self)
            let path = try row.decode(column: "village_path", as: String.self)
            guard let village = villages[path] ?? lastCode(path) else { return nil }
            villages[path] = village
            let stored = try row.decode(column: "links", as: String.self)
            let links =
                linkLists[stored]
                ?? Self.links((try? decoder.decode([ClaimLinkDTO].self, from: Data(stored.utf8))) ?? [])
            linkLists[stored] = links
            let posted = try row.decode(column: "state", as: String.self) == ClaimState.posted.rawValue
            let payeeName = try row.decode(column: "payee_name", as: String.self)
            var kind = InspectionFacts.Payee.Kind.person
            if try row.decode(column: "payee_kind", as: String.self) == "organisation" {
                kind = organisations[payeeName] ?? .init(organisationNamed: payeeName)
                organisations[payeeName] = kind
            }
            let payee = InspectionFacts.Payee(
                name: payeeName, userID: try optional(row, "payee_user_id", as: Int64.self), kind: kind)
            return InspectionFacts.Claim(
                id: Int64(id), village: village, state: posted ? .posted : .pending,
                amount: Money(fen: try row.decode(column: "amount_fen", as: Int64.self)),
                category: InspectionFacts.Category(rawValue: try row.decode(column: "category", as: String.self)),
                purpose: try row.decode(column: "purpose", as: String.self), payee: payee,
                links: links, invoices: invoices[id] ?? [], approvals: approvals[id] ?? [],
                postedAt: posted ? try optional(row, "posted_at", as: Date.self) : nil,
                paidThrough: nil,
                noticeRequired: false,
                noticed: try !row.decodeNil(column: "notice_started_at"))
        }
    }

    /// A column that may be NULL. Asking the decoder for an optional takes its slow path, a
    /// noticeable cost over a county's claims.
    private static func optional<T: Decodable>(_ row: any SQLRow, _ column: String, as: T.Type) throws -> T? {
        try row.decodeNil(column: column) ? nil : row.decode(column: column, as: T.self)
    }

    /// The step of the approval chain a history record signs, by its action.
    private static func step(of action: String) -> InspectionFacts.Approval.Step? {
        switch action {
        case "draft", ClaimAction.submit.rawValue: .draft
        case ClaimAction.review.rawValue: .review
        case ClaimAction.approve.rawValue: .approve
        case ClaimAction.leaderReview.rawValue: .audit
        case ClaimAction.post.rawValue: .post
        default: nil
        }
    }

    private static func links(_ stored: [ClaimLinkDTO]) -> [InspectionFacts.Link] {
        stored.compactMap { link in
            switch link.kind {
            case "project": .project(link.id)
            case "facility": .facility(link.id)
            case "contract": .contract(link.id)
            case "payroll_batch": .payroll(link.id)
            default: nil
            }
        }
    }

    private static func postings(
        _ scope: String, villages: [Int: UnitCode], from: StatisticsPeriod.Day, to: StatisticsPeriod.Day,
        on db: any Database
    ) async throws -> [InspectionFacts.Posting] {
        try await db.rows(
            """
            SELECT l.id, l.unit_id, l.kind, l.debit_fen, l.credit_fen, e.at,
              CASE WHEN e.source_kind = 'claim' THEN e.source_id END AS claim_id
            FROM ledger_lines l JOIN ledger_entries e ON e.id = l.entry_id
            WHERE l.unit_id IN (SELECT id FROM units WHERE kind = 'village' AND path LIKE \(bind: scope))
              AND l.accounting_date >= \(bind: from.description) AND l.accounting_date <= \(bind: to.description)
              AND l.kind = \(bind: AccountKind.cash.rawValue)
            """
        ).compactMap { row in
            guard let village = villages[try row.decode(column: "unit_id", as: Int.self)] else { return nil }
            let account: InspectionFacts.Account =
                switch AccountKind(rawValue: try row.decode(column: "kind", as: String.self)) {
                case .cash: .cash
                case .bank: .bank
                case .specialPayable: .specialPayable
                case .subsidyIncome: .subsidyIncome
                default: .other
                }
            return InspectionFacts.Posting(
                id: Int64(try row.decode(column: "id", as: Int.self)), village: village, account: account,
                debit: Money(fen: try row.decode(column: "debit_fen", as: Int64.self)),
                credit: Money(fen: try row.decode(column: "credit_fen", as: Int64.self)),
                postedAt: try row.decode(column: "at", as: Date.self),
                claimID: try optional(row, "claim_id", as: Int64.self))
        }
    }

    /// Each village's fund (241) at the start of the period, received in it, and at its end:
    /// opening and closing from the lines alone (years of them), receipts from the period's
    /// disbursement entries.
    private static func balances(
        _ scope: String, from: StatisticsPeriod.Day, to: StatisticsPeriod.Day, on db: any Database
    ) async throws -> [InspectionFacts.VillageBalance] {
        let start = from.description
        let fund = AccountKind.specialPayable.rawValue
        let villages = "SELECT id FROM units WHERE kind = 'village' AND path LIKE "
        var receipts: [Int: Int64] = [:]
        for row in try await db.rows(
            """
            SELECT l.unit_id, CAST(COALESCE(SUM(l.credit_fen - l.debit_fen), 0) AS BIGINT) AS receipts
            FROM ledger_lines l JOIN ledger_entries e ON e.id = l.entry_id
            WHERE l.unit_id IN (\(unsafeRaw: villages)\(bind: scope)) AND l.kind = \(bind: fund)
              AND l.accounting_date >= \(bind: start) AND l.accounting_date <= \(bind: to.description)
              AND e.source_kind = \(bind: LedgerSource.Kind.disbursement.rawValue)
            GROUP BY l.unit_id
            """
        ) {
            receipts[try row.decode(column: "unit_id", as: Int.self)] = try row.decode(
                column: "receipts", as: Int64.self)
        }
        let codes = try await db.rows(
            "SELECT id, code FROM units WHERE kind = 'village' AND path LIKE \(bind: scope)"
        ).reduce(into: [String: Int]()) { codes, row in
            codes[try row.decode(column: "code", as: String.self)] = try row.decode(column: "id", as: Int.self)
        }
        // Summed from the account index alone (`CoverLedgerLineAccountIndex`).
        return try await db.rows(
            """
            SELECT l.account,
              CAST(COALESCE(SUM(CASE WHEN l.accounting_date < \(bind: start)
                THEN l.credit_fen - l.debit_fen ELSE 0 END), 0) AS BIGINT) AS opening,
              CAST(COALESCE(SUM(l.credit_fen - l.debit_fen), 0) AS BIGINT) AS closing
            FROM ledger_lines l
            WHERE l.account IN (
                SELECT 'village:' || code || ':' || \(bind: fund) FROM units WHERE kind = 'village' AND path LIKE \(bind: scope))
              AND l.accounting_date <= \(bind: to.description)
            GROUP BY l.account
            """
        ).compactMap { row in
            guard let account = LedgerAccount(rawValue: try row.decode(column: "account", as: String.self)),
                let id = codes[account.unit.rawValue]
            else { return nil }
            return InspectionFacts.VillageBalance(
                village: account.unit, opening: Money(fen: try row.decode(column: "opening", as: Int64.self)),
                receipts: Money(fen: receipts[id] ?? 0),
                closing: Money(fen: try row.decode(column: "closing", as: Int64.self)))
        }
    }

}
