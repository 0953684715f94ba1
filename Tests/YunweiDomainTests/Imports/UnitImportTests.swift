import Foundation
import Testing

@testable import YunweiDomain

@Suite("Importing a county's units")
struct UnitImportTests {
    private let county = UnitCode("510121000000")!
    private let township = UnitCode("510121100000")!

    @Test("a Chinese file in any column order comes back with parents before children")
    func chineseFile() throws {
        let rows = try UnitImport.read(
            csvFile(
                "名称,上级代码,代码,类型",
                "石板村,510121101000,510121101201,村",
                "清泉镇,510121000000,510121101000,镇",
                "县水务局,510121000000,510121900001,部门",
                "云岭县,,510121000000,县区",
                "城东社区,510121101000,510121101001,社区"),
            existing: [:])
        #expect(
            rows.map(\.code.rawValue) == [
                "510121000000", "510121101000", "510121900001", "510121101001", "510121101201",
            ])
        #expect(rows.map(\.kind) == [.county, .township, .department, .village, .village])
        #expect(
            rows[4]
                == .init(
                    line: 2, code: UnitCode("510121101201")!, name: "石板村", kind: .village,
                    parent: UnitCode("510121101000")))
    }

    @Test("English headers ignore case, spaces and a unit in brackets; parents may already exist")
    func englishHeaders() throws {
        let rows = try UnitImport.read(
            csvFile(" Code ,NAME,Kind (type),Parent_Code", "510121100201,Shiban,village,510121100000"),
            existing: [county: .county, township: .township])
        #expect(
            rows == [.init(line: 2, code: UnitCode("510121100201")!, name: "Shiban", kind: .village, parent: township)])
    }

    @Test("every problem of the file is listed with its line and column")
    func everyProblem() {
        let issues = rejectionIssues {
            try UnitImport.read(
                csvFile(
                    "代码,名称,类型,上级代码",
                    "51012110020,短码村,村,510121100000",
                    "510121100201,甲村,村,510121100000",
                    "510121100201,乙村,村,510121100000",
                    "510121100202,丙村,庄园,510121100000",
                    "510121100203,丁村,村,510121199000",
                    "510121100204,戊村,村,510121000000",
                    "510121101205,己村,村,510121100000",
                    "510121100206,,村,",
                    "5.10121E+11,庚村,村,510121100000",
                    "510121100000,城关镇,部门,510121000000"),
                existing: [county: .county, township: .township])
        }
        #expect(
            issues.keysAndLines == [
                "import.bad_code@2", "import.duplicate_code@4", "import.bad_kind@5", "import.unknown_parent@6",
                "import.parent_kind@7", "import.code_not_under_parent@8", "import.required@9",
                "import.missing_parent@9",
                "import.code_scientific@10", "import.kind_changed@11",
            ])
        #expect(
            issues[0]
                == ImportIssue(
                    line: 2, column: "代码", key: "import.bad_code", args: ["column": "代码", "value": "51012110020"]))
        #expect(issues[1].args["first_line"] == "3")
        #expect(issues[4].column == "上级代码")
        #expect(issues[4].args["parent_kind"] == "county")
    }

    @Test("an exported file comes back: existing units may repeat with the same kind")
    func existingUnits() throws {
        let rows = try UnitImport.read(
            csvFile("code,name,kind,parent", "510121000000,云岭县,county,", "510121100000,城关镇(新),township,510121000000"),
            existing: [county: .county, township: .township])
        #expect(rows.map(\.name) == ["云岭县", "城关镇(新)"])
    }

    @Test("only a county has no parent, and a code must have its kind's shape")
    func countyAndShapes() {
        let issues = rejectionIssues {
            try UnitImport.read(
                csvFile(
                    "code,name,kind,parent",
                    "510121000000,云岭县,county,510100000000",
                    "510121100001,某镇,township,510121000000",
                    "510122100000,邻县,county,"),
                existing: [township: .township])
        }
        #expect(
            issues.keysAndLines == [
                "import.county_parent@2", "import.code_kind_mismatch@3", "import.code_kind_mismatch@4",
            ])
    }

    @Test("missing and unknown columns are reported on the header line")
    func headerProblems() {
        let issues = rejectionIssues { try UnitImport.read(csvFile("代码,名称,备注", "510121000000,云岭县,x"), existing: [:]) }
        #expect(
            issues.keysAndLines == ["import.unknown_column@1", "import.missing_column@1", "import.missing_column@1"])
        #expect(issues[0].args == ["column": "备注"])
        #expect(issues[1].args == ["column": "kind / 类型"])
    }

    @Test("a doubled column, a value under no header and a file without rows are problems too")
    func sheetProblems() {
        #expect(
            rejectionIssues {
                try UnitImport.read(csvFile("code,name,kind,parent,代码", "510121000000,云岭县,县,,", ",,,,"), existing: [:])
            }
            .keysAndLines == ["import.duplicate_column@1"])
        #expect(
            rejectionIssues {
                try UnitImport.read(csvFile("code,name,kind,parent,", "510121000000,云岭县,县,,x"), existing: [:])
            }
            .keysAndLines == ["import.extra_cells@2"])
        #expect(
            rejectionIssues { try UnitImport.read(csvFile("code,name,kind,parent", ",,,"), existing: [:]) }.keysAndLines
                == ["import.no_rows@1"])
        #expect(rejectionIssues { try UnitImport.read(Data(), existing: [:]) }.keysAndLines == ["import.empty_file@1"])
    }

    @Test("kinds are understood in Chinese")
    func kindNames() {
        #expect(
            ["县", "县区", "乡", "镇", "街道", "村", "社区", "村民小组", "部门"].map(UnitImport.kind(named:))
                == [.county, .county, .township, .township, .township, .village, .village, .group, .department])
        #expect(UnitImport.kind(named: "Village") == .village)
        #expect(UnitImport.kind(named: "庄") == nil)
    }
}
