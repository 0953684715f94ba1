import Foundation

/// The date/time format of GeoReport v2, the W3C profile of ISO 8601: `2010-01-01T00:00:00Z`,
/// `2010-01-01T08:00:00+08:00`, with or without seconds and fractions, or a bare date. What
/// we write always carries the zone, in Asia/Shanghai (`+08:00`); what we read without a zone
/// (a bare date, or a time a client sent without one) is taken as Asia/Shanghai time.
enum W3CDateTime {
    /// `2026-03-01T09:30:00+08:00`.
    static func format(_ date: Date) -> String {
        formatter().string(from: date)
    }

    /// A formatter for many times at once: making one costs far more than using it, and a list of
    /// a thousand requests has three thousand times.
    static func formatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = ShanghaiTime.zone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxx"
        return formatter
    }

    /// A parsed time, and whether only a date was given (so that an end date can take in its
    /// whole day).
    struct Parsed: Equatable {
        let date: Date
        let dateOnly: Bool
    }

    static func parse(_ raw: String) -> Parsed? {
        let text = Array(raw.trimmingCharacters(in: .whitespaces).utf8)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= text.count, text[range].allSatisfy({ (48...57).contains($0) }) else { return nil }
            return Int(String(decoding: text[range], as: UTF8.self))
        }
        func byte(_ index: Int, is character: Character) -> Bool {
            index < text.count && text[index] == character.asciiValue
        }
        guard let year = digits(0..<4), byte(4, is: "-"), let month = digits(5..<7), byte(7, is: "-"),
            let day = digits(8..<10)
        else { return nil }
        var components = DateComponents(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
        if text.count == 10 { return make(components, zone: ShanghaiTime.zone, dateOnly: true) }
        guard byte(10, is: "T"), let hour = digits(11..<13), byte(13, is: ":"), let minute = digits(14..<16) else {
            return nil
        }
        components.hour = hour
        components.minute = minute
        var index = 16
        if byte(index, is: ":") {
            guard let second = digits(17..<19) else { return nil }
            components.second = second
            index = 19
            if byte(index, is: ".") {
                var end = index + 1
                while end < text.count, (48...57).contains(text[end]) { end += 1 }
                guard end > index + 1, let fraction = Double("0" + String(decoding: text[index..<end], as: UTF8.self))
                else { return nil }
                components.nanosecond = Int(fraction * 1_000_000_000)
                index = end
            }
        }
        let zone: TimeZone
        if index == text.count {
            zone = ShanghaiTime.zone
        } else if byte(index, is: "Z"), index + 1 == text.count {
            zone = TimeZone(secondsFromGMT: 0)!
        } else if byte(index, is: "+") || byte(index, is: "-") || byte(index, is: " ") {
            // A `+` left unencoded in a query string arrives as a space.
            let sign = byte(index, is: "-") ? -1 : 1
            let rest = text.count - index - 1
            guard let hours = digits(index + 1..<index + 3) else { return nil }
            let minutes: Int?
            switch rest {
            case 5 where byte(index + 3, is: ":"): minutes = digits(index + 4..<index + 6)
            case 4: minutes = digits(index + 3..<index + 5)
            case 2: minutes = 0
            default: minutes = nil
            }
            guard let minutes, hours <= 14, minutes < 60,
                let offset = TimeZone(secondsFromGMT: sign * (hours * 3600 + minutes * 60))
            else { return nil }
            zone = offset
        } else {
            return nil
        }
        return make(components, zone: zone, dateOnly: false)
    }

    private static func make(_ components: DateComponents, zone: TimeZone, dateOnly: Bool) -> Parsed? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var components = components
        components.calendar = calendar
        components.timeZone = zone
        guard let month = components.month, (1...12).contains(month), let day = components.day, (1...31).contains(day),
            let hour = components.hour, (0...23).contains(hour), let minute = components.minute,
            (0...59).contains(minute),
            let second = components.second, (0...59).contains(second), components.isValidDate(in: calendar),
            let date = calendar.date(from: components)
        else { return nil }
        return Parsed(date: date, dateOnly: dateOnly)
    }
}
