import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YunweiDomain

@testable import YunweiServer

/// 修改报账单: the clerk corrects a draft or a returned claim through `/claims/:id/edit` and
/// `PUT /api/v1/claims/{id}` — and nobody else, and not once it has left the clerk.
@Suite("Claim edit")
struct ClaimEditTests {
    static func put(_ app: Application, _ id: Int, _ body: [String: Any], as username: String) async throws
        -> TestingHTTPResponse
    {
        let token = try await APIClient(app: app).token(username)
        let data = try JSONSerialization.data(withJSONObject: body)
        return try await app.testing().sendRequest(.PUT, "/api/v1/claims/\(id)") { request in
            request.headers.bearerAuthorization = .init(token: token)
            request.headers.contentType = .json
            request.body = ByteBuffer(data: data)
        }
    }

    static func record(_ app: Application, _ id: Int) async throws -> ClaimRecord {
        try #require(try await ClaimRecord.find(id, on: app.db))
    }

    static func invoiceNumbers(_ app: Application, _ id: Int) async throws -> [String] {
        try await ClaimInvoiceRecord.query(on: app.db).filter(\.$claim.$id == id).sort(\.$position).all().map(\.number)
    }

    static func audits(_ app: Application, _ id: Int, _ action: String) async throws -> [AuditRecord] {
        try await AuditRecord.query(on: app.db).filter(\.$entityType == "claim").filter(\.$entityID == String(id))
            .filter(\.$action == action).all()
    }

    static func events(_ app: Application, _ id: Int) async throws -> [String] {
        try await ClaimEventRecord.query(on: app.db).filter(\.$claim.$id == id).sort(\.$id).all().map(\.action)
    }

    /// Opens the edit page (for its CSRF token) and posts `form` to it.
    static func edit(_ browser: Browser, _ id: Int, _ form: [String: String], scans: [(String, Data)] = [])
        async throws -> TestingHTTPResponse
    {
        #expect(try await browser.get("/claims/\(id)/edit").status == .ok)
        return try await ClaimPagesTests.postMultipart(browser, "/claims/\(id)/edit", form, scans: scans)
    }

    static let pdf = Data("%PDF-1.4 receipt".utf8)

    @Test("the clerk edits a draft in the form: fields, invoices and scans change, with history and audit")
    func editDraftPage() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let clerk = try await Browser(app).signedIn("village_clerk")
            let id = try await ClaimPagesTests.drafted(
                clerk, ClaimPagesTests.form(), scans: [("a.png", ClaimPagesTests.png)])
            let oldScan = try #require(try await ClaimScanRecord.query(on: app.db).filter(\.$claim.$id == id).first())

