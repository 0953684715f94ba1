import Testing
import YunweiDomain

/// County A: township 1 with villages 1a and 1b and its agriculture centre, township 2 with
/// village 2a, and two county departments (water, roads); county B beside it. Every role sits at
/// its own kind of unit: county roles at county A, township roles at township 1, village roles
/// at village 1a, the department handler at A's water bureau.
private enum Places {
    static func path(_ codes: String...) -> UnitPath { UnitPath(codes: codes.map { UnitCode($0)! }) }

    static let countyA = path("510121000000")
    static let township1 = path("510121000000", "510121100000")
    static let village1a = path("510121000000", "510121100000", "510121100201")
    static let group1a1 = path("510121000000", "510121100000", "510121100201", "510121100211")
    static let village1b = path("510121000000", "510121100000", "510121100202")
    static let agricultureCentre1 = path("510121000000", "510121100000", "510121100900")
    static let township2 = path("510121000000", "510121101000")
    static let village2a = path("510121000000", "510121101000", "510121101201")
    static let water = path("510121000000", "510121900001")
    static let roads = path("510121000000", "510121900002")
    static let villageB = path("510122000000", "510122100000", "510122100201")
    static let waterB = path("510122000000", "510122900001")

    static let me: Int64 = 7
    static let someoneElse: Int64 = 8

    static func seat(of role: Role) -> UnitPath {
        switch role.heldAt {
        case .county: countyA
        case .township: township1
        case .department: water
        case .village, .group: village1a
        }
    }

    static func actor(_ grants: (Role, UnitPath)...) -> Actor {
        Actor(
            userID: me, username: "someone",
            grants: grants.map { Grant(role: $0.0, unit: $0.1.codes.last!, path: $0.1) })
    }
}

/// The cases of the matrix, named by where they are from the seats' point of view.
private enum Scene: String, CaseIterable, CustomTestStringConvertible {
    /// In village 1a, handled by village 1a.
    case homeVillage
    /// In village 1a, handled by the county water bureau.
    case homeVillageAtWater
    /// In village 1a, handled by township 1 itself.
    case homeVillageAtTownship
    /// In village 1a, not yet dispatched.
    case homeVillageUndispatched
    /// In village 1b (same township), handled by village 1b.
    case neighbourVillage
    /// In village 2a (another township), handled by the county water bureau.
    case farVillageAtWater
    /// In village 2a, handled by village 2a.
    case farVillage
    /// In village 2a, handled by the road bureau, reported by the actor.
    case reportedByMe
    /// In county B.
    case otherCounty

    var place: CasePlace {
        switch self {
        case .homeVillage:
            CasePlace(villagePath: Places.village1a, handlerPath: Places.village1a, reporterUserID: Places.someoneElse)
        case .homeVillageAtWater: CasePlace(villagePath: Places.village1a, handlerPath: Places.water)
        case .homeVillageAtTownship: CasePlace(villagePath: Places.village1a, handlerPath: Places.township1)
        case .homeVillageUndispatched: CasePlace(villagePath: Places.village1a, reporterUserID: Places.someoneElse)
        case .neighbourVillage: CasePlace(villagePath: Places.village1b, handlerPath: Places.village1b)
        case .farVillageAtWater: CasePlace(villagePath: Places.village2a, handlerPath: Places.water)
        case .farVillage: CasePlace(villagePath: Places.village2a, handlerPath: Places.village2a)
        case .reportedByMe:
            CasePlace(villagePath: Places.village2a, handlerPath: Places.roads, reporterUserID: Places.me)
        case .otherCounty: CasePlace(villagePath: Places.villageB, handlerPath: Places.waterB)
        }
    }

    var testDescription: String { rawValue }
}

private let dispatching: Set<CaseAction> = [.dispatch, .refer, .reject, .transfer, .supervise, .close]
private let handling: Set<CaseAction> = [.accept, .resolve, .return]
private let following: Set<CaseAction> = [.feedback, .reopen]
private let asReporter: Set<CaseAction> = [.feedback, .reopen, .close]
private let home: Set<Scene> = [.homeVillage, .homeVillageAtWater, .homeVillageAtTownship, .homeVillageUndispatched]

