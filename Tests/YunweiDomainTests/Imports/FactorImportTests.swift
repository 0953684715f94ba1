import Foundation
import Testing

@testable import YunweiDomain

@Suite("Importing village factor data")
struct FactorImportTests {
    private let village = UnitCode("510121100201")!
    private let other = UnitCode("510121100202")!
    private let header = "村代码,年度,农村人口,户数,幅员面积,地理区位,村集体收入,工作绩效"

    @Test("areas become hundredths and income fen, exactly, whatever the spreadsheet's formatting")
    func valid() throws {
        let factors = try FactorImport.read(
            csvFile(
                header,
                "510121100201,2025,\"1,234\",410,12.3,山区,\"¥123,456.78\",85",
                "510121100202,2025,800,260,7,plain,0.1,100",
                "510121100201,2026,1240,412,12.30,边远山区,5000元,0"),
            villages: [village, other])
        #expect(
            factors[0]
                == VillageFactors(
                    unit: village, year: 2025, population: 1234, households: 410, areaHundredthsKm2: 1230,
                    location: .mountain,
                    collectiveIncomeFen: 12_345_678, performance: 85))
        #expect(factors[1].areaHundredthsKm2 == 700)
        #expect(factors[1].collectiveIncomeFen == 10)
        #expect(factors[2].location == .remote)
        #expect(factors[2].collectiveIncomeFen == 500_000)
    }

    @Test("every bad cell is listed, with the allowed range where there is one")
    func badCells() {
        let issues = rejectionIssues {
            try FactorImport.read(
                csvFile(
                    header,
                    "510121100201,1999,abc,-1,12.345,高原,1e5,101",
                    "510121100000,2025,100,200,3,丘陵,,85.5"),
                villages: [village])
        }
        #expect(
            issues.keysAndLines == [
                "import.out_of_range@2", "import.bad_integer@2", "import.out_of_range@2", "import.too_many_decimals@2",
                "import.bad_location@2", "import.bad_number@2", "import.out_of_range@2",
                "import.not_a_village@3", "import.households_exceed_population@3", "import.required@3",
                "import.bad_integer@3",
            ])
        #expect(issues[0].args == ["column": "年度", "value": "1999", "min": "2000", "max": "2100"])
        #expect(issues[3].args["places"] == "2")
    }

    @Test("a village has one row per year")
    func duplicateYear() {
        let issues = rejectionIssues {
            try FactorImport.read(
                csvFile(header, "510121100201,2025,800,260,7,平原,0,90", "510121100201,2025,810,260,7,平原,0,90"),
                villages: [village])
        }
        #expect(issues.keysAndLines == ["import.duplicate_factor@3"])
        #expect(issues[0].args["first_line"] == "2")
    }
}
