/// The places a case belongs to, which decide who may see it and act on it: the village where it
/// was reported (and through it the township above), the unit handling it, and its reporter.
public struct CasePlace: Sendable, Hashable {
    /// `/county/township/village/`.
    public var villagePath: UnitPath
    /// The handler unit's path, once the case has been dispatched.
    public var handlerPath: UnitPath?
    /// The signed-in person who reported it; nil for a report from the public.
    public var reporterUserID: Int64?
    /// A petition or stability case (its category is private): seen only by those who may see
    /// private cases there, its handler and its reporter.
    public var isPrivate: Bool

    public init(
        villagePath: UnitPath, handlerPath: UnitPath? = nil, reporterUserID: Int64? = nil, isPrivate: Bool = false
    ) {
        self.villagePath = villagePath
        self.handlerPath = handlerPath
        self.reporterUserID = reporterUserID
        self.isPrivate = isPrivate
    }
}

/// Who may take which step on a case (DOMAIN.md §1, §3). It adds no role table of its own: it asks
/// `Policy` — the one door — about the case actions of `Action`, at the place each step concerns:
///
/// - see the case: `viewCase` at its village or at its handler unit; its reporter;
/// - `dispatch`, `reject`: `dispatchCase` at its village, and on a referred case `superviseCase`
///   there too — a referral 报办 hands the decision to the township leader;
/// - `refer`, `transfer`, and `close`: `dispatchCase` at its village (and `close` its reporter);
/// - `accept`, `resolve`, `return`: `handleCase` reaching its handler unit, where a township grant
///   counts only when the handler is the township itself;
/// - `supervise`: `superviseCase` at its village;
/// - `feedback`, `reopen`: its reporter, or `reportCase` at its village — the grid worker passes
///   on the word of a villager who reported through her or the public form.
///
/// It says who, not when: whether the step is possible in the case's state is `CaseMachine`'s to
/// say, so that the server can answer 409 and 403 apart.
public enum CasePolicy {
    /// Whether `actor` may take `action` on the case at `place`, now `state`.
    public static func may(_ actor: Actor, _ action: CaseAction, on place: CasePlace, in state: CaseState) -> Bool {
        let village = place.villagePath
        switch action {
        case .dispatch, .reject:
            return Policy.can(actor, .dispatchCase, at: village)
                || (state == .referred && Policy.can(actor, .superviseCase, at: village))
        case .refer, .transfer:
            return Policy.can(actor, .dispatchCase, at: village)
        case .accept, .resolve, .return:
            return place.handlerPath.map { handles(actor, $0) } ?? false
        case .supervise:
            return Policy.can(actor, .superviseCase, at: village)
        case .feedback, .reopen:
            return isReporter(actor, place) || Policy.can(actor, .reportCase, at: village)
        case .close:
            return isReporter(actor, place) || Policy.can(actor, .dispatchCase, at: village)
        }
    }

    /// Whether `actor` may see the case at `place`: everyone within their scope sees the cases of
    /// its villages, a handler unit sees the cases handed to it wherever they were reported, and
    /// a reporter always sees their own. A private case (petition, stability) is seen within
    /// scope only by those who may see private cases — the township's dispatchers and leaders, the
    /// county — and otherwise only by the people who handle it and its reporter.
    public static func mayView(_ actor: Actor, _ place: CasePlace) -> Bool {
        if isReporter(actor, place) { return true }
        let sight: Action = place.isPrivate ? .viewPrivateCase : .viewCase
        return Policy.can(actor, sight, at: place.villagePath)
            || place.handlerPath.map { Policy.can(actor, sight, at: $0) } == true
            || (place.isPrivate && place.handlerPath.map { handles(actor, $0) } == true)
    }

    /// Whether `actor` may report a case in the village at `villagePath`.
    public static func mayReport(_ actor: Actor, in villagePath: UnitPath) -> Bool {
        Policy.can(actor, .reportCase, at: villagePath)
    }

    /// The steps `actor` may take on the case at `place` in `state`: what the case page offers.
    public static func actions(for actor: Actor, on place: CasePlace, in state: CaseState) -> [CaseAction] {
        CaseMachine.available(in: state).filter { may(actor, $0, on: place, in: state) }
    }

