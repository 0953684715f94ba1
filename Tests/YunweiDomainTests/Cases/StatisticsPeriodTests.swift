import Foundation
import Testing
import YunweiDomain

@Suite("Statistics periods")
struct StatisticsPeriodTests {
    static func shanghai(_ text: String) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.date(from: text)!
    }

    func period(_ from: String?, _ to: String?, now: Date = shanghai("2026-05-20 12:00:00")) -> StatisticsPeriod? {
        try? StatisticsPeriod.parse(from: from, to: to, now: now).get()
    }

    @Test("a day is read only when the calendar has it, leap years included, and written back the same")
    func dayParsing() {
        for text in ["2024-02-29", "2000-02-29", "2026-12-31", "2026-04-30", "1970-01-01"] {
            #expect(StatisticsPeriod.Day(text)?.description == text, "\(text)")
        }
        for text in ["2025-02-29", "2100-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-1-01", "1969-12-31"] {
            #expect(StatisticsPeriod.Day(text) == nil, "\(text)")
        }
        // Every day of four years, leap day included, agrees with the calendar.
        var day = StatisticsPeriod.Day(year: 2023, month: 1, day: 1)
        for _ in 0..<(365 * 4 + 1) {
            let next = StatisticsPeriod.day(of: day.end)
            #expect(StatisticsPeriod.Day(day.description) == day)
            day = next
        }
        #expect(day == StatisticsPeriod.Day(year: 2027, month: 1, day: 1))
    }

    @Test("a period is whole Shanghai days, the last one included")
    func days() throws {
        let march = try #require(period("2026-03-01", "2026-03-31"))
        #expect(march.start == Self.shanghai("2026-03-01 00:00:00"))
        #expect(march.end == Self.shanghai("2026-04-01 00:00:00"))
        #expect(march.months.count == 1)
    }

    @Test("by default a period is the year: this year, or the year of the one date given")
    func defaults() throws {
        let thisYear = try #require(period(nil, nil))
        #expect(thisYear.first.description == "2026-01-01")
        #expect(thisYear.last.description == "2026-12-31")
        // Just after midnight on New Year's Day in Shanghai, it is still the old year in UTC.
        let newYear = StatisticsPeriod.year(containing: Self.shanghai("2027-01-01 00:10:00"))
        #expect(newYear.first.description == "2027-01-01")
        #expect(period("2025-07-01", nil)?.last.description == "2025-12-31")
        #expect(period(nil, "2024-03-31")?.first.description == "2024-01-01")
    }

    @Test("months are Shanghai months, cut to the period, across the turn of the year")
    func months() throws {
        let span = try #require(period("2025-11-15", "2026-02-10"))
        #expect(span.months.map(\.label) == ["2025-11", "2025-12", "2026-01", "2026-02"])
        #expect(span.months.first?.start == Self.shanghai("2025-11-15 00:00:00"))
        #expect(span.months[1].start == Self.shanghai("2025-12-01 00:00:00"))
        #expect(span.months.last?.end == Self.shanghai("2026-02-11 00:00:00"))
        #expect(span.months.map(\.isWhole) == [false, true, true, false])
        #expect(span.months.map(\.key) == [202511, 202512, 202601, 202602])
        // 00:30 on 1 January in Shanghai is 16:30 on 31 December in UTC: January all the same.
        #expect(span.monthIndex(of: Self.shanghai("2026-01-01 00:30:00")) == 2)
        #expect(span.monthIndex(of: Self.shanghai("2025-12-31 23:59:59")) == 1)
        #expect(span.monthIndex(of: Self.shanghai("2026-02-11 00:00:00")) == nil)
    }

    @Test("bad periods are refused with the field to blame")
    func refusals() {
        func fields(_ from: String?, _ to: String?) -> [String] {
            guard case .failure(let rejection) = StatisticsPeriod.parse(from: from, to: to, now: Date()) else {
                return []
            }
            return rejection.issues.map(\.field)
        }
        #expect(fields("2025-02-29", "2025-03-01") == ["from"])
        #expect(fields("2025-01-01", "2025/03/01") == ["to"])
        #expect(fields("２０２５-01-01", nil) == ["from"])
        #expect(fields("2025-03-01", "2025-01-01") == ["to"])
        #expect(fields("2000-01-01", "2025-01-01") == ["from"])
        #expect(fields("2024-02-29", "2024-02-29").isEmpty)
    }
}
