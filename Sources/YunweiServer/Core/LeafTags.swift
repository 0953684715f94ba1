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

    static func format(_ date: Date, _ format: String = "yyyy-MM-dd HH:mm") -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = format
        return formatter.string(from: date)
    }
}

extension LeafContext {
    var request: Request? { userInfo["request"] as? Request }
}

struct LeafTagError: Error {
    let message: String
}
