import Foundation

/// The state machine of a case (DOMAIN.md §3). The server asks it before every step and stores
/// what it answers; it never decides a transition itself, so an illegal one cannot be stored.
///
/// Which actions a state allows is one table, `states(allowing:)`:
///
/// | action | from | to |
/// |---|---|---|
/// | `dispatch` 交办 | reported, returned, referred | dispatched (handler unit and future deadline required) |
/// | `refer` 报办 | reported, returned | referred |
/// | `accept` 受理 | dispatched | in_progress |
/// | `resolve` 办结 | in_progress | resolved (result note required) |
/// | `reject` 不予受理 | reported, returned, referred | rejected (reason required; may link its original) |
/// | `return` 退回 | dispatched, in_progress | returned (reason required) |
/// | `transfer` 转办 | dispatched, in_progress | dispatched (another handler unit, future deadline) |
/// | `supervise` 督办 | every open state | the same state (note required; optional future deadline) |
/// | `feedback` 反馈 | resolved | closed if satisfied; unsatisfied: in_progress within 7 days, else closed |
/// | `reopen` 重新办理 | resolved | in_progress, within 7 days of resolution only |
/// | `close` 关闭 | resolved | closed |
public enum CaseMachine {
    /// The table above: the states in which `action` may be taken.
    public static func states(allowing action: CaseAction) -> Set<CaseState> {
        switch action {
        case .dispatch, .reject: [.reported, .returned, .referred]
        case .refer: [.reported, .returned]
        case .accept: [.dispatched]
        case .resolve: [.inProgress]
        case .return, .transfer: [.dispatched, .inProgress]
        case .supervise: Set(CaseState.openStates)
        case .feedback, .reopen, .close: [.resolved]
        }
    }

    /// The actions the table allows in `state`, in declaration order — what a case page offers,
    /// before asking `CasePolicy` which of them the person looking may take.
    public static func available(in state: CaseState) -> [CaseAction] {
        CaseAction.allCases.filter { states(allowing: $0).contains(state) }
    }

    /// Decides `action` on a case in `state`: the new state and what changed, or why not.
    public static func transition(
        from state: CaseState, _ action: CaseAction, context: TransitionContext
    ) -> Result<CaseOutcome, CaseRefusal> {
        guard states(allowing: action).contains(state) else {
            return .failure(.illegalTransition(from: state, action))
        }
        switch action {
        case .dispatch:
            return assignment(context).map { CaseOutcome(assigning: $0, until: $1, context) }
        case .transfer:
            if let handler = context.handler, handler == context.currentHandler {
                return .failure(CaseRefusal(key: "case.error.same_handler"))
            }
            return assignment(context).map { CaseOutcome(assigning: $0, until: $1, context) }
        case .refer:
            return .success(CaseOutcome(state: .referred))
        case .accept:
            return .success(CaseOutcome(state: .inProgress))
        case .resolve:
            guard context.hasNote else { return .failure(CaseRefusal(key: "case.error.result_required")) }
            return .success(CaseOutcome(state: .resolved))
        case .reject:
            guard context.hasNote else { return .failure(CaseRefusal(key: "case.error.reason_required")) }
            return .success(CaseOutcome(state: .rejected, duplicateOf: context.duplicateOf))
        case .return:
            guard context.hasNote else { return .failure(CaseRefusal(key: "case.error.reason_required")) }
            return .success(CaseOutcome(state: .returned))
        case .supervise:
            guard context.hasNote else { return .failure(CaseRefusal(key: "case.error.note_required")) }
            if let deadline = context.deadline, deadline <= context.now {
                return .failure(CaseRefusal(key: "case.error.deadline_past"))
            }
            return .success(CaseOutcome(state: state, newDeadline: context.deadline, supervised: true))
        case .feedback:
            return feedback(context)
        case .reopen:
            return windowIsOpen(context).flatMap { isOpen in
                isOpen ? .success(CaseOutcome(state: .inProgress, reopened: true)) : .failure(.feedbackWindowOver)
            }
        case .close:
            return .success(CaseOutcome(state: .closed))
        }
    }

    /// A handler unit and a deadline that is still ahead: what dispatching and transferring need.
    private static func assignment(_ context: TransitionContext) -> Result<(UnitCode, Date), CaseRefusal> {
        guard let handler = context.handler else { return .failure(CaseRefusal(key: "case.error.handler_required")) }
        guard let deadline = context.deadline else {
            return .failure(CaseRefusal(key: "case.error.deadline_required"))
        }
        guard deadline > context.now else { return .failure(CaseRefusal(key: "case.error.deadline_past")) }
        return .success((handler, deadline))
    }

    /// Satisfied closes the case. Unsatisfied within the window sends it back to the same handler
    /// and counts a reopening; unsatisfied after it is recorded, but the case closes all the same,
    /// as it would have closed by itself had the reporter said nothing.
    private static func feedback(_ context: TransitionContext) -> Result<CaseOutcome, CaseRefusal> {
        guard let satisfied = context.satisfied else {
            return .failure(CaseRefusal(key: "case.error.satisfaction_required"))
        }
        if satisfied { return .success(CaseOutcome(state: .closed)) }
        return windowIsOpen(context).map { isOpen in
            isOpen ? CaseOutcome(state: .inProgress, reopened: true) : CaseOutcome(state: .closed)
        }
    }

