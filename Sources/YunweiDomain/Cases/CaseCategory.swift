import Foundation

/// 紧急程度 — how urgent a category's cases are; inboxes sort by it. Named in the catalog as
/// `priority.<raw value>`.
public enum CasePriority: String, CaseIterable, Codable, Sendable, Comparable {
    case low
    case normal
    case high
    case urgent

    public static func < (lhs: CasePriority, rhs: CasePriority) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// 默认承办单位 — who a category's cases usually go to, offered first when dispatching. Most
/// categories name a kind of unit relative to the case (its village, its township) or only that a
/// department handles them, since unit codes differ from county to county; a county may pin a
/// category to one unit. Stored as one text: `village`, `township`, `department` or a unit code.
/// Named in the catalog as `category_handler.<village|township|department>`.
public enum CategoryHandler: Sendable, Hashable, Codable, RawRepresentable {
    /// The village where the case is.
    case village
    /// The township above the case's village.
    case township
    /// A department 职能部门; the dispatcher picks which.
    case department
    /// One fixed unit, e.g. the county water bureau 县水务局.
    case unit(UnitCode)

    public init?(rawValue: String) {
        switch rawValue {
        case "village": self = .village
        case "township": self = .township
        case "department": self = .department
        default:
            guard let code = UnitCode(rawValue) else { return nil }
            self = .unit(code)
        }
    }

    public var rawValue: String {
        switch self {
        case .village: "village"
        case .township: "township"
        case .department: "department"
        case .unit(let code): code.rawValue
        }
    }

    /// The unit to offer for a case in the village at `villagePath`
    /// (`/county/township/village/`); nil when the dispatcher must choose.
    public func unit(forCaseAt villagePath: UnitPath) -> UnitCode? {
        let codes = villagePath.codes
        switch self {
        case .village: return codes.last
        case .township: return codes.count >= 2 ? codes[codes.count - 2] : nil
        case .department: return nil
        case .unit(let code): return code
        }
    }
}

/// 案件类别 — one node of a county's category tree (DOMAIN.md §3): the five top categories from the
/// seed and their subcategories, which are what cases are reported under. A subcategory says who
/// usually handles it, in how many hours, how urgently, whether it is private, and what more to
/// ask the reporter.
///
/// Codes are the Open311 `service_code`, so they are short, stable and readable: a top category
/// is 2–4 capital letters (`LIV`), a subcategory its parent's code, a dash and 2–12 capitals or
/// digits (`LIV-WATER`).
public struct CaseCategory: Sendable, Hashable, Codable {
    public var code: String
    /// Nil for a top category.
    public var parentCode: String?
    public var nameZh: String
    public var nameEn: String
    public var defaultHandler: CategoryHandler?
    /// 办理时限 — hours from dispatch to the deadline, 1…8760 (a year).
    public var deadlineHours: Int
    public var priority: CasePriority
    /// Private cases — petitions 信访 and stability 稳定 — never appear on public pages or in
    /// Open311 listings.
    public var isPrivate: Bool
    /// What more to ask the reporter, in order.
    public var questions: [CategoryQuestion]

    public init(
        code: String, parentCode: String?, nameZh: String, nameEn: String, defaultHandler: CategoryHandler?,
        deadlineHours: Int, priority: CasePriority, isPrivate: Bool, questions: [CategoryQuestion] = []
    ) {
        self.code = code
        self.parentCode = parentCode
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.defaultHandler = defaultHandler
        self.deadlineHours = deadlineHours
        self.priority = priority
        self.isPrivate = isPrivate
        self.questions = questions
    }

    public static let deadlineHoursRange = 1...8760
    public static let maxNameLength = 50
    public static let maxQuestions = 10

    public var isTopCategory: Bool { parentCode == nil }

