import Foundation
import Testing
import YunweiDomain

private typealias F = ClaimFixtures

/// Where each action leads from each state, written out independently of `ClaimMachine`'s table,
/// for a claim below the notice threshold whose notice (if any) has the right timing for the
/// action. A missing action is refused as an illegal transition.
private let expectedTable: [ClaimState: [ClaimAction: ClaimState]] = [
    .draft: [.submit: .submitted, .withdraw: .withdrawn],
    .submitted: [.review: .reviewed, .return: .returned, .withdraw: .withdrawn],
    .reviewed: [.approve: .villageApproved, .return: .returned, .withdraw: .withdrawn],
    .inNotice: [.leaderReview: .leaderReviewed, .return: .returned, .withdraw: .withdrawn, .object: .inNotice],
    .villageApproved: [.leaderReview: .leaderReviewed, .return: .returned, .withdraw: .withdrawn],
    .leaderReviewed: [.post: .posted, .return: .returned, .withdraw: .withdrawn],
    .posted: [:],
    .returned: [.submit: .submitted, .withdraw: .withdrawn],
    .withdrawn: [:],
]

/// What each permitted step does to the account, for a claim of ¥1,000.
private let amount = Money(yuan: 1_000)
private let expectedMoney: [ClaimState: [ClaimAction: ClaimMoneyEffect]] = [
    .draft: [.submit: .reserve(amount), .withdraw: .unchanged],
    .submitted: [.review: .unchanged, .return: .release(amount), .withdraw: .release(amount)],
    .reviewed: [.approve: .unchanged, .return: .release(amount), .withdraw: .release(amount)],
    .inNotice: [
        .leaderReview: .unchanged, .return: .release(amount), .withdraw: .release(amount), .object: .unchanged,
    ],
    .villageApproved: [.leaderReview: .unchanged, .return: .release(amount), .withdraw: .release(amount)],
    .leaderReviewed: [.post: .post(amount), .return: .release(amount), .withdraw: .release(amount)],
    .returned: [.submit: .reserve(amount), .withdraw: .unchanged],
]

/// The duty each permitted step is signed under.
private let expectedDuty: [ClaimState: [ClaimAction: ClaimDuty]] = [
    .draft: [.submit: .draft, .withdraw: .draft],
    .submitted: [.review: .review, .return: .review, .withdraw: .draft],
    .reviewed: [.approve: .approve, .return: .approve, .withdraw: .draft],
    .inNotice: [.leaderReview: .leaderReview, .return: .leaderReview, .withdraw: .draft],
    .villageApproved: [.leaderReview: .leaderReview, .return: .leaderReview, .withdraw: .draft],
    .leaderReviewed: [.post: .post, .return: .post, .withdraw: .draft],
    .returned: [.submit: .draft, .withdraw: .draft],
]

/// A context that gives `action` everything it could need: a reason, and a notice that is over
/// — or, for an objection, one that still runs.
private func context(for action: ClaimAction, claim: Claim = F.claim(), note: String? = "发票抬头有误")
    -> ClaimTransitionContext
{
    let started = action == .object ? F.now.addingTimeInterval(-F.day) : F.now.addingTimeInterval(-6 * F.day)
    return ClaimTransitionContext(now: F.now, claim: claim, note: note, notice: PublicNotice(start: started))
}

private func refusal(_ result: Result<ClaimOutcome, ClaimRefusal>) -> ClaimRefusal? {
    if case .failure(let refusal) = result { return refusal }
    return nil
}

private func outcome(_ result: Result<ClaimOutcome, ClaimRefusal>) -> ClaimOutcome? { try? result.get() }

