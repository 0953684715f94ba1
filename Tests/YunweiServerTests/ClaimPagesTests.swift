import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YunweiDomain

@testable import YunweiServer

/// Claims 报账 in a browser: the clerk's form with invoice rows and scans, the inboxes of each
/// step, the claim page with only the steps its viewer may take, and the printable 报账单.
@Suite("Claim pages")
struct ClaimPagesTests {
    static let png = Data([
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    ])

    static func text(_ app: Application, _ key: String, _ args: [String: String] = [:], _ language: Language = .zhHans)
        -> String
    {
        app.catalog.text(key, in: language, args)
    }

    /// A complete claim form of ¥6,000.00 (noticed) on two invoice rows, or of `amount` on one.
    static func form(amount: String = "6000.00", rows: [(String, String)]? = nil) -> [String: String] {
        let today = StatisticsPeriod.day(of: Date()).description
        var form = [
            "category": "infrastructure", "amount": amount, "payee_kind": "organisation", "payee_name": "青山建材店",
            "purpose": "修补村道坑槽", "link_kind": "project", "link_id": "1", "rows": "3",
        ]
        for (offset, row) in (rows ?? [("No.001", "4000.00"), ("No.002", "2000.00")]).enumerated() {
            let n = offset + 1
            form["inv_number_\(n)"] = row.0
            form["inv_issuer_\(n)"] = "青山建材店"
            form["inv_date_\(n)"] = today
            form["inv_amount_\(n)"] = row.1
        }
        return form
    }

