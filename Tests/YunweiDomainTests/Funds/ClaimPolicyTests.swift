import Foundation
import Testing
import YunweiDomain

private typealias F = ClaimFixtures

/// The claim's village from the point of view of someone seated as `ClaimFixtures.seat(of:)`.
enum ClaimScene: String, CaseIterable, CustomTestStringConvertible {
    /// Village 1a: the village roles' own.
    case ownVillage
    /// Village 1b, beside it in township 1.
    case neighbourVillage
    /// Village 2a, in township 2 of the same county.
    case otherTownship
    /// A village of county B.
    case otherCounty

    var path: UnitPath {
        switch self {
        case .ownVillage: F.village1a
        case .neighbourVillage: F.village1b
        case .otherTownship: F.village2a
        case .otherCounty: F.villageB
        }
    }

    var testDescription: String { rawValue }

    /// Written out independently of the grants: how far each kind of seat reaches.
    func isReached(by role: Role) -> Bool {
        switch role.heldAt {
        case .village, .group: self == .ownVillage
        case .township: self == .ownVillage || self == .neighbourVillage
        case .county: self != .otherCounty
        case .department: false
        }
    }
}

/// The state each step is asked in; a return is asked at every review stage.
private let askedIn: [(ClaimAction, ClaimState)] = [
    (.submit, .draft), (.submit, .returned), (.review, .submitted), (.approve, .reviewed),
    (.leaderReview, .villageApproved), (.leaderReview, .inNotice), (.post, .leaderReviewed),
    (.return, .submitted), (.return, .reviewed), (.return, .inNotice), (.return, .villageApproved),
    (.return, .leaderReviewed), (.withdraw, .draft), (.withdraw, .leaderReviewed), (.object, .inNotice),
]

/// The role that takes `action` in `state`, written from DOMAIN.md §1; nil for anyone who may see
/// the village (an objection).
private func expectedRole(_ action: ClaimAction, in state: ClaimState) -> Role? {
    switch (action, state) {
    case (.submit, _), (.withdraw, _): .villageClerk
    case (.review, _), (.return, .submitted): .financeGroup
    case (.approve, _), (.return, .reviewed): .villageHead
    case (.leaderReview, _), (.return, .inNotice), (.return, .villageApproved): .townshipLeader
    case (.post, _), (.return, _): .townshipFinance
    case (.object, _): nil
    }
}

private let viewers: Set<Role> = [
    .countyAdmin, .countyAuditor, .townshipLeader, .townshipFinance, .villageHead, .villageClerk, .financeGroup,
]

@Suite("Who may act on a claim")
struct ClaimPolicyMatrixTests {
    @Test(
        "each role at its seat, for a claim in each place: exactly its own steps, where it reaches",
        arguments: Role.allCases, ClaimScene.allCases)
    func matrix(role: Role, scene: ClaimScene) {
        let actor = F.actor(10, (role, F.seat(of: role)))
        let place = ClaimPlace(villagePath: scene.path)
        for (action, state) in askedIn {
            let own = expectedRole(action, in: state).map { $0 == role } ?? true
            let expected = own && scene.isReached(by: role)
            #expect(ClaimPolicy.may(actor, action, on: place, in: state) == expected, "\(action) in \(state)")
            if !expected {
                #expect(ClaimPolicy.refusal(actor, action, on: place, in: state) == .forbidden)
                #expect(ClaimPolicy.refusal(actor, action, on: place, in: state)?.kind == .forbidden)
            }
        }
        #expect(ClaimPolicy.mayView(actor, place) == (viewers.contains(role) && scene.isReached(by: role)))
        #expect(ClaimPolicy.mayDraft(actor, in: scene.path) == (role == .villageClerk && scene == .ownVillage))
    }

    @Test("the county's admin and auditor see every claim of the county but take no step on one")
    func countyRolesOnlyWatch() {
        for role in [Role.countyAdmin, .countyAuditor] {
            let actor = F.actor(10, (role, F.countyA))
            for state in ClaimState.allCases {
                #expect(ClaimPolicy.actions(for: actor, on: F.place, in: state, notice: nil, now: F.now).isEmpty)
            }
            #expect(ClaimPolicy.mayView(actor, F.place))
        }
    }

