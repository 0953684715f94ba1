/// One problem with what a person entered about cases — a category definition, an answer to a
/// category's question, a photo — as a catalog key of `cases-domain.json` with named arguments,
/// and the form field it belongs to, so that every problem is shown beside its field at once.
public struct CaseIssue: Sendable, Hashable {
    /// The form field, e.g. `code`, `deadline_hours`, `questions.2.key`, `answers.area_m2`, `photos.3`.
    public var field: String
    public var key: String
    public var args: [String: String]

    public init(field: String, key: String, args: [String: String] = [:]) {
        self.field = field
        self.key = key
        self.args = args
    }
}
