import Foundation
import Testing
import YunweiDomain

/// Where each action leads from each state, written out independently of `CaseMachine`'s table,
/// with a context that gives everything any action could need. A missing action is refused as an
/// illegal transition.
private let expectedTable: [CaseState: [CaseAction: CaseState]] = [
    .reported: [.dispatch: .dispatched, .refer: .referred, .reject: .rejected, .supervise: .reported],
    .referred: [.dispatch: .dispatched, .reject: .rejected, .supervise: .referred],
    .dispatched: [.accept: .inProgress, .return: .returned, .transfer: .dispatched, .supervise: .dispatched],
    .inProgress: [.resolve: .resolved, .return: .returned, .transfer: .dispatched, .supervise: .inProgress],
    .returned: [.dispatch: .dispatched, .refer: .referred, .reject: .rejected, .supervise: .returned],
    .resolved: [.supervise: .resolved, .feedback: .closed, .reopen: .inProgress, .close: .closed],
    .closed: [:],
    .rejected: [:],
]

private enum Moment {
    static let now = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01 08:00 in Shanghai
    static let day: TimeInterval = 24 * 60 * 60
    static let waterBureau = UnitCode("510121900001")!
    static let village = UnitCode("510121100201")!

    /// Everything any action could need: a note, a new handler and a future deadline, a case
    /// resolved a day ago, a satisfied reporter.
    static let full = TransitionContext(
        now: now, note: "已处理", handler: waterBureau, currentHandler: village,
        deadline: now.addingTimeInterval(3 * day), resolvedAt: now.addingTimeInterval(-day), satisfied: true)
}

private func refusal(_ result: Result<CaseOutcome, CaseRefusal>) -> CaseRefusal? {
    if case .failure(let refusal) = result { return refusal }
    return nil
}

private func outcome(_ result: Result<CaseOutcome, CaseRefusal>) -> CaseOutcome? {
    try? result.get()
}

@Suite("The case state machine")
struct CaseMachineTableTests {
    @Test("every state × action: the table's answer", arguments: CaseState.allCases, CaseAction.allCases)
    func everyPair(state: CaseState, action: CaseAction) {
        let result = CaseMachine.transition(from: state, action, context: Moment.full)
        if let target = expectedTable[state]![action] {
            #expect(outcome(result)?.state == target)
            #expect(CaseMachine.available(in: state).contains(action))
        } else {
            #expect(refusal(result) == .illegalTransition(from: state, action))
            #expect(refusal(result)?.kind == .conflict)
            #expect(
                refusal(result)?.args == [
                    "state": "case_state.\(state.rawValue)", "action": "case_action.\(action.rawValue)",
                ])
            #expect(!CaseMachine.available(in: state).contains(action))
        }
    }

    @Test("the actions offered in a state are exactly the table's, in a fixed order")
    func available() {
        for state in CaseState.allCases {
            let offered = CaseMachine.available(in: state)
            #expect(Set(offered) == Set(expectedTable[state]!.keys), "\(state)")
            #expect(offered == CaseAction.allCases.filter(offered.contains), "\(state)")
        }
    }

    @Test("nothing more happens to a closed or rejected case")
    func finishedStates() {
        #expect(CaseMachine.available(in: .closed).isEmpty)
        #expect(CaseMachine.available(in: .rejected).isEmpty)
        #expect(CaseState.allCases.filter(\.isFinished) == [.closed, .rejected])
        #expect(CaseState.openStates == [.reported, .referred, .dispatched, .inProgress, .returned, .resolved])
    }

    @Test("Open311 shows a case open until it is resolved, closed or rejected")
    func open311Status() {
        let closed = CaseState.allCases.filter { $0.open311Status == .closed }
        #expect(closed == [.resolved, .closed, .rejected])
        #expect(CaseState.inProgress.open311Status == .open)
        #expect(Open311Status.closed.rawValue == "closed")
    }

    @Test("state and action names are the API's strings")
    func rawValues() {
        #expect(
            CaseState.allCases.map(\.rawValue) == [
                "reported", "referred", "dispatched", "in_progress", "returned", "resolved", "closed", "rejected",
            ])
        #expect(
            CaseAction.allCases.map(\.rawValue) == [
                "dispatch", "refer", "accept", "resolve", "reject", "return", "transfer", "supervise", "feedback",
                "reopen", "close",
            ])
    }
}

