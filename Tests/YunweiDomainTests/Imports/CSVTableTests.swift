import Foundation
import Testing

@testable import YunweiDomain

@Suite("CSV files as spreadsheets write them")
struct CSVTableTests {
    private func records(_ text: String) throws -> [CSVTable.Record] {
        try CSVTable(parsing: Data(text.utf8)).records
    }

    @Test("an Excel file's BOM is not part of the first header")
    func bom() throws {
        let table = try CSVTable(parsing: Data([0xEF, 0xBB, 0xBF]) + Data("代码,名称\r\n1,2\r\n".utf8))
        #expect(table.records == [.init(line: 1, fields: ["代码", "名称"]), .init(line: 2, fields: ["1", "2"])])
    }

    @Test("quoted fields keep commas, doubled quotes and newlines, and records start where they start")
    func quotedFields() throws {
        let text = "a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\"two\r\nlines\",z\r\nlast,\"\"\r\n"
        #expect(
            try records(text) == [
                .init(line: 1, fields: ["a", "b"]),
                .init(line: 2, fields: ["x, y", "say \"hi\""]),
                .init(line: 3, fields: ["two\nlines", "z"]),
                .init(line: 5, fields: ["last", ""]),
            ])
    }

    @Test("LF, CRLF and lone CR all end a line; a missing final newline loses nothing")
    func lineEnds() throws {
        let expected: [CSVTable.Record] = [
            .init(line: 1, fields: ["a"]), .init(line: 2, fields: ["b"]), .init(line: 3, fields: ["c"]),
        ]
        #expect(try records("a\nb\nc") == expected)
        #expect(try records("a\r\nb\r\nc\r\n") == expected)
        #expect(try records("a\rb\rc\r") == expected)
    }

    @Test("blank lines are skipped but still counted")
    func blankLines() throws {
        #expect(
            try records("a,b\n\n1,2\r\n\r\n\n3,4\n\n") == [
                .init(line: 1, fields: ["a", "b"]), .init(line: 3, fields: ["1", "2"]),
                .init(line: 6, fields: ["3", "4"]),
            ])
        #expect(try records("\"\"\n,\n") == [.init(line: 1, fields: [""]), .init(line: 2, fields: ["", ""])])
        #expect(try records("") == [])
    }

    @Test("a GBK file is rejected at the line of its first non-UTF-8 byte")
    func gbk() {
        // "名称" in GBK is C3 FB B3 C6.
        let data = Data("code,name\n510121000000,".utf8) + Data([0xC3, 0xFB, 0xB3, 0xC6, 0x0A])
        #expect(rejectionIssues { try CSVTable(parsing: data) } == [ImportIssue(line: 2, key: "import.not_utf8")])
    }

    @Test("an unclosed quote is reported where it opened; stray quotes where they stand")
    func badQuotes() {
        #expect(
            rejectionIssues { try CSVTable(parsing: Data("a\n\"b\nc\nd".utf8)) }.keysAndLines == [
                "import.unterminated_quote@2"
            ])
        #expect(
            rejectionIssues { try CSVTable(parsing: Data("a\n5\" pipe\n\"x\"y\nok\n".utf8)) }.keysAndLines
                == ["import.stray_quote@2", "import.stray_quote@3"])
    }

    @Test("written files open in Excel: BOM, CRLF, quotes only where needed")
    func writing() {
        let data = CSVTable.excelData([["名称", "说明"], ["清泉镇", "a, \"b\"\nc"]])
        #expect(data.starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(String(decoding: data.dropFirst(3), as: UTF8.self) == "名称,说明\r\n清泉镇,\"a, \"\"b\"\"\nc\"\r\n")
    }

    @Test("cells a spreadsheet would run as formulas are made inert, negative numbers are not")
    func formulaInjection() {
        #expect(CSVTable.excelField("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CSVTable.excelField("+1") == "'+1")
        #expect(CSVTable.excelField("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVTable.excelField("-2+3") == "'-2+3")
        #expect(CSVTable.excelField("\tx") == "'\tx")
        #expect(CSVTable.excelField("-12.50") == "-12.50")
        #expect(CSVTable.excelField("-1,234.56") == "\"-1,234.56\"")
        #expect(CSVTable.excelField("-1,23") == "\"'-1,23\"")
        #expect(CSVTable.excelField("a-b") == "a-b")
    }

    @Test("what is written reads back the same")
    func roundTrip() throws {
        let rows = [["a", "b, c"], ["\"q\"", "line\nbreak"], ["", "-5"], ["城关镇", ""]]
        #expect(try CSVTable(parsing: CSVTable.excelData(rows)).records.map(\.fields) == rows)
    }
}

@Suite("Decimal text read exactly")
struct DecimalTextTests {
    @Test("hundredths without floating point")
    func hundredths() {
        #expect(DecimalText.parse("12.3", places: 2) == .success(1230))
        #expect(DecimalText.parse("12.300", places: 2) == .success(1230))
        #expect(DecimalText.parse("0.1", places: 2) == .success(10))
        #expect(DecimalText.parse(".5", places: 2) == .success(50))
        #expect(DecimalText.parse("1,234,567.89", places: 2) == .success(123_456_789))
        #expect(DecimalText.parse("-3", places: 0) == .success(-3))
    }

    @Test("what a person might mistype is not a number")
    func mistakes() {
        for text in ["", "-", "1.", "1,23", "12,3456", "1.2.3", "1e5", "１２", "12 3", "1,234.5,6"] {
            #expect(DecimalText.parse(text, places: 2) == .failure(.notANumber), "\(text)")
        }
        #expect(DecimalText.parse("12.345", places: 2) == .failure(.tooManyDecimals))
        #expect(DecimalText.parse("99999999999999999999", places: 2) == .failure(.tooLarge))
    }

    @Test("formatting for messages drops a zero fraction")
    func format() {
        #expect(DecimalText.format(1230, places: 2) == "12.30")
        #expect(DecimalText.format(1200, places: 2) == "12")
        #expect(DecimalText.format(5, places: 2) == "0.05")
        #expect(DecimalText.format(-5, places: 0) == "-5")
    }
}
