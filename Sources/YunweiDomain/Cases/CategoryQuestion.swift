import Foundation

/// 补充信息 — one more thing a category asks the reporter, beyond description, place and photos:
/// the damaged area of a road, the households without water, the kind of a dispute.
public struct CategoryQuestion: Sendable, Hashable, Codable {
    /// What kind of answer the question takes. Named in the catalog as `question_kind.<raw value>`.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Free text, up to `maxAnswerLength` characters.
        case text
        /// A number such as `12` or `3.5`, never negative: areas, counts, lengths.
        case number
        /// One of `choices`.
        case choice
    }

    /// The answer's name in the stored answers and in the form, e.g. `area_m2`: lower case letters,
    /// digits and `_`, starting with a letter, at most 32 characters.
    public var key: String
    public var labelZh: String
    public var labelEn: String
    public var kind: Kind
    /// The choices of a `choice` question, as shown in Chinese and stored; empty for the other
    /// kinds. An answer is always stored as one of these, whichever language it was given in.
    public var choices: [String]
    /// The English labels of `choices`, in the same order; empty when none were given, and then
    /// English pages show the Chinese.
    public var choicesEn: [String]
    public var required: Bool

    public init(
        key: String, labelZh: String, labelEn: String, kind: Kind, choices: [String] = [], choicesEn: [String] = [],
        required: Bool = false
    ) {
        self.key = key
        self.labelZh = labelZh
        self.labelEn = labelEn
        self.kind = kind
        self.choices = choices
        self.choicesEn = choicesEn
        self.required = required
    }

    private enum CodingKeys: String, CodingKey {
        case key, labelZh, labelEn, kind, choices, choicesEn, required
    }

    /// Questions stored before English choices existed have no `choicesEn`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        key = try container.decode(String.self, forKey: .key)
        labelZh = try container.decode(String.self, forKey: .labelZh)
        labelEn = try container.decode(String.self, forKey: .labelEn)
        kind = try container.decode(Kind.self, forKey: .kind)
        choices = try container.decode([String].self, forKey: .choices)
        choicesEn = try container.decodeIfPresent([String].self, forKey: .choicesEn) ?? []
        required = try container.decode(Bool.self, forKey: .required)
    }

    /// The stored choice `answer` names, given as the choice itself or as its English label; nil
    /// when it names none, and always nil for a question that takes no choice.
    public func canonicalChoice(_ answer: String) -> String? {
        guard kind == .choice else { return nil }
        if choices.contains(answer) { return answer }
        guard choicesEn.count == choices.count, let index = choicesEn.firstIndex(of: answer) else { return nil }
        return choices[index]
    }

    /// A stored answer as a reader sees it: for a choice with an English label, that label on
    /// English pages; anything else as stored.
    public func choiceLabel(_ value: String, english: Bool) -> String {
        guard english, kind == .choice, choicesEn.count == choices.count, let index = choices.firstIndex(of: value)
        else { return value }
        return choicesEn[index]
    }

    public static let maxAnswerLength = 500

    /// The problem with `answer` (nil or blank when not given), or nil when it will do.
    public func issue(with answer: String?) -> CaseIssue? {
        let field = "answers.\(key)"
        let text = (answer ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return required ? CaseIssue(field: field, key: "case.answer.required") : nil }
        switch kind {
        case .text where text.count > Self.maxAnswerLength:
            return CaseIssue(field: field, key: "case.answer.too_long", args: ["max": String(Self.maxAnswerLength)])
        case .number where !Self.isNumber(text):
            return CaseIssue(field: field, key: "case.answer.not_a_number")
        case .choice where canonicalChoice(text) == nil:
            return CaseIssue(
                field: field, key: "case.answer.not_a_choice", args: ["choices": choices.joined(separator: "、")])
        default:
            return nil
        }
    }

    /// The problems of this question's definition, `field` naming the question in the form.
    func issues(field: String) -> [CaseIssue] {
        var issues: [CaseIssue] = []
        if !Self.isWellFormedKey(key) {
            issues.append(CaseIssue(field: field + ".key", key: "category.error.question_key", args: ["key": key]))
        }
        issues += CaseCategory.nameIssues(labelZh, field: field + ".label_zh")
        issues += CaseCategory.nameIssues(labelEn, field: field + ".label_en")
        if kind == .choice, !Self.areSoundChoices(choices) {
            issues.append(CaseIssue(field: field + ".choices", key: "category.error.choices"))
        }
        if kind == .choice, !choicesEn.isEmpty, !areSoundEnglishChoices {
            issues.append(CaseIssue(field: field + ".choices_en", key: "category.error.choices_en"))
        }
        return issues
    }

    /// One English label for each choice, none blank, repeated or with spaces around it, and none
    /// that is another choice's Chinese, which would make an answer mean two things.
    private var areSoundEnglishChoices: Bool {
        choicesEn.count == choices.count && Set(choicesEn).count == choicesEn.count
            && choicesEn.allSatisfy { !$0.isEmpty && $0 == $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            && zip(choices, choicesEn).allSatisfy { choice, label in label == choice || !choices.contains(label) }
    }

    /// At least two choices, none blank, none repeated, none with spaces around it (an answer is
    /// compared trimmed, so such a choice could never be chosen).
    static func areSoundChoices(_ choices: [String]) -> Bool {
        choices.count >= 2 && Set(choices).count == choices.count
            && choices.allSatisfy { !$0.isEmpty && $0 == $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    static func isWellFormedKey(_ key: String) -> Bool {
        let bytes = Array(key.utf8)
        guard (1...32).contains(bytes.count), (97...122).contains(bytes[0]) else { return false }
        return bytes.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 95 }
    }

    /// Digits with at most one decimal point between digits: `12`, `3.5`, not `-1`, `.5` or `1e3`.
    static func isNumber(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count <= 2 && parts.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { (48...57).contains($0) } }
    }
}
