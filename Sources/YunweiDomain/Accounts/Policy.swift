/// The one access door (DOMAIN.md §1). Every handler asks `can`, every query is scoped by `scope`,
/// and both read the same table, so no handler invents its own check.
///
/// A role is held at a unit and reaches that unit and everything below it — never its parent,
/// never a sibling, never another county. What a role may do there:
///
/// | role | may, within its subtree |
/// |---|---|
/// | `county_admin` | everything except `viewAuditLog` (the auditor watches the admin), the steps on cases |
/// | | (`reportCase`, `dispatchCase`, `handleCase`, `superviseCase`) and the steps on claims |
/// | | (`draftClaim`, `reviewClaim`, `approveClaim`, `leaderReviewClaim`, `postClaim`) and |
/// | | `disburseFunds` (拨付 is township finance's act) |
/// | `county_auditor` | `viewUnit`, `viewFactors`, `exportData`, `viewUsers`, `viewAuditLog`, `viewCase`, |
/// | | `viewPrivateCase`, `viewCaseStats`, `viewFunds`, `inspectFunds`; changes nothing |
/// | `township_leader` | `viewUnit`, `viewFactors`, `viewUsers`, `viewCase`, `viewPrivateCase`, `viewCaseStats`, |
/// | | `superviseCase`, `handleCase`, `viewFunds`, `leaderReviewClaim` (审核), `inspectFunds` |
/// | `township_finance` | `viewUnit`, `viewFactors`, `viewCase`, `viewFunds`, `postClaim` (报账), |
/// | | `disburseFunds` (拨付), `inspectFunds`, `manageCaretakers`, `preparePayroll` (工资表) |
/// | `township_dispatcher` | `viewUnit`, `viewFactors`, `viewCase`, `viewPrivateCase`, `viewCaseStats`, |
/// | | `dispatchCase`, `superviseCase` |
/// | `department_handler` | `viewUnit`, `viewFactors`, `viewCase`, `handleCase` |
/// | `village_head` | `viewUnit`, `viewFactors`, `viewCase`, `viewCaseStats`, `handleCase`, `viewFunds`, |
/// | | `approveClaim` (审批) |
/// | `village_clerk` | `viewUnit`, `viewFactors`, `viewCase`, `editFactors` (the clerk keeps the village data), |
/// | | `viewFunds`, `draftClaim` (制单), `manageCaretakers` (管护合同) |
/// | `finance_group` | `viewUnit`, `viewFactors`, `viewCase`, `viewFunds`, `reviewClaim` (理财) |
/// | `grid_worker` | `viewUnit`, `viewFactors`, `viewCase`, `reportCase` |
/// | every other role | `viewUnit`, `viewFactors`, `viewCase` |
///
/// Which step on which case the case actions allow — at the case's village, its handler unit, for
/// its reporter — is decided by `CasePolicy` from this same table.
public enum Policy {
    /// The table above, read by action: the roles that may perform `action` within their subtree.
    public static func roles(allowedTo action: Action) -> Set<Role> {
        switch action {
        case .viewUnit, .viewFactors, .viewCase: Set(Role.allCases)
        case .editUnit, .importData, .manageUsers, .manageCategories, .manageAllocations: [.countyAdmin]
        case .editFactors: [.countyAdmin, .villageClerk]
        case .exportData: [.countyAdmin, .countyAuditor]
        case .viewUsers: [.countyAdmin, .countyAuditor, .townshipLeader]
        case .viewAuditLog: [.countyAuditor]
        case .reportCase: [.gridWorker]
        case .dispatchCase: [.townshipDispatcher]
        case .handleCase: [.departmentHandler, .villageHead, .townshipLeader]
        case .superviseCase: [.townshipDispatcher, .townshipLeader]
        case .viewCaseStats: [.countyAdmin, .countyAuditor, .townshipLeader, .townshipDispatcher, .villageHead]
        case .viewPrivateCase: [.countyAdmin, .countyAuditor, .townshipLeader, .townshipDispatcher]
        case .viewFunds:
            [
                .countyAdmin, .countyAuditor, .townshipLeader, .townshipFinance, .villageHead, .villageClerk,
                .financeGroup,
            ]
        case .draftClaim: [.villageClerk]
        case .reviewClaim: [.financeGroup]
        case .approveClaim: [.villageHead]
        case .leaderReviewClaim: [.townshipLeader]
        case .postClaim: [.townshipFinance]
        case .disburseFunds: [.townshipFinance]
        case .inspectFunds: [.countyAdmin, .countyAuditor, .townshipLeader, .townshipFinance]
        case .manageCaretakers: [.countyAdmin, .villageClerk, .townshipFinance]
        case .preparePayroll: [.countyAdmin, .townshipFinance]
        }
    }

    /// Whether `actor` may perform `action` on the unit (or the unit's data) at `path`.
    public static func can(_ actor: Actor, _ action: Action, at path: UnitPath) -> Bool {
        let allowed = roles(allowedTo: action)
        return actor.grants.contains { allowed.contains($0.role) && $0.reaches(path) }
    }

    /// The subtree roots within which `actor` may perform `action`, for scoping a query
    /// (`path LIKE root || '%' OR …`). Minimal — no root lies inside another — and sorted, so the
    /// same actor always yields the same query. Empty means nothing at all.
    public static func scope(_ actor: Actor, _ action: Action) -> [UnitPath] {
        let allowed = roles(allowedTo: action)
        let roots = Set(actor.grants.filter { allowed.contains($0.role) && $0.isCoherent }.map(\.path))
        let outermost = roots.filter { root in !roots.contains { $0 != root && root.isWithin($0) } }
        return outermost.sorted { $0.rawValue < $1.rawValue }
    }

    /// Whether `actor` may grant `role` at the unit at `path`, of kind `unitKind`: only someone who
    /// manages users there, and only at the kind of unit the role is held at — a village clerk is
    /// granted at a village, never at a township, or her reach would silently widen.
    public static func canGrant(_ actor: Actor, role: Role, at path: UnitPath, unitKind: UnitKind) -> Bool {
        unitKind == role.heldAt && can(actor, .manageUsers, at: path)
    }
}
