import Foundation
import Leaf
import Vapor
import YunweiDomain

/// `#t("key")` or `#t("key", "name", value, …)`: a catalog text in the request's language.
struct TranslateTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let key = ctx.parameters.first?.string, let request = ctx.request else {
            throw LeafTagError(message: "#t needs a key")
        }
        var args: [String: String] = [:]
        var rest = ctx.parameters.dropFirst()
        while let name = rest.first?.string {
            rest = rest.dropFirst()
            args[name] = rest.first.map { $0.string ?? $0.description } ?? ""
            rest = rest.dropFirst()
        }
        return .string(request.t(key, args))
    }
}

/// `#money(fen)`: `¥1,234.56`.
struct MoneyTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let fen = ctx.parameters.first?.int else { return .string("") }
        return .string(Money(fen: Int64(fen)).formatted)
    }
}

/// `#datetime(date)` / `#date(date)`: a time shown in Asia/Shanghai.
struct ShanghaiTimeTag: LeafTag {
    let format: String

    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let seconds = ctx.parameters.first?.double else { return .string("") }
        return .string(ShanghaiTime.format(Date(timeIntervalSince1970: seconds), format))
    }
}

enum ShanghaiTime {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!

    /// Asia/Shanghai has kept UTC+8, without daylight saving, since 1992 (the first instant of
    /// 1992 there). Later times are formatted by arithmetic; a `DateFormatter` costs tens of
    /// microseconds each, and a list page shows hundreds of times.
    static let fixedOffsetSince = Date(timeIntervalSince1970: 694_195_200)

    static func format(_ date: Date, _ format: String = "yyyy-MM-dd HH:mm") -> String {
        if date >= fixedOffsetSince, let text = fastFormat(date, format) { return text }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = format
        return formatter.string(from: date)
    }

    /// The formats the pages use, written out from the date's Shanghai calendar day
    /// (`InspectionDay`, which numbers those days) and time.
    private static func fastFormat(_ date: Date, _ format: String) -> String? {
        let minutes = (Int(date.timeIntervalSince1970.rounded(.down)) + 8 * 3600) % 86_400 / 60
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        let time = "\(two(minutes / 60)):\(two(minutes % 60))"
        switch format {
        case "yyyy-MM-dd HH:mm": return InspectionDay.text(date) + " " + time
        case "yyyy-MM-dd": return InspectionDay.text(date)
        case "HH:mm": return time
        case "yyyy-MM-dd'T'HH:mm": return InspectionDay.text(date) + "T" + time
        default: return nil
        }
    }
}

extension LeafContext {
    var request: Request? { userInfo["request"] as? Request }
}

struct LeafTagError: Error {
    let message: String
}
