import Foundation

/// 统计期间 — the whole days a case statistic covers, from `first` to `last` inclusive, in
/// Asia/Shanghai time (DOMAIN.md §4.1: periods are Shanghai periods), and the calendar months it
/// is split into. A case counts in the period, and in a month, by the moment it was reported.
///
/// The month boundaries are instants computed here, so the database only compares times with
/// bound values: the same answer on SQLite and PostgreSQL, whatever their time zone functions.
public struct StatisticsPeriod: Sendable, Hashable {
    /// A calendar day, `2026-03-31`.
    public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible {
        public var year: Int
        public var month: Int
        public var day: Int

        public init(year: Int, month: Int, day: Int) {
            self.year = year
            self.month = month
            self.day = day
        }

        /// Reads `yyyy-MM-dd`; nil for anything else or a day the calendar does not have.
        public init?(_ text: String) {
            let parts = text.trimmingCharacters(in: .whitespaces).split(
                separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
                parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
                let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
                (1...12).contains(month), (1...31).contains(day), year >= 1970
            else { return nil }
            // 2026-02-30 would roll over into March: refuse it rather than guess.
            guard day <= Self.days(inMonth: month, of: year) else { return nil }
            self.init(year: year, month: month, day: day)
        }

        /// How many days `month` of `year` has in the Gregorian calendar.
        static func days(inMonth month: Int, of year: Int) -> Int {
            switch month {
            case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
            case 4, 6, 9, 11: 30
            default: 31
            }
        }

        /// The instant this day begins in Shanghai.
        public var start: Date {
            StatisticsPeriod.calendar.date(from: DateComponents(year: year, month: month, day: day))!
        }

        /// The instant the next day begins.
        public var end: Date { StatisticsPeriod.calendar.date(byAdding: .day, value: 1, to: start)! }

        public var description: String {
            func padded(_ value: Int, _ width: Int) -> String {
                let digits = String(value)
                return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
            }
            return padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2)
        }

        public static func < (lhs: Day, rhs: Day) -> Bool {
            (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
        }
    }

    /// One calendar month of the period, cut to the period where it begins or ends inside one.
    public struct Month: Sendable, Hashable {
        public var year: Int
        public var month: Int
        /// The first instant of the month that lies in the period.
        public var start: Date
        /// The first instant after it, exclusive.
        public var end: Date
        /// Whether the whole calendar month lies in the period, not only part of it.
        public var isWhole: Bool

        /// `2026-03`: how months are named in tables, charts and CSV.
        public var label: String { String(format: "%04d-%02d", year, month) }

        /// `202603`: the month as one number, as the statistics' monthly sums are keyed.
        public var key: Int { year * 100 + month }
    }

    /// Why a requested period was refused: each problem beside its field (`from`, `to`), with a
    /// catalog key of `stats.json`.
    public struct Rejection: Error, Sendable, Hashable {
        public var issues: [CaseIssue]
    }

    /// Ten years of months: enough for any trend, and a bound on the size of the month query.
    public static let maxMonths = 120

    public static let zone = TimeZone(identifier: "Asia/Shanghai")!

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }()

    public let first: Day
    public let last: Day

    /// `first` through `last`; nil when the days are reversed or span more than `maxMonths` months.
    public init?(first: Day, last: Day) {
        guard first <= last, (last.year - first.year) * 12 + last.month - first.month < Self.maxMonths else {
            return nil
        }
        self.first = first
        self.last = last
    }

    /// The period asked for by `from` and `to` (`yyyy-MM-dd`, both optional): a missing `from`
    /// is the first of January of `to`'s year (or of this year), a missing `to` is the last of
    /// December of `from`'s year (or of this year). Each problem is named with its field.
    public static func parse(from: String?, to: String?, now: Date) -> Result<StatisticsPeriod, Rejection> {
        var issues: [CaseIssue] = []
        let fromText = from?.trimmingCharacters(in: .whitespaces) ?? ""
        let toText = to?.trimmingCharacters(in: .whitespaces) ?? ""
        let firstDay = fromText.isEmpty ? nil : Day(fromText)
        let lastDay = toText.isEmpty ? nil : Day(toText)
        if !fromText.isEmpty, firstDay == nil { issues.append(CaseIssue(field: "from", key: "stats.error.date")) }
        if !toText.isEmpty, lastDay == nil { issues.append(CaseIssue(field: "to", key: "stats.error.date")) }
        guard issues.isEmpty else { return .failure(Rejection(issues: issues)) }
        let thisYear = day(of: now).year
        let first = firstDay ?? Day(year: lastDay?.year ?? thisYear, month: 1, day: 1)
        let last = lastDay ?? Day(year: firstDay?.year ?? thisYear, month: 12, day: 31)
        guard first <= last else {
            return .failure(Rejection(issues: [CaseIssue(field: "to", key: "stats.error.reversed")]))
        }
        guard let period = StatisticsPeriod(first: first, last: last) else {
            let issue = CaseIssue(field: "from", key: "stats.error.too_long", args: ["max": String(maxMonths)])
            return .failure(Rejection(issues: [issue]))
        }
        return .success(period)
    }

    /// The calendar year that `date` falls in, in Shanghai: the dashboard's default.
    public static func year(containing date: Date) -> StatisticsPeriod {
        let year = day(of: date).year
        return StatisticsPeriod(first: Day(year: year, month: 1, day: 1), last: Day(year: year, month: 12, day: 31))!
    }

    /// The Shanghai day `date` falls on.
    public static func day(of date: Date) -> Day {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return Day(year: parts.year!, month: parts.month!, day: parts.day!)
    }

    /// The first instant of the period.
    public var start: Date { first.start }

    /// The first instant after the period, exclusive.
    public var end: Date { last.end }

    /// The months the period touches, in order; the first and the last cut to the period.
    public var months: [Month] {
        var months: [Month] = []
        var year = first.year
        var month = first.month
        while (year, month) <= (last.year, last.month) {
            let monthStart = Day(year: year, month: month, day: 1).start
            let next = Self.calendar.date(byAdding: .month, value: 1, to: monthStart)!
            months.append(
                Month(
                    year: year, month: month, start: max(monthStart, start), end: min(next, end),
                    isWhole: monthStart >= start && next <= end))
            (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
        }
        return months
    }

    /// The index in `months` of the month `date` falls in; nil outside the period.
    public func monthIndex(of date: Date) -> Int? {
        guard date >= start, date < end else { return nil }
        let day = Self.day(of: date)
        return (day.year - first.year) * 12 + day.month - first.month
    }
}
