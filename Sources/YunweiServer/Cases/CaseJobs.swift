import Fluent
import Foundation
import SQLKit
import Vapor
import YunweiDomain

/// The background jobs of the case platform: marking overdue cases and escalating them to the
/// township leader (督办), and closing resolved cases that got no feedback within 7 days.
///
/// Several server processes may run them against one PostgreSQL: each round holds a
/// transaction-scoped advisory lock, so only one process works at a time, and every case is
/// re-checked under that lock, so a case is escalated or closed exactly once.
enum CaseJobs {
    struct Round: Sendable, Equatable {
        var escalated = 0
        var closed = 0
        /// Another process held the lock; this one did nothing.
        var skipped = false
    }

    static let batch = 500

    /// One round of both jobs at `now`.
    static func run(at now: Date = Date(), on db: any Database) async throws -> Round {
        try await db.write { db in
            if !db.isSQLite {
                let row = try await db.sql.raw("SELECT pg_try_advisory_xact_lock(72830002) AS locked").first()
                guard try row?.decode(column: "locked", as: Bool.self) == true else { return Round(skipped: true) }
            }
            var round = Round()
            let overdue = try await CaseRecord.query(on: db)
                .filter(\.$state ~~ CaseState.allCases.filter(\.runsAgainstDeadline).map(\.rawValue))
                .filter(\.$deadlineAt < now).filter(\.$overdueAt == nil)
                .sort(\.$id).limit(batch).all()
            for record in overdue
            where CaseDeadline.isOverdue(deadline: record.deadlineAt, state: record.caseState, now: now) {
                let before = CaseDesk.snapshot(record)
                record.overdueAt = now
                record.supervised = true
                record.updatedAt = now
                try await record.save(on: db)
                try await CaseDesk.supervise(
                    record, kind: "overdue", by: .system, note: nil, deadline: nil, now: now, on: db)
                try await CaseDesk.event(
                    for: record, action: "overdue", from: record.caseState, by: .system, note: nil, photos: [],
                    now: now, on: db)
                try await AuditTrail.record(
                    on: db, by: .system, action: "case_overdue", entityType: "case",
                    entityID: String(record.requireID()),
                    unitPath: record.villagePath, before: before, after: CaseDesk.snapshot(record), at: now)
                round.escalated += 1
            }
            let stale = try await CaseRecord.query(on: db)
                .filter(\.$state == CaseState.resolved.rawValue)
                .filter(\.$resolvedAt <= FeedbackWindow.autoCloseCutoff(now: now))
                .sort(\.$id).limit(batch).all()
            for record in stale {
                guard let resolvedAt = record.resolvedAt,
                    FeedbackWindow.shouldAutoClose(resolvedAt: resolvedAt, now: now)
                else { continue }
                let before = CaseDesk.snapshot(record)
                record.state = CaseState.closed.rawValue
                record.closedAt = now
                record.updatedAt = now
                try await record.save(on: db)
                try await CaseDesk.event(
                    for: record, action: "auto_close", from: .resolved, by: .system, note: nil, photos: [], now: now,
                    on: db)
                try await AuditTrail.record(
                    on: db, by: .system, action: "case_auto_close", entityType: "case",
                    entityID: String(record.requireID()),
                    unitPath: record.villagePath, before: before, after: CaseDesk.snapshot(record), at: now)
                round.closed += 1
            }
            return round
        }
    }
}

/// Runs the case jobs every minute while the server runs (unless `YUNWEI_JOBS=0`).
struct CaseJobScheduler: LifecycleHandler {
    let interval: Duration

    func didBootAsync(_ application: Application) async throws {
        let interval = self.interval
        let task = Task {
            while !Task.isCancelled {
                do {
                    let round = try await CaseJobs.run(on: application.db)
                    if round.escalated + round.closed > 0 {
                        application.logger.info(
                            "case jobs", metadata: ["escalated": "\(round.escalated)", "closed": "\(round.closed)"])
                    }
                } catch {
                    application.logger.report(error: error)
                }
                try? await Task.sleep(for: interval)
            }
        }
        application.storage[JobTaskKey.self] = task
    }

    func shutdownAsync(_ application: Application) async {
        application.storage[JobTaskKey.self]?.cancel()
    }

    private struct JobTaskKey: StorageKey { typealias Value = Task<Void, Never> }
}
