import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YunweiDomain

@testable import YunweiServer

@Suite("Claims 报账: the chain, reservations, notice, duplicates, separation of duties")
struct ClaimAPITests {
    /// Funds village A1 with its whole share of an approved allocation; the share in fen.
    static func fund(_ app: Application) async throws -> Int64 {
        let (id, share) = try await LedgerAPITests.allocation(app)
        let response = try await APIClient(app: app).post(
            "/api/v1/disbursements", ["allocation": id, "village": Fixture.villageA1], as: "township_finance")
        #expect(response.status == .created, "\(response.body.string)")
        return share
    }

    /// A complete claim of `amount` fen on one invoice.
    static func body(
        amount: Int64, number: String = "No.00123", issuer: String = "青山建材店", village: String? = nil
    ) -> [String: Any] {
        var body: [String: Any] = [
            "category": "infrastructure", "amount": amount, "payee": "青山建材店", "purpose": "修补村道坑槽",
            "invoices": [
                [
                    "number": number, "issuer": issuer, "date": StatisticsPeriod.day(of: Date()).description,
                    "amount": amount,
                ]
            ],
            "links": [["kind": "project", "id": 1]],
        ]
        if let village { body["village"] = village }
        return body
    }

    /// Drafts a claim as the clerk; its id.
    static func draft(_ app: Application, _ body: [String: Any], as username: String = "village_clerk") async throws
        -> Int
    {
        let response = try await APIClient(app: app).post("/api/v1/claims", body, as: username)
        #expect(response.status == .created, "\(response.body.string)")
        return try #require(response.json["id"] as? Int)
    }

    static func act(
        _ app: Application, _ id: Int, _ action: String, as username: String, note: String? = nil
    ) async throws -> TestingHTTPResponse {
        var body: [String: Any] = ["action": action]
        if let note { body["note"] = note }
        return try await APIClient(app: app).post("/api/v1/claims/\(id)/actions", body, as: username)
    }

    static func available(_ app: Application) async throws -> AvailableBalance {
        try await LedgerBook.availability(
            of: try await LedgerAPITests.village(Fixture.villageA1, on: app.db), on: app.db)
    }

    static func reservation(_ app: Application, _ id: Int) async throws -> ReservationRecord? {
        try await ReservationRecord.query(on: app.db).filter(\.$claimID == Int64(id)).first()
    }

    @Test("below the threshold the whole chain ends posted; the statement shows the expense")
    func chainBelowThreshold() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let share = try await Self.fund(app)
            let amount: Int64 = 120_050
            let id = try await Self.draft(app, Self.body(amount: amount))
            let shown = try await APIClient(app: app).get("/api/v1/claims/\(id)", as: "village_clerk")
            #expect(shown.status == .ok)
            #expect(shown.json["state"] as? String == "draft")
            #expect(shown.json["village"] as? String == Fixture.villageA1)
            #expect((shown.json["actions"] as? [String])?.contains("submit") == true)
            #expect(try await Self.available(app).available.fen == share)

