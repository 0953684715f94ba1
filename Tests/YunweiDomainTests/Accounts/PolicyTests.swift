import Testing
import YunweiDomain

/// A small world: county A with two townships, villages, a villager group and two county
/// departments; county B beside it.
private enum World {
    static func code(_ text: String) -> UnitCode { UnitCode(text)! }
    static func path(_ codes: String...) -> UnitPath { UnitPath(codes: codes.map(code)) }

    static let countyA = path("510121000000")
    static let townshipA1 = path("510121000000", "510121100000")
    static let townshipA2 = path("510121000000", "510121101000")
    static let villageA1a = path("510121000000", "510121100000", "510121100201")
    static let villageA1b = path("510121000000", "510121100000", "510121100202")
    static let villageA2a = path("510121000000", "510121101000", "510121101201")
    static let groupA1a1 = path("510121000000", "510121100000", "510121100201", "510121100211")
    static let waterBureauA = path("510121000000", "510121990001")
    static let roadBureauA = path("510121000000", "510121990002")

    static let countyB = path("510122000000")
    static let townshipB1 = path("510122000000", "510122100000")
    static let villageB1a = path("510122000000", "510122100000", "510122100201")
    static let waterBureauB = path("510122000000", "510122990001")

    /// Where a role of each kind is held in the matrix, and its neighbours.
    struct Seat {
        var own: UnitPath
        var child: UnitPath?
        var sibling: UnitPath
        var parent: UnitPath?
        var otherCounty: UnitPath
    }

    static func seat(for kind: UnitKind) -> Seat {
        switch kind {
        case .county:
            Seat(own: countyA, child: townshipA1, sibling: countyB, parent: nil, otherCounty: villageB1a)
        case .township:
            Seat(own: townshipA1, child: villageA1a, sibling: townshipA2, parent: countyA, otherCounty: townshipB1)
        case .village:
            Seat(own: villageA1a, child: groupA1a1, sibling: villageA1b, parent: townshipA1, otherCounty: villageB1a)
        case .department:
            Seat(own: waterBureauA, child: nil, sibling: roadBureauA, parent: countyA, otherCounty: waterBureauB)
        case .group:
            Seat(own: groupA1a1, child: nil, sibling: villageA1b, parent: villageA1a, otherCounty: villageB1a)
        }
    }

    static func actor(_ grants: (Role, UnitPath)...) -> Actor {
        Actor(
            userID: 1, username: "someone",
            grants: grants.map { Grant(role: $0.0, unit: $0.1.codes.last!, path: $0.1) })
    }
}

/// What each role may do within its subtree, written out independently of `Policy`'s table.
private let expectedActions: [Role: Set<Action>] = {
    let viewing: Set<Action> = [.viewUnit, .viewFactors, .viewCase]
    let caseSteps: Set<Action> = [.reportCase, .dispatchCase, .handleCase, .superviseCase]
    let claimSteps: Set<Action> = [.draftClaim, .reviewClaim, .approveClaim, .leaderReviewClaim, .postClaim]
    var table = Dictionary(uniqueKeysWithValues: Role.allCases.map { ($0, viewing) })
    table[.countyAdmin] = Set(Action.allCases).subtracting([.viewAuditLog, .disburseFunds]).subtracting(caseSteps)
        .subtracting(claimSteps)
    table[.countyAuditor] = viewing.union([
        .exportData, .viewUsers, .viewAuditLog, .viewCaseStats, .viewPrivateCase, .viewFunds, .inspectFunds,
    ])
    table[.townshipLeader] = viewing.union([
        .viewUsers, .viewCaseStats, .superviseCase, .handleCase, .viewPrivateCase, .viewFunds, .leaderReviewClaim,
        .inspectFunds,
    ])
    table[.townshipFinance] = viewing.union([
        .viewFunds, .postClaim, .disburseFunds, .inspectFunds, .manageCaretakers, .preparePayroll,
    ])
    table[.townshipDispatcher] = viewing.union([.viewCaseStats, .dispatchCase, .superviseCase, .viewPrivateCase])
    table[.departmentHandler] = viewing.union([.handleCase])
    table[.villageHead] = viewing.union([.viewCaseStats, .handleCase, .viewFunds, .approveClaim])
    table[.villageClerk] = viewing.union([.editFactors, .viewFunds, .draftClaim, .manageCaretakers])
    table[.financeGroup] = viewing.union([.viewFunds, .reviewClaim])
    table[.gridWorker] = viewing.union([.reportCase])
    return table
}()