    /// Posts `fields` and `scans` as a browser posts a form with a file field.
    @discardableResult
    static func postMultipart(
        _ browser: Browser, _ path: String, _ fields: [String: String], scans: [(String, Data)] = []
    ) async throws -> TestingHTTPResponse {
        let boundary = "claim-\(UUID().uuidString)"
        var body = Data()
        var all = fields
        if let csrf = browser.csrf { all["_csrf"] = csrf }
        for (name, value) in all {
            body.append(
                Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        for (filename, data) in scans {
            body.append(
                Data(
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"scans\"; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                        .utf8))
            body.append(data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        let cookie = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        let language = browser.language
        return try await browser.app.testing().sendRequest(.POST, path) { request in
            request.headers.replaceOrAdd(name: .cookie, value: cookie)
            if let language { request.headers.replaceOrAdd(name: .acceptLanguage, value: language) }
            request.headers.replaceOrAdd(name: .accept, value: "text/html")
            request.headers.contentType = HTTPMediaType(
                type: "multipart", subType: "form-data", parameters: ["boundary": boundary])
            request.body = ByteBuffer(data: body)
        }
    }

    /// Drafts through the form as the clerk; the claim's id.
    static func drafted(_ clerk: Browser, _ form: [String: String], scans: [(String, Data)] = []) async throws -> Int {
        #expect(try await clerk.get("/claims/new").status == .ok)
        let response = try await postMultipart(clerk, "/claims", form, scans: scans)
        #expect(response.status == .seeOther, "\(response.body.string)")
        let location = try #require(response.location)
        return try #require(Int(location.replacingOccurrences(of: "/claims/", with: "")))
    }

    /// Takes a step through the claim page's form.
    @discardableResult
    static func step(_ browser: Browser, _ id: Int, _ action: String, note: String = "") async throws
        -> TestingHTTPResponse
    {
        try await browser.get("/claims/\(id)")
        return try await browser.post("/claims/\(id)/actions", ["action": action, "note": note])
    }

    static func lists(_ browser: Browser, _ id: Int, tab: String? = nil) async throws -> Bool {
        let page = try await browser.get("/claims" + (tab.map { "?tab=\($0)" } ?? ""))
        #expect(page.status == .ok)
        return page.body.string.contains("href=\"/claims/\(id)\"")
    }

    @Test("the whole chain through the pages: each inbox shows the claim to exactly the right person")
    func wholeChain() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            _ = try await ClaimAPITests.fund(app)
            let clerk = try await Browser(app).signedIn("village_clerk")
            let id = try await Self.drafted(clerk, Self.form(), scans: [("invoice-1.png", Self.png)])
            let page = try await clerk.get("/claims/\(id)")
            #expect(page.body.string.contains(Self.text(app, "claim_pages.drafted")))
            #expect(page.body.string.contains("No.001") && page.body.string.contains("No.002"))
            #expect(page.body.string.contains("id=\"step-submit\""))
            #expect(page.body.string.contains("name=\"idempotency_key\""))
            let scanPath = try #require(
                CasePagesTests.matches(#"href="(/claims/\#(id)/scans/[0-9a-f]{64})""#, in: page.body.string).first)
            let scan = try await clerk.get(scanPath)
            #expect(scan.status == .ok)
            #expect(scan.headers.contentType == .png)
            #expect(try await ClaimScanRecord.query(on: app.db).count() == 1)

            let people = ["finance_group", "village_head", "township_leader", "township_finance", "village_clerk2"]
            var browsers: [String: Browser] = ["village_clerk": clerk]
            for name in people { browsers[name] = try await Browser(app).signedIn(name) }
            /// Each person's own inbox (the default tab) lists the claim exactly when it is theirs.
            func inboxes(expect holder: String?) async throws {
                for name in people {
                    let listed = try await Self.lists(browsers[name]!, id)
                    #expect(listed == (name == holder), "\(name) at \(holder ?? "none")")
                }
            }
            #expect(try await Self.lists(clerk, id))
            try await inboxes(expect: nil)

            #expect(try await Self.step(clerk, id, "submit").status == .seeOther)
            try await inboxes(expect: "finance_group")
            #expect(try await Self.step(browsers["finance_group"]!, id, "review").status == .seeOther)
            try await inboxes(expect: "village_head")
            #expect(try await Self.step(browsers["village_head"]!, id, "approve").status == .seeOther)
            try await inboxes(expect: nil)

            // ¥6,000 is noticed: the leader sees it in notice, with no review button, and is refused.
            let leader = browsers["township_leader"]!
            let notice = try await leader.get("/claims?tab=notice")
            #expect(notice.body.string.contains("href=\"/claims/\(id)\""))
            #expect(notice.body.string.contains(Self.text(app, "claim_pages.days_left", ["days": "5"])))
            let noticed = try await leader.get("/claims/\(id)")
            #expect(!noticed.body.string.contains("id=\"step-leader_review\""))
            let early = try await leader.post("/claims/\(id)/actions", ["action": "leader_review", "note": ""])
            #expect(early.status == .conflict)
            #expect(early.body.string.contains(Self.text(app, "claim.error.notice_running", ["days": "5"])))

            let record = try #require(try await ClaimRecord.find(id, on: app.db))
            record.noticeStartedAt = Date().addingTimeInterval(-PublicNotice.length - 60)
            try await record.save(on: app.db)
            try await inboxes(expect: "township_leader")
            #expect(try await Self.step(leader, id, "leader_review").status == .seeOther)
            try await inboxes(expect: "township_finance")
            let posted = try await Self.step(browsers["township_finance"]!, id, "post")
            #expect(posted.status == .seeOther)
            let done = try await browsers["township_finance"]!.get("/claims/\(id)")
            try await inboxes(expect: nil)
            #expect(done.body.string.contains(Self.text(app, "claim_pages.done.post")))
            #expect(done.body.string.contains(Self.text(app, "claim_state.posted")))
            #expect(done.body.string.contains(Self.text(app, "claim_pages.reservation.posted")))
            #expect(!done.body.string.contains("class=\"step\""))
            let entry = try #require(try await ClaimRecord.find(id, on: app.db)?.postedEntryID)
            #expect(done.body.string.contains(Self.text(app, "claim_pages.posted_entry", ["number": String(entry)])))

            let print = try await clerk.get("/claims/\(id)/print")
            #expect(print.status == .ok)
            #expect(print.body.string.contains("人民币陆仟元整"))
            #expect(print.body.string.contains("@media print"))
            #expect(!print.body.string.contains("class=\"nav\""))
            for name in ["village_clerk", "finance_group", "village_head", "township_leader", "township_finance"] {
                #expect(print.body.string.contains("<td>\(name)</td>"), "\(name) signs")
            }
        }
    }

    @Test("a clerk of another township gets 404 on the claim, its print page, its scan and its steps")
    func otherVillageIsNotFound() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let clerk = try await Browser(app).signedIn("village_clerk")
            let id = try await Self.drafted(clerk, Self.form(), scans: [("scan.png", Self.png)])
            let scan = try #require(try await ClaimScanRecord.query(on: app.db).first())
            let other = try await Browser(app).signedIn("village_clerk2")
            #expect(try await other.get("/claims/\(id)").status == .notFound)
            #expect(try await other.get("/claims/\(id)/print").status == .notFound)
            #expect(try await other.get("/claims/\(id)/scans/\(scan.sha256)").status == .notFound)
            #expect(try await other.post("/claims/\(id)/actions", ["action": "withdraw"]).status == .notFound)
            #expect(!(try await Self.lists(other, id, tab: "all")))
            #expect(try await clerk.get("/claims/\(id)/scans/\(String(repeating: "0", count: 64))").status == .notFound)
        }
    }

    @Test("a bad form is 422 with each message beside its field, everything typed kept, nothing stored")
    func badForm() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let clerk = try await Browser(app).signedIn("village_clerk")
            try await clerk.get("/claims/new")
            var form = Self.form()
            form["purpose"] = ""
            form["amount"] = "abc"
            form["inv_date_2"] = "2025-13-45"
            let response = try await Self.postMultipart(
                clerk, "/claims", form, scans: [("notes.txt", Data("hello".utf8))])
            #expect(response.status == .unprocessableEntity)
            let body = response.body.string
            #expect(body.contains("id=\"e-amount\">\(Self.text(app, "claim_pages.error.money", ["value": "abc"]))"))
            #expect(body.contains("id=\"e-purpose\">\(Self.text(app, "claim.issue.purpose_required"))"))
            #expect(body.contains(Self.text(app, "claim_pages.error.date", ["value": "2025-13-45"])))
            #expect(body.contains(Self.text(app, "claim_pages.scan.kind", ["number": "1", "name": "notes.txt"])))
            #expect(body.contains("value=\"青山建材店\"") && body.contains("value=\"No.002\""))
            #expect(body.contains("value=\"abc\"") && body.contains("value=\"2025-13-45\""))
            #expect(try await ClaimRecord.query(on: app.db).count() == 0)
            #expect(try await ClaimInvoiceRecord.query(on: app.db).count() == 0)
            #expect(try await ClaimScanRecord.query(on: app.db).count() == 0)
        }
    }

    @Test("add row shows one more invoice row and keeps what was typed; nothing is stored")
    func addRow() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let clerk = try await Browser(app).signedIn("village_clerk")
            let first = try await clerk.get("/claims/new")
            #expect(first.body.string.contains("name=\"inv_number_3\""))
            #expect(!first.body.string.contains("name=\"inv_number_4\""))
            var form = Self.form()
            form["more"] = "1"
            let more = try await clerk.post("/claims", form)
            #expect(more.status == .ok)
            let body = more.body.string
            #expect(body.contains("name=\"inv_number_4\"") && !body.contains("name=\"inv_number_5\""))
            #expect(body.contains("value=\"No.001\"") && body.contains("value=\"2000.00\""))
            #expect(body.contains("修补村道坑槽") && body.contains("value=\"6000.00\""))
            #expect(try await ClaimRecord.query(on: app.db).count() == 0)
        }
    }

    @Test("a return without a reason is refused with ClaimDesk's message; with one it goes back to the clerk")
    func returnNeedsReason() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            _ = try await ClaimAPITests.fund(app)
            let clerk = try await Browser(app).signedIn("village_clerk")
            let id = try await Self.drafted(clerk, Self.form())
            #expect(try await Self.step(clerk, id, "submit").status == .seeOther)
            let group = try await Browser(app).signedIn("finance_group")
            let refused = try await Self.step(group, id, "return")
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains(Self.text(app, "claim.error.reason_required")))
            #expect(try await ClaimRecord.find(id, on: app.db)?.claimState == .submitted)
            // The clerk may not review her own claim: 403 with the reason, nothing changes.
            let forbidden = try await clerk.post("/claims/\(id)/actions", ["action": "review"])
            #expect(forbidden.status == .forbidden)
            #expect(try await Self.step(group, id, "return", note: "发票不清楚").status == .seeOther)
            #expect(try await ClaimRecord.find(id, on: app.db)?.claimState == .returned)
            #expect(try await Self.lists(clerk, id, tab: "returned"))
            let auditor = try await Browser(app).signedIn("county_auditor")
            #expect(try await Self.lists(auditor, id, tab: "all&state=returned&village=\(Fixture.villageA1)"))
            #expect(!(try await Self.lists(auditor, id, tab: "all&state=posted")))
            #expect(!(try await Self.lists(auditor, id, tab: "all&village=\(Fixture.villageB1)")))
            let page = try await clerk.get("/claims/\(id)")
            #expect(page.body.string.contains("发票不清楚"))
        }
    }

    @Test("the print page shows the amount in Chinese capitals in both languages; ID numbers are masked")
    func printCapitals() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let clerk = try await Browser(app).signedIn("village_clerk")
            var form = Self.form(amount: "1234.50", rows: [("No.9", "1234.50")])
            form["payee_kind"] = "person"
            form["payee_name"] = "张三"
            form["payee_id_number"] = "11010519491231002X"
            let id = try await Self.drafted(clerk, form)
            let print = try await clerk.get("/claims/\(id)/print")
            #expect(print.body.string.contains("人民币壹仟贰佰叁拾肆元伍角整"))
            #expect(print.body.string.contains("¥1,234.50"))
            #expect(print.body.string.contains(Masked.idNumber("11010519491231002X")))
            #expect(!print.body.string.contains("11010519491231002X"))
            #expect(!(try await clerk.get("/claims/\(id)")).body.string.contains("11010519491231002X"))
            let english = try await Browser(app, language: "en").signedIn("village_clerk")
            let printed = try await english.get("/claims/\(id)/print")
            #expect(printed.body.string.contains("人民币壹仟贰佰叁拾肆元伍角整"))
            let title = Self.text(app, "claim_pages.print_title", [:], .en).replacingOccurrences(of: "&", with: "&amp;")
            #expect(printed.body.string.contains("<h1>\(title)</h1>"))
        }
    }

    @Test("English pages have no untranslated keys")
    func englishComplete() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            _ = try await ClaimAPITests.fund(app)
            let clerk = try await Browser(app, language: "en").signedIn("village_clerk")
            let id = try await Self.drafted(clerk, Self.form(), scans: [("a.png", Self.png)])
            #expect(try await Self.step(clerk, id, "submit").status == .seeOther)
            var bad = Self.form()
            bad["amount"] = "abc"
            let pages = [
                try await clerk.get("/claims"), try await clerk.get("/claims?tab=all"),
                try await clerk.get("/claims?tab=returned"), try await clerk.get("/claims/new"),
                try await clerk.get("/claims/\(id)"), try await clerk.get("/claims/\(id)/print"),
                try await clerk.post("/claims", bad),
                try await Browser(app, language: "en").signedIn("township_leader").get("/claims?tab=notice"),
                try await Browser(app, language: "en").signedIn("finance_group").get("/claims/\(id)"),
            ]
            #expect(pages.map(\.status.code) == [200, 200, 200, 200, 200, 200, 422, 200, 200])
            for page in pages { ClaimPageChecks.expectEnglish(page, without: "报账单") }
        }
    }
}