    @Test("the public may object on the village's public page without signing in")
    func publicObjection() {
        #expect(ClaimPolicy.mayObject(nil, on: F.place))
        #expect(ClaimPolicy.mayObject(F.actor(10, (.gridWorker, F.village1a)), on: F.place))
        #expect(!ClaimPolicy.mayObject(F.actor(10, (.gridWorker, F.village1b)), on: F.place))
    }

    @Test("a return where no signature is awaited is left to the machine for reviewers, refused to others")
    func returnInDraft() {
        #expect(ClaimPolicy.refusal(F.head, .return, on: F.place, in: .draft) == nil)
        #expect(ClaimPolicy.refusal(F.clerk, .return, on: F.place, in: .draft) == .forbidden)
    }

    @Test("the page offers each person only their own steps, by the clock in notice")
    func actionsOffered() {
        let notice = PublicNotice(start: F.now)
        let during = F.now.addingTimeInterval(F.day)
        #expect(
            ClaimPolicy.actions(for: F.head, on: F.place, in: .reviewed, notice: nil, now: F.now) == [
                .approve, .return,
            ])
        #expect(ClaimPolicy.actions(for: F.clerk, on: F.place, in: .reviewed, notice: nil, now: F.now) == [.withdraw])
        #expect(
            ClaimPolicy.actions(for: F.leader, on: F.place, in: .inNotice, notice: notice, now: during) == [
                .return, .object,
            ])
        #expect(
            ClaimPolicy.actions(for: F.leader, on: F.place, in: .inNotice, notice: notice, now: notice.end) == [
                .leaderReview, .return,
            ])
    }

    @Test("only the clerk edits, and only a draft or a returned claim")
    func editing() {
        for state in ClaimState.allCases {
            #expect(ClaimPolicy.mayEdit(F.clerk, on: F.place, in: state) == (state == .draft || state == .returned))
            #expect(!ClaimPolicy.mayEdit(F.head, on: F.place, in: state))
        }
    }

    @Test("queries are scoped to where each person sees claims or takes their step")
    func scopes() {
        #expect(ClaimPolicy.viewScope(F.leader) == [F.township1])
        #expect(
            ClaimPolicy.viewScope(F.actor(10, (.villageClerk, F.village1a), (.villageHead, F.village1a))) == [
                F.village1a
            ])
        #expect(
            ClaimPolicy.viewScope(F.actor(10, (.countyAuditor, F.countyA), (.townshipLeader, F.township1))) == [
                F.countyA
            ])
        #expect(ClaimPolicy.viewScope(F.actor(10, (.gridWorker, F.village1a))).isEmpty)
        #expect(ClaimPolicy.inboxScope(F.finance, for: .post) == [F.township1])
        #expect(ClaimPolicy.inboxScope(F.finance, for: .leaderReview).isEmpty)
    }
}

@Suite("Separation of duties on a claim")
struct ClaimSeparationOfDutiesTests {
    private static let duties = ClaimDuty.allCases

    private static func role(for duty: ClaimDuty) -> Role {
        switch duty {
        case .draft: .villageClerk
        case .review: .financeGroup
        case .approve: .villageHead
        case .leaderReview: .townshipLeader
        case .post: .townshipFinance
        }
    }

    private static func action(for duty: ClaimDuty) -> (ClaimAction, ClaimState) {
        switch duty {
        case .draft: (.submit, .draft)
        case .review: (.review, .submitted)
        case .approve: (.approve, .reviewed)
        case .leaderReview: (.leaderReview, .villageApproved)
        case .post: (.post, .leaderReviewed)
        }
    }

    @Test("one person who holds both roles may not take a second, different step", arguments: duties, duties)
    func secondStep(done: ClaimDuty, step: ClaimDuty) {
        let both = F.actor(
            20, (Self.role(for: done), F.seat(of: Self.role(for: done))),
            (Self.role(for: step), F.seat(of: Self.role(for: step))))
        let place = ClaimPlace(villagePath: F.village1a, history: ClaimHistory().recording(done, by: 20))
        let (action, state) = Self.action(for: step)
        let refusal = ClaimPolicy.refusal(both, action, on: place, in: state)
        if done == step {
            #expect(refusal == nil)
        } else {
            #expect(refusal == .separationOfDuties(done: done, step: step))
            #expect(refusal?.kind == .forbidden)
            #expect(refusal?.args == ["done": "claim_duty.\(done.rawValue)", "step": "claim_duty.\(step.rawValue)"])
        }
    }

