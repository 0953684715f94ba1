import Foundation

/// A CSV file (RFC 4180) as records of text fields, each with the physical line it starts on so
/// that an import issue can point a clerk at the row she sees in her editor.
///
/// Reading is strict about encoding (UTF-8 only: a GBK file would otherwise import as mojibake)
/// and about quotes, and lenient about what spreadsheets write: a BOM, CRLF, LF or lone CR line
/// ends, a missing final newline, blank lines.
public struct CSVTable: Sendable, Hashable {
    public struct Record: Sendable, Hashable {
        /// The physical line (1-based) where the record starts; a quoted newline makes a record
        /// span several lines.
        public var line: Int
        public var fields: [String]

        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    public var records: [Record]

    public init(records: [Record]) { self.records = records }

    /// Reads UTF-8 bytes, listing every syntax problem (not UTF-8, stray or unclosed quotes).
    /// Newlines inside quoted fields come out as `\n`.
    public init(parsing data: Data) throws(ImportRejection) {
        var reader = CSVReader(bytes: [UInt8](data))
        reader.read()
        guard reader.issues.isEmpty else { throw ImportRejection(issues: reader.issues) }
        self.records = reader.records
    }

    /// Writes rows as Excel expects them in China: UTF-8 with a BOM (without it Excel assumes
    /// GBK), CRLF line ends, fields quoted only when needed, and cells that a spreadsheet would
    /// run as a formula made inert by a leading `'` (CSV injection). Plain negative numbers such
    /// as `-12.50` are left alone so sums still work.
    public static func excelData(_ rows: [[String]]) -> Data {
        var text = "\u{FEFF}"
        for row in rows {
            text += row.map(excelField).joined(separator: ",")
            text += "\r\n"
        }
        return Data(text.utf8)
    }

    static func excelField(_ value: String) -> String {
        var field = value
        let isNegativeNumber = value.hasPrefix("-") && DecimalText.parse(value, places: 0) != .failure(.notANumber)
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), !isNegativeNumber {
            field = "'" + value
        }
        let special: Set<Unicode.Scalar> = [",", "\"", "\n", "\r"]
        guard field.unicodeScalars.contains(where: special.contains) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
