import Foundation

/// Shanghai calendar days as consecutive numbers, so that "within 30 days" is a subtraction.
/// China has kept UTC+8 without daylight saving since 1991, so a day is always 86,400 seconds
/// from Shanghai midnight; that keeps a million comparisons free of calendar calls.
public enum InspectionDay {
    private static let offset: Double = 8 * 3_600

    /// The number of the Shanghai day `date` falls on, counted from 1970-01-01.
    public static func number(_ date: Date) -> Int {
        Int(((date.timeIntervalSince1970 + offset) / 86_400).rounded(.down))
    }

    /// The first and last day numbers of a period.
    static func bounds(of period: StatisticsPeriod) -> ClosedRange<Int> {
        number(period.start)...number(period.end) - 1
    }

    /// `2026-03-31`: the civil date of a day number (Howard Hinnant's days-to-civil algorithm).
    public static func text(_ number: Int) -> String {
        let z = number + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shifted + 2) / 5 + 1
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return "\(year)-\(twoDigits(month))-\(twoDigits(day))"
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

    /// `2026-03-31` for the Shanghai day of an instant.
    public static func text(_ date: Date) -> String { text(number(date)) }
}
