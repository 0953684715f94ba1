import Foundation
import Testing

@testable import YunweiServer

@Suite("Shanghai times on the pages")
struct ShanghaiTimeTests {
    static let formats = ["yyyy-MM-dd HH:mm", "yyyy-MM-dd", "HH:mm", "yyyy-MM-dd'T'HH:mm"]

    func expected(_ date: Date, _ format: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        formatter.dateFormat = format
        return formatter.string(from: date)
    }

    @Test("the arithmetic agrees with DateFormatter in Asia/Shanghai, from 1992 to 2100")
    func agreesWithDateFormatter() {
        var generator = SystemRandomNumberGenerator()
        let start = ShanghaiTime.fixedOffsetSince.timeIntervalSince1970
        let end = 4_102_444_800.0  // 2100-01-01
        var dates = (0..<2000).map { _ in Date(timeIntervalSince1970: Double.random(in: start..<end, using: &generator))
        }
        // Day, month and year boundaries in Shanghai, leap days, and the first instant of 1992.
        dates += [
            "2026-12-31T15:59:59Z", "2026-12-31T16:00:00Z", "2024-02-28T16:00:00Z", "2024-02-29T15:59:59.9Z",
            "2000-02-29T00:00:00Z", "2026-11-30T23:59:00Z", "1991-12-31T16:00:00Z",
        ].map { try! Date($0, strategy: .iso8601) }
        for date in dates {
            for format in Self.formats {
                #expect(ShanghaiTime.format(date, format) == expected(date, format), "\(date) \(format)")
            }
        }
    }

    @Test("earlier times and other formats still go through DateFormatter")
    func otherwise() {
        // 1988 had daylight saving in China: UTC+9 in summer.
        let summer1988 = Date(timeIntervalSince1970: 581_000_000)
        #expect(ShanghaiTime.format(summer1988) == expected(summer1988, "yyyy-MM-dd HH:mm"))
        let now = Date()
        #expect(ShanghaiTime.format(now, "yyyy年M月d日") == expected(now, "yyyy年M月d日"))
    }
}