            let page = try await clerk.get("/claims/\(id)/edit")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("action=\"/claims/\(id)/edit\""))
            #expect(html.contains("value=\"6000.00\""))
            #expect(html.contains("value=\"No.001\"") && html.contains("value=\"No.002\""))
            #expect(html.contains("value=\"修补村道坑槽\"") || html.contains(">修补村道坑槽</textarea>"))
            #expect(html.contains("remove_scan_\(oldScan.sha256)"))

            var form = ClaimPagesTests.form(amount: "5000.00", rows: [("No.009", "5000.00")])
            form["purpose"] = "修补村道坑槽（改）"
            form["remove_scan_\(oldScan.sha256)"] = "1"
            let response = try await Self.edit(clerk, id, form, scans: [("b.pdf", Self.pdf)])
            #expect(response.status == .seeOther, "\(response.body.string)")
            #expect(response.location == "/claims/\(id)")

            let record = try await Self.record(app, id)
            #expect(record.amountFen == 500_000)
            #expect(record.purpose == "修补村道坑槽（改）")
            #expect(record.claimState == .draft)
            #expect(try await Self.invoiceNumbers(app, id) == ["No.009"])
            let scans = try await ClaimScanRecord.query(on: app.db).filter(\.$claim.$id == id).all()
            #expect(scans.map(\.name) == ["b.pdf"])
            #expect(try await Self.events(app, id) == ["draft", "revise"])
            let audit = try #require(try await Self.audits(app, id, "claim_revise").first)
            #expect(audit.before?.contains("600000") == true)
            #expect(audit.after?.contains("500000") == true && audit.after?.contains("No.009") == true)
            #expect(try await Self.audits(app, id, "claim_scans_remove").count == 1)
            // A draft holds no reservation, and editing makes none.
            #expect(try await ClaimAPITests.reservation(app, id) == nil)

            let shown = try await clerk.get("/claims/\(id)")
            #expect(shown.body.string.contains("No.009"))
            #expect(shown.body.string.contains(ClaimPagesTests.text(app, "claim_pages.edit.saved")))
            // The history names the edit as an edit, after the draft.
            #expect(shown.body.string.contains(ClaimPagesTests.text(app, "claim_pages.event.revise")))
        }
    }

    @Test("the clerk edits a draft through the API: 200 with the changed claim")
    func editDraftAPI() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let id = try await ClaimAPITests.draft(app, ClaimAPITests.body(amount: 10_000))
            var body = ClaimAPITests.body(amount: 12_345, number: "No.777")
            body["payee"] = ["name": "李四", "id_number": "11010519491231002X"]
            let response = try await Self.put(app, id, body, as: "village_clerk")
            #expect(response.status == .ok, "\(response.body.string)")
            #expect(response.json["amount"] as? Int == 12_345)
            #expect(response.json["state"] as? String == "draft")
            #expect(
                (response.json["history"] as? [[String: Any]])?.map { $0["action"] as? String } == ["draft", "revise"])
            let record = try await Self.record(app, id)
            #expect(record.amountFen == 12_345)
            #expect(record.payeeKind == "person" && record.payeeName == "李四")
            #expect(try await Self.invoiceNumbers(app, id) == ["No.777"])
            #expect(try await Self.audits(app, id, "claim_revise").count == 1)
        }
    }

    @Test("a returned claim is corrected, stays returned, and goes on through the whole chain")
    func returnedCorrected() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let share = try await ClaimAPITests.fund(app)
            let clerk = try await Browser(app).signedIn("village_clerk")
            let id = try await ClaimPagesTests.drafted(
                clerk, ClaimPagesTests.form(amount: "1200.00", rows: [("No.101", "1200.00")]))
            #expect(try await ClaimPagesTests.step(clerk, id, "submit").status == .seeOther)
            let group = try await Browser(app).signedIn("finance_group")
            #expect(try await ClaimPagesTests.step(group, id, "return", note: "发票金额不符").status == .seeOther)
            #expect(try await Self.record(app, id).claimState == .returned)
            #expect(try await ClaimAPITests.available(app).available.fen == share)

            let page = try await clerk.get("/claims/\(id)")
            #expect(page.body.string.contains("id=\"claim-edit\""))
            let form = ClaimPagesTests.form(amount: "1150.00", rows: [("No.102", "1150.00")])
            let response = try await Self.edit(clerk, id, form)
            #expect(response.status == .seeOther, "\(response.body.string)")
            let record = try await Self.record(app, id)
            #expect(record.claimState == .returned)
            #expect(record.amountFen == 115_000)
            // Still released, nothing reserved: editing never touches the ledger.
            #expect(try await ClaimAPITests.reservation(app, id)?.state == "released")
            #expect(try await ClaimAPITests.available(app).available.fen == share)

            #expect(try await ClaimPagesTests.step(clerk, id, "submit").status == .seeOther)
            #expect(try await ClaimAPITests.available(app).reserved.fen == 115_000)
            for (action, user) in [
                ("review", "finance_group"), ("approve", "village_head"), ("leader_review", "township_leader"),
                ("post", "township_finance"),
            ] {
                let done = try await ClaimAPITests.act(app, id, action, as: user)
                #expect(done.status == .ok, "\(action): \(done.body.string)")
            }
            #expect(try await Self.record(app, id).claimState == .posted)
            #expect(try await ClaimAPITests.available(app).available.fen == share - 115_000)
            #expect(
                try await Self.events(app, id) == [
                    "draft", "submit", "return", "revise", "submit", "review", "approve", "leader_review", "post",
                ])
        }
    }

    @Test("a submitted or posted claim is not edited: 409 and nothing changes; no Edit link")
    func notEditableOnceSubmitted() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            _ = try await ClaimAPITests.fund(app)
            let id = try await ClaimAPITests.draft(app, ClaimAPITests.body(amount: 10_000))
            #expect(try await ClaimAPITests.act(app, id, "submit", as: "village_clerk").status == .ok)
            let changed = ClaimAPITests.body(amount: 9_000, number: "No.900")
            let refused = try await Self.put(app, id, changed, as: "village_clerk")
            #expect(refused.status == .conflict, "\(refused.body.string)")

            let clerk = try await Browser(app).signedIn("village_clerk")
            #expect(try await clerk.get("/claims/\(id)/edit").status == .conflict)
            let page = try await clerk.get("/claims/\(id)")
            #expect(!page.body.string.contains("id=\"claim-edit\""))
            let posted = try await ClaimPagesTests.postMultipart(
                clerk, "/claims/\(id)/edit", ClaimPagesTests.form(amount: "90.00", rows: [("No.900", "90.00")]))
            #expect(posted.status == .conflict)

            for (action, user) in [
                ("review", "finance_group"), ("approve", "village_head"), ("leader_review", "township_leader"),
                ("post", "township_finance"),
            ] {
                #expect(try await ClaimAPITests.act(app, id, action, as: user).status == .ok)
            }
            #expect(try await Self.put(app, id, changed, as: "village_clerk").status == .conflict)
            let record = try await Self.record(app, id)
            #expect(record.amountFen == 10_000)
            #expect(try await Self.invoiceNumbers(app, id) == ["No.00123"])
            #expect(!(try await Self.events(app, id)).contains("revise"))
            #expect(try await Self.audits(app, id, "claim_revise").isEmpty)
        }
    }

    @Test("another village's clerk gets 404; the village head may see but not edit: 403; the Edit link follows")
    func access() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let id = try await ClaimAPITests.draft(app, ClaimAPITests.body(amount: 10_000))
            let changed = ClaimAPITests.body(amount: 9_000, number: "No.900")
            #expect(try await Self.put(app, id, changed, as: "village_clerk2").status == .notFound)
            #expect(try await Self.put(app, id, changed, as: "village_head").status == .forbidden)
            #expect(try await Self.put(app, id, changed, as: "finance_group").status == .forbidden)

            let other = try await Browser(app).signedIn("village_clerk2")
            #expect(try await other.get("/claims/\(id)/edit").status == .notFound)
            let head = try await Browser(app).signedIn("village_head")
            #expect(try await head.get("/claims/\(id)/edit").status == .forbidden)
            let shown = try await head.get("/claims/\(id)")
            #expect(shown.status == .ok)
            #expect(!shown.body.string.contains("id=\"claim-edit\""))
            let posted = try await ClaimPagesTests.postMultipart(
                head, "/claims/\(id)/edit", ClaimPagesTests.form(amount: "90.00", rows: [("No.900", "90.00")]))
            #expect(posted.status == .forbidden)

            let clerk = try await Browser(app).signedIn("village_clerk")
            let mine = try await clerk.get("/claims/\(id)")
            #expect(mine.body.string.contains("id=\"claim-edit\" href=\"/claims/\(id)/edit\""))

            #expect(try await Self.record(app, id).amountFen == 10_000)
            #expect(try await Self.invoiceNumbers(app, id) == ["No.00123"])
            #expect(try await Self.audits(app, id, "claim_revise").isEmpty)
        }
    }

    @Test("bad input: 422 with messages beside the fields, what was typed kept, nothing changed")
    func badInput() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let clerk = try await Browser(app).signedIn("village_clerk")
            let id = try await ClaimPagesTests.drafted(clerk, ClaimPagesTests.form())
            var form = ClaimPagesTests.form(amount: "abc", rows: [("No.301", "12.00")])
            form["purpose"] = ""
            form["payee_name"] = "王五建材"
            let response = try await Self.edit(clerk, id, form)
            #expect(response.status == .unprocessableEntity)
            let html = response.body.string
            #expect(html.contains(ClaimPagesTests.text(app, "claim_pages.error.money", ["value": "abc"])))
            #expect(html.contains("id=\"e-amount\"") && html.contains("id=\"e-purpose\""))
            #expect(html.contains("value=\"abc\"") && html.contains("value=\"王五建材\"") && html.contains("No.301"))
            #expect(html.contains("action=\"/claims/\(id)/edit\""))

            let api = try await Self.put(app, id, ["amount": 100, "payee": "x", "purpose": "y"], as: "village_clerk")
            #expect(api.status == .unprocessableEntity)
            #expect(api.detailFields.contains("category"))
            let mismatch = try await Self.put(
                app, id, ClaimAPITests.body(amount: 100).merging(["amount": -200]) { $1 }, as: "village_clerk")
            #expect(mismatch.status == .unprocessableEntity, "\(mismatch.body.string)")

            let record = try await Self.record(app, id)
            #expect(record.amountFen == 600_000)
            #expect(record.payeeName == "青山建材店")
            #expect(try await Self.invoiceNumbers(app, id) == ["No.001", "No.002"])
            #expect(try await Self.events(app, id) == ["draft"])
        }
    }

    @Test("an invoice another claim carries is refused")
    func duplicateInvoice() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            _ = try await ClaimAPITests.draft(app, ClaimAPITests.body(amount: 10_000, number: "No.555"))
            let id = try await ClaimAPITests.draft(app, ClaimAPITests.body(amount: 10_000, number: "No.556"))
            let response = try await Self.put(
                app, id, ClaimAPITests.body(amount: 10_000, number: "No.555"), as: "village_clerk")
            #expect(response.status == .unprocessableEntity, "\(response.body.string)")
            #expect(response.detailFields.contains("invoices.1.number"))

            let clerk = try await Browser(app).signedIn("village_clerk")
            let page = try await Self.edit(
                clerk, id, ClaimPagesTests.form(amount: "100.00", rows: [("No.555", "100.00")]))
            #expect(page.status == .unprocessableEntity)
            #expect(try await Self.invoiceNumbers(app, id) == ["No.556"])
            #expect(try await Self.record(app, id).amountFen == 10_000)
        }
    }

    @Test("the English edit pages have no untranslated keys")
    func english() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let clerk = try await Browser(app, language: "en").signedIn("village_clerk")
            let id = try await ClaimPagesTests.drafted(
                clerk, ClaimPagesTests.form(), scans: [("a.png", ClaimPagesTests.png)])
            var bad = ClaimPagesTests.form()
            bad["amount"] = "abc"
            let pages = [
                try await clerk.get("/claims/\(id)/edit"), try await Self.edit(clerk, id, bad),
                try await clerk.get("/claims/\(id)"),
            ]
            #expect(pages.map(\.status.code) == [200, 422, 200])
            #expect(pages[0].body.string.contains(ClaimPagesTests.text(app, "claim_pages.edit.title", [:], .en)))
            #expect(pages[2].body.string.contains(">Edit</a>"))
            for page in pages { ClaimPageChecks.expectEnglish(page, without: "编辑") }
        }
    }
}
