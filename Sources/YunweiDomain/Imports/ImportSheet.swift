import Foundation

/// A column an import file may carry. Clerks fill templates in Chinese or English and in any
/// order, so a column is known by several header names.
protocol ImportColumn: CaseIterable, Hashable, Sendable {
    /// The canonical English name first, then the Chinese names and other accepted synonyms.
    var headerNames: [String] { get }
    var isRequired: Bool { get }
}

extension ImportColumn {
    var isRequired: Bool { true }
    /// How a missing column is named in an issue: `code / 代码`.
    var displayName: String { headerNames.prefix(2).joined(separator: " / ") }
}

/// An import file read as a header and rows of named cells, with the header's own problems
/// (missing, unknown, doubled columns; cells beyond the header) already listed in `issues`.
/// Each import adds its row checks to `issues` and rejects the file if any are left.
struct ImportSheet<Column: ImportColumn> {
    struct Row {
        let line: Int
        fileprivate let cells: [Column: String]
        /// The cell's text with surrounding spaces (also full-width ones) trimmed; "" if absent.
        subscript(column: Column) -> String { cells[column] ?? "" }
    }

    private(set) var rows: [Row] = []
    var issues: [ImportIssue] = []
    private var headers: [Column: String] = [:]

    /// Throws when the file cannot be read as a table at all: not CSV, no header, missing columns.
    init(reading data: Data) throws(ImportRejection) {
        let table = try CSVTable(parsing: data)
        guard let header = table.records.first else {
            throw ImportRejection(issues: [ImportIssue(line: 1, key: "import.empty_file")])
        }
        let slots = readHeader(header)
        let missing = Column.allCases.filter { $0.isRequired && headers[$0] == nil }
        issues += missing.map {
            ImportIssue(
                line: header.line, column: $0.headerNames[0], key: "import.missing_column",
                args: ["column": $0.displayName])
        }
        if !missing.isEmpty { throw ImportRejection(issues: issues) }
        for record in table.records.dropFirst() { readRow(record, slots: slots) }
        if rows.isEmpty { issues.append(ImportIssue(line: header.line, key: "import.no_rows")) }
    }

    /// The header text the file uses for `column`, so an issue names the column the clerk sees.
    func name(of column: Column) -> String { headers[column] ?? column.headerNames[0] }

    /// Records an issue about one cell; `value` defaults to the cell's text.
    mutating func report(
        _ row: Row, _ column: Column, _ key: String, value: String? = nil, _ args: [String: String] = [:]
    ) {
        var args = args
        args["column"] = name(of: column)
        args["value"] = value ?? row[column]
        issues.append(ImportIssue(line: row.line, column: name(of: column), key: key, args: args))
    }

    /// Records an issue about a cell whose text must not be echoed (a password).
    mutating func reportQuietly(_ row: Row, _ column: Column, _ key: String, _ args: [String: String] = [:]) {
        var args = args
        args["column"] = name(of: column)
        issues.append(ImportIssue(line: row.line, column: name(of: column), key: key, args: args))
    }

    /// What a header cell holds: a known column, a column already reported (unknown or doubled),
    /// or nothing (spreadsheets leave empty header cells after the last column).
    private enum Slot {
        case column(Column)
        case reported, unnamed
    }

    private mutating func readHeader(_ header: CSVTable.Record) -> [Slot] {
        header.fields.map { text in
            let key = Self.normalized(text)
            guard !key.isEmpty else { return .unnamed }
            let name = Self.trimmed(text)
            let column = Column.allCases.first { $0.headerNames.contains { Self.normalized($0) == key } }
            if let column, headers[column] == nil {
                headers[column] = name
                return .column(column)
            }
            let issueKey = column == nil ? "import.unknown_column" : "import.duplicate_column"
            issues.append(ImportIssue(line: header.line, column: name, key: issueKey, args: ["column": name]))
            return .reported
        }
    }

    /// Skips rows that are empty in every cell, which spreadsheets leave behind as `,,,,`.
    private mutating func readRow(_ record: CSVTable.Record, slots: [Slot]) {
        let values = record.fields.map(Self.trimmed)
        guard values.contains(where: { !$0.isEmpty }) else { return }
        var cells: [Column: String] = [:]
        for (index, value) in values.enumerated() {
            switch index < slots.count ? slots[index] : .unnamed {
            case .column(let column): cells[column] = value
            case .reported: break
            case .unnamed:
                // A value under no header would be silently lost.
                if !value.isEmpty {
                    issues.append(
                        ImportIssue(line: record.line, key: "import.extra_cells", args: ["position": String(index + 1)])
                    )
                }
            }
        }
        rows.append(Row(line: record.line, cells: cells))
    }

    static func trimmed(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// Header matching ignores case, spaces, `_`, `-`, a required-marker `*`, and a trailing
    /// unit in brackets such as `幅员面积（平方公里）` or `income (yuan)`.
    static func normalized(_ text: String) -> String {
        var text = trimmed(text).lowercased()
        for (open, close) in [("(", ")"), ("（", "）")] where text.hasSuffix(close) {
            if let start = text.range(of: open, options: .backwards) { text = String(text[..<start.lowerBound]) }
        }
        return String(
            text.unicodeScalars.filter { !CharacterSet.whitespaces.contains($0) && !"_-*".unicodeScalars.contains($0) })
    }
}
