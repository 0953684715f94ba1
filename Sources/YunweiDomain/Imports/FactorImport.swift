import Foundation

/// 因素数据导入 — village factor data for allocation by factors 因素法, one row per village per year.
public enum FactorImport {
    public static let years: ClosedRange<Int64> = 2000...2100
    /// Upper bounds well past any real village, to catch a wrong column or a pasted total.
    public static let maxPopulation: Int64 = 1_000_000
    public static let maxAreaHundredthsKm2: Int64 = 1_000_000  // 10,000 km²
    public static let maxIncomeFen: Int64 = 100_000_000_000  // ¥1,000,000,000

    /// Reads and checks the file, returning one `VillageFactors` per row in file order, or every
    /// problem of the file. `villages` are the codes of the villages that exist.
    public static func read(_ data: Data, villages: Set<UnitCode>) throws(ImportRejection) -> [VillageFactors] {
        var sheet = try ImportSheet<Column>(reading: data)
        var factors: [VillageFactors] = []
        var firstLine: [VillageYear: Int] = [:]
        for row in sheet.rows {
            var unit = sheet.code(row, .unit)
            if let code = unit, !villages.contains(code) {
                sheet.report(row, .unit, "import.not_a_village")
                unit = nil
            }
            let year = sheet.number(row, .year, range: years)
            let population = sheet.number(row, .population, range: 0...maxPopulation)
            let households = sheet.number(row, .households, range: 0...maxPopulation)
            if let population, let households, households > population {
                sheet.report(
                    row, .households, "import.households_exceed_population", ["population": String(population)])
            }
            let area = sheet.number(row, .area, places: 2, range: 0...maxAreaHundredthsKm2)
            let location = sheet.location(row)
            let income = sheet.number(row, .income, text: yuanText(row[.income]), places: 2, range: 0...maxIncomeFen)
            let performance = sheet.number(row, .performance, range: 0...100)
            guard let unit, let year, let population, let households, let area, let location, let income,
                let performance
            else { continue }
            let key = VillageYear(unit: unit, year: Int(year))
            if let first = firstLine[key] {
                sheet.report(
                    row, .unit, "import.duplicate_factor", ["year": String(year), "first_line": String(first)])
                continue
            }
            firstLine[key] = row.line
            factors.append(
                VillageFactors(
                    unit: unit, year: Int(year), population: Int(population), households: Int(households),
                    areaHundredthsKm2: Int(area), location: location, collectiveIncomeFen: income,
                    performance: Int(performance)))
        }
        guard sheet.issues.isEmpty else { throw ImportRejection(issues: sheet.issues) }
        return factors
    }

    /// The location class a clerk means by `text`: an English raw value or a Chinese name.
    public static func location(named text: String) -> LocationClass? {
        LocationClass(rawValue: text.lowercased()) ?? chineseLocations[text]
    }

    private static let chineseLocations: [String: LocationClass] = [
        "平原": .plain, "平坝": .plain, "丘陵": .hill, "丘陵区": .hill, "山区": .mountain, "山地": .mountain,
        "边远山区": .remote, "边远": .remote, "偏远山区": .remote,
    ]

    /// Income cells often carry the currency: `¥12,000`, `12000元`.
    private static func yuanText(_ text: String) -> String {
        var text = Substring(text)
        if text.hasPrefix("¥") || text.hasPrefix("￥") { text = text.dropFirst() }
        if text.hasSuffix("元") { text = text.dropLast() }
        return text.trimmingCharacters(in: .whitespaces)
    }

    private struct VillageYear: Hashable {
        var unit: UnitCode
        var year: Int
    }

    enum Column: ImportColumn {
        case unit, year, population, households, area, location, income, performance

        var headerNames: [String] {
            switch self {
            case .unit: ["unit", "村代码", "village", "单位代码", "代码"]
            case .year: ["year", "年度", "年份"]
            case .population: ["population", "农村人口", "人口"]
            case .households: ["households", "户数"]
            case .area: ["area", "幅员面积", "面积"]
            case .location: ["location", "地理区位", "区位"]
            case .income: ["income", "村集体收入", "集体收入"]
            case .performance: ["performance", "工作绩效", "绩效"]
            }
        }
    }
}

extension ImportSheet where Column == FactorImport.Column {
    fileprivate mutating func location(_ row: Row) -> LocationClass? {
        guard !row[.location].isEmpty else {
            report(row, .location, "import.required")
            return nil
        }
        guard let location = FactorImport.location(named: row[.location]) else {
            report(row, .location, "import.bad_location")
            return nil
        }
        return location
    }
}
