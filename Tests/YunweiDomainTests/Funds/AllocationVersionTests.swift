import Testing

@testable import YunweiDomain

@Suite("Allocation versions and status")
struct AllocationVersionTests {
    typealias F = AllocationFixture

    private func table(pool: Int64, year: Int = F.year) throws -> Allocation {
        let village = F.village(1, year: year)
        let request = AllocationRequest(
            year: year, pool: Money(fen: pool), base: .zero, weights: try F.weights([.population: 1_000_000]),
            villages: [village])
        return try AllocationByFactors.allocate(request).get()
    }

    @Test("a year's first allocation is draft version 1, and a draft may be recomputed")
    func draftIsEditable() throws {
        let first = AllocationVersion.first(try table(pool: 100))
        #expect(first.number == 1 && first.status == .draft && first.reason == nil)
        let edited = try first.editing(to: try table(pool: 200)).get()
        #expect(edited.number == 1 && edited.allocation.pool == Money(fen: 200))
    }

    @Test("an approved allocation is never edited")
    func approvedIsNotEditable() throws {
        let approved = try AllocationVersion.first(try table(pool: 100)).approving().get()
        #expect(
            approved.editing(to: try table(pool: 200))
                == .failure(
                    FundIssue(
                        field: "status", key: "allocation.error.not_editable",
                        args: ["version": "1", "status": "allocation_status.approved"])))
        let published = try approved.publishing().get()
        #expect(published.status == .published)
        #expect(throws: FundIssue.self) { try published.editing(to: try table(pool: 200)).get() }
    }

    @Test("status moves only draft → approved → published")
    func statusOrder() throws {
        let draft = AllocationVersion.first(try table(pool: 100))
        #expect(
            draft.publishing()
                == .failure(
                    FundIssue(
                        field: "status", key: "allocation.error.illegal_status_change",
                        args: ["from": "allocation_status.draft", "to": "allocation_status.published"])))
        let published = try draft.approving().get().publishing().get()
        #expect(throws: FundIssue.self) { try published.approving().get() }
        #expect(throws: FundIssue.self) { try published.publishing().get() }
    }

    @Test("a change to an approved allocation is version n + 1, a draft, with its reason")
    func revision() throws {
        let approved = try AllocationVersion.first(try table(pool: 100)).approving().get()
        let second = try approved.revising(to: try table(pool: 150), reason: "  追加预算 ").get()
        #expect(second.number == 2 && second.status == .draft && second.reason == "追加预算")
        #expect(approved.allocation.pool == Money(fen: 100))
        let third = try second.approving().get().publishing().get().revising(to: try table(pool: 90), reason: "纠错")
            .get()
        #expect(third.number == 3)
    }

    @Test("a revision without a reason is refused, and so is a reason of only spaces")
    func revisionNeedsReason() throws {
        let approved = try AllocationVersion.first(try table(pool: 100)).approving().get()
        let refusal = FundIssue(field: "reason", key: "allocation.error.reason_required")
        #expect(approved.revising(to: try table(pool: 150), reason: "") == .failure(refusal))
        #expect(approved.revising(to: try table(pool: 150), reason: " \n\t ") == .failure(refusal))
    }

    @Test("a draft is edited, not revised, and no version takes another year's table")
    func revisionRefusals() throws {
        let draft = AllocationVersion.first(try table(pool: 100))
        #expect(
            draft.revising(to: try table(pool: 150), reason: "x")
                == .failure(FundIssue(field: "status", key: "allocation.error.revise_draft", args: ["version": "1"])))
        let otherYear = FundIssue(
            field: "year", key: "allocation.error.other_year", args: ["year": "2025", "expected": "2024"])
        #expect(draft.editing(to: try table(pool: 100, year: 2025)) == .failure(otherYear))
        let approved = try draft.approving().get()
        #expect(approved.revising(to: try table(pool: 100, year: 2025), reason: "x") == .failure(otherYear))
    }
}
