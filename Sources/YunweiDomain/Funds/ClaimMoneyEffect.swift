/// What a step on a claim does to the village account (DOMAIN.md §4.3): submitting reserves the
/// amount (available = balance − reservations), posting turns the reservation into a posting,
/// and a return or a withdrawal releases it. A returned claim holds nothing, so a claim that waits
/// on the clerk never blocks the account; submitting it again reserves again.
///
/// The server applies it in the same transaction as the step. That the reservation never takes
/// the available balance below zero is the ledger's to refuse.
public enum ClaimMoneyEffect: Sendable, Hashable {
    /// The account is not touched.
    case unchanged
    /// The amount is reserved.
    case reserve(Money)
    /// The claim's reservation of this amount is released.
    case release(Money)
    /// The claim's reservation of this amount is released and the amount is posted.
    case post(Money)
}
