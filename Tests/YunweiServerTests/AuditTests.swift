import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import YunweiDomain

@testable import YunweiServer

@Suite("Audit trail")
struct AuditTests {
    @Test("every change writes one chained record, and the intact chain verifies")
    func chainVerifies() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let records = try await AuditRecord.query(on: app.db).sort(\.$seq).all()
            #expect(records.count > 20)
            #expect(records.map(\.seq) == Array(1...Int64(records.count)))
            #expect(records[0].prevHash == AuditChain.genesisHash)
            for (previous, record) in zip(records, records.dropFirst()) { #expect(record.prevHash == previous.hash) }
            #expect(try await AuditTrail.verify(on: app.db) == .intact(count: records.count))
        }
    }

    @Test("altering, deleting or inserting a row in the database is found at that record")
    func tamperingIsFound() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let sql = app.db.sql
            try await sql.raw("UPDATE audit_log SET after = '{\"name\":\"forged\"}' WHERE seq = 5").run()
            #expect(try await AuditTrail.verify(on: app.db) == .broken(seq: 5, reason: .altered))
        }
        try await withApp { app in
            try await Fixture.seed(app)
            try await app.db.sql.raw("DELETE FROM audit_log WHERE seq = 7").run()
            let result = try await AuditTrail.verify(on: app.db)
            #expect(result == .broken(seq: 8, reason: .deleted))
        }
        try await withApp { app in
            try await Fixture.seed(app)
            // A copy of an old record slipped in at the end of the chain.
            let original = try #require(try await AuditRecord.query(on: app.db).filter(\.$seq == 3).first())
            let last = try #require(try await AuditRecord.query(on: app.db).sort(\.$seq, .descending).first())
            let copy = AuditRecord(original.entry)
            copy.seq = last.seq + 1
            try await copy.create(on: app.db)
            guard case .broken(let seq, _) = try await AuditTrail.verify(on: app.db) else {
                Issue.record("an inserted record must break the chain")
                return
            }
            #expect(seq == last.seq + 1)
        }
    }

    @Test("a failed change leaves neither the change nor its audit record")
    func atomicity() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let before = try await AuditRecord.query(on: app.db).count()
            let units = try await AdminUnit.query(on: app.db).count()
            await #expect(throws: YunweiError.self) {
                try await app.db.write { db in
                    _ = try await UnitRegistry.create(
                        code: "510121100205", name: "一村", kind: .village, parentCode: Fixture.townshipA, by: .system,
                        on: db)
                    _ = try await UnitRegistry.create(
                        code: "510121100205", name: "重复", kind: .village, parentCode: Fixture.townshipA, by: .system,
                        on: db)
                }
            }
            #expect(try await AuditRecord.query(on: app.db).count() == before)
            #expect(try await AdminUnit.query(on: app.db).count() == units)
        }
    }

    @Test("the county auditor reads the audit log; a village clerk may not")
    func auditPage() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let auditor = Browser(app)
            try await auditor.login("county_auditor")
            let page = try await auditor.get("/audit?action=unit_create")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("unit_create"))
            let verify = try await auditor.get("/audit/verify")
            #expect(verify.status == .ok)
            let clerk = Browser(app)
            try await clerk.login("village_clerk")
            #expect(try await clerk.get("/audit").status == .forbidden)
        }
    }
}
