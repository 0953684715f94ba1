import Foundation
import Vapor
import YunweiDomain

/// The period of a ledger page or API answer, read from `?from=&to=`: both Shanghai days, both
/// included; by default the current year up to today. One reading serves the pages and the API,
/// so that a date refused on one is refused on the other with the same message.
struct LedgerPeriod: Sendable {
    /// The first day.
    let from: StatisticsPeriod.Day
    /// The last day, included.
    let last: StatisticsPeriod.Day
    /// The day after the last: the end the domain's statements take.
    var to: StatisticsPeriod.Day { StatisticsPeriod.day(of: last.end) }

    /// The period `from`…`last`, or the problems beside the `from` and `to` fields.
    static func read(from: String?, to: String?, today: StatisticsPeriod.Day) -> Result<
        LedgerPeriod, CaseDesk.InputError
    > {
        var issues: [CaseIssue] = []
        func day(_ field: String, _ text: String?, default value: StatisticsPeriod.Day) -> StatisticsPeriod.Day {
            let text = text?.trimmingCharacters(in: .whitespaces) ?? ""
            guard !text.isEmpty else { return value }
            guard let parsed = StatisticsPeriod.Day(text) else {
                issues.append(CaseIssue(field: field, key: "ledger.input.date"))
                return value
            }
            return parsed
        }
        let first = day("from", from, default: StatisticsPeriod.Day(year: today.year, month: 1, day: 1))
        let last = day("to", to, default: today)
        guard issues.isEmpty else { return .failure(CaseDesk.InputError(issues: issues)) }
        guard first <= last else {
            return .failure(CaseDesk.InputError(issues: [CaseIssue(field: "to", key: "ledger.error.period_reversed")]))
        }
        return .success(LedgerPeriod(from: first, last: last))
    }

    /// The period of `request`'s query, today being the Shanghai day of `now`.
    static func read(_ request: Request, now: Date = Date()) -> Result<LedgerPeriod, CaseDesk.InputError> {
        read(from: request.query["from"], to: request.query["to"], today: StatisticsPeriod.day(of: now))
    }
}
