/// Where a claim 报账单 stands (DOMAIN.md §4.3). The raw values are stable: they are stored in the
/// database, sent by the JSON API and named in the catalog as `claim_state.<raw value>`.
///
/// The main path is draft → submitted → reviewed → (in notice →) village approved → leader
/// reviewed → posted; the side paths are the return to the clerk and the clerk's withdrawal.
public enum ClaimState: String, CaseIterable, Codable, Sendable {
    /// 草稿 — the clerk is writing it; nothing is reserved yet.
    case draft
    /// 待理财 — submitted, waiting for the villagers' finance group to review it 理财.
    case submitted
    /// 待审批 — reviewed by the finance group, waiting for the village head to approve it 审批.
    case reviewed
    /// 公示中 — approved at or above the notice threshold and publicly noticed 公示 for 5 days;
    /// once the notice is over it waits for the township leader like a village-approved claim.
    case inNotice = "in_notice"
    /// 待审核 — approved by the village head, waiting for the township leader to review it 审核.
    case villageApproved = "village_approved"
    /// 待报账 — reviewed by the township leader, waiting for township finance to post it 报账.
    case leaderReviewed = "leader_reviewed"
    /// 已报账 — booked in the village's special account: finished.
    case posted
    /// 已退回 — sent back to the clerk with a reason, to be corrected and submitted again or
    /// withdrawn.
    case returned
    /// 已撤回 — withdrawn by the clerk before it was posted: finished.
    case withdrawn

    /// Posted and withdrawn claims are finished: nothing more happens to them.
    public var isFinished: Bool { self == .posted || self == .withdrawn }

    /// Whether the claim's amount is reserved in the village account in this state: from its
    /// submission until it is posted, returned or withdrawn (DOMAIN.md §4.3).
    public var holdsReservation: Bool {
        switch self {
        case .submitted, .reviewed, .inNotice, .villageApproved, .leaderReviewed: true
        case .draft, .posted, .returned, .withdrawn: false
        }
    }

    /// The step the claim waits for in this state — the clerk's on a draft or a returned claim,
    /// the next signature on the way up — or nil once it is finished. A claim in notice waits for
    /// the township leader, who may take the step only when the notice is over.
    public var awaitedDuty: ClaimDuty? {
        switch self {
        case .draft, .returned: .draft
        case .submitted: .review
        case .reviewed: .approve
        case .inNotice, .villageApproved: .leaderReview
        case .leaderReviewed: .post
        case .posted, .withdrawn: nil
        }
    }
}
