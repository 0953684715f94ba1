/// Where a case stands (DOMAIN.md §3). The raw values are stable: they are stored in the database,
/// sent by the JSON API and named in the catalog as `case_state.<raw value>`.
///
/// The main path is reported → dispatched → in progress → resolved → closed; the side paths are
/// referral up to the township leader, return to the dispatcher and rejection.
public enum CaseState: String, CaseIterable, Codable, Sendable {
    /// 已上报 — reported by a grid worker or the public, waiting for the dispatcher.
    case reported
    /// 已报办 — referred up to the township leader (报办), who handles it or dispatches it on.
    case referred
    /// 已分派 — handed to a handler unit with a deadline (交办), not yet accepted.
    case dispatched
    /// 办理中 — the handler unit has accepted it and is working on it.
    case inProgress = "in_progress"
    /// 已退回 — the handler sent it back to the dispatcher as not theirs (退回).
    case returned
    /// 已办结 — the handler reports it done; the reporter has 7 days to say whether it is.
    case resolved
    /// 已关闭 — finished: the reporter was satisfied, or the feedback window passed.
    case closed
    /// 不予受理 — finished without handling: a duplicate or an invalid report.
    case rejected

    /// Closed and rejected cases are finished: nothing more happens to them. Every other state is
    /// open, a resolved one included, because its reporter may still reopen it.
    public var isFinished: Bool { self == .closed || self == .rejected }

    /// Still open: someone may yet act on it. See `isFinished`.
    public var isOpen: Bool { !isFinished }

    /// The open states, in declaration order.
    public static let openStates: [CaseState] = allCases.filter(\.isOpen)

    /// Whether a case in this state runs against a deadline and so can be overdue: the states in
    /// which the county is still owing the reporter an answer after it was dispatched or referred.
    /// A reported case has no deadline yet; a resolved one has been answered.
    public var runsAgainstDeadline: Bool {
        switch self {
        case .referred, .dispatched, .inProgress, .returned: true
        case .reported, .resolved, .closed, .rejected: false
        }
    }

    /// The status shown through Open311 GeoReport v2, which knows only `open` and `closed`.
    ///
    /// A resolved case already shows `closed`: to the public the request is answered once the
    /// handler has done the work, and the feedback window is our own step, not a state the
    /// specification has. Should the reporter reopen it, it shows `open` again.
    public var open311Status: Open311Status {
        switch self {
        case .resolved, .closed, .rejected: .closed
        case .reported, .referred, .dispatched, .inProgress, .returned: .open
        }
    }
}

/// The two request statuses of Open311 GeoReport v2; the raw values are the specification's.
public enum Open311Status: String, CaseIterable, Codable, Sendable {
    case open
    case closed
}
