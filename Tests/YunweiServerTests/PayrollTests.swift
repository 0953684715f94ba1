import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YunweiDomain

@testable import YunweiServer

@Suite("Caretaker pay 管护人员工资: contracts, the monthly batch, its claim, posting, paying, the bank file")
struct PayrollTests {
    static let people: [(name: String, id: String, passbook: String, labour: String, performance: String)] = [
        ("王大山", "510121198001011232", "6228480402564890018", "1500", "900"),
        ("李小河", "510121198505052345", "6217003810012345678", "1200.50", "300.01"),
        ("张三", "51012119900909345X", "6230520080000011122", "800", "500"),
    ]

    static func contractForm(_ person: (String, String, String, String, String), village: String = Fixture.villageA1)
        -> [String: String]
    {
        [
            "village": village, "name": person.0, "id_number": person.1, "duty": "村道保洁", "passbook": person.2,
            "monthly_labour": person.3, "quarterly_performance": person.4, "first_month": "2026-01",
        ]
    }

    /// The sum of debits minus credits of `account` on entries from payroll batches.
    static func net(_ account: LedgerAccount, on db: any Database) async throws -> (debit: Int64, credit: Int64) {
        let lines = try await LedgerLineRecord.query(on: db).filter(\.$account == account.rawValue).all()
        return (lines.reduce(0) { $0 + $1.debitFen }, lines.reduce(0) { $0 + $1.creditFen })
    }

    static func fullNumbers(in html: String) -> [String] {
        people.flatMap { [$0.id, $0.passbook] }.filter { html.contains($0) }
    }

    @Test("contracts → batch → scores → issue → the clerk's claim → chain → payroll posting → pay → bank file")
    func wholeFlow() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            _ = try await ClaimAPITests.fund(app)
            let clerk = try await Browser(app).signedIn("village_clerk")
            #expect(try await clerk.get("/payroll/contracts/new").status == .ok)
            for person in Self.people {
                let saved = try await clerk.post("/payroll/contracts", Self.contractForm(person))
                #expect(saved.status == .seeOther, "\(saved.body.string)")
            }
            let list = try await clerk.get("/payroll/contracts")
            #expect(list.status == .ok)
            #expect(list.body.string.contains("510***********1232"))
            #expect(list.body.string.contains("***************0018"))
            #expect(Self.fullNumbers(in: list.body.string).isEmpty)
            let firstID = try #require(try await CaretakerContractRecord.query(on: app.db).sort(\.$id).first()?.id)
            let edit = try await clerk.get("/payroll/contracts/\(firstID)")
            #expect(edit.status == .ok)
            #expect(Self.fullNumbers(in: edit.body.string).isEmpty)

            // The township makes September's batch (a quarter end), enters scores and issues it.
            let finance = try await Browser(app).signedIn("township_finance")
            #expect(try await finance.get("/payroll/batches/new").status == .ok)
            let created = try await finance.post(
                "/payroll/batches", ["township": Fixture.townshipA, "month": "2026-09"])
            #expect(created.status == .seeOther, "\(created.body.string)")
            let batchPath = try #require(created.location)
            let batchID = try #require(Int(batchPath.split(separator: "/").last ?? ""))
            let again = try await finance.post("/payroll/batches", ["township": Fixture.townshipA, "month": "2026-09"])
            #expect(again.status == .conflict)
            #expect(again.body.string.contains("e-month"))
            #expect(try await PayrollBatchRecord.query(on: app.db).count() == 1)

            let ids = try await CaretakerContractRecord.query(on: app.db).sort(\.$id).all().map { try $0.requireID() }
            let tooHigh = try await finance.post(
                "\(batchPath)/issue", ["score_\(ids[0])": "101", "score_\(ids[1])": "85", "score_\(ids[2])": "0"])
            #expect(tooHigh.status == .unprocessableEntity)
            #expect(tooHigh.body.string.contains("id=\"e-score-\(ids[0])\""))
            #expect(tooHigh.body.string.contains("应为 0 至 100 的整数"))
            #expect(try await PayrollBatchRecord.find(batchID, on: app.db)?.state == "draft")

