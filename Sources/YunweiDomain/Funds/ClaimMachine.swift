import Foundation

/// The state machine of a claim 报账 (DOMAIN.md §4.3). The server asks it before every step and
/// stores what it answers — the new state, the money effect, the duty to record, a notice that
/// starts — so that an illegal step cannot be stored.
///
/// Which actions a state allows is one table, `states(allowing:)`:
///
/// | action | from | to | money |
/// |---|---|---|---|
/// | `submit` 提交 | draft, returned | submitted (the claim complete) | reserve |
/// | `review` 理财 | submitted | reviewed | — |
/// | `approve` 审批 | reviewed | in_notice at or above the threshold, else village_approved | — |
/// | `leader_review` 审核 | village_approved; in_notice once its 5 days are over | leader_reviewed | — |
/// | `post` 报账 | leader_reviewed | posted | post |
/// | `return` 退回 | submitted, reviewed, in_notice, village_approved, leader_reviewed | returned (reason required) | release |
/// | `withdraw` 撤回 | every state but posted and withdrawn | withdrawn | release what is reserved |
/// | `object` 异议 | in_notice while its 5 days run | in_notice (objection text required) | — |
public enum ClaimMachine {
    /// The longest return reason or objection, in characters.
    public static let maxNoteLength = PublicNotice.maxObjectionLength

    /// The table above: the states in which `action` may be taken.
    public static func states(allowing action: ClaimAction) -> Set<ClaimState> {
        switch action {
        case .submit: [.draft, .returned]
        case .review: [.submitted]
        case .approve: [.reviewed]
        case .leaderReview: [.villageApproved, .inNotice]
        case .post: [.leaderReviewed]
        case .return: [.submitted, .reviewed, .inNotice, .villageApproved, .leaderReviewed]
        case .withdraw: Set(ClaimState.allCases.filter { !$0.isFinished })
        case .object: [.inNotice]
        }
    }

    /// The actions the table allows in `state`, in declaration order — what a claim page offers,
    /// before asking `ClaimPolicy` which of them the person looking may take. In notice, the
    /// leader's review and objections also depend on the clock: see `available(in:notice:now:)`.
    public static func available(in state: ClaimState) -> [ClaimAction] {
        ClaimAction.allCases.filter { states(allowing: $0).contains(state) }
    }

    /// The actions allowed in `state` at `now`: in notice, `leader_review` only once the notice is
    /// over and `object` only while it runs.
    public static func available(in state: ClaimState, notice: PublicNotice?, now: Date) -> [ClaimAction] {
        available(in: state).filter { action in
            guard state == .inNotice else { return true }
            switch action {
            case .leaderReview: return notice?.isOver(at: now) == true
            case .object: return notice?.isRunning(at: now) == true
            default: return true
            }
        }
    }