@Suite("The claim state machine")
struct ClaimMachineTableTests {
    @Test("every state × action: the table's answer", arguments: ClaimState.allCases, ClaimAction.allCases)
    func everyPair(state: ClaimState, action: ClaimAction) {
        let result = ClaimMachine.transition(from: state, action: action, context: context(for: action))
        if let target = expectedTable[state]![action] {
            #expect(outcome(result)?.state == target)
            #expect(outcome(result)?.money == expectedMoney[state]![action])
            #expect(outcome(result)?.duty == expectedDuty[state]![action])
            #expect(ClaimMachine.available(in: state).contains(action))
        } else {
            #expect(refusal(result) == .illegalTransition(from: state, action))
            #expect(refusal(result)?.kind == .conflict)
            #expect(
                refusal(result)?.args == [
                    "state": "claim_state.\(state.rawValue)", "action": "claim_action.\(action.rawValue)",
                ])
            #expect(!ClaimMachine.available(in: state).contains(action))
        }
    }

    @Test("the actions offered in a state are exactly the table's, in a fixed order")
    func available() {
        for state in ClaimState.allCases {
            let offered = ClaimMachine.available(in: state)
            #expect(Set(offered) == Set(expectedTable[state]!.keys), "\(state)")
            #expect(offered == ClaimAction.allCases.filter(offered.contains), "\(state)")
        }
    }

    @Test("a step keeps the reservation exactly while the claim is under way")
    func reservationFollowsTheState() {
        for (state, steps) in expectedMoney {
            for (action, effect) in steps {
                let target = expectedTable[state]![action]!
                switch effect {
                case .reserve: #expect(!state.holdsReservation && target.holdsReservation)
                case .release, .post: #expect(state.holdsReservation && !target.holdsReservation)
                case .unchanged: #expect(state.holdsReservation == target.holdsReservation, "\(state) \(action)")
                }
            }
        }
        #expect(
            ClaimState.allCases.filter(\.holdsReservation) == [
                .submitted, .reviewed, .inNotice, .villageApproved, .leaderReviewed,
            ])
    }

    @Test("nothing more happens to a posted or withdrawn claim")
    func finishedStates() {
        #expect(ClaimState.allCases.filter(\.isFinished) == [.posted, .withdrawn])
        #expect(ClaimMachine.available(in: .posted).isEmpty)
        #expect(ClaimMachine.available(in: .withdrawn).isEmpty)
    }

    @Test("the raw values are the stable snake_case names of the API")
    func rawValues() {
        #expect(
            ClaimState.allCases.map(\.rawValue) == [
                "draft", "submitted", "reviewed", "in_notice", "village_approved", "leader_reviewed", "posted",
                "returned", "withdrawn",
            ])
        #expect(
            ClaimAction.allCases.map(\.rawValue) == [
                "submit", "review", "approve", "leader_review", "post", "return", "withdraw", "object",
            ])
        #expect(ClaimDuty.allCases.map(\.rawValue) == ["draft", "review", "approve", "leader_review", "post"])
    }
}

@Suite("The public notice threshold")
struct ClaimNoticeThresholdTests {
    private func approve(yuan: Int64, fen: Int64 = 0, threshold: Money = PublicNotice.defaultThreshold) -> ClaimOutcome?
    {
        var claim = F.claim()
        claim.amount = Money(fen: yuan * 100 + fen)
        let context = ClaimTransitionContext(now: F.now, claim: claim, noticeThreshold: threshold)
        return outcome(ClaimMachine.transition(from: .reviewed, action: .approve, context: context))
    }

    @Test("a claim of exactly ¥5,000 is publicly noticed from the moment of approval")
    func atThreshold() {
        let approved = approve(yuan: 5_000)
        #expect(approved?.state == .inNotice)
        #expect(approved?.notice == PublicNotice(start: F.now))
        #expect(approved?.notice?.end == F.now.addingTimeInterval(120 * 60 * 60))
    }

    @Test("a claim of ¥4,999.99 goes straight to the township leader")
    func belowThreshold() {
        let approved = approve(yuan: 4_999, fen: 99)
        #expect(approved?.state == .villageApproved)
        #expect(approved?.notice == nil)
    }