    @Test("the same person cannot submit and review")
    func submitAndReview() {
        let both = F.actor(20, (.villageClerk, F.village1a), (.financeGroup, F.village1a))
        let place = ClaimPlace(villagePath: F.village1a, history: ClaimHistory().recording(.draft, by: 20))
        #expect(!ClaimPolicy.may(both, .review, on: place, in: .submitted))
        #expect(ClaimPolicy.may(both, .withdraw, on: place, in: .submitted))
    }

    @Test("the same person cannot review and approve, nor withdraw what they reviewed")
    func reviewAndApprove() {
        let both = F.actor(20, (.financeGroup, F.village1a), (.villageHead, F.village1a), (.villageClerk, F.village1a))
        let place = ClaimPlace(villagePath: F.village1a, history: ClaimHistory().recording(.review, by: 20))
        #expect(
            ClaimPolicy.refusal(both, .approve, on: place, in: .reviewed)
                == .separationOfDuties(done: .review, step: .approve))
        #expect(
            ClaimPolicy.refusal(both, .withdraw, on: place, in: .reviewed)
                == .separationOfDuties(done: .review, step: .draft))
    }

    @Test("a return counts as the step it answers: who returned as finance group may not approve later")
    func returnIsAStep() {
        let both = F.actor(20, (.financeGroup, F.village1a), (.villageHead, F.village1a))
        let history = ClaimHistory().recording(.draft, by: 1).recording(.review, by: 20)
        let place = ClaimPlace(villagePath: F.village1a, history: history)
        #expect(ClaimDuty.of(.return, in: .submitted) == .review)
        #expect(
            ClaimPolicy.refusal(both, .approve, on: place, in: .reviewed)
                == .separationOfDuties(done: .review, step: .approve))
        #expect(
            ClaimPolicy.refusal(both, .return, on: place, in: .reviewed)
                == .separationOfDuties(done: .review, step: .approve))
    }

    @Test("others' signatures do not bind a person; the same step twice is one duty")
    func othersDoNotBind() {
        let history = ClaimHistory().recording(.draft, by: 1).recording(.review, by: 2).recording(.review, by: 2)
        let place = ClaimPlace(villagePath: F.village1a, history: history)
        #expect(ClaimPolicy.may(F.head, .approve, on: place, in: .reviewed))
        #expect(ClaimPolicy.may(F.financeMember, .review, on: place, in: .submitted))
        #expect(history.duties(of: 2) == [.review])
    }

    @Test("a payee with an account takes no approval step on their own payment", arguments: duties.filter(\.isApproval))
    func payeeCannotApprove(duty: ClaimDuty) {
        let payee = F.actor(30, (Self.role(for: duty), F.seat(of: Self.role(for: duty))))
        let place = ClaimPlace(villagePath: F.village1a, payeeUserID: 30)
        let (action, state) = Self.action(for: duty)
        #expect(ClaimPolicy.refusal(payee, action, on: place, in: state) == .ownPayment)
        #expect(ClaimPolicy.refusal(payee, .return, on: place, in: state) == .ownPayment)
        #expect(ClaimPolicy.may(payee, action, on: ClaimPlace(villagePath: F.village1a, payeeUserID: 31), in: state))
    }

    @Test("a clerk may draft a claim that pays herself — approving it is for others")
    func payeeMayDraft() {
        let place = ClaimPlace(villagePath: F.village1a, payeeUserID: F.clerk.userID)
        #expect(ClaimPolicy.may(F.clerk, .submit, on: place, in: .draft))
        #expect(ClaimPayee.user(id: 1, name: "王芳").userID == 1)
        #expect(ClaimPayee.person(name: "王芳", idNumber: "x").userID == nil)
    }

    @Test("without the role the answer is no role, whatever the history says")
    func roleFirst() {
        let place = ClaimPlace(
            villagePath: F.village1a, payeeUserID: 1, history: ClaimHistory().recording(.draft, by: 1))
        #expect(ClaimPolicy.refusal(F.clerk, .approve, on: place, in: .reviewed) == .forbidden)
    }
}
