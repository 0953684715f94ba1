import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import YunweiDomain

@testable import YunweiServer

@Suite("Backup, restore and the ledger's soundness check", .serialized)
struct BackupTests {
    @Test("a backup taken while writers keep writing restores into a fresh place with an intact trail")
    func backupUnderLoad() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let files = FileManager.default.temporaryDirectory.appendingPathComponent("yw-files-\(UUID().uuidString)")
            let photo = files.appendingPathComponent("photos/ab/abcdef")
            try FileManager.default.createDirectory(
                at: photo.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("a photo".utf8).write(to: photo)
            var settings = app.settings
            settings.dataDirectory = files.path
            let folder = NSTemporaryDirectory() + "yw-backup-\(UUID().uuidString)"
            defer {
                for path in [files.path, folder] { try? FileManager.default.removeItem(atPath: path) }
            }

            let before = try await AuditRecord.query(on: app.db).count()
            let writer = Task {
                var written = 0
                while !Task.isCancelled && written < 400 {
                    let id = String(written)
                    try await app.db.write { db in
                        _ = try await AuditTrail.record(
                            on: db, by: .system, action: "load_test", entityType: "test", entityID: id)
                    }
                    written += 1
                }
                return written
            }
            try await Task.sleep(for: .milliseconds(50))
            let summary = try await Backup.write(to: folder, from: app.db, settings: settings)
            let written = try await writer.value
            #expect(written > 0)
            #expect(summary.files == 1)

            let restoredFiles = NSTemporaryDirectory() + "yw-restored-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: restoredFiles) }
            var restored = settings
            restored.dataDirectory = restoredFiles
            guard case .sqlite = app.settings.storage else {
                // PostgreSQL is backed up by pg_dump; `yunwei backup` copies its files only.
                #expect(summary.database == nil)
                let copy = try Backup.restore(from: folder, settings: restored)
                #expect(copy.files == 1)
                #expect(FileManager.default.fileExists(atPath: restoredFiles + "/photos/ab/abcdef"))
                return
            }
            let target = restoredFiles + "/restored.sqlite"
            restored.storage = .sqlite(path: target)
            let copy = try Backup.restore(from: folder, settings: restored)
            #expect(copy.database == target)
            #expect(try String(contentsOfFile: restoredFiles + "/photos/ab/abcdef", encoding: .utf8) == "a photo")
            #expect(throws: YunweiServer.CommandError.self) { try Backup.restore(from: folder, settings: restored) }

            let total = try await AuditRecord.query(on: app.db).count()
            try await Yunwei.withApplication(restored, environment: .testing, migrate: false) { copyApp in
                let count = try await AuditRecord.query(on: copyApp.db).count()
                #expect(count >= before)
                #expect(count <= total)
                #expect(try await AuditTrail.verify(on: copyApp.db) == .intact(count: count))
                #expect(try await LedgerVerification.check(on: copyApp.db).isSound)
            }
        }
    }

    @Test("a backup never writes into a folder that holds something")
    func refusesFullFolder() async throws {
        try await withApp { app in
            let folder = NSTemporaryDirectory() + "yw-full-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/keep"))
            defer { try? FileManager.default.removeItem(atPath: folder) }
            var settings = app.settings
            settings.dataDirectory = folder + "-none"
            await #expect(throws: YunweiServer.CommandError.self) {
                _ = try await Backup.write(to: folder, from: app.db, settings: settings)
            }
        }
    }

    @Test("verify finds an unbalanced entry, a claim waiting without its reservation and a stray reservation")
    func ledgerFaults() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            #expect(try await LedgerVerification.check(on: app.db).isSound)
            let village = try #require(
                try await AdminUnit.query(on: app.db).filter(\.$code == Fixture.villageA1).first())
            let county = try #require(try await AdminUnit.query(on: app.db).filter(\.$code == Fixture.county).first())
            let township = try #require(
                try await AdminUnit.query(on: app.db).filter(\.$code == Fixture.townshipA).first())
            let clerk = try #require(try await User.query(on: app.db).filter(\.$username == "village_clerk").first())
            let villageID = try village.requireID()
            let sql = app.db.sql
            let now = Date()
            try await sql.raw(
                """
                INSERT INTO ledger_entries (county_id, village_id, at, accounting_date, memo, source_kind, source_id)
                VALUES (\(bind: try county.requireID()), \(bind: villageID), \(bind: now), '2026-03-01', 'bad', 'claim', 1)
                """
            ).run()
            let entry = try #require(try await LedgerEntryRecord.query(on: app.db).first()).id!
            try await sql.raw(
                """
                INSERT INTO ledger_lines (entry_id, position, account, unit_id, kind, chart_code, accounting_date,
                    debit_fen, credit_fen)
                VALUES (\(bind: entry), 0, \(bind: "village:\(Fixture.villageA1):bank"), \(bind: villageID), 'bank', '102',
                    '2026-03-01', 500, 0),
                (\(bind: entry), 1, \(bind: "village:\(Fixture.villageA1):special_payable"), \(bind: villageID),
                    'special_payable', '241', '2026-03-01', 0, 400)
                """
            ).run()
            for (state, amount) in [("submitted", 1200), ("posted", 800)] {
                try await sql.raw(
                    """
                    INSERT INTO claims (county_id, township_id, village_id, village_path, state, amount_fen, category,
                        payee_kind, payee_name, purpose, links, created_by, created_at, updated_at)
                    VALUES (\(bind: try county.requireID()), \(bind: try township.requireID()), \(bind: villageID),
                        \(bind: village.path), \(bind: state), \(bind: amount), 'life', 'organisation', '某公司', '保洁',
                        '[]', \(bind: try clerk.requireID()), \(bind: now), \(bind: now))
                    """
                ).run()
            }
            let posted = try #require(try await ClaimRecord.query(on: app.db).filter(\.$state == "posted").first()).id!
            try await sql.raw(
                """
                INSERT INTO reservations (claim_id, village_id, amount_fen, state, reserved_at)
                VALUES (\(bind: posted), \(bind: villageID), 800, 'reserved', \(bind: now))
                """
            ).run()

            let report = try await LedgerVerification.check(on: app.db)
            #expect(report.entries == 1)
            #expect(report.lines == 2)
            #expect(report.openClaims == 1)
            let text = report.problems.joined(separator: "\n")
            #expect(text.contains("journal entry \(entry) does not balance"))
            #expect(text.contains("waiting in the chain without a reservation"))
            #expect(text.contains("an open reservation remains for claim \(posted)"))
            #expect(text.contains("claim \(posted) is posted without its entry"))
        }
    }
}