/// For each role, the cases it sees and the steps it may take on each, written out independently
/// of `CasePolicy` (a case not listed under `may` allows no step). Every step is tried in a state
/// that allows it and is not `referred`; referred cases have their own test.
private struct Row {
    var sees: Set<Scene>
    var may: [Scene: Set<CaseAction>]
}

private let expected: [Role: Row] = {
    let county = Row(sees: Set(Scene.allCases).subtracting([.otherCounty]), may: [.reportedByMe: asReporter])
    let township = home.union([.neighbourVillage, .reportedByMe])
    let village = home.union([.reportedByMe])
    let onlyReports = Row(sees: village, may: [.reportedByMe: asReporter])
    return [
        .countyAdmin: county,
        .countyAuditor: county,
        .townshipLeader: Row(
            sees: township,
            may: Dictionary(uniqueKeysWithValues: township.map { ($0, [.supervise]) }).merging([
                .homeVillageAtTownship: [.supervise, .accept, .resolve, .return],
                .reportedByMe: asReporter,
            ]) { $1 }),
        .townshipFinance: Row(sees: township, may: [.reportedByMe: asReporter]),
        .townshipDispatcher: Row(
            sees: township,
            may: Dictionary(uniqueKeysWithValues: township.map { ($0, dispatching) }).merging([
                .reportedByMe: asReporter
            ]) { $1 }),
        .departmentHandler: Row(
            sees: [.homeVillageAtWater, .farVillageAtWater, .reportedByMe],
            may: [.homeVillageAtWater: handling, .farVillageAtWater: handling, .reportedByMe: asReporter]),
        .villageHead: Row(sees: village, may: [.homeVillage: handling, .reportedByMe: asReporter]),
        .villageClerk: onlyReports,
        .financeGroup: onlyReports,
        .qualityGroup: onlyReports,
        .caretaker: onlyReports,
        .gridWorker: Row(
            sees: village,
            may: Dictionary(uniqueKeysWithValues: home.map { ($0, following) }).merging([
                .reportedByMe: asReporter
            ]) { $1 }),
    ]
}()

/// A state in which the machine allows `action`, other than `referred`.
private func state(allowing action: CaseAction) -> CaseState {
    CaseState.allCases.first { $0 != .referred && CaseMachine.states(allowing: action).contains($0) }!
}

@Suite("Who may act on a case")
struct CasePolicyTests {
    @Test("every role × case × step: the table's answer", arguments: Role.allCases, Scene.allCases)
    fileprivate func matrix(role: Role, scene: Scene) {
        let actor = Places.actor((role, Places.seat(of: role)))
        let row = expected[role]!
        #expect(CasePolicy.mayView(actor, scene.place) == row.sees.contains(scene), "view")
        for action in CaseAction.allCases {
            let allowed = row.may[scene, default: []].contains(action)
            #expect(CasePolicy.may(actor, action, on: scene.place, in: state(allowing: action)) == allowed, "\(action)")
        }
    }