    /// Every problem with this definition on its own, in field order; empty when it is sound.
    public var issues: [CaseIssue] {
        var issues: [CaseIssue] = []
        if !Self.isWellFormedCode(code) {
            issues.append(CaseIssue(field: "code", key: "category.error.bad_code", args: ["code": code]))
        } else if let parentCode, !code.hasPrefix(parentCode + "-") {
            issues.append(
                CaseIssue(
                    field: "code", key: "category.error.code_not_under_parent",
                    args: ["code": code, "parent": parentCode]))
        } else if parentCode == nil, code.contains("-") {
            issues.append(CaseIssue(field: "code", key: "category.error.top_code", args: ["code": code]))
        }
        issues += Self.nameIssues(nameZh, field: "name_zh") + Self.nameIssues(nameEn, field: "name_en")
        if !Self.deadlineHoursRange.contains(deadlineHours) {
            issues.append(
                CaseIssue(
                    field: "deadline_hours", key: "category.error.deadline_hours",
                    args: [
                        "min": String(Self.deadlineHoursRange.lowerBound),
                        "max": String(Self.deadlineHoursRange.upperBound),
                    ]))
        }
        return issues + questionIssues
    }

    /// The problems of this definition among the rest of its county's tree (`others`, without
    /// this category itself): its own issues, then a taken code, an unknown parent, a parent that
    /// is itself a subcategory, and a public category under a private one.
    public func issues(among others: [CaseCategory]) -> [CaseIssue] {
        var issues = self.issues
        if others.contains(where: { $0.code == code }) {
            issues.append(CaseIssue(field: "code", key: "category.error.code_taken", args: ["code": code]))
        }
        guard let parentCode else { return issues }
        guard let parent = others.first(where: { $0.code == parentCode }) else {
            issues.append(
                CaseIssue(field: "parent_code", key: "category.error.parent_unknown", args: ["parent": parentCode]))
            return issues
        }
        if !parent.isTopCategory {
            issues.append(
                CaseIssue(field: "parent_code", key: "category.error.parent_not_top", args: ["parent": parentCode]))
        }
        if parent.isPrivate && !isPrivate {
            issues.append(
                CaseIssue(field: "is_private", key: "category.error.must_be_private", args: ["parent": parentCode]))
        }
        return issues
    }

    /// Every problem with a reporter's `answers` (question key → text): a required one missing,
    /// one that is not a number or not among the choices, one too long, one to no question.
    public func validate(answers: [String: String]) -> [CaseIssue] {
        let known = Set(questions.map(\.key))
        let unknown = answers.keys.filter { !known.contains($0) }.sorted().map {
            CaseIssue(field: "answers.\($0)", key: "case.answer.unknown_question", args: ["question": $0])
        }
        return questions.compactMap { $0.issue(with: answers[$0.key]) } + unknown
    }

    /// `^[A-Z]{2,4}(-[A-Z0-9]{2,12})?$`
    public static func isWellFormedCode(_ code: String) -> Bool {
        let parts = code.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        let isCapital = { (byte: UInt8) in (65...90).contains(byte) }
        let isDigit = { (byte: UInt8) in (48...57).contains(byte) }
        guard (2...4).contains(parts[0].utf8.count), parts[0].utf8.allSatisfy(isCapital) else { return false }
        guard parts.count == 2 else { return true }
        return (2...12).contains(parts[1].utf8.count) && parts[1].utf8.allSatisfy { isCapital($0) || isDigit($0) }
    }

    static func nameIssues(_ name: String, field: String) -> [CaseIssue] {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return [CaseIssue(field: field, key: "category.error.name_required")] }
        if trimmed.count > maxNameLength {
            return [CaseIssue(field: field, key: "category.error.name_too_long", args: ["max": String(maxNameLength)])]
        }
        return []
    }

    private var questionIssues: [CaseIssue] {
        var issues: [CaseIssue] = []
        if questions.count > Self.maxQuestions {
            issues.append(
                CaseIssue(
                    field: "questions", key: "category.error.too_many_questions",
                    args: ["max": String(Self.maxQuestions)]))
        }
        var seen: Set<String> = []
        for (index, question) in questions.enumerated() {
            issues += question.issues(field: "questions.\(index + 1)")
            if !seen.insert(question.key).inserted {
                issues.append(
                    CaseIssue(
                        field: "questions.\(index + 1).key", key: "category.error.question_key_repeated",
                        args: ["key": question.key]))
            }
        }
        return issues
    }
}