    /// Whether the reporter's window is still open. A resolved case always has its resolution
    /// time; if the server passes none, the step is refused rather than decided on a guess.
    private static func windowIsOpen(_ context: TransitionContext) -> Result<Bool, CaseRefusal> {
        guard let resolvedAt = context.resolvedAt else {
            return .failure(CaseRefusal(key: "case.error.resolution_time_unknown", kind: .conflict))
        }
        return .success(FeedbackWindow.isOpen(resolvedAt: resolvedAt, now: context.now))
    }
}

/// What a transition decision needs to know besides the state and the action. The server fills
/// in what the request and the stored case say; whatever an action does not use is ignored.
public struct TransitionContext: Sendable, Hashable {
    /// The moment of the step: deadlines must lie after it, feedback windows are measured to it.
    public var now: Date
    /// The step's note: the result of `resolve`, the reason of `reject` and `return`, the
    /// supervision note of `supervise`, the comment of the others.
    public var note: String?
    /// The handler unit a `dispatch` or `transfer` hands the case to.
    public var handler: UnitCode?
    /// The unit handling the case now, if any — a transfer must go elsewhere.
    public var currentHandler: UnitCode?
    /// The deadline a `dispatch` or `transfer` sets, or the new one a `supervise` may set.
    public var deadline: Date?
    /// When the case was resolved, for the feedback window of `feedback` and `reopen`.
    public var resolvedAt: Date?
    /// The reporter's answer to `feedback`.
    public var satisfied: Bool?
    /// For a `reject` of a duplicate: the id of the case it duplicates.
    public var duplicateOf: Int64?

    public init(
        now: Date, note: String? = nil, handler: UnitCode? = nil, currentHandler: UnitCode? = nil,
        deadline: Date? = nil, resolvedAt: Date? = nil, satisfied: Bool? = nil, duplicateOf: Int64? = nil
    ) {
        self.now = now
        self.note = note
        self.handler = handler
        self.currentHandler = currentHandler
        self.deadline = deadline
        self.resolvedAt = resolvedAt
        self.satisfied = satisfied
        self.duplicateOf = duplicateOf
    }

    /// A note of only spaces says nothing, so it does not count as a reason.
    public var hasNote: Bool {
        !(note ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }
}

/// What a permitted transition does: the state the case moves to (perhaps the same) and what
/// the server must store besides the timeline record.
public struct CaseOutcome: Sendable, Hashable {
    public var state: CaseState
    /// The handler unit the step assigned (dispatch, transfer); nil when it assigned none.
    public var newHandler: UnitCode?
    /// Whether the assigned handler differs from the one before — a dispatch back to the unit
    /// that returned the case assigns it again without changing it.
    public var handlerChanged: Bool
    /// The deadline the step set (dispatch, transfer, supervise with a new one); nil otherwise.
    public var newDeadline: Date?
    /// The reporter sent the result back: the server adds one to the case's reopen count.
    public var reopened: Bool
    /// A supervision record 督办 is written and the case shows as supervised.
    public var supervised: Bool
    /// For a rejected duplicate, the case it duplicates.
    public var duplicateOf: Int64?

    public init(
        state: CaseState, newHandler: UnitCode? = nil, handlerChanged: Bool = false, newDeadline: Date? = nil,
        reopened: Bool = false, supervised: Bool = false, duplicateOf: Int64? = nil
    ) {
        self.state = state
        self.newHandler = newHandler
        self.handlerChanged = handlerChanged
        self.newDeadline = newDeadline
        self.reopened = reopened
        self.supervised = supervised
        self.duplicateOf = duplicateOf
    }

    /// Whether the step set a deadline.
    public var deadlineChanged: Bool { newDeadline != nil }

    /// A dispatch or transfer to `handler`, due at `deadline`.
    fileprivate init(assigning handler: UnitCode, until deadline: Date, _ context: TransitionContext) {
        self.init(
            state: .dispatched, newHandler: handler, handlerChanged: handler != context.currentHandler,
            newDeadline: deadline)
    }
}

/// Why a step on a case was refused, as a catalog key of `cases-domain.json` with its named
/// arguments. Arguments that are themselves catalog keys (`case_state.…`) are shown translated.
public struct CaseRefusal: Error, Sendable, Hashable {
    /// Whether the step is impossible in the case's present state (HTTP 409), or could succeed
    /// with better input (HTTP 422).
    public enum Kind: Sendable, Hashable {
        case conflict
        case invalid
    }

    public var key: String
    public var args: [String: String]
    public var kind: Kind

    public init(key: String, args: [String: String] = [:], kind: Kind = .invalid) {
        self.key = key
        self.args = args
        self.kind = kind
    }

    /// The table does not allow `action` in `state`.
    public static func illegalTransition(from state: CaseState, _ action: CaseAction) -> CaseRefusal {
        CaseRefusal(
            key: "case.error.illegal_transition",
            args: ["state": "case_state.\(state.rawValue)", "action": "case_action.\(action.rawValue)"],
            kind: .conflict)
    }

    /// The reporter's 7 days after resolution are over.
    public static let feedbackWindowOver = CaseRefusal(
        key: "case.error.feedback_window_over", args: ["days": String(FeedbackWindow.days)], kind: .conflict)
}
