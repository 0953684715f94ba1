/// Typed readers of cells that several imports share. Each returns nil and records an issue
/// when the cell is not what the column needs, so one pass lists every bad cell.
extension ImportSheet {
    /// The unit code in `column`, or nil with an issue. Excel shows a 12-digit number as
    /// `5.10121E+11` and saves it so, which gets its own message since the fix is in Excel.
    mutating func code(_ row: Row, _ column: Column) -> UnitCode? {
        let text = row[column]
        guard !text.isEmpty else {
            report(row, column, "import.required")
            return nil
        }
        if let code = UnitCode(text) { return code }
        let isScientific = text.uppercased().contains("E+") && text.first?.isNumber == true
        report(row, column, isScientific ? "import.code_scientific" : "import.bad_code")
        return nil
    }

    /// The number in `column` scaled by 10^`places`, or nil with an issue.
    mutating func number(
        _ row: Row, _ column: Column, text: String? = nil, places: Int = 0, range: ClosedRange<Int64>
    ) -> Int64? {
        let text = text ?? row[column]
        guard !text.isEmpty else {
            report(row, column, "import.required")
            return nil
        }
        let limits = [
            "min": DecimalText.format(range.lowerBound, places: places),
            "max": DecimalText.format(range.upperBound, places: places),
        ]
        switch DecimalText.parse(text, places: places) {
        case .success(let value) where range.contains(value): return value
        case .success, .failure(.tooLarge): report(row, column, "import.out_of_range", limits)
        case .failure(.tooManyDecimals) where places > 0:
            report(row, column, "import.too_many_decimals", ["places": String(places)])
        case .failure(.notANumber), .failure(.tooManyDecimals):
            report(row, column, places == 0 ? "import.bad_integer" : "import.bad_number", ["places": String(places)])
        }
        return nil
    }
}
