/// A step taken on a case (DOMAIN.md §3). The raw values are the `action` field of
/// `POST /api/v1/cases/{id}/actions`, the timeline's records and the catalog's `case_action.<raw>`.
///
/// In which states each step may be taken, and where it leads, is decided by `CaseMachine`; who
/// may take it, by `CasePolicy`.
public enum CaseAction: String, CaseIterable, Codable, Sendable {
    /// 交办 — send the case down to a handler unit (a village, a department or the township) with
    /// a deadline.
    case dispatch
    /// 报办 — refer the case up to the township leader.
    case refer
    /// 受理 — the handler unit takes the dispatched case on.
    case accept
    /// 办结 — the handler reports the case done, with a result note.
    case resolve
    /// 不予受理 — the dispatcher refuses the case as a duplicate or invalid, with a reason.
    case reject
    /// 退回 — the handler sends the case back to the dispatcher as not theirs, with a reason.
    case `return`
    /// 转办 — the dispatcher moves the case to another handler unit with a new deadline.
    case transfer
    /// 督办 — a supervisor flags the case with a note and perhaps a new deadline.
    case supervise
    /// 反馈 — the reporter says whether they are satisfied with the result.
    case feedback
    /// 重新办理 — the reporter, unsatisfied, sends the result back to the same handler.
    case reopen
    /// 关闭 — the case is closed after its resolution.
    case close
}