            let steps: [(String, String, String)] = [
                ("submit", "village_clerk", "submitted"), ("review", "finance_group", "reviewed"),
                ("approve", "village_head", "village_approved"),
                ("leader_review", "township_leader", "leader_reviewed"),
                ("post", "township_finance", "posted"),
            ]
            for (action, user, state) in steps {
                let response = try await Self.act(app, id, action, as: user)
                #expect(response.status == .ok, "\(action): \(response.body.string)")
                #expect(response.json["state"] as? String == state)
                if action == "submit" {
                    #expect(try await Self.available(app).available.fen == share - amount)
                    #expect(try await Self.available(app).reserved.fen == amount)
                }
            }
            let posted = try await APIClient(app: app).get("/api/v1/claims/\(id)", as: "township_finance")
            #expect(posted.json["posted_entry"] as? Int != nil)
            #expect(
                (posted.json["history"] as? [[String: Any]])?.map { $0["action"] as? String } == [
                    "draft", "submit", "review", "approve", "leader_review", "post",
                ])
            #expect((posted.json["actions"] as? [String]) == [])
            #expect(try await Self.reservation(app, id)?.state == "posted")

            // A posted claim takes no more steps.
            #expect(try await Self.act(app, id, "withdraw", as: "village_clerk").status == .conflict)

            let today = StatisticsPeriod.day(of: Date())
            let statement = try await APIClient(app: app).get(
                "/api/v1/villages/\(Fixture.villageA1)/statement?from=\(today.year)-01-01&to=\(today)",
                as: "village_clerk")
            #expect(statement.status == .ok)
            #expect(LedgerAPITests.fen(statement.json["out"]) == amount)
            #expect(LedgerAPITests.fen(statement.json["closing"]) == share - amount)
            #expect(LedgerAPITests.fen(statement.json["reserved"]) == 0)
            #expect(LedgerAPITests.fen(statement.json["available"]) == share - amount)
            let rows = try #require(statement.json["rows"] as? [[String: Any]])
            #expect(
                rows.contains { $0["source_kind"] as? String == "claim" && LedgerAPITests.fen($0["debit"]) == amount })
            let expense = LedgerAccount.expense(.infrastructure, of: UnitCode(Fixture.villageA1)!)
            #expect(try await LedgerBook.balance(of: expense, on: app.db).fen == amount)
            let totals = try await LedgerAPITests.totals(on: app.db)
            #expect(totals.debits == totals.credits)
            #expect(
                try await AuditRecord.query(on: app.db).filter(\.$entityType == "claim").count() == 6)
        }
    }

    @Test("above the threshold the claim is noticed; the leader waits 5 days; objections are recorded")
    func noticeAboveThreshold() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            _ = try await Self.fund(app)
            let amount = PublicNotice.defaultThreshold.fen
            let id = try await Self.draft(app, Self.body(amount: amount))
            for (action, user) in [
                ("submit", "village_clerk"), ("review", "finance_group"), ("approve", "village_head"),
            ] {
                #expect(try await Self.act(app, id, action, as: user).status == .ok)
            }
            let noticed = try await APIClient(app: app).get("/api/v1/claims/\(id)", as: "township_leader")
            #expect(noticed.json["state"] as? String == "in_notice")
            #expect(noticed.json["notice"] as? [String: Any] != nil)
            #expect((noticed.json["actions"] as? [String])?.contains("leader_review") == false)

            let early = try await Self.act(app, id, "leader_review", as: "township_leader")
            #expect(early.status == .conflict)
            #expect(try await Self.act(app, id, "object", as: "finance_group").status == .unprocessableEntity)
            let objection = try await Self.act(app, id, "object", as: "finance_group", note: "价格偏高")
            #expect(objection.status == .ok, "\(objection.body.string)")
            #expect(objection.json["state"] as? String == "in_notice")
            let objections = (objection.json["notice"] as? [String: Any])?["objections"] as? [[String: Any]]
            #expect(objections?.map { $0["text"] as? String } == ["价格偏高"])

            let leader = try await loadActor("township_leader", on: app.db)
            let later = Date().addingTimeInterval(PublicNotice.length + 60)
            try await ClaimDesk.act(id, .leaderReview, note: nil, by: leader, now: later, on: app.db)
            let finance = try await loadActor("township_finance", on: app.db)
            let record = try await ClaimDesk.act(id, .post, note: nil, by: finance, now: later, on: app.db)
            #expect(record.claimState == .posted)
            #expect(try await Self.available(app).reserved.fen == 0)
        }
    }

    @Test("a return releases the reservation; the claim may be submitted again, then withdrawn")
    func returnReleases() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let share = try await Self.fund(app)
            let id = try await Self.draft(app, Self.body(amount: 50_000))
            #expect(try await Self.act(app, id, "submit", as: "village_clerk").status == .ok)
            #expect(try await Self.act(app, id, "review", as: "finance_group").status == .ok)
            #expect(try await Self.available(app).available.fen == share - 50_000)
            #expect(try await Self.act(app, id, "return", as: "village_head").status == .unprocessableEntity)
            let returned = try await Self.act(app, id, "return", as: "village_head", note: "发票不清楚")
            #expect(returned.status == .ok)
            #expect(returned.json["state"] as? String == "returned")
            #expect(try await Self.available(app).available.fen == share)
            #expect(try await Self.reservation(app, id)?.state == "released")

            #expect(try await Self.act(app, id, "submit", as: "village_clerk").status == .ok)
            #expect(try await Self.available(app).available.fen == share - 50_000)
            #expect(try await Self.act(app, id, "withdraw", as: "village_clerk").status == .ok)
            #expect(try await Self.available(app).available.fen == share)
            #expect(try await Self.reservation(app, id)?.state == "released")
        }
    }

    @Test("a reservation beyond what is available is refused with 409 and writes nothing")
    func insufficient() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let share = try await Self.fund(app)
            let id = try await Self.draft(app, Self.body(amount: share + 1))
            let audits = try await AuditRecord.query(on: app.db).filter(\.$entityType ~~ ["claim", "reservation"])
                .count()
            let response = try await Self.act(app, id, "submit", as: "village_clerk")
            #expect(response.status == .conflict, "\(response.body.string)")
            #expect(try await ReservationRecord.query(on: app.db).count() == 0)
            #expect(
                try await AuditRecord.query(on: app.db).filter(\.$entityType ~~ ["claim", "reservation"]).count()
                    == audits)
            #expect(try await ClaimEventRecord.query(on: app.db).count() == 1)
            #expect(try await ClaimRecord.find(id, on: app.db)?.state == "draft")
        }
    }

    @Test("an invoice already on another claim is refused at submission, naming the other claim")
    func duplicateInvoice() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            _ = try await Self.fund(app)
            let first = try await Self.draft(app, Self.body(amount: 10_000))
            #expect(try await Self.act(app, first, "submit", as: "village_clerk").status == .ok)
            let second = try await Self.draft(app, Self.body(amount: 10_000, number: " ｎｏ.００１２３ "))
            let refused = try await Self.act(app, second, "submit", as: "village_clerk")
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.detailFields == ["invoices.1.number"])
            #expect(refused.body.string.contains(String(first)))
            #expect(try await Self.reservation(app, second) == nil)

            // Once the first is withdrawn, its invoices are free again.
            #expect(try await Self.act(app, first, "withdraw", as: "village_clerk").status == .ok)
            #expect(try await Self.act(app, second, "submit", as: "village_clerk").status == .ok)
        }
    }

    @Test("an incomplete draft is refused with every problem beside its field")
    func draftIssues() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            var body = Self.body(amount: 10_000)
            body["category"] = "banquets"
            body["purpose"] = " "
            let response = try await APIClient(app: app).post("/api/v1/claims", body, as: "village_clerk")
            #expect(response.status == .unprocessableEntity)
            #expect(response.detailFields == ["category", "purpose"])
            #expect(try await ClaimRecord.query(on: app.db).count() == 0)
            let payeeObject = try await APIClient(app: app).post(
                "/api/v1/claims",
                Self.body(amount: 10_000).merging(["payee": ["name": "王师傅"]]) { _, new in new },
                as: "village_clerk")
            #expect(payeeObject.status == .created)
            #expect((payeeObject.json["payee"] as? [String: Any])?["kind"] as? String == "organisation")
            #expect(
                try await APIClient(app: app).post("/api/v1/claims", Self.body(amount: 10_000), as: "finance_group")
                    .status == .forbidden)
        }
    }

    @Test("one person takes one step: a second step is 403, and so is someone else's step")
    func separationOfDuties() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            _ = try await Self.fund(app)
            let hash = try await app.password.async.hash(Fixture.password)
            try await app.db.write { db in
                let village = try #require(
                    try await AdminUnit.query(on: db).filter(\.$code == Fixture.villageA1).first())
                let user = try await UserRegistry.create(
                    username: "two_hats", displayName: "two hats", phone: nil, passwordHash: hash, by: .system, on: db)
                try await UserRegistry.grant(.financeGroup, at: village, to: user, by: .system, on: db)
                try await UserRegistry.grant(.villageHead, at: village, to: user, by: .system, on: db)
            }
            let id = try await Self.draft(app, Self.body(amount: 10_000))
            #expect(try await Self.act(app, id, "submit", as: "village_clerk").status == .ok)
            #expect(try await Self.act(app, id, "approve", as: "village_head").status == .conflict)
            #expect(try await Self.act(app, id, "review", as: "village_head").status == .forbidden)
            #expect(try await Self.act(app, id, "review", as: "two_hats").status == .ok)
            let second = try await Self.act(app, id, "approve", as: "two_hats")
            #expect(second.status == .forbidden)
            #expect((second.json["error"] as? [String: Any])?["code"] as? String == "forbidden")
            #expect(try await ClaimRecord.find(id, on: app.db)?.state == "reviewed")
            #expect(try await Self.act(app, id, "approve", as: "village_head").status == .ok)
        }
    }

    @Test("a claim of another township is not found")
    func otherTownship() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let id = try await Self.draft(app, Self.body(amount: 10_000))
            let api = APIClient(app: app)
            #expect(try await api.get("/api/v1/claims/\(id)", as: "village_clerk2").status == .notFound)
            #expect(try await Self.act(app, id, "withdraw", as: "village_clerk2").status == .notFound)
            #expect(try await api.get("/api/v1/claims/\(id + 100)", as: "village_clerk").status == .notFound)
            #expect(
                try await api.post(
                    "/api/v1/claims", Self.body(amount: 10_000, village: Fixture.villageB1), as: "village_clerk"
                ).status == .notFound)
            #expect(try await api.get("/api/v1/claims/\(id)", as: "township_leader").status == .ok)
        }
    }
}
