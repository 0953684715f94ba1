/// Why a step on a claim was refused, as a catalog key of `Resources/Localization/funds-claims.json` with its
/// named arguments. Arguments that are themselves catalog keys (`claim_state.…`,
/// `claim_action.…`, `claim_duty.…`) are shown translated.
public struct ClaimRefusal: Error, Sendable, Hashable {
    /// How the server answers: the step is impossible in the claim's present state (409), could
    /// succeed with better input (422), or is not this person's to take (403).
    public enum Kind: Sendable, Hashable {
        case conflict
        case invalid
        case forbidden
    }

    public var key: String
    public var args: [String: String]
    public var kind: Kind
    /// For a claim refused as incomplete: each problem beside its field.
    public var issues: [FundIssue]

    public init(key: String, args: [String: String] = [:], kind: Kind = .invalid, issues: [FundIssue] = []) {
        self.key = key
        self.args = args
        self.kind = kind
        self.issues = issues
    }

    /// The table does not allow `action` in `state`.
    public static func illegalTransition(from state: ClaimState, _ action: ClaimAction) -> ClaimRefusal {
        ClaimRefusal(
            key: "claim.error.illegal_transition",
            args: ["state": "claim_state.\(state.rawValue)", "action": "claim_action.\(action.rawValue)"],
            kind: .conflict)
    }

    /// The township leader may not review a claim whose notice still runs.
    public static let noticeRunning = ClaimRefusal(
        key: "claim.error.notice_running", args: ["days": String(PublicNotice.days)], kind: .conflict)

    /// Objections are taken only while the notice runs.
    public static let noticeOver = ClaimRefusal(
        key: "claim.error.notice_over", args: ["days": String(PublicNotice.days)], kind: .conflict)

    /// A claim in notice without its notice: refused rather than decided on a guess.
    public static let noticeUnknown = ClaimRefusal(key: "claim.error.notice_unknown", kind: .conflict)

    /// The person holds no role that takes this step on this claim's village.
    public static let forbidden = ClaimRefusal(key: "claim.error.forbidden", kind: .forbidden)

    /// The payee may take no approval step on their own payment.
    public static let ownPayment = ClaimRefusal(key: "claim.error.own_payment", kind: .forbidden)

    /// The person already took another step on this claim.
    public static func separationOfDuties(done: ClaimDuty, step: ClaimDuty) -> ClaimRefusal {
        ClaimRefusal(
            key: "claim.error.separation_of_duties",
            args: ["done": "claim_duty.\(done.rawValue)", "step": "claim_duty.\(step.rawValue)"], kind: .forbidden)
    }
}
