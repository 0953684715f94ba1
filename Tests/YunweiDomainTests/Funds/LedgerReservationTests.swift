import Foundation
import Testing

@testable import YunweiDomain

@Suite("Reservations 预留 and the available balance")
struct LedgerReservationTests {
    let village = LedgerFixtures.village
    let submitted = LedgerFixtures.at("2026-02-05T02:00:00Z")
    let decided = LedgerFixtures.at("2026-02-09T02:00:00Z")

    func reservation(_ claim: Int64, yuan: Int64, state: ReservationState = .reserved) -> Reservation {
        Reservation(
            claim: claim, village: village, amount: Money(yuan: yuan), state: state, reservedAt: submitted,
            closedAt: state == .reserved ? nil : decided)
    }

    @Test("a submitted claim's reservation reduces what is available")
    func reservingReducesAvailable() throws {
        let before = AvailableBalance(village: village, balance: Money(yuan: 1_000), reservations: [])
        let held = try before.reserve(Money(yuan: 700), for: 1, at: submitted)
        #expect(held == Reservation(claim: 1, village: village, amount: Money(yuan: 700), reservedAt: submitted))

        let after = AvailableBalance(village: village, balance: Money(yuan: 1_000), reservations: [held])
        #expect(after.reserved == Money(yuan: 700))
        #expect(after.available == Money(yuan: 300))
    }

    @Test("a reservation beyond what is available is refused, naming both amounts")
    func reservationCannotGoNegative() throws {
        let balance = AvailableBalance(
            village: village, balance: Money(yuan: 1_000), reservations: [reservation(1, yuan: 700)])
        let issue = FundIssue(
            field: "amount", key: "ledger.error.insufficient", args: ["available": "¥300.00", "requested": "¥300.01"])
        #expect(throws: issue) { try balance.reserve(Money(fen: 30_001), for: 2, at: submitted) }
        #expect(try balance.reserve(Money(yuan: 300), for: 2, at: submitted).amount == Money(yuan: 300))
    }

    @Test("nothing or less cannot be reserved")
    func nonPositiveReservation() {
        let balance = AvailableBalance(village: village, balance: Money(yuan: 1_000), reservations: [])
        #expect(throws: FundIssue.amountNotPositive(.zero)) { try balance.reserve(.zero, for: 1, at: submitted) }
    }

    @Test("posted and released reservations, and other villages' reservations, hold nothing")
    func onlyOpenReservationsOfTheVillageCount() {
        let other = Reservation(
            claim: 9, village: LedgerFixtures.neighbour, amount: Money(yuan: 400), reservedAt: submitted)
        let balance = AvailableBalance(
            village: village, balance: Money(yuan: 1_000),
            reservations: [
                reservation(1, yuan: 100), reservation(2, yuan: 200, state: .posted),
                reservation(3, yuan: 300, state: .released), other,
            ])
        #expect(balance.reserved == Money(yuan: 100))
        #expect(balance.available == Money(yuan: 900))
    }

    @Test("when a disbursement is reversed under open reservations, available stops at zero and the shortfall shows")
    func availableIsNeverNegative() {
        let balance = AvailableBalance(
            village: village, balance: Money(yuan: 200), reservations: [reservation(1, yuan: 500)])
        #expect(balance.available == .zero)
        #expect(balance.shortfall == Money(yuan: 300))
        #expect(throws: FundIssue.insufficient(available: .zero, requested: Money(fen: 1))) {
            try balance.requireCovers(Money(fen: 1))
        }
    }

    @Test("the fund balance is read from the village's special payable")
    func balanceFromTheLedger() throws {
        let entries = [
            try LedgerEntry.disbursement(
                village: village, amount: Money(yuan: 5_000), date: submitted, disbursement: 1, memo: "拨付"),
            try LedgerEntry.claimPosting(
                claim: 1, village: village, category: .social, amount: Money(yuan: 1_200), date: decided,
                memo: "治安巡逻"),
        ]
        let balance = AvailableBalance(village: village, entries: entries, reservations: [reservation(2, yuan: 800)])
        #expect(balance.balance == Money(yuan: 3_800))
        #expect(balance.available == Money(yuan: 3_000))
    }

    @Test("a reserved amount is posted when its claim is booked, and then holds nothing")
    func postFromReserved() throws {
        let posted = try reservation(1, yuan: 100).posted(at: decided)
        #expect(posted.state == .posted)
        #expect(posted.closedAt == decided)
        #expect(!posted.isOpen)
    }

    @Test("a reserved amount is released when its claim is rejected or withdrawn")
    func releaseFromReserved() throws {
        let released = try reservation(1, yuan: 100).released(at: decided)
        #expect(released.state == .released)
        #expect(released.closedAt == decided)
    }

    @Test(
        "a reservation already posted or released can be neither posted nor released",
        arguments: [ReservationState.posted, .released])
    func closedReservationsStayClosed(state: ReservationState) {
        let closed = reservation(1, yuan: 100, state: state)
        let issue = FundIssue(
            field: "reservation", key: "ledger.error.reservation_closed", args: ["state": "reservation_state.\(state)"])
        #expect(throws: issue) { try closed.posted(at: decided) }
        #expect(throws: issue) { try closed.released(at: decided) }
    }

    @Test("a reservation counts as open before an instant if made before it and not yet closed by then")
    func openBeforeAnInstant() throws {
        let posted = try reservation(1, yuan: 100).posted(at: decided)
        #expect(!posted.isOpen(before: submitted))
        #expect(posted.isOpen(before: submitted.addingTimeInterval(1)))
        #expect(posted.isOpen(before: decided))
        #expect(!posted.isOpen(before: decided.addingTimeInterval(1)))
    }
}
