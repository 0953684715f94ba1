/// A step taken on a claim (DOMAIN.md §4.3). The raw values are the `action` field of the claim
/// API, the history's records and the catalog's `claim_action.<raw value>`.
///
/// In which states each step may be taken, and where it leads, is decided by `ClaimMachine`; who
/// may take it, by `ClaimPolicy`.
public enum ClaimAction: String, CaseIterable, Codable, Sendable {
    /// 提交 — the clerk submits the draft, or resubmits a returned claim; its amount is reserved.
    case submit
    /// 理财 — the villagers' finance group reviews the claim.
    case review
    /// 审批 — the village head approves the claim.
    case approve
    /// 审核 — the township leader reviews the claim, after its public notice if it had one.
    case leaderReview = "leader_review"
    /// 报账 — township finance books the claim in the village account and pays it.
    case post
    /// 退回 — whoever's signature the claim waits for sends it back to the clerk, with a reason.
    case `return`
    /// 撤回 — the clerk withdraws the claim, at any time before it is posted.
    case withdraw
    /// 异议 — an objection to a claim in public notice 公示 is recorded; the claim stays where it is.
    case object
}

/// A step of the claim chain that a person signs for. Separation of duties (DOMAIN.md §1): one
/// person takes at most one of them on a claim, whatever roles they hold. The raw values are stable
/// and named in the catalog as `claim_duty.<raw value>`.
public enum ClaimDuty: String, CaseIterable, Codable, Sendable {
    /// 制单 — drafting, submitting and withdrawing: the clerk's part.
    case draft
    /// 理财 — the finance group's review.
    case review
    /// 审批 — the village head's approval.
    case approve
    /// 审核 — the township leader's review.
    case leaderReview = "leader_review"
    /// 报账 — township finance's posting.
    case post

    /// The steps that let money go: nobody takes one on a payment to themselves.
    public var isApproval: Bool { self != .draft }

    /// The duty `action` is taken under on a claim in `state`. A return is the "no" of whoever's
    /// signature the claim waits for, so it counts as that signature: a finance-group member who
    /// returned a claim may not approve it later as village head. An objection is nobody's duty,
    /// and neither is a return where no signature is awaited (the machine refuses that one).
    public static func of(_ action: ClaimAction, in state: ClaimState) -> ClaimDuty? {
        switch action {
        case .submit, .withdraw: .draft
        case .review: .review
        case .approve: .approve
        case .leaderReview: .leaderReview
        case .post: .post
        case .return: state.awaitedDuty.flatMap { $0.isApproval ? $0 : nil }
        case .object: nil
        }
    }

    /// The `Action` of `Policy`'s table that this duty needs.
    public var action: Action {
        switch self {
        case .draft: .draftClaim
        case .review: .reviewClaim
        case .approve: .approveClaim
        case .leaderReview: .leaderReviewClaim
        case .post: .postClaim
        }
    }
}