            let issued = try await finance.post(
                "\(batchPath)/issue", ["score_\(ids[0])": "100", "score_\(ids[1])": "85", "score_\(ids[2])": "0"])
            #expect(issued.status == .seeOther, "\(issued.body.string)")
            #expect(try await PayrollBatchRecord.find(batchID, on: app.db)?.state == "issued")
            let lines = try await PayrollLineRecord.query(on: app.db).filter(\.$batch.$id == batchID)
                .sort(\.$position).all()
            // 300.01 × 85 / 100 = 255.0085 → ¥255.01.
            #expect(lines.map(\.amountFen) == [150_000, 90_000, 120_050, 25_501, 80_000, 0])
            let total: Int64 = 465_551
            let page = try await finance.get(batchPath)
            #expect(page.status == .ok)
            #expect(page.body.string.contains("¥4,655.51"))
            #expect(Self.fullNumbers(in: page.body.string).isEmpty)
            // Issued: the scores no longer change.
            #expect(try await finance.post("\(batchPath)/scores", ["score_\(ids[0])": "50"]).status == .conflict)

            // The other township's clerk sees neither the contracts nor the batch.
            let other = try await Browser(app).signedIn("village_clerk2")
            #expect(try await other.get("/payroll/contracts/\(firstID)").status == .notFound)
            #expect(!(try await other.get("/payroll/contracts").body.string.contains("王大山")))
            #expect(try await other.get(batchPath).status == .notFound)
            #expect(try await other.post("\(batchPath)/claims", ["village": Fixture.villageA1]).status == .notFound)

            // The village clerk drafts the claim of her village's part.
            let clerkPage = try await clerk.get(batchPath)
            #expect(clerkPage.body.string.contains("draft-\(Fixture.villageA1)"))
            #expect(Self.fullNumbers(in: clerkPage.body.string).isEmpty)
            #expect(try await clerk.post("\(batchPath)/claims", ["village": Fixture.villageA1]).status == .seeOther)
            #expect(try await clerk.post("\(batchPath)/claims", ["village": Fixture.villageA1]).status == .conflict)
            let claim = try #require(try await PayrollDesk.claims(of: batchID, on: app.db)[Fixture.villageA1])
            #expect(claim.amountFen == total)
            #expect(claim.payeeName == "管护人员工资（2026年9月，3人）")
            #expect(claim.category == "labour")
            let claimID = try claim.requireID()

            for (action, user) in [
                (ClaimAction.submit, "village_clerk"), (.review, "finance_group"), (.approve, "village_head"),
                (.leaderReview, "township_leader"),
            ] {
                try await ClaimDesk.act(
                    claimID, action, note: nil, by: try await loadActor(user, on: app.db), on: app.db)
            }
            #expect(try await PayrollBatchRecord.find(batchID, on: app.db)?.state == "issued")
            // Paying before the claims are posted is refused.
            #expect(try await finance.post("\(batchPath)/pay", [:]).status == .conflict)
            try await ClaimDesk.act(
                claimID, .post, note: nil, by: try await loadActor("township_finance", on: app.db), on: app.db)
            #expect(try await PayrollBatchRecord.find(batchID, on: app.db)?.state == "posted")

