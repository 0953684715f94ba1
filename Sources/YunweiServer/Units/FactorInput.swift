import Foundation
import YunweiDomain

/// The factor-data form: its fields go through the very same reading and checks as a row of
/// the factor CSV import, so the web and the file can never disagree on what is valid.
enum FactorInput {
    static func parse(
        unit: UnitCode, year: String?, population: String?, households: String?, area: String?, location: String?,
        income: String?, performance: String?
    ) throws -> VillageFactors {
        let header = ["unit", "year", "population", "households", "area", "location", "income", "performance"]
        let row = [unit.rawValue, year, population, households, area, location, income, performance].map {
            ($0 ?? "").trimmingCharacters(in: .whitespaces)
        }
        do {
            guard let factors = try FactorImport.read(CSVTable.excelData([header, row]), villages: [unit]).first else {
                throw YunweiError.invalid("factor.error.bad_number", ["field": ""])
            }
            return factors
        } catch let rejection as ImportRejection {
            let issue = rejection.issues.first
            throw YunweiError.invalid(issue?.key ?? "error.invalid", issue?.args ?? [:])
        }
    }

    /// Hundredths of a km² as `12.34`.
    static func areaText(_ hundredths: Int) -> String {
        let sign = hundredths < 0 ? "-" : ""
        let value = abs(hundredths)
        return sign + String(value / 100) + "." + String(format: "%02d", value % 100)
    }
}