@Suite("What a step needs")
struct CaseMachineContextTests {
    private func context(
        note: String? = nil, handler: UnitCode? = Moment.waterBureau, currentHandler: UnitCode? = nil,
        deadline: Date? = Moment.now.addingTimeInterval(Moment.day), resolvedAt: Date? = nil, satisfied: Bool? = nil
    ) -> TransitionContext {
        TransitionContext(
            now: Moment.now, note: note, handler: handler, currentHandler: currentHandler, deadline: deadline,
            resolvedAt: resolvedAt, satisfied: satisfied)
    }

    @Test("a rejection, a return, a resolution and a supervision each need words", arguments: [nil, "", "  \n "])
    func notesRequired(note: String?) {
        let needs: [(CaseState, CaseAction, String)] = [
            (.reported, .reject, "case.error.reason_required"),
            (.inProgress, .return, "case.error.reason_required"),
            (.dispatched, .return, "case.error.reason_required"),
            (.inProgress, .resolve, "case.error.result_required"),
            (.returned, .supervise, "case.error.note_required"),
        ]
        for (state, action, key) in needs {
            let refused = refusal(CaseMachine.transition(from: state, action, context: context(note: note)))
            #expect(refused == CaseRefusal(key: key), "\(action) from \(state)")
            #expect(refused?.kind == .invalid)
        }
    }