    /// Decides `action` on a claim in `state`: the new state and what changes, or why not.
    public static func transition(
        from state: ClaimState, action: ClaimAction, context: ClaimTransitionContext
    ) -> Result<ClaimOutcome, ClaimRefusal> {
        guard states(allowing: action).contains(state) else {
            return .failure(.illegalTransition(from: state, action))
        }
        let amount = context.claim.amount
        let duty = ClaimDuty.of(action, in: state)
        switch action {
        case .submit:
            let issues = context.claim.submissionIssues(now: context.now)
            guard issues.isEmpty else {
                return .failure(ClaimRefusal(key: "claim.error.incomplete", issues: issues))
            }
            return .success(ClaimOutcome(state: .submitted, money: .reserve(amount), duty: duty))
        case .review:
            return .success(ClaimOutcome(state: .reviewed, duty: duty))
        case .approve:
            guard PublicNotice.isRequired(for: amount, threshold: context.noticeThreshold) else {
                return .success(ClaimOutcome(state: .villageApproved, duty: duty))
            }
            return .success(ClaimOutcome(state: .inNotice, duty: duty, notice: PublicNotice(start: context.now)))
        case .leaderReview:
            if state == .inNotice {
                guard let notice = context.notice else { return .failure(.noticeUnknown) }
                guard notice.isOver(at: context.now) else { return .failure(.noticeRunning) }
            }
            return .success(ClaimOutcome(state: .leaderReviewed, duty: duty))
        case .post:
            return .success(ClaimOutcome(state: .posted, money: .post(amount), duty: duty))
        case .return:
            return note(context, missing: "claim.error.reason_required").map { reason in
                ClaimOutcome(state: .returned, money: .release(amount), duty: duty, note: reason)
            }
        case .withdraw:
            let money: ClaimMoneyEffect = state.holdsReservation ? .release(amount) : .unchanged
            return .success(ClaimOutcome(state: .withdrawn, money: money, duty: duty, note: context.trimmedNote))
        case .object:
            guard let notice = context.notice else { return .failure(.noticeUnknown) }
            guard notice.isRunning(at: context.now) else { return .failure(.noticeOver) }
            return note(context, missing: "claim.error.objection_required").map { text in
                ClaimOutcome(state: state, note: text)
            }
        }
    }

    /// The step's text, trimmed: required, and no longer than `maxNoteLength`.
    private static func note(_ context: ClaimTransitionContext, missing key: String) -> Result<String, ClaimRefusal> {
        guard let text = context.trimmedNote else { return .failure(ClaimRefusal(key: key)) }
        guard text.count <= maxNoteLength else {
            return .failure(ClaimRefusal(key: "claim.error.note_too_long", args: ["max": String(maxNoteLength)]))
        }
        return .success(text)
    }
}

/// What a claim transition needs besides the state and the action. The server fills in what the
/// request and the stored claim say; whatever an action does not use is ignored.
public struct ClaimTransitionContext: Sendable, Hashable {
    /// The moment of the step: the notice is measured to it, invoices may not be dated after it.
    public var now: Date
    /// The claim as stored. Its amount decides the notice and the money effect; `submit` requires
    /// it complete. It cannot change while its amount is reserved (only drafts and returned
    /// claims are edited), so what is released is what was reserved.
    public var claim: Claim
    /// The reason of `return`, the text of `object`, an optional comment on the others.
    public var note: String?
    /// The claim's public notice, for the steps on a claim in notice.
    public var notice: PublicNotice?
    /// Claims of this amount or more are noticed before the township reviews them.
    public var noticeThreshold: Money

    public init(
        now: Date, claim: Claim, note: String? = nil, notice: PublicNotice? = nil,
        noticeThreshold: Money = PublicNotice.defaultThreshold
    ) {
        self.now = now
        self.claim = claim
        self.note = note
        self.notice = notice
        self.noticeThreshold = noticeThreshold
    }

    /// The note without surrounding spaces; nil when that leaves nothing, which is no reason.
    public var trimmedNote: String? {
        let text = (note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}

/// What a permitted step does: the state the claim moves to (perhaps the same) and what the server
/// must store besides the history record.
public struct ClaimOutcome: Sendable, Hashable {
    public var state: ClaimState
    /// What happens to the village account.
    public var money: ClaimMoneyEffect
    /// The duty the person taking the step signs for, recorded in the claim's history so that
    /// they take no other; nil for an objection.
    public var duty: ClaimDuty?
    /// The public notice this step starts (an approval at or above the threshold); nil otherwise.
    public var notice: PublicNotice?
    /// The step's text, trimmed: the return reason, the objection, the withdrawal comment.
    public var note: String?

    public init(
        state: ClaimState, money: ClaimMoneyEffect = .unchanged, duty: ClaimDuty? = nil,
        notice: PublicNotice? = nil, note: String? = nil
    ) {
        self.state = state
        self.money = money
        self.duty = duty
        self.notice = notice
        self.note = note
    }
}