    /// The cases `actor` may see, for scoping a query.
    public static func viewScope(_ actor: Actor) -> CaseViewScope {
        CaseViewScope(
            roots: Policy.scope(actor, .viewCase), privateRoots: Policy.scope(actor, .viewPrivateCase),
            handling: handlingScope(actor), reporterUserID: actor.userID)
    }

    /// The handler units whose cases `actor` may accept, resolve and return, for the inbox.
    public static func handlingScope(_ actor: Actor) -> CaseHandlingScope {
        let allowed = Policy.roles(allowedTo: .handleCase)
        let grants = actor.grants.filter { allowed.contains($0.role) && $0.isCoherent }
        let exact = Set(grants.filter { $0.role.heldAt == .township }.map(\.path))
        let subtrees = Set(grants.filter { $0.role.heldAt != .township }.map(\.path))
        let outermost = subtrees.filter { root in !subtrees.contains { $0 != root && root.isWithin($0) } }
        let units = exact.filter { unit in !outermost.contains { unit.isWithin($0) } }
        return CaseHandlingScope(
            subtrees: outermost.sorted { $0.rawValue < $1.rawValue }, units: units.sorted { $0.rawValue < $1.rawValue })
    }

    /// Handling is the handler unit's own work. A village head also handles what is handed to one
    /// of her villager groups; a township reaches villages and departments with handlers of their
    /// own, so a township grant handles only what is handed to the township itself.
    private static func handles(_ actor: Actor, _ handlerPath: UnitPath) -> Bool {
        let allowed = Policy.roles(allowedTo: .handleCase)
        return actor.grants.contains { grant in
            allowed.contains(grant.role) && grant.reaches(handlerPath)
                && (grant.role.heldAt != .township || grant.path == handlerPath)
        }
    }

    private static func isReporter(_ actor: Actor, _ place: CasePlace) -> Bool {
        place.reporterUserID == actor.userID
    }
}

/// The cases a person may see, as a query condition: `reporter_user_id = reporterUserID`, or
/// `village_path` or `handler_path` starts with one of `roots` (`privateRoots` for a private
/// case, or its handler is in `handling`). Agrees with `CasePolicy.mayView`.
public struct CaseViewScope: Sendable, Hashable {
    /// Minimal and sorted, as `Policy.scope` gives them.
    public var roots: [UnitPath]
    /// Where private cases are seen; minimal and sorted.
    public var privateRoots: [UnitPath]
    /// The handler units whose private cases are seen, because their people handle them.
    public var handling: CaseHandlingScope
    public var reporterUserID: Int64

    public init(roots: [UnitPath], privateRoots: [UnitPath], handling: CaseHandlingScope, reporterUserID: Int64) {
        self.roots = roots
        self.privateRoots = privateRoots
        self.handling = handling
        self.reporterUserID = reporterUserID
    }

    /// Whether private cases are seen wherever ordinary ones are, so that the scope needs no
    /// separate condition for them.
    public var seesPrivateEverywhere: Bool {
        roots.allSatisfy { root in privateRoots.contains { root.isWithin($0) } }
    }

    /// Whether the case at `place` lies in this scope.
    public func contains(_ place: CasePlace) -> Bool {
        if place.reporterUserID == reporterUserID { return true }
        let reached = (place.isPrivate ? privateRoots : roots).contains { root in
            place.villagePath.isWithin(root) || place.handlerPath?.isWithin(root) == true
        }
        return reached || (place.isPrivate && place.handlerPath.map(handling.contains) == true)
    }
}

/// The handler units a person handles for, as a query condition: `handler_path` starts with one of
/// `subtrees` or equals one of `units`. Agrees with `CasePolicy.may` for accept, resolve, return.
public struct CaseHandlingScope: Sendable, Hashable {
    /// Units whose subtree is handled (a village, a department); minimal and sorted.
    public var subtrees: [UnitPath]
    /// Units handled only themselves (a township); none lies in a subtree; sorted.
    public var units: [UnitPath]

    public var isEmpty: Bool { subtrees.isEmpty && units.isEmpty }

    /// Whether cases handed to the unit at `handlerPath` are handled within this scope.
    public func contains(_ handlerPath: UnitPath) -> Bool {
        units.contains(handlerPath) || subtrees.contains { handlerPath.isWithin($0) }
    }
}
