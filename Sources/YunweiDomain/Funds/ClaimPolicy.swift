import Foundation

/// What decides who may act on a claim: the village it spends for (and through it the township
/// above), who it pays, and who has signed which step of it.
public struct ClaimPlace: Sendable, Hashable {
    /// `/county/township/village/`.
    public var villagePath: UnitPath
    /// The payee's account, if the payee has one — `claim.payee.userID`, or the account the server
    /// matched to a named payee's ID number. That person takes no approval step on the claim.
    public var payeeUserID: Int64?
    public var history: ClaimHistory

    public init(villagePath: UnitPath, payeeUserID: Int64? = nil, history: ClaimHistory = ClaimHistory()) {
        self.villagePath = villagePath
        self.payeeUserID = payeeUserID
        self.history = history
    }
}

/// Who may take which step on a claim (DOMAIN.md §1, §4.3). Each step is a role's, held at a unit
/// reaching the claim's village:
///
/// - `submit`, `withdraw` and editing a draft: `draftClaim` (village clerk);
/// - `review`: `reviewClaim` (finance group); `approve`: `approveClaim` (village head);
///   `leader_review`: `leaderReviewClaim` (township leader); `post`: `postClaim` (township finance);
/// - `return`: the permission of the signature the claim waits for — saying no is the same
///   person's job as saying yes;
/// - `object`: anyone signed in who may see the village (`Policy`'s `viewUnit`), and the public on
///   the village's public page (`mayObject(nil, …)`).
///
/// Separation of duties: a person who signed one duty on the claim (`ClaimHistory`) may take no
/// step of another, and a payee with an account takes no approval step on the claim. These are
/// refused with their own keys, so the person learns why.
///
/// It says who, not when: whether the step is possible in the claim's state is `ClaimMachine`'s
/// to say, so that the server can answer 409 and 403 apart. The role rows are `Policy`'s: each
/// duty is an `Action` (`ClaimDuty.action`).
public enum ClaimPolicy {
    /// Why `actor` may not take `action` on the claim at `place`, now `state`; nil if they may.
    public static func refusal(
        _ actor: Actor, _ action: ClaimAction, on place: ClaimPlace, in state: ClaimState
    ) -> ClaimRefusal? {
        let village = place.villagePath
        if action == .object { return mayObject(actor, on: place) ? nil : .forbidden }
        guard let duty = ClaimDuty.of(action, in: state) else {
            // A return where no signature is awaited: whoever may sign anything may ask, and the
            // machine answers that it is not possible now.
            let signs = ClaimDuty.allCases.filter(\.isApproval).contains {
                Policy.can(actor, $0.action, at: village)
            }
            return signs ? nil : .forbidden
        }
        guard Policy.can(actor, duty.action, at: village) else { return .forbidden }
        if duty.isApproval, place.payeeUserID == actor.userID { return .ownPayment }
        let others = place.history.duties(of: actor.userID).subtracting([duty])
        if let done = ClaimDuty.allCases.first(where: others.contains) {
            return .separationOfDuties(done: done, step: duty)
        }
        return nil
    }

    /// Whether `actor` may take `action` on the claim at `place`, now `state`.
    public static func may(_ actor: Actor, _ action: ClaimAction, on place: ClaimPlace, in state: ClaimState) -> Bool {
        refusal(actor, action, on: place, in: state) == nil
    }

    /// Whether `actor` may start a claim in the village at `villagePath`.
    public static func mayDraft(_ actor: Actor, in villagePath: UnitPath) -> Bool {
        Policy.can(actor, .draftClaim, at: villagePath)
    }

    /// Whether `actor` may change the claim at `place`: a draft or a returned claim, by a clerk who
    /// may submit it.
    public static func mayEdit(_ actor: Actor, on place: ClaimPlace, in state: ClaimState) -> Bool {
        state.awaitedDuty == .draft && may(actor, .submit, on: place, in: state)
    }

    /// Whether `actor` may see the claim at `place`, its invoices and history.
    public static func mayView(_ actor: Actor, _ place: ClaimPlace) -> Bool {
        Policy.can(actor, .viewFunds, at: place.villagePath)
    }

    /// Whether an objection to the noticed claim at `place` may be recorded from `actor`: anyone
    /// signed in who may see the village, and — with `actor` nil — the public on the village's
    /// public page, which needs no login (DOMAIN.md §8).
    public static func mayObject(_ actor: Actor?, on place: ClaimPlace) -> Bool {
        guard let actor else { return true }
        return Policy.can(actor, .viewUnit, at: place.villagePath)
    }

    /// The steps `actor` may take on the claim at `place` in `state` at `now`: what the claim page
    /// offers.
    public static func actions(
        for actor: Actor, on place: ClaimPlace, in state: ClaimState, notice: PublicNotice?, now: Date
    ) -> [ClaimAction] {
        ClaimMachine.available(in: state, notice: notice, now: now).filter { may(actor, $0, on: place, in: state) }
    }

    /// The subtree roots whose claims `actor` may see, for scoping a query; minimal and sorted.
    public static func viewScope(_ actor: Actor) -> [UnitPath] {
        Policy.scope(actor, .viewFunds)
    }

    /// The subtree roots where `actor` may take `duty`, for an inbox: the claims there waiting for
    /// it (`ClaimState.awaitedDuty`), less those the history or the payee rule keep from them.
    public static func inboxScope(_ actor: Actor, for duty: ClaimDuty) -> [UnitPath] {
        Policy.scope(actor, duty.action)
    }
}