@Suite("The access policy")
struct PolicyTests {
    @Test(
        "every role × action: allowed at its own unit and below, never above, sideways or in another county",
        arguments: Role.allCases, Action.allCases)
    func matrix(role: Role, action: Action) {
        let seat = World.seat(for: role.heldAt)
        let actor = World.actor((role, seat.own))
        let expected = expectedActions[role]!.contains(action)

        #expect(Policy.can(actor, action, at: seat.own) == expected, "own unit")
        if let child = seat.child {
            #expect(Policy.can(actor, action, at: child) == expected, "child unit")
        }
        #expect(!Policy.can(actor, action, at: seat.sibling), "sibling unit")
        if let parent = seat.parent {
            #expect(!Policy.can(actor, action, at: parent), "parent unit")
        }
        #expect(!Policy.can(actor, action, at: seat.otherCounty), "another county")
        #expect(Policy.roles(allowedTo: action).contains(role) == expected)
    }

    @Test("a village clerk cannot see another village's factors")
    func clerkSeesOnlyHerVillage() {
        let clerk = World.actor((.villageClerk, World.villageA1a))
        #expect(Policy.can(clerk, .viewFactors, at: World.villageA1a))
        #expect(Policy.can(clerk, .editFactors, at: World.villageA1a))
        #expect(!Policy.can(clerk, .viewFactors, at: World.villageA1b))
        #expect(!Policy.can(clerk, .editFactors, at: World.villageA1b))
    }

    @Test("a township sees only its own villages")
    func townshipSeesItsVillages() {
        let leader = World.actor((.townshipLeader, World.townshipA1))
        #expect(Policy.can(leader, .viewFactors, at: World.villageA1a))
        #expect(Policy.can(leader, .viewFactors, at: World.villageA1b))
        #expect(!Policy.can(leader, .viewFactors, at: World.villageA2a))
        #expect(!Policy.can(leader, .editFactors, at: World.villageA1a))
    }

    @Test("a county auditor reads everything in the county, the audit trail included, and changes nothing")
    func auditorReadsButNeverChanges() {
        let auditor = World.actor((.countyAuditor, World.countyA))
        for action in [Action.viewUnit, .viewFactors, .exportData, .viewUsers, .viewAuditLog] {
            #expect(Policy.can(auditor, action, at: World.villageA2a))
        }
        for action in [Action.editUnit, .editFactors, .importData, .manageUsers] {
            #expect(!Policy.can(auditor, action, at: World.countyA))
            #expect(Policy.scope(auditor, action).isEmpty)
        }
    }

    @Test("a county admin runs the county but does not read the audit trail kept on her")
    func adminCannotReadAuditLog() {
        let admin = World.actor((.countyAdmin, World.countyA))
        #expect(Policy.can(admin, .manageUsers, at: World.waterBureauA))
        #expect(Policy.can(admin, .editFactors, at: World.villageA2a))
        #expect(!Policy.can(admin, .viewAuditLog, at: World.countyA))
        #expect(!Policy.can(admin, .editUnit, at: World.countyB))
    }

    @Test("a person with two roles may do what either role allows, each within its own unit")
    func rolesAddUp() {
        let person = World.actor((.villageClerk, World.villageA1a), (.townshipLeader, World.townshipA2))
        #expect(Policy.can(person, .editFactors, at: World.villageA1a))
        #expect(!Policy.can(person, .editFactors, at: World.villageA2a))
        #expect(Policy.can(person, .viewUsers, at: World.villageA2a))
        #expect(!Policy.can(person, .viewUsers, at: World.villageA1a))
        #expect(person.roles == [.villageClerk, .townshipLeader])
        #expect(person.holds(.villageClerk))
        #expect(!person.holds(.countyAdmin))
        #expect(person.holds(.townshipLeader, reaching: World.villageA2a))
        #expect(!person.holds(.townshipLeader, reaching: World.villageA1a))
    }

    @Test("someone with no role may do nothing")
    func noRoleNoAccess() {
        let nobody = World.actor()
        for action in Action.allCases {
            #expect(!Policy.can(nobody, action, at: World.villageA1a))
            #expect(Policy.scope(nobody, action).isEmpty)
        }
    }

