import Foundation

/// The lockout rule for signing in: after `maxFailures` wrong passwords in a row (default 5) a
/// username is locked for `lockout` (default 15 minutes) from the last failure. That slows
/// password guessing to a handful of tries per quarter hour without locking anyone out for good.
///
/// Pure: the server keeps, per username, the count of consecutive failures and the time of the
/// last one; it asks `check` before looking at the password, stores `afterFailure` and the time
/// after a wrong one, and `afterSuccess` after a right one.
public struct LoginThrottle: Sendable, Hashable {
    public var maxFailures: Int
    public var lockout: TimeInterval

    public init(maxFailures: Int = 5, lockout: TimeInterval = 15 * 60) {
        self.maxFailures = maxFailures
        self.lockout = lockout
    }

    /// Five failures, fifteen minutes.
    public static let standard = LoginThrottle()

    public enum Decision: Sendable, Hashable {
        case allowed
        /// Refused without looking at the password (catalog key `login.locked`, with `{until}`).
        case locked(until: Date)
    }

    /// Whether a sign-in may be tried `now`, given the failures so far.
    public func check(failures: Int, lastFailure: Date?, now: Date) -> Decision {
        guard failures >= maxFailures, let lastFailure else { return .allowed }
        let until = lastFailure.addingTimeInterval(lockout)
        return now < until ? .locked(until: until) : .allowed
    }

    /// The failure count to store after a wrong password at `now` (store `now` as the last
    /// failure). A streak whose last failure is older than the lockout — an expired lock, or a few
    /// typos last month — is forgotten, and counting starts again at one.
    public func afterFailure(failures: Int, lastFailure: Date?, now: Date) -> Int {
        guard let lastFailure, now.timeIntervalSince(lastFailure) < lockout else { return 1 }
        return failures + 1
    }

    /// What to store after a right password: the streak is over.
    public var afterSuccess: (failures: Int, lastFailure: Date?) { (0, nil) }
}