            let a1 = UnitCode(Fixture.villageA1)!
            let payable = try await Self.net(.payable(of: a1), on: app.db)
            #expect(payable.debit == 0 && payable.credit == total)
            let labour = try await Self.net(.expense(.labour, of: a1), on: app.db)
            #expect(labour.debit == total && labour.credit == 0)
            let entry = try #require(
                try await LedgerEntryRecord.find(claim.postedEntryIDAfterPost(on: app.db), on: app.db))
            #expect(entry.sourceKind == "payroll_batch")
            #expect(entry.sourceID == Int64(batchID))

            let bankBefore = try await Self.net(.bank(of: a1), on: app.db)
            let paid = try await finance.post("\(batchPath)/pay", [:])
            #expect(paid.status == .seeOther, "\(paid.body.string)")
            #expect(try await PayrollBatchRecord.find(batchID, on: app.db)?.state == "paid")
            let settled = try await Self.net(.payable(of: a1), on: app.db)
            #expect(settled.debit == total && settled.credit == total)
            #expect(try await Self.net(.bank(of: a1), on: app.db).credit == bankBefore.credit + total)
            let totals = try await LedgerAPITests.totals(on: app.db)
            #expect(totals.debits == totals.credits)
            #expect(try await finance.post("\(batchPath)/pay", [:]).status == .conflict)

            let csv = try await finance.get("\(batchPath)/bank.csv")
            #expect(csv.status == .ok)
            #expect(csv.headers.contentType?.subType == "csv")
            #expect(
                csv.body.string == "\u{FEFF}姓名,一折通账号,金额（元）,备注\r\n"
                    + "王大山,6228480402564890018,2400.00,2026年9月管护工资\r\n"
                    + "李小河,6217003810012345678,1455.51,2026年9月管护工资\r\n"
                    + "张三,6230520080000011122,800.00,2026年9月管护工资\r\n")
            // Only those who prepare the payroll get the full numbers.
            #expect(try await clerk.get("\(batchPath)/bank.csv").status == .forbidden)
            #expect(try await other.get("\(batchPath)/bank.csv").status == .notFound)
            #expect(
                try await AuditRecord.query(on: app.db).filter(\.$entityType == "payroll_batch").count() == 4)
        }
    }

    @Test("a contract with bad input is refused with each message beside its field, and nothing is stored")
    func badContract() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let clerk = try await Browser(app).signedIn("village_clerk")
            var form = Self.contractForm(Self.people[0])
            form["id_number"] = "510121198001011233"
            form["passbook"] = "62284804abc"
            form["monthly_labour"] = "0"
            let response = try await clerk.post("/payroll/contracts", form)
            #expect(response.status == .unprocessableEntity)
            let html = response.body.string
            #expect(html.contains("id=\"e-id_number\""))
            #expect(html.contains("id=\"e-passbook\""))
            #expect(html.contains("id=\"e-monthly_labour\""))
            #expect(!html.contains("510121198001011233"))
            #expect(try await CaretakerContractRecord.query(on: app.db).count() == 0)
            // A clerk cannot keep another village's contracts: 404.
            let other = try await clerk.post(
                "/payroll/contracts", Self.contractForm(Self.people[0], village: Fixture.villageB1))
            #expect(other.status == .notFound)
            #expect(try await CaretakerContractRecord.query(on: app.db).count() == 0)
        }
    }

    @Test("outside a quarter end only labour is paid and no score is asked")
    func labourMonth() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let finance = try await Browser(app).signedIn("township_finance")
            #expect(
                try await finance.post("/payroll/contracts", Self.contractForm(Self.people[1])).status == .seeOther)
            let empty = try await finance.post("/payroll/batches", ["township": Fixture.townshipA, "month": "2025-12"])
            #expect(empty.status == .unprocessableEntity)
            let created = try await finance.post(
                "/payroll/batches", ["township": Fixture.townshipA, "month": "2026-08"])
            let path = try #require(created.location)
            #expect(try await finance.post("\(path)/issue", [:]).status == .seeOther)
            let lines = try await PayrollLineRecord.query(on: app.db).all()
            #expect(lines.map(\.kind) == ["labour"])
            #expect(lines.map(\.amountFen) == [120_050])

            // Every page reads in English too, with no key left untranslated.
            let english = try await Browser(app, language: "en").signedIn("township_finance")
            for address in ["/payroll", "/payroll/contracts", "/payroll/contracts/new", "/payroll/batches/new", path] {
                let page = try await english.get(address)
                #expect(page.status == .ok, "\(address)")
                #expect(!page.body.string.contains("payroll."), "\(address)")
            }
            #expect(try await english.get(path).body.string.contains("Caretaker pay of"))
        }
    }
}

extension ClaimRecord {
    /// The entry stored when the claim was posted, read afresh.
    fileprivate func postedEntryIDAfterPost(on db: any Database) async throws -> Int? {
        try await ClaimRecord.find(try requireID(), on: db)?.postedEntryID
    }
}