    @Test("a dispatch needs a handler unit and a deadline still ahead")
    func dispatchNeedsHandlerAndDeadline() {
        func refused(_ context: TransitionContext) -> String? {
            refusal(CaseMachine.transition(from: .reported, .dispatch, context: context))?.key
        }
        #expect(refused(context(handler: nil)) == "case.error.handler_required")
        #expect(refused(context(deadline: nil)) == "case.error.deadline_required")
        #expect(refused(context(deadline: Moment.now)) == "case.error.deadline_past")
        #expect(refused(context(deadline: Moment.now.addingTimeInterval(-1))) == "case.error.deadline_past")

        let deadline = Moment.now.addingTimeInterval(1)
        let dispatched = outcome(
            CaseMachine.transition(from: .reported, .dispatch, context: context(deadline: deadline)))
        #expect(
            dispatched
                == CaseOutcome(
                    state: .dispatched, newHandler: Moment.waterBureau, handlerChanged: true, newDeadline: deadline))
        #expect(dispatched?.deadlineChanged == true)
    }

    @Test("dispatching a returned case to the unit that returned it assigns it without changing the handler")
    func redispatchToSameHandler() {
        let again = outcome(
            CaseMachine.transition(from: .returned, .dispatch, context: context(currentHandler: Moment.waterBureau)))
        #expect(again?.newHandler == Moment.waterBureau)
        #expect(again?.handlerChanged == false)
    }

    @Test("a transfer goes to another unit with a new deadline")
    func transfer() {
        let same = CaseMachine.transition(
            from: .inProgress, .transfer, context: context(currentHandler: Moment.waterBureau))
        #expect(refusal(same)?.key == "case.error.same_handler")
        let none = CaseMachine.transition(from: .inProgress, .transfer, context: context(handler: nil))
        #expect(refusal(none)?.key == "case.error.handler_required")
        let late = CaseMachine.transition(from: .dispatched, .transfer, context: context(deadline: Moment.now))
        #expect(refusal(late)?.key == "case.error.deadline_past")

        let moved = outcome(
            CaseMachine.transition(from: .inProgress, .transfer, context: context(currentHandler: Moment.village)))
        #expect(moved?.state == .dispatched)
        #expect(moved?.handlerChanged == true)
        #expect(moved?.deadlineChanged == true)
    }

    @Test("a supervision keeps the state, flags the case, and may set a new deadline that lies ahead")
    func supervision() {
        let flagged = outcome(
            CaseMachine.transition(from: .dispatched, .supervise, context: context(note: "请加快", deadline: nil)))
        #expect(flagged == CaseOutcome(state: .dispatched, supervised: true))
        #expect(flagged?.deadlineChanged == false)

        let later = Moment.now.addingTimeInterval(2 * Moment.day)
        let extended = outcome(
            CaseMachine.transition(from: .inProgress, .supervise, context: context(note: "限期办结", deadline: later)))
        #expect(extended == CaseOutcome(state: .inProgress, newDeadline: later, supervised: true))

        let past = CaseMachine.transition(
            from: .inProgress, .supervise, context: context(note: "限期办结", deadline: Moment.now))
        #expect(refusal(past)?.key == "case.error.deadline_past")
    }

    @Test("a rejected duplicate links its original; nothing else carries the link")
    func duplicateLink() {
        var given = context(note: "重复上报")
        given.duplicateOf = 4711
        #expect(outcome(CaseMachine.transition(from: .reported, .reject, context: given))?.duplicateOf == 4711)
        #expect(outcome(CaseMachine.transition(from: .reported, .refer, context: given))?.duplicateOf == nil)
    }

    @Test("feedback needs an answer: satisfied closes the case")
    func satisfiedCloses() {
        let resolvedAt = Moment.now.addingTimeInterval(-Moment.day)
        let none = CaseMachine.transition(from: .resolved, .feedback, context: context(resolvedAt: resolvedAt))
        #expect(refusal(none)?.key == "case.error.satisfaction_required")
        let happy = CaseMachine.transition(
            from: .resolved, .feedback, context: context(resolvedAt: resolvedAt, satisfied: true))
        #expect(outcome(happy) == CaseOutcome(state: .closed))
    }

    /// Seconds since resolution, and whether unsatisfied feedback then reopens the case.
    static let windowBoundary: [(TimeInterval, Bool)] = [
        (0, true), (1, true), (FeedbackWindow.length - 1, true), (FeedbackWindow.length, false),
        (30 * Moment.day, false),
    ]

    @Test(
        "unsatisfied within 7 days reopens with the same handler, counted; at 7 days the case closes",
        arguments: windowBoundary)
    func unsatisfiedFeedback(sinceResolution: TimeInterval, reopens: Bool) {
        let resolvedAt = Moment.now.addingTimeInterval(-sinceResolution)
        let feedback = outcome(
            CaseMachine.transition(
                from: .resolved, .feedback, context: context(resolvedAt: resolvedAt, satisfied: false)))
        #expect(feedback == (reopens ? CaseOutcome(state: .inProgress, reopened: true) : CaseOutcome(state: .closed)))
        #expect(feedback?.handlerChanged == false)

        let reopen = CaseMachine.transition(from: .resolved, .reopen, context: context(resolvedAt: resolvedAt))
        if reopens {
            #expect(outcome(reopen) == CaseOutcome(state: .inProgress, reopened: true))
        } else {
            #expect(refusal(reopen) == .feedbackWindowOver)
            #expect(refusal(reopen)?.args == ["days": "7"])
            #expect(refusal(reopen)?.kind == .conflict)
        }
    }

    @Test("without its resolution time a resolved case is not reopened on a guess")
    func resolutionTimeUnknown() {
        let reopen = CaseMachine.transition(from: .resolved, .reopen, context: context())
        #expect(refusal(reopen)?.key == "case.error.resolution_time_unknown")
        let feedback = CaseMachine.transition(from: .resolved, .feedback, context: context(satisfied: false))
        #expect(refusal(feedback)?.key == "case.error.resolution_time_unknown")
        let close = CaseMachine.transition(from: .resolved, .close, context: context())
        #expect(outcome(close)?.state == .closed)
    }

    @Test("a case reopened twice counts two reopenings and keeps its handler throughout")
    func reopenCounting() throws {
        var state = CaseState.reported
        var handler: UnitCode?
        var reopenings = 0
        var clock = Moment.now
        func step(_ action: CaseAction, _ given: TransitionContext) throws {
            let result = try CaseMachine.transition(from: state, action, context: given).get()
            state = result.state
            handler = result.newHandler ?? handler
            reopenings += result.reopened ? 1 : 0
        }
        let deadline = clock.addingTimeInterval(5 * Moment.day)
        try step(.dispatch, TransitionContext(now: clock, handler: Moment.village, deadline: deadline))
        try step(.accept, TransitionContext(now: clock))
        for (round, days) in [(1, 2.0), (2, 6.9)] {
            try step(.resolve, TransitionContext(now: clock, note: "第\(round)次办结"))
            let resolvedAt = clock
            clock = clock.addingTimeInterval(days * Moment.day)
            try step(.feedback, TransitionContext(now: clock, resolvedAt: resolvedAt, satisfied: false))
            #expect(state == .inProgress)
        }
        try step(.resolve, TransitionContext(now: clock, note: "第3次办结"))
        try step(.feedback, TransitionContext(now: clock, resolvedAt: clock, satisfied: true))
        #expect(state == .closed)
        #expect(reopenings == 2)
        #expect(handler == Moment.village)
    }
}
