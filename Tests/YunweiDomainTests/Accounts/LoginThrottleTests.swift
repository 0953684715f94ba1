import Foundation
import Testing
import YunweiDomain

@Suite("Locking a username after failed sign-ins")
struct LoginThrottleTests {
    let throttle = LoginThrottle.standard
    let nine = Date(timeIntervalSince1970: 1_735_693_200)

    /// The count and last failure stored after `times` wrong passwords, `seconds` apart.
    func fail(_ times: Int, every seconds: TimeInterval = 10, with throttle: LoginThrottle = .standard)
        -> (failures: Int, last: Date?)
    {
        var state: (failures: Int, last: Date?) = (0, nil)
        for n in 0..<times {
            let now = nine.addingTimeInterval(Double(n) * seconds)
            state = (throttle.afterFailure(failures: state.failures, lastFailure: state.last, now: now), now)
        }
        return state
    }

    @Test("four wrong passwords in a row still allow a fifth try")
    func fourFailuresAllowed() {
        let (failures, last) = fail(4)
        #expect(failures == 4)
        #expect(throttle.check(failures: failures, lastFailure: last, now: nine.addingTimeInterval(31)) == .allowed)
    }

    @Test("the fifth wrong password locks the username for 15 minutes from that failure")
    func fifthFailureLocks() {
        let (failures, last) = fail(5)
        let until = nine.addingTimeInterval(40 + 15 * 60)
        #expect(failures == 5)
        #expect(throttle.check(failures: failures, lastFailure: last, now: last!) == .locked(until: until))
        #expect(
            throttle.check(failures: failures, lastFailure: last, now: until.addingTimeInterval(-1))
                == .locked(until: until))
        #expect(throttle.check(failures: failures, lastFailure: last, now: until) == .allowed)
    }

    @Test("after the lock runs out, one more typo does not lock again at once")
    func expiredLockStartsAfresh() {
        let (failures, last) = fail(5)
        let later = last!.addingTimeInterval(15 * 60)
        let next = throttle.afterFailure(failures: failures, lastFailure: last, now: later)
        #expect(next == 1)
        #expect(throttle.check(failures: next, lastFailure: later, now: later) == .allowed)
    }

    @Test("typos spread over a month never add up to a lock")
    func oldFailuresAreForgotten() {
        let (failures, last) = fail(10, every: 3 * 86_400)
        #expect(failures == 1)
        #expect(throttle.check(failures: failures, lastFailure: last, now: last!) == .allowed)
    }

    @Test("a correct password ends the streak")
    func successResets() {
        let cleared = throttle.afterSuccess
        #expect(cleared.failures == 0 && cleared.lastFailure == nil)
        #expect(throttle.afterFailure(failures: cleared.failures, lastFailure: cleared.lastFailure, now: nine) == 1)
    }

    @Test("the limit and the lock time are configurable")
    func configurable() {
        let strict = LoginThrottle(maxFailures: 3, lockout: 3600)
        let (failures, last) = fail(3, every: 1, with: strict)
        #expect(
            strict.check(failures: failures, lastFailure: last, now: nine.addingTimeInterval(1800))
                == .locked(until: nine.addingTimeInterval(3602)))
        #expect(throttle.check(failures: failures, lastFailure: last, now: nine.addingTimeInterval(3)) == .allowed)
    }

    @Test("a username that never failed is allowed")
    func cleanSlate() {
        #expect(throttle.check(failures: 0, lastFailure: nil, now: nine) == .allowed)
        #expect(throttle.check(failures: 7, lastFailure: nil, now: nine) == .allowed)
    }
}