    @Test("the threshold is a parameter: at ¥10,000, a ¥6,000 claim needs no notice")
    func configurableThreshold() {
        #expect(approve(yuan: 6_000, threshold: Money(yuan: 10_000))?.state == .villageApproved)
        #expect(approve(yuan: 10_000, threshold: Money(yuan: 10_000))?.state == .inNotice)
        #expect(PublicNotice.defaultThreshold == Money(yuan: 5_000))
    }
}

@Suite("The notice runs by the clock")
struct ClaimNoticeClockTests {
    private let start = F.now
    private func step(_ action: ClaimAction, after seconds: TimeInterval, note: String? = "价格偏高")
        -> Result<ClaimOutcome, ClaimRefusal>
    {
        let context = ClaimTransitionContext(
            now: start.addingTimeInterval(seconds), claim: F.claim(yuan: 8_000), note: note,
            notice: PublicNotice(start: start))
        return ClaimMachine.transition(from: .inNotice, action: action, context: context)
    }

    @Test("the township leader cannot review a noticed claim one second before the 5 days are over")
    func leaderWaits() {
        let early = refusal(step(.leaderReview, after: 5 * F.day - 1))
        #expect(early == .noticeRunning)
        #expect(early?.kind == .conflict)
        #expect(early?.args == ["days": "5"])
        #expect(refusal(step(.leaderReview, after: 0)) == .noticeRunning)
    }

    @Test("at exactly 5 days the notice is over and the leader may review")
    func leaderAtFiveDays() {
        #expect(outcome(step(.leaderReview, after: 5 * F.day))?.state == .leaderReviewed)
        #expect(outcome(step(.leaderReview, after: 30 * F.day))?.state == .leaderReviewed)
    }

    @Test("an objection is recorded while the notice runs, and the claim stays in notice")
    func objectionDuringNotice() {
        let recorded = outcome(step(.object, after: 5 * F.day - 1, note: "  路没修好  "))
        #expect(recorded?.state == .inNotice)
        #expect(recorded?.note == "路没修好")
        #expect(recorded?.money == .unchanged)
        #expect(recorded?.duty == nil)
    }

    @Test("no objection is taken once the notice is over")
    func objectionAfterNotice() {
        #expect(refusal(step(.object, after: 5 * F.day)) == .noticeOver)
        #expect(refusal(step(.object, after: 5 * F.day))?.kind == .conflict)
    }

    @Test("an objection must say something")
    func objectionText() {
        #expect(refusal(step(.object, after: F.day, note: "   "))?.key == "claim.error.objection_required")
        #expect(refusal(step(.object, after: F.day, note: nil))?.key == "claim.error.objection_required")
        let long = refusal(step(.object, after: F.day, note: String(repeating: "字", count: 501)))
        #expect(long?.key == "claim.error.note_too_long")
        #expect(long?.args == ["max": "500"])
        #expect(outcome(step(.object, after: F.day, note: String(repeating: "字", count: 500))) != nil)
    }

