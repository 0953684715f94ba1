import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import YunweiDomain

@testable import YunweiServer

@Suite("Demo funds: a year of money flows with planted faults")
struct DemoFundsTests {
    /// 20 December 2026, 12:00 Shanghai: late in the year, before its end.
    static let now = StatisticsPeriod.Day(year: 2026, month: 12, day: 20).start.addingTimeInterval(12 * 3600)
    /// 2 January 2027: the year is over, so the whole year is inspected (R9 judged).
    static let afterYearEnd = StatisticsPeriod.Day(year: 2027, month: 1, day: 2).start.addingTimeInterval(12 * 3600)

    @Test("the books balance, nothing is overspent, and the self-inspection finds exactly the planted faults")
    func seededYear() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let hash = try await app.password.async.hash(DemoSeeder.password)
            let summary = try #require(
                try await DemoFunds.seed(on: app.db, passwordHash: hash, now: Self.now, progress: { _ in }))
            let db = app.db

            // The allocation shares out the pool exactly.
            let allocation = try #require(try await AllocationRecord.find(summary.allocationID, on: db))
            #expect(allocation.allocationStatus == .published)
            let rows = try await AllocationRowRecord.query(on: db).filter(\.$allocation.$id == summary.allocationID)
                .all()
            #expect(rows.count == 4)
            #expect(rows.reduce(0) { $0 + $1.amountFen } == allocation.poolFen)

            // Every entry balances; no village's fund or available balance is below zero.
            let unbalanced = try await db.sql.raw(
                """
                SELECT entry_id FROM ledger_lines GROUP BY entry_id
                HAVING SUM(debit_fen) <> SUM(credit_fen)
                """
            ).all()
            #expect(unbalanced.isEmpty)
            let villages = try await AdminUnit.query(on: db).filter(\.$kind == UnitKind.village.rawValue).all()
            for village in villages {
                let availability = try await LedgerBook.availability(of: village, on: db)
                #expect(availability.balance >= .zero, "\(village.code)")
                #expect(availability.available >= .zero, "\(village.code)")
            }

            // Claims went through the whole chain, and some are still in the inboxes.
            let claims = try await ClaimRecord.query(on: db).all()
            let states = Set(claims.map(\.claimState))
            #expect(states.contains(.posted))
            #expect(!states.isDisjoint(with: ClaimState.allCases.filter(\.holdsReservation)))
            #expect(claims.count == summary.claims)
            let posted = claims.filter { $0.claimState == .posted }
            for claim in posted where claim.amountFen >= PublicNotice.defaultThreshold.fen {
                // Noticed unless it is the planted R10 import.
                let imported = try await AuditRecord.query(on: db).filter(\.$action == "demo_claim_import")
                    .filter(\.$entityID == String(try claim.requireID())).count()
                #expect((claim.noticeStartedAt != nil) == (imported == 0))
            }

            // The planted faults, one rule each, found by the self-inspection and nothing else.
            let planted = Set(summary.faults.map(\.rule))
            #expect(
                planted == [
                    .lateDisbursement, .withholding, .duplicateInvoice, .privateDivision, .shifting, .idleBalance,
                    .missingNotice,
                ])
            let county = try #require(try await AdminUnit.query(on: db).filter(\.$code == Fixture.county).first())
            for at in [Self.now, Self.afterYearEnd] {
                let facts = try await InspectionFactsLoader.facts(unit: county, year: 2026, now: at, on: db)
                let findings = InspectionRule.findings(in: facts)
                #expect(Set(findings.map(\.rule)) == summary.rulesFound(at: at), "\(at)")
                let found = Set(findings.map { "\($0.rule.rawValue)@\($0.village.rawValue)" })
                let expected = Set(
                    summary.faults.filter { summary.rulesFound(at: at).contains($0.rule) }
                        .map { "\($0.rule.rawValue)@\($0.village)" })
                #expect(found == expected)
            }
            #expect(!summary.rulesFound(at: Self.now).contains(.idleBalance))
        }
    }

    @Test("too early in the year, nothing is seeded")
    func tooEarly() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let early = StatisticsPeriod.Day(year: 2026, month: 1, day: 10).start
            let summary = try await DemoFunds.seed(on: app.db, passwordHash: "x", now: early, progress: { _ in })
            #expect(summary == nil)
            #expect(try await AllocationRecord.query(on: app.db).count() == 0)
        }
    }
}