    @Test("a grant whose path is not its unit's path reaches nothing")
    func incoherentGrantFailsClosed() {
        let unit = UnitCode("510121100201")!
        for broken in ["", "/", "510121000000/510121100000/510121100201", "/510121000000/510121100000/"] {
            let actor = Actor(
                userID: 9, username: "x",
                grants: [Grant(role: .countyAdmin, unit: unit, path: UnitPath(rawValue: broken))])
            #expect(!Policy.can(actor, .viewUnit, at: World.villageA1a), "path \(broken)")
            #expect(Policy.scope(actor, .viewUnit).isEmpty, "path \(broken)")
        }
    }

    @Test("a village's path is not inside another whose code it merely begins with")
    func pathsMatchWholeCodes() {
        let clerk = World.actor((.villageClerk, World.townshipA1))
        let lookalike = UnitPath(rawValue: "/510121000000/5101211000001/")
        #expect(!Policy.can(clerk, .viewUnit, at: lookalike))
    }
}

@Suite("Scoping a query")
struct PolicyScopeTests {
    @Test("the scope keeps only the outermost units, sorted")
    func minimalSortedRoots() {
        let person = World.actor(
            (.villageClerk, World.villageB1a),
            (.gridWorker, World.villageA1a),
            (.townshipLeader, World.townshipA1),
            (.caretaker, World.villageA2a),
            (.financeGroup, World.villageA2a))
        #expect(Policy.scope(person, .viewUnit) == [World.townshipA1, World.villageA2a, World.villageB1a])
        #expect(Policy.scope(person, .editFactors) == [World.villageB1a])
        #expect(Policy.scope(person, .viewUsers) == [World.townshipA1])
    }

    @Test("a county role covers every unit below it in the scope")
    func countyCoversEverything() {
        let person = World.actor((.villageClerk, World.villageA1a), (.countyAdmin, World.countyA))
        #expect(Policy.scope(person, .editFactors) == [World.countyA])
        #expect(Policy.scope(person, .viewAuditLog).isEmpty)
    }

    @Test("every unit the scope covers is one the actor may act on, and no other")
    func scopeAgreesWithCan() {
        let person = World.actor((.townshipLeader, World.townshipA1), (.villageClerk, World.villageA2a))
        let everywhere = [
            World.countyA, World.townshipA1, World.townshipA2, World.villageA1a, World.villageA1b,
            World.villageA2a, World.groupA1a1, World.waterBureauA, World.countyB, World.villageB1a,
        ]
        for action in Action.allCases {
            let roots = Policy.scope(person, action)
            for unit in everywhere {
                #expect(roots.contains { unit.isWithin($0) } == Policy.can(person, action, at: unit))
            }
        }
    }
}

@Suite("Granting roles")
struct PolicyGrantTests {
    let admin = World.actor((.countyAdmin, World.countyA))

    @Test("a county admin grants a village role at a village of her county")
    func adminGrantsWithinCounty() {
        #expect(Policy.canGrant(admin, role: .villageClerk, at: World.villageA1a, unitKind: .village))
        #expect(Policy.canGrant(admin, role: .townshipFinance, at: World.townshipA2, unitKind: .township))
        #expect(Policy.canGrant(admin, role: .departmentHandler, at: World.waterBureauA, unitKind: .department))
        #expect(Policy.canGrant(admin, role: .countyAuditor, at: World.countyA, unitKind: .county))
    }

    @Test("a role is granted only at the kind of unit it is held at")
    func roleOnlyAtItsKind() {
        #expect(!Policy.canGrant(admin, role: .villageClerk, at: World.townshipA1, unitKind: .township))
        #expect(!Policy.canGrant(admin, role: .townshipLeader, at: World.countyA, unitKind: .county))
        #expect(!Policy.canGrant(admin, role: .gridWorker, at: World.groupA1a1, unitKind: .group))
    }

    @Test("a county admin cannot grant in another county")
    func adminCannotGrantElsewhere() {
        #expect(!Policy.canGrant(admin, role: .villageClerk, at: World.villageB1a, unitKind: .village))
    }

    @Test("only those who manage users may grant", arguments: Role.allCases.filter { $0 != .countyAdmin })
    func othersCannotGrant(role: Role) {
        let person = World.actor((role, World.countyA))
        #expect(!Policy.canGrant(person, role: .villageClerk, at: World.villageA1a, unitKind: .village))
    }
}
