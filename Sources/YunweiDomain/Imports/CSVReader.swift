/// The byte-level state machine behind `CSVTable(parsing:)`. Every delimiter is ASCII, so it
/// walks bytes and decodes each field once the file is known to be UTF-8.
struct CSVReader {
    private enum State { case fieldStart, unquoted, quoted, afterQuote }

    private static let quote: UInt8 = 0x22, comma: UInt8 = 0x2C, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D

    let bytes: [UInt8]
    private(set) var records: [CSVTable.Record] = []
    private(set) var issues: [ImportIssue] = []

    private var state = State.fieldStart
    private var fields: [String] = []
    private var field: [UInt8] = []
    private var recordHasQuotedField = false
    private var line = 1
    private var recordLine = 1
    private var quoteLine = 1
    private var lastStrayLine = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func read() {
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        if let bad = firstInvalidUTF8(from: start) {
            issues.append(ImportIssue(line: lineNumber(at: bad, from: start), key: "import.not_utf8"))
            return
        }
        var i = start
        while i < bytes.count {
            let byte = bytes[i]
            i += 1
            if byte == Self.cr && i < bytes.count && bytes[i] == Self.lf { i += 1 }  // CRLF is one break
            if step(byte, next: i < bytes.count ? bytes[i] : nil) { i += 1 }
        }
        if state == .quoted {
            issues.append(ImportIssue(line: quoteLine, key: "import.unterminated_quote"))
        } else if state != .fieldStart || !fields.isEmpty {
            endRecord()
        }
    }

    /// Consumes one byte (a CR stands for CR, LF or CRLF); returns whether it also consumed `next`.
    private mutating func step(_ byte: UInt8, next: UInt8?) -> Bool {
        let isLineBreak = byte == Self.lf || byte == Self.cr
        switch state {
        case .fieldStart, .unquoted, .afterQuote:
            if byte == Self.comma {
                endField()
            } else if isLineBreak {
                endRecord()
                line += 1
                recordLine = line
            } else if byte == Self.quote && state == .fieldStart {
                state = .quoted
                recordHasQuotedField = true
                quoteLine = line
            } else {
                // A quote inside an unquoted field, or text after a closing quote, is not RFC 4180:
                // keep the text but reject the file, since its meaning is a guess.
                if byte == Self.quote || state == .afterQuote { reportStrayQuote() }
                field.append(byte)
                state = .unquoted
            }
        case .quoted:
            if byte == Self.quote {
                if next == Self.quote {
                    field.append(Self.quote)
                    return true
                } else {
                    state = .afterQuote
                }
            } else if isLineBreak {
                field.append(Self.lf)
                line += 1
            } else {
                field.append(byte)
            }
        }
        return false
    }

    private mutating func reportStrayQuote() {
        guard lastStrayLine != line else { return }
        lastStrayLine = line
        issues.append(ImportIssue(line: line, key: "import.stray_quote"))
    }

    private mutating func endField() {
        fields.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
        state = .fieldStart
    }

    private mutating func endRecord() {
        let isBlankLine = fields.isEmpty && field.isEmpty && !recordHasQuotedField
        endField()
        if !isBlankLine { records.append(CSVTable.Record(line: recordLine, fields: fields)) }
        fields.removeAll()
        recordHasQuotedField = false
    }

    private func firstInvalidUTF8(from start: Int) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes[start...].makeIterator()
        var offset = start
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// Counts LF, CRLF and lone CR alike, as the reader does.
    private func lineNumber(at offset: Int, from start: Int) -> Int {
        var line = 1
        var i = start
        while i < offset {
            if bytes[i] == Self.lf || (bytes[i] == Self.cr && (i + 1 >= bytes.count || bytes[i + 1] != Self.lf)) {
                line += 1
            }
            i += 1
        }
        return line
    }
}
