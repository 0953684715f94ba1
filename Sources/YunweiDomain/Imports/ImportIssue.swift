/// One problem found in an import file: where it is (physical line, and the column as the file
/// names it) and why, as a catalog key with named arguments. The server renders it in the
/// user's language, so a clerk can fix every problem in one pass before uploading again.
public struct ImportIssue: Sendable, Hashable {
    /// The physical line of the file, 1 being the header.
    public var line: Int
    /// The column's header text as written in the file, or its canonical name when it is missing.
    public var column: String?
    /// A key of `Resources/Localization/imports.json`, e.g. `import.bad_code`.
    public var key: String
    /// The key's placeholders, e.g. `["value": "51012110020"]`.
    public var args: [String: String]

    public init(line: Int, column: String? = nil, key: String, args: [String: String] = [:]) {
        self.line = line
        self.column = column
        self.key = key
        self.args = args
    }
}

/// A rejected import file with all of its problems. A file is accepted whole or not at all, so a
/// half-imported county never exists.
public struct ImportRejection: Error, Sendable, Hashable {
    /// Every problem, in file order.
    public var issues: [ImportIssue]

    public init(issues: [ImportIssue]) {
        self.issues = issues.enumerated()
            .sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
            .map(\.element)
    }
}
