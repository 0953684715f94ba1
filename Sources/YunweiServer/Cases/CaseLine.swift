import Fluent
import Foundation
import Vapor
import YunweiDomain

/// A case as one line of a list — an inbox, the possible duplicates of a report: what it is, where,
/// how it stands and how much time is left.
struct CaseLine: Encodable {
    let id: Int
    let category: String
    let village: String
    /// Catalog keys: `case_state.…`, `priority.…`.
    let state: String
    let priority: String
    let reportedAt: Double
    let countdown: String?
    let overdue: Bool
    let supervised: Bool

    /// The lines of `cases`, their category and village names looked up in one query each.
    static func lines(_ cases: [CaseRecord], now: Date, for request: Request) async throws -> [CaseLine] {
        guard !cases.isEmpty else { return [] }
        let categories = try await CategoryRecord.query(on: request.db)
            .filter(\.$id ~~ Set(cases.map { $0.$category.id })).all()
        let villages = try await AdminUnit.query(on: request.db).filter(\.$id ~~ Set(cases.map { $0.$village.id }))
            .all()
        let categoryNames = Dictionary(
            categories.map { ($0.id ?? 0, CaseNames.pick($0.nameZh, $0.nameEn, request)) },
            uniquingKeysWith: { a, _ in a })
        let villageNames = Dictionary(villages.map { ($0.id ?? 0, $0.name) }, uniquingKeysWith: { a, _ in a })
        return cases.map { record in
            let countdown = Countdown.text(deadline: record.deadlineAt, state: record.caseState, now: now, request)
            return CaseLine(
                id: record.id ?? 0, category: categoryNames[record.$category.id] ?? "",
                village: villageNames[record.$village.id] ?? "", state: "case_state." + record.state,
                priority: "priority." + record.priority, reportedAt: record.reportedAt.timeIntervalSince1970,
                countdown: countdown?.text, overdue: countdown?.overdue ?? false, supervised: record.supervised)
        }
    }
}

/// Names the data holds in both languages — categories, their questions — shown in the reader's.
enum CaseNames {
    static func pick(_ zh: String, _ en: String, _ request: Request) -> String {
        request.language == .en && !en.isEmpty ? en : zh
    }
}

/// 剩余 5 小时 / 超期 2 天: the time left before a case's deadline, or how far past it, in the
/// largest whole unit that says it (days from two days on, then hours, then minutes). Only a case
/// still owed an answer has one; see `CaseState.runsAgainstDeadline`.
enum Countdown {
    static func text(deadline: Date?, state: CaseState, now: Date, _ request: Request)
        -> (text: String, overdue: Bool)?
    {
        guard let deadline, state.runsAgainstDeadline else { return nil }
        let overdue = CaseDeadline.isOverdue(deadline: deadline, state: state, now: now)
        let seconds = abs(deadline.timeIntervalSince(now))
        let (unit, count): (String, Int) =
            if seconds >= 2 * 86_400 {
                ("days", Int(seconds / 86_400))
            } else if seconds >= 3_600 {
                ("hours", Int(seconds / 3_600))
            } else {
                ("minutes", max(1, Int(seconds / 60)))
            }
        let key = "case_pages.countdown.\(overdue ? "overdue" : "left")_\(unit)"
        return (request.t(key, ["n": String(count)]), overdue)
    }
}

/// A deadline as a `datetime-local` field shows and sends it: a minute in Asia/Shanghai, whatever
/// the server's or the browser's own zone.
enum DeadlineField {
    static func text(_ date: Date) -> String {
        ShanghaiTime.format(date, "yyyy-MM-dd'T'HH:mm")
    }

    /// `2025-06-01T14:30`, also with seconds or a space for the `T` (as older browsers without a
    /// date picker let people type it); nil when it is no such time.
    static func date(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = ShanghaiTime.zone
        let trimmed = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "T")
        for format in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: trimmed) { return date }
        }
        return nil
    }
}

/// One choice of a `<select>`, and choices under a heading (`<optgroup>`).
struct SelectOption: Encodable {
    let value: String
    let label: String
    let selected: Bool
}

struct SelectGroup: Encodable {
    let label: String
    let options: [SelectOption]
}

/// Photos as a form uploads them (`photos[]`, several files): the chosen files' bytes, leaving out
/// the empty part a browser sends when none was chosen.
enum UploadedPhotos {
    static func data(_ files: [File]?) -> [Data] {
        (files ?? []).filter { $0.data.readableBytes > 0 }.map { Data(buffer: $0.data) }
    }
}