    @Test("a claim in notice whose notice is missing is refused, not guessed")
    func missingNotice() {
        let context = ClaimTransitionContext(now: F.now, claim: F.claim(yuan: 8_000), note: "x")
        for action in [ClaimAction.leaderReview, .object] {
            #expect(
                refusal(ClaimMachine.transition(from: .inNotice, action: action, context: context)) == .noticeUnknown)
        }
    }

    @Test("the page offers the leader's review only after the notice, objections only during it")
    func offeredByTheClock() {
        let notice = PublicNotice(start: start)
        let during = ClaimMachine.available(in: .inNotice, notice: notice, now: start.addingTimeInterval(F.day))
        let after = ClaimMachine.available(in: .inNotice, notice: notice, now: notice.end)
        #expect(during == [.return, .withdraw, .object])
        #expect(after == [.leaderReview, .return, .withdraw])
        #expect(
            ClaimMachine.available(in: .villageApproved, notice: nil, now: start) == [
                .leaderReview, .return, .withdraw,
            ])
    }

    @Test("the leader's inbox cutoff agrees with the notice being over")
    func cutoff() {
        let notice = PublicNotice(start: start)
        #expect(PublicNotice.overCutoff(now: notice.end) == start)
        #expect(notice.isOver(at: notice.end) && !notice.isRunning(at: notice.end))
        #expect(notice.isRunning(at: start) && !notice.isOver(at: start))
    }

    @Test("objections accumulate on the notice, the public's without a name")
    func objectionsAccumulate() {
        let notice = PublicNotice(start: start)
            .recording(Objection(at: start.addingTimeInterval(60), by: .public, text: "价格偏高"))
            .recording(Objection(at: start.addingTimeInterval(120), by: .named("张三"), text: "没有施工"))
            .recording(Objection(at: start.addingTimeInterval(180), by: .user(id: 9, name: "李四"), text: "重复报账"))
        #expect(notice.objections.map(\.by) == [.public, .named("张三"), .user(id: 9, name: "李四")])
        #expect(notice.start == start)
    }
}

@Suite("Returning and withdrawing a claim")
struct ClaimReturnWithdrawTests {
    private let reviewStates: [ClaimState] = [.submitted, .reviewed, .inNotice, .villageApproved, .leaderReviewed]

    @Test("every review step may return the claim to the clerk with a reason, releasing its reservation")
    func returnWithReason() {
        for state in reviewStates {
            let returned = outcome(
                ClaimMachine.transition(from: state, action: .return, context: context(for: .return)))
            #expect(returned?.state == .returned, "\(state)")
            #expect(returned?.money == .release(Money(yuan: 1_000)), "\(state)")
            #expect(returned?.note == "发票抬头有误", "\(state)")
        }
    }

    @Test("a return without a reason, or with only spaces, is refused as invalid")
    func returnWithoutReason() {
        for state in reviewStates {
            for note in [nil, "", "  \n "] {
                let refused = refusal(
                    ClaimMachine.transition(from: state, action: .return, context: context(for: .return, note: note)))
                #expect(refused?.key == "claim.error.reason_required", "\(state)")
                #expect(refused?.kind == .invalid, "\(state)")
            }
        }
    }

    @Test("a returned claim is submitted again and reserves again")
    func resubmit() {
        let again = outcome(ClaimMachine.transition(from: .returned, action: .submit, context: context(for: .submit)))
        #expect(again?.state == .submitted)
        #expect(again?.money == .reserve(Money(yuan: 1_000)))
    }

    @Test("the clerk may withdraw at any time before posting, releasing what is reserved")
    func withdrawBeforePosting() {
        for state in ClaimState.allCases where !state.isFinished {
            let withdrawn = outcome(
                ClaimMachine.transition(from: state, action: .withdraw, context: context(for: .withdraw, note: nil)))
            #expect(withdrawn?.state == .withdrawn, "\(state)")
            #expect(
                withdrawn?.money == (state.holdsReservation ? .release(Money(yuan: 1_000)) : .unchanged), "\(state)")
        }
    }

    @Test("a posted claim cannot be withdrawn")
    func noWithdrawAfterPosting() {
        let refused = refusal(
            ClaimMachine.transition(from: .posted, action: .withdraw, context: context(for: .withdraw)))
        #expect(refused == .illegalTransition(from: .posted, .withdraw))
    }

    @Test("an incomplete claim cannot be submitted, and the refusal lists its problems")
    func incompleteSubmission() {
        var claim = F.claim()
        claim.invoices[0].amount = Money(yuan: 900)
        claim.purpose = " "
        let refused = refusal(
            ClaimMachine.transition(from: .draft, action: .submit, context: context(for: .submit, claim: claim)))
        #expect(refused?.key == "claim.error.incomplete")
        #expect(refused?.kind == .invalid)
        #expect(refused?.issues.map(\.field) == ["purpose", "invoices"])
    }
}
