import Foundation
import Testing

@testable import YunweiDomain

/// Every issue must render in both languages: its key is in `imports.json` and every
/// placeholder of its texts is among its arguments.
@Suite("Import issues and their catalog")
struct ImportCatalogTests {
    /// The package's root, four levels above this file.
    private static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    private static let catalogURL = root.appendingPathComponent("Resources/Localization/imports.json")

    private let village = UnitCode("510121100201")!
    private let township = UnitCode("510121100000")!
    private let county = UnitCode("510121000000")!

    /// Bad files that between them raise every key of the catalog.
    private var issues: [ImportIssue] {
        let units = "code,name,kind,parent,note,"
        let factors = "unit,year,population,households,area,location,income,performance"
        let users = "username,name,phone,role,unit,password"
        let existing: [UnitCode: UnitKind] = [county: .county, township: .township, village: .village]
        return [
            rejectionIssues { try CSVTable(parsing: Data([0xC3, 0xFB])) },
            rejectionIssues { try CSVTable(parsing: csvFile("a\"b", "\"c")) },
            rejectionIssues { try UnitImport.read(Data(), existing: [:]) },
            rejectionIssues { try UnitImport.read(csvFile("code,name,kind,parent,代码"), existing: [:]) },
            rejectionIssues { try UnitImport.read(csvFile("code,name"), existing: [:]) },
            rejectionIssues {
                try UnitImport.read(
                    csvFile(
                        units, "1,,x,,", "5.1E+11,a,村,,", "510121100201,a,部门,510121100000,",
                        "510121100301,a,村,510121100301,", "510121100302,a,村,510121000000,",
                        "510121100303,a,村,510121109000,", "510121101304,a,村,510121100000,",
                        "510121100305,a,村,,", "510121000000,a,县,510100000000,", "510121100306,a,乡镇,510121000000,",
                        "510121100307,\(String(repeating: "名", count: 51)),村,510121100000,",
                        "510121100307,a,村,510121100000,,x"),
                    existing: existing)
            },
            rejectionIssues {
                try FactorImport.read(
                    csvFile(
                        factors, "510121100201,1999,x,5,1.234,高原,1.5.5,50", "510121100202,2025,1,5,1,平原,1,50",
                        "510121100201,2025,5,5,1,平原,1,50", "510121100201,2025,5,5,1,平原,1,50"),
                    villages: [village])
            },
            rejectionIssues {
                try UserImport.read(
                    csvFile(
                        users, "Li,李,1,村长,510121100201,", "li_hua,李华,13800138000,村报账员,510121999999,a",
                        "li_hua,李小华,13900139000,村报账员,510121100000,b", "li_hua,李华,,村报账员,510121100201,",
                        "li_hua,李华,,村报账员,510121100201,"),
                    units: existing)
            },
        ].flatMap { $0 }
    }

    /// The `"import.…"` literals of the domain's import sources: the keys the imports can raise.
    private var keysInSources: Set<String> {
        get throws {
            let folder = Self.root.appendingPathComponent("Sources/YunweiDomain/Imports")
            let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            let literal = /"(import\.[a-z0-9_]+)"/
            return try Set(
                files.filter { $0.pathExtension == "swift" }.flatMap { file in
                    try String(contentsOf: file, encoding: .utf8).matches(of: literal).map { String($0.1) }
                })
        }
    }

    @Test("every key the imports can raise is in the catalog, and these files raise each one")
    func keys() throws {
        let catalog = try JSONDecoder().decode([String: [String: String]].self, from: Data(contentsOf: Self.catalogURL))
        let keys = try keysInSources
        #expect(keys.count > 30)
        #expect(keys.subtracting(catalog.keys).isEmpty)
        #expect(Set(issues.map(\.key)) == keys)
    }

    @Test("every placeholder of an issue's texts is among its arguments")
    func placeholders() throws {
        let catalog = try JSONDecoder().decode([String: [String: String]].self, from: Data(contentsOf: Self.catalogURL))
        let placeholder = /\{([a-z_]+)\}/
        for issue in issues {
            for text in catalog[issue.key]?.values.map({ $0 }) ?? [] {
                for match in text.matches(of: placeholder) {
                    #expect(issue.args[String(match.1)] != nil, "\(issue.key) lacks {\(match.1)}")
                }
            }
        }
    }
}
