import Foundation

/// 可用余额 — what a village may still reserve or spend (DOMAIN.md §4.3): its fund balance, the
/// balance of its 241 专项应付款, less the amounts held by open reservations; never negative.
///
/// The rule lives here; the server applies it inside the transaction that stores the new
/// reservation, reading the balance and the open reservations under a lock.
public struct AvailableBalance: Hashable, Sendable {
    /// The village whose fund this is.
    public let village: UnitCode
    /// The fund balance: what the village has received and not yet used.
    public let balance: Money
    /// The sum of the village's open reservations.
    public let reserved: Money

    /// The figures for `village` from its fund balance and any reservations; reservations of
    /// other villages and closed ones are ignored.
    public init(village: UnitCode, balance: Money, reservations: [Reservation]) {
        self.village = village
        self.balance = balance
        self.reserved = reservations.filter { $0.village == village && $0.isOpen }.reduce(.zero) { $0 + $1.amount }
    }

    /// The figures for `village` when the reservations are already summed — as they stood at
    /// the end of a statement's period, say.
    public init(village: UnitCode, balance: Money, reserved: Money) {
        self.village = village
        self.balance = balance
        self.reserved = reserved
    }

    /// The figures for `village` with its fund balance read from the ledger.
    public init(village: UnitCode, entries: [LedgerEntry], reservations: [Reservation]) {
        self.init(
            village: village, balance: LedgerAccount.specialPayable(of: village).balance(in: entries),
            reservations: reservations)
    }

    /// Balance less reservations, or zero.
    public var available: Money { max(.zero, balance - reserved) }

    /// How far reservations exceed the balance — only after a disbursement was reversed under
    /// them; the township must cover or release that much.
    public var shortfall: Money { max(.zero, reserved - balance) }

    /// Holds `amount` for `claim`, submitted at `date`; refused when it is not positive or
    /// exceeds what is available.
    public func reserve(_ amount: Money, for claim: Int64, at date: Date) throws(FundIssue) -> Reservation {
        try requireCovers(amount)
        return Reservation(claim: claim, village: village, amount: amount, reservedAt: date)
    }

    /// Refuses spending `amount` without a reservation — a payroll posting — unless it is
    /// positive and available.
    public func requireCovers(_ amount: Money) throws(FundIssue) {
        guard amount > .zero else { throw .amountNotPositive(amount) }
        guard amount <= available else { throw .insufficient(available: available, requested: amount) }
    }
}
