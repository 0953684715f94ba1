import Fluent
import Foundation
import SQLKit
import YunweiDomain

/// `yunwei verify`'s look at the fund: what the database must always hold, whatever happened to
/// the process that wrote it (DOMAIN.md §4.3). Every journal entry has lines and balances within
/// each unit's books; every claim waiting in the chain holds exactly one open reservation of its
/// amount, and nothing else holds one; every posted claim names its entry.
enum LedgerVerification {
    struct Report: Sendable, Equatable {
        var entries = 0
        var lines = 0
        var openClaims = 0
        /// One sentence per fault, in English (the command line's language for operators).
        var problems: [String] = []

        var isSound: Bool { problems.isEmpty }
    }

    /// The claim states that hold a reservation (`ClaimState.holdsReservation`).
    static var openStates: [String] { ClaimState.allCases.filter(\.holdsReservation).map(\.rawValue) }

    static func check(on db: any Database) async throws -> Report {
        let sql = db.sql
        var report = Report()
        report.entries = try await count("SELECT COUNT(*) AS n FROM ledger_entries", on: sql)
        report.lines = try await count("SELECT COUNT(*) AS n FROM ledger_lines", on: sql)

        let unbalanced = try await sql.raw(
            """
            SELECT entry_id, unit_id FROM ledger_lines GROUP BY entry_id, unit_id
            HAVING SUM(debit_fen) <> SUM(credit_fen) ORDER BY entry_id LIMIT 20
            """
        ).all()
        for row in unbalanced {
            let entry = try row.decode(column: "entry_id", as: Int.self)
            let unit = try row.decode(column: "unit_id", as: Int.self)
            report.problems.append("journal entry \(entry) does not balance in the books of unit \(unit)")
        }
        let empty = try await sql.raw(
            """
            SELECT id FROM ledger_entries e WHERE NOT EXISTS (SELECT 1 FROM ledger_lines l WHERE l.entry_id = e.id)
            ORDER BY id LIMIT 20
            """
        ).all()
        for row in empty {
            report.problems.append("journal entry \(try row.decode(column: "id", as: Int.self)) has no lines")
        }

        let open = openStates
        report.openClaims = try await count(
            "SELECT COUNT(*) AS n FROM claims WHERE state IN (\(binds: open))", on: sql)
        let unreserved = try await sql.raw(
            """
            SELECT c.id, c.amount_fen, r.amount_fen AS reserved FROM claims c
            LEFT JOIN reservations r ON r.claim_id = c.id AND r.state = \(bind: ReservationState.reserved.rawValue)
            WHERE c.state IN (\(binds: open)) AND (r.id IS NULL OR r.amount_fen <> c.amount_fen)
            ORDER BY c.id LIMIT 20
            """
        ).all()
        for row in unreserved {
            let id = try row.decode(column: "id", as: Int.self)
            if let held = try row.decode(column: "reserved", as: Int64?.self) {
                let amount = try row.decode(column: "amount_fen", as: Int64.self)
                report.problems.append("claim \(id) is waiting in the chain for \(amount) fen but holds \(held)")
            } else {
                report.problems.append("claim \(id) is waiting in the chain without a reservation")
            }
        }
        let stray = try await sql.raw(
            """
            SELECT r.claim_id FROM reservations r LEFT JOIN claims c ON c.id = r.claim_id
            WHERE r.state = \(bind: ReservationState.reserved.rawValue) AND (c.id IS NULL OR c.state NOT IN (\(binds: open)))
            ORDER BY r.claim_id LIMIT 20
            """
        ).all()
        for row in stray {
            let id = try row.decode(column: "claim_id", as: Int64.self)
            report.problems.append("an open reservation remains for claim \(id), which no longer waits in the chain")
        }
        let unposted = try await sql.raw(
            """
            SELECT id FROM claims WHERE state = \(bind: ClaimState.posted.rawValue) AND posted_entry_id IS NULL
            ORDER BY id LIMIT 20
            """
        ).all()
        for row in unposted {
            report.problems.append("claim \(try row.decode(column: "id", as: Int.self)) is posted without its entry")
        }
        return report
    }

    private static func count(_ query: SQLQueryString, on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