    @Test(
        "a private case: seen by the township and county staff who may, its handler and its reporter",
        arguments: Role.allCases)
    fileprivate func privateCase(role: Role) {
        let actor = Places.actor((role, Places.seat(of: role)))
        let township = home.union([.neighbourVillage, .reportedByMe])
        let sees: Set<Scene> =
            switch role {
            case .countyAdmin, .countyAuditor: Set(Scene.allCases).subtracting([.otherCounty])
            case .townshipLeader: township
            case .townshipDispatcher: township
            case .departmentHandler: [.homeVillageAtWater, .farVillageAtWater, .reportedByMe]
            case .villageHead: [.homeVillage, .reportedByMe]
            default: [.reportedByMe]
            }
        for scene in Scene.allCases {
            var place = scene.place
            place.isPrivate = true
            #expect(CasePolicy.mayView(actor, place) == sees.contains(scene), "\(scene)")
        }
        #expect(
            !CasePolicy.mayView(
                Places.actor((.gridWorker, Places.village1a)),
                CasePlace(villagePath: Places.village1a, handlerPath: Places.village1a, isPrivate: true)))
    }

    @Test("whoever may take a step on a case may see it")
    func actingImpliesSeeing() {
        for role in Role.allCases {
            for (scene, actions) in expected[role]!.may where !actions.isEmpty {
                #expect(expected[role]!.sees.contains(scene), "\(role) \(scene)")
            }
        }
    }

    @Test("the township leader decides a case referred to him, in his own township only")
    func leaderDecidesReferred() {
        let leader = Places.actor((.townshipLeader, Places.township1))
        let ownCase = CasePlace(villagePath: Places.village1b)
        let farCase = CasePlace(villagePath: Places.village2a)
        #expect(CasePolicy.actions(for: leader, on: ownCase, in: .referred) == [.dispatch, .reject, .supervise])
        #expect(CasePolicy.actions(for: leader, on: ownCase, in: .reported) == [.supervise])
        #expect(CasePolicy.actions(for: leader, on: ownCase, in: .returned) == [.supervise])
        #expect(CasePolicy.actions(for: leader, on: farCase, in: .referred).isEmpty)
    }

    @Test("the dispatcher keeps her hand on a referred case")
    func dispatcherOnReferred() {
        let dispatcher = Places.actor((.townshipDispatcher, Places.township1))
        let place = CasePlace(villagePath: Places.village1a)
        #expect(CasePolicy.actions(for: dispatcher, on: place, in: .referred) == [.dispatch, .reject, .supervise])
        #expect(
            CasePolicy.actions(for: dispatcher, on: place, in: .reported) == [.dispatch, .refer, .reject, .supervise])
    }

    @Test("a township leader handles what is handed to the township, not to its villages or its centre")
    func leaderHandlesOnlyTheTownship() {
        let leader = Places.actor((.townshipLeader, Places.township1))
        for handler in [Places.village1a, Places.agricultureCentre1, Places.township2] {
            let place = CasePlace(villagePath: Places.village1a, handlerPath: handler)
            #expect(!CasePolicy.may(leader, .accept, on: place, in: .dispatched), "\(handler)")
        }
        let own = CasePlace(villagePath: Places.village1a, handlerPath: Places.township1)
        #expect(CasePolicy.actions(for: leader, on: own, in: .dispatched) == [.accept, .return, .supervise])
        #expect(CasePolicy.actions(for: leader, on: own, in: .inProgress) == [.resolve, .return, .supervise])
    }

    @Test("a village head handles what is handed to one of her villager groups")
    func villageHeadHandlesGroups() {
        let head = Places.actor((.villageHead, Places.village1a))
        let place = CasePlace(villagePath: Places.village1a, handlerPath: Places.group1a1)
        #expect(CasePolicy.may(head, .resolve, on: place, in: .inProgress))
    }

    @Test("a department handler sees the cases handed to her department, wherever they were reported")
    func departmentSeesItsCases() {
        let handler = Places.actor((.departmentHandler, Places.water))
        let far = CasePlace(villagePath: Places.village2a, handlerPath: Places.water)
        let elsewhere = CasePlace(villagePath: Places.village2a, handlerPath: Places.roads)
        #expect(CasePolicy.mayView(handler, far))
        #expect(!CasePolicy.mayView(handler, elsewhere))
        #expect(CasePolicy.actions(for: handler, on: far, in: .dispatched) == [.accept, .return])
        #expect(CasePolicy.actions(for: handler, on: far, in: .returned).isEmpty)
    }

    @Test("only a grid worker reports, and only in her village")
    func reporting() {
        let worker = Places.actor((.gridWorker, Places.village1a))
        #expect(CasePolicy.mayReport(worker, in: Places.village1a))
        #expect(!CasePolicy.mayReport(worker, in: Places.village1b))
        for role in Role.allCases where role != .gridWorker {
            #expect(!CasePolicy.mayReport(Places.actor((role, Places.seat(of: role))), in: Places.village1a))
        }
    }

    @Test("the county auditor sees every case of the county and takes no step on any")
    func auditorChangesNothing() {
        let auditor = Places.actor((.countyAuditor, Places.countyA))
        for scene in Scene.allCases where scene != .reportedByMe && scene != .otherCounty {
            #expect(CasePolicy.mayView(auditor, scene.place))
            for state in CaseState.allCases {
                #expect(CasePolicy.actions(for: auditor, on: scene.place, in: state).isEmpty)
            }
        }
    }

    @Test("a reporter without any role still follows and answers for her own case")
    func reporterWithoutRole() {
        let reporter = Places.actor()
        let place = CasePlace(villagePath: Places.village2a, handlerPath: Places.roads, reporterUserID: Places.me)
        #expect(CasePolicy.mayView(reporter, place))
        #expect(CasePolicy.actions(for: reporter, on: place, in: .resolved) == [.feedback, .reopen, .close])
        #expect(!CasePolicy.mayView(reporter, CasePlace(villagePath: Places.village2a)))
    }

    @Test("a grant whose path is not its unit's path reaches no case")
    func incoherentGrant() {
        let broken = Actor(
            userID: 9, username: "x",
            grants: [Grant(role: .townshipDispatcher, unit: UnitCode("510121100000")!, path: UnitPath(rawValue: "/"))])
        let place = CasePlace(villagePath: Places.village1a, handlerPath: Places.village1a)
        #expect(!CasePolicy.mayView(broken, place))
        #expect(CasePolicy.actions(for: broken, on: place, in: .reported).isEmpty)
        #expect(CasePolicy.handlingScope(broken).isEmpty)
    }

    @Test("roles add up: a village head who is also a grid worker handles and follows")
    func rolesAddUp() {
        let person = Places.actor((.villageHead, Places.village1a), (.gridWorker, Places.village1a))
        let place = CasePlace(villagePath: Places.village1a, handlerPath: Places.village1a)
        #expect(CasePolicy.actions(for: person, on: place, in: .inProgress) == [.resolve, .return])
        #expect(CasePolicy.actions(for: person, on: place, in: .resolved) == [.feedback, .reopen])
    }
}

