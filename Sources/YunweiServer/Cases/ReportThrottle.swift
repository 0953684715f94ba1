import Fluent
import Foundation
import Vapor

/// The anti-abuse limit on public reports: at most `perHour` reports from one client address
/// in one clock hour. Counted in the database so that several server processes share it.
enum ReportThrottle {
    static let perHour = 5

    /// Counts one report from `address`; false when the address is over its limit (nothing is
    /// counted then). Call it inside the report's write transaction.
    static func admit(_ address: String, now: Date = Date(), on db: any Database) async throws -> Bool {
        let hour = Int64(now.timeIntervalSince1970 / 3600)
        if let row = try await ReportThrottleRecord.query(on: db).filter(\.$address == address).filter(\.$hour == hour)
            .first()
        {
            guard row.count < perHour else { return false }
            row.count += 1
            try await row.save(on: db)
        } else {
            let row = ReportThrottleRecord()
            row.address = address
            row.hour = hour
            row.count = 1
            try await row.create(on: db)
        }
        // Old hours are of no use; a report clears them away now and then.
        if Int.random(in: 0..<50) == 0 {
            try await ReportThrottleRecord.query(on: db).filter(\.$hour < hour - 24).delete()
        }
        return true
    }

    /// Gives back the count of a report that was refused for its content, so that a villager
    /// correcting her form is not locked out by her own mistakes.
    static func refund(_ address: String, now: Date = Date(), on db: any Database) async throws {
        let hour = Int64(now.timeIntervalSince1970 / 3600)
        guard
            let row = try await ReportThrottleRecord.query(on: db).filter(\.$address == address)
                .filter(\.$hour == hour).first(), row.count > 0
        else { return }
        row.count -= 1
        try await row.save(on: db)
    }
}

extension Request {
    /// The client's address: the first `X-Forwarded-For` hop when configured to trust the
    /// proxy in front (`YUNWEI_TRUST_PROXY=1`), otherwise the socket's peer.
    var clientAddress: String {
        if application.settings.trustProxy,
            let forwarded = headers.first(name: "X-Forwarded-For")?.split(separator: ",").first
        {
            return forwarded.trimmingCharacters(in: .whitespaces)
        }
        return remoteAddress?.ipAddress ?? "unknown"
    }
}
