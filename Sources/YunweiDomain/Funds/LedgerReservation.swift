import Foundation

/// Where a claim's reservation stands. The raw values are stored and name the catalog entry
/// `reservation_state.<raw value>`.
public enum ReservationState: String, Sendable, Hashable, Codable, CaseIterable {
    /// 已预留 — held against the village's fund since the claim was submitted.
    case reserved
    /// 已报账 — the claim was posted; the ledger now carries the amount, the hold is over.
    case posted
    /// 已释放 — the claim was rejected or withdrawn; the amount is available again.
    case released

    /// The catalog key of the state's name.
    public var nameKey: String { "reservation_state.\(rawValue)" }
}

/// 预留 — the amount of a submitted claim held against its village's fund (DOMAIN.md §4.3), so
/// that claims in review can never together promise more than the fund holds. One row of the
/// reservations table.
///
/// A reservation is made by `AvailableBalance.reserve(_:for:at:)`, and leaves `reserved` once:
/// to `posted` when township finance posts the claim, or to `released` when the claim is
/// rejected or withdrawn.
public struct Reservation: Hashable, Sendable {
    /// The claim's row id.
    public let claim: Int64
    /// The village whose fund holds the amount.
    public let village: UnitCode
    /// The claim's amount, held in full.
    public let amount: Money
    /// Reserved, posted or released.
    public let state: ReservationState
    /// When the claim was submitted and the amount held.
    public let reservedAt: Date
    /// When it was posted or released; nil while reserved.
    public let closedAt: Date?

    /// A reservation as stored.
    public init(
        claim: Int64, village: UnitCode, amount: Money, state: ReservationState = .reserved, reservedAt: Date,
        closedAt: Date? = nil
    ) {
        self.claim = claim
        self.village = village
        self.amount = amount
        self.state = state
        self.reservedAt = reservedAt
        self.closedAt = closedAt
    }

    /// Whether the amount is still held.
    public var isOpen: Bool { state == .reserved }

    /// Whether the amount was held just before `instant`: reserved before it, and not closed
    /// before it. A statement asks this of the first instant after its period.
    public func isOpen(before instant: Date) -> Bool {
        reservedAt < instant && (closedAt.map { $0 >= instant } ?? true)
    }

    /// The claim was posted at `date`. Only a reserved amount can be posted.
    public func posted(at date: Date) throws(FundIssue) -> Reservation {
        try closed(as: .posted, at: date)
    }

    /// The claim was rejected or withdrawn at `date`. Only a reserved amount can be released.
    public func released(at date: Date) throws(FundIssue) -> Reservation {
        try closed(as: .released, at: date)
    }

    private func closed(as state: ReservationState, at date: Date) throws(FundIssue) -> Reservation {
        guard isOpen else { throw .reservationClosed(self.state) }
        return Reservation(
            claim: claim, village: village, amount: amount, state: state, reservedAt: reservedAt, closedAt: date)
    }
}