@Suite("Scoping a case query")
struct CaseScopeTests {
    private let places: [CasePlace] = {
        let ordinary =
            Scene.allCases.map(\.place) + [
                CasePlace(villagePath: Places.village1a, handlerPath: Places.agricultureCentre1),
                CasePlace(villagePath: Places.village2a, handlerPath: Places.township2),
                CasePlace(villagePath: Places.village1a, handlerPath: Places.group1a1),
            ]
        return ordinary
            + ordinary.map {
                var secret = $0
                secret.isPrivate = true
                return secret
            }
    }()

    private var people: [Actor] {
        Role.allCases.map { Places.actor(($0, Places.seat(of: $0))) } + [
            Places.actor((.townshipLeader, Places.township1), (.villageHead, Places.village2a)),
            Places.actor((.departmentHandler, Places.water), (.departmentHandler, Places.agricultureCentre1)),
            Places.actor((.townshipLeader, Places.township1), (.villageHead, Places.village1a)),
            Places.actor(),
        ]
    }

    @Test("the view scope holds exactly the cases the actor may see")
    func viewScopeAgrees() {
        for actor in people {
            let scope = CasePolicy.viewScope(actor)
            for place in places {
                #expect(scope.contains(place) == CasePolicy.mayView(actor, place), "\(actor.grants) \(place)")
            }
        }
    }

    @Test("the handling scope holds exactly the handler units whose cases the actor may accept")
    func handlingScopeAgrees() {
        for actor in people {
            let scope = CasePolicy.handlingScope(actor)
            for place in places {
                guard let handler = place.handlerPath else { continue }
                #expect(
                    scope.contains(handler) == CasePolicy.may(actor, .accept, on: place, in: .dispatched),
                    "\(actor.grants) \(handler)")
            }
        }
    }

    @Test("a township grant handles its own unit only; a village grant its subtree")
    func handlingScopeShape() {
        let person = Places.actor((.townshipLeader, Places.township1), (.villageHead, Places.village2a))
        let scope = CasePolicy.handlingScope(person)
        #expect(scope.units == [Places.township1])
        #expect(scope.subtrees == [Places.village2a])
    }
}
