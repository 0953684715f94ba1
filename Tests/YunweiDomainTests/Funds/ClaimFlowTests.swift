import Foundation
import Testing
import YunweiDomain

private typealias F = ClaimFixtures

/// A claim as the server keeps it: every step is asked of `ClaimPolicy`, then of `ClaimMachine`,
/// and what they answer is stored — the state, the history, the notice and the village account.
private struct StoredClaim {
    var claim: Claim
    var state = ClaimState.draft
    var place = F.place
    var notice: PublicNotice?
    var reserved = Money.zero
    var posted = Money.zero

    init(yuan: Int64) { claim = F.claim(yuan: yuan) }

    @discardableResult
    mutating func take(_ action: ClaimAction, by actor: Actor, at now: Date = F.now, note: String? = nil)
        -> ClaimRefusal?
    {
        if let refusal = ClaimPolicy.refusal(actor, action, on: place, in: state) { return refusal }
        let context = ClaimTransitionContext(now: now, claim: claim, note: note, notice: notice)
        switch ClaimMachine.transition(from: state, action: action, context: context) {
        case .failure(let refusal):
            return refusal
        case .success(let outcome):
            state = outcome.state
            if let duty = outcome.duty { place.history = place.history.recording(duty, by: actor.userID) }
            if let started = outcome.notice { notice = started }
            if action == .object, let text = outcome.note {
                notice = notice?.recording(
                    Objection(at: now, by: .user(id: actor.userID, name: actor.username), text: text))
            }
            switch outcome.money {
            case .unchanged: break
            case .reserve(let amount): reserved += amount
            case .release(let amount): reserved -= amount
            case .post(let amount):
                reserved -= amount
                posted += amount
            }
            return nil
        }
    }
}

@Suite("A claim's way from the clerk to the ledger")
struct ClaimFlowTests {
    @Test("a ¥1,200 claim goes draft → submitted → reviewed → approved → leader reviewed → posted, five people signing")
    func belowThreshold() {
        var stored = StoredClaim(yuan: 1_200)
        #expect(stored.take(.submit, by: F.clerk) == nil)
        #expect(stored.state == .submitted && stored.reserved == Money(yuan: 1_200))
        #expect(stored.take(.review, by: F.financeMember) == nil)
        #expect(stored.take(.approve, by: F.head) == nil)
        #expect(stored.state == .villageApproved && stored.notice == nil)
        #expect(stored.take(.leaderReview, by: F.leader) == nil)
        #expect(stored.take(.post, by: F.finance) == nil)
        #expect(stored.state == .posted)
        #expect(stored.reserved == .zero && stored.posted == Money(yuan: 1_200))
        #expect(stored.place.history.entries.map(\.duty) == [.draft, .review, .approve, .leaderReview, .post])
        #expect(Set(stored.place.history.entries.map(\.userID)).count == 5)
    }

    @Test("a ¥8,000 claim is noticed for 5 days: objections are recorded, the leader waits until exactly 5 days")
    func aboveThreshold() {
        var stored = StoredClaim(yuan: 8_000)
        stored.take(.submit, by: F.clerk)
        stored.take(.review, by: F.financeMember)
        let approvedAt = F.now.addingTimeInterval(3_600)
        #expect(stored.take(.approve, by: F.head, at: approvedAt) == nil)
        #expect(stored.state == .inNotice)
        #expect(stored.notice?.start == approvedAt)

        let grid = F.actor(6, (.gridWorker, F.village1a))
        #expect(stored.take(.object, by: grid, at: approvedAt.addingTimeInterval(F.day), note: "单价偏高") == nil)
        #expect(stored.state == .inNotice)
        #expect(stored.notice?.objections.map(\.text) == ["单价偏高"])

        let almost = approvedAt.addingTimeInterval(5 * F.day - 1)
        #expect(stored.take(.leaderReview, by: F.leader, at: almost) == .noticeRunning)
        #expect(stored.take(.leaderReview, by: F.leader, at: approvedAt.addingTimeInterval(5 * F.day)) == nil)
        #expect(stored.take(.post, by: F.finance) == nil)
        #expect(stored.state == .posted && stored.posted == Money(yuan: 8_000) && stored.reserved == .zero)
    }

    @Test("a returned claim holds no reservation; resubmitted, the same reviewer may review it again")
    func returnAndResubmit() {
        var stored = StoredClaim(yuan: 1_000)
        stored.take(.submit, by: F.clerk)
        #expect(stored.take(.return, by: F.financeMember) == ClaimRefusal(key: "claim.error.reason_required"))
        #expect(stored.take(.return, by: F.financeMember, note: "缺少验收单") == nil)
        #expect(stored.state == .returned && stored.reserved == .zero)
        #expect(stored.take(.submit, by: F.clerk) == nil)
        #expect(stored.reserved == Money(yuan: 1_000))
        #expect(stored.take(.review, by: F.financeMember) == nil)
        #expect(stored.state == .reviewed)
    }

    @Test("township finance may return a claim it cannot book, and the account is as before the submission")
    func returnByFinance() {
        var stored = StoredClaim(yuan: 2_000)
        stored.take(.submit, by: F.clerk)
        stored.take(.review, by: F.financeMember)
        stored.take(.approve, by: F.head)
        stored.take(.leaderReview, by: F.leader)
        #expect(stored.take(.return, by: F.finance, note: "收款账户有误") == nil)
        #expect(stored.state == .returned && stored.reserved == .zero && stored.posted == .zero)
    }

    @Test("the clerk may withdraw before posting, and not after")
    func withdraw() {
        var pending = StoredClaim(yuan: 1_000)
        pending.take(.submit, by: F.clerk)
        pending.take(.review, by: F.financeMember)
        #expect(pending.take(.withdraw, by: F.clerk) == nil)
        #expect(pending.state == .withdrawn && pending.reserved == .zero)

        var done = StoredClaim(yuan: 1_000)
        for (action, actor) in [
            (ClaimAction.submit, F.clerk), (.review, F.financeMember), (.approve, F.head), (.leaderReview, F.leader),
            (.post, F.finance),
        ] {
            done.take(action, by: actor)
        }
        #expect(done.take(.withdraw, by: F.clerk) == .illegalTransition(from: .posted, .withdraw))
        #expect(done.posted == Money(yuan: 1_000))
    }

    @Test("a clerk who also sits in the finance group cannot review the claim she submitted")
    func clerkCannotReviewOwnSubmission() {
        let both = F.actor(1, (.villageClerk, F.village1a), (.financeGroup, F.village1a))
        var stored = StoredClaim(yuan: 1_000)
        stored.take(.submit, by: both)
        #expect(stored.take(.review, by: both) == .separationOfDuties(done: .draft, step: .review))
        #expect(stored.state == .submitted)
    }
}
