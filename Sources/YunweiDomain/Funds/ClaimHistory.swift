/// Who signed which step of a claim, over all its rounds — a claim returned and submitted again
/// keeps the names of its first round, so that a return cannot be used to trade places.
/// `ClaimPolicy` reads it for separation of duties; the server appends the duty of every
/// `ClaimOutcome` under the person who took the step.
public struct ClaimHistory: Sendable, Hashable, Codable {
    /// One signature: `userID` took a step under `duty`.
    public struct Entry: Sendable, Hashable, Codable {
        public var duty: ClaimDuty
        public var userID: Int64

        public init(duty: ClaimDuty, userID: Int64) {
            self.duty = duty
            self.userID = userID
        }
    }

    /// Oldest first.
    public var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }

    /// The history with `userID`'s step under `duty` added.
    public func recording(_ duty: ClaimDuty, by userID: Int64) -> ClaimHistory {
        ClaimHistory(entries: entries + [Entry(duty: duty, userID: userID)])
    }

    /// The duties `userID` has signed on this claim.
    public func duties(of userID: Int64) -> Set<ClaimDuty> {
        Set(entries.filter { $0.userID == userID }.map(\.duty))
    }
}
