import Foundation

/// 单位导入 — a county's administrative tree from a CSV file, one unit per row:
/// code 代码, name 名称, kind 类型, parent 上级代码.
public enum UnitImport {
    /// One unit to create.
    public struct Row: Sendable, Hashable {
        public var line: Int
        public var code: UnitCode
        public var name: String
        public var kind: UnitKind
        /// Nil only for a county.
        public var parent: UnitCode?

        public init(line: Int, code: UnitCode, name: String, kind: UnitKind, parent: UnitCode?) {
            self.line = line
            self.code = code
            self.name = name
            self.kind = kind
            self.parent = parent
        }
    }

    /// The longest unit name accepted; real names are far shorter, so more is a pasting mistake.
    public static let maxNameLength = 50

    /// Reads and checks the file against the units that already exist, returning its units with
    /// parents before children, or every problem of the file. A row may repeat an existing unit
    /// (an exported file comes back edited) as long as its kind is the same; what the server does
    /// with it (rename, never move) is the server's rule.
    public static func read(_ data: Data, existing: [UnitCode: UnitKind]) throws(ImportRejection) -> [Row] {
        var sheet = try ImportSheet<Column>(reading: data)
        var units: [(unit: Row, row: ImportSheet<Column>.Row)] = []
        var firstLine: [UnitCode: Int] = [:]
        for row in sheet.rows {
            let code = sheet.code(row, .code)
            var isDuplicate = false
            if let code {
                if let first = firstLine[code] {
                    sheet.report(row, .code, "import.duplicate_code", ["first_line": String(first)])
                    isDuplicate = true
                } else {
                    firstLine[code] = row.line
                }
            }
            let name = sheet.name(row)
            let kind = sheet.kind(row)
            guard let code, let kind, !isDuplicate else {
                if !row[.parent].isEmpty { _ = sheet.code(row, .parent) }
                continue
            }
            if let known = existing[code], known != kind {
                sheet.report(
                    row, .kind, "import.kind_changed", ["code": code.rawValue, "existing_kind": known.rawValue])
            }
            if !code.suits(kind) { sheet.report(row, .code, "import.code_kind_mismatch", ["kind": kind.rawValue]) }
            units.append((Row(line: row.line, code: code, name: name, kind: kind, parent: nil), row))
        }

        // Where a row contradicts an existing unit's kind, that row has its issue; its children
        // are judged against the unit as it is.
        let kinds = existing.merging(units.map { ($0.unit.code, $0.unit.kind) }) { known, _ in known }
        let codesInFile = Set(firstLine.keys)
        let result = units.map { unit, row in
            var unit = unit
            unit.parent = sheet.parent(of: unit, in: row, kinds: kinds, codesInFile: codesInFile)
            return unit
        }
        guard sheet.issues.isEmpty else { throw ImportRejection(issues: sheet.issues) }
        // Kinds are ordered county, township, department, village, group: every parent first.
        return result.sorted { ($0.kind, $0.code) < ($1.kind, $1.code) }
    }

    /// The kind a clerk means by `text`: an English raw value or a Chinese name.
    public static func kind(named text: String) -> UnitKind? {
        if let kind = UnitKind(rawValue: text.lowercased()) { return kind }
        return chineseKinds[text]
    }

    private static let chineseKinds: [String: UnitKind] = [
        "县": .county, "区": .county, "县区": .county, "县/区": .county, "县级市": .county,
        "乡镇": .township, "乡": .township, "镇": .township, "街道": .township, "乡/镇": .township, "乡镇街道": .township,
        "村": .village, "社区": .village, "村/社区": .village, "村委会": .village, "居委会": .village,
        "村民小组": .group, "小组": .group, "组": .group,
        "部门": .department, "职能部门": .department,
    ]

    enum Column: ImportColumn {
        case code, name, kind, parent

        var headerNames: [String] {
            switch self {
            case .code: ["code", "代码", "单位代码", "区划代码", "统计用区划代码"]
            case .name: ["name", "名称", "单位名称"]
            case .kind: ["kind", "类型", "type", "单位类型"]
            case .parent: ["parent", "上级代码", "parent code", "上级单位代码", "上级"]
            }
        }
    }
}

extension UnitCode {
    /// Whether the code has the shape statistical codes give a unit of this kind: a county ends
    /// in six zeros, a township in three (but not six), a village in anything else. Departments and
    /// villager groups have no statistical code, so any code from the county's range will do.
    fileprivate func suits(_ kind: UnitKind) -> Bool {
        let township = rawValue.suffix(6)
        let village = rawValue.suffix(3)
        switch kind {
        case .county: return township == "000000"
        case .township: return village == "000" && township != "000000"
        case .village: return village != "000"
        case .group, .department: return true
        }
    }
}

extension ImportSheet where Column == UnitImport.Column {
    fileprivate mutating func name(_ row: Row) -> String {
        let name = row[.name]
        if name.isEmpty {
            report(row, .name, "import.required")
        } else if name.count > UnitImport.maxNameLength {
            report(row, .name, "import.too_long", ["max": String(UnitImport.maxNameLength)])
        }
        return name
    }

    fileprivate mutating func kind(_ row: Row) -> UnitKind? {
        guard !row[.kind].isEmpty else {
            report(row, .kind, "import.required")
            return nil
        }
        guard let kind = UnitImport.kind(named: row[.kind]) else {
            report(row, .kind, "import.bad_kind")
            return nil
        }
        return kind
    }

    /// The parent of `unit`, or nil with an issue unless `unit` is a county (which has none).
    fileprivate mutating func parent(
        of unit: UnitImport.Row, in row: Row, kinds: [UnitCode: UnitKind], codesInFile: Set<UnitCode>
    ) -> UnitCode? {
        let text = row[.parent]
        if unit.kind == .county {
            if !text.isEmpty { report(row, .parent, "import.county_parent") }
            return nil
        }
        if text.isEmpty {
            report(row, .parent, "import.missing_parent", value: unit.code.rawValue)
            return nil
        }
        guard let parent = code(row, .parent) else { return nil }
        guard let parentKind = kinds[parent] else {
            // A parent row of the file with a bad kind has its own issue already.
            if !codesInFile.contains(parent) { report(row, .parent, "import.unknown_parent") }
            return nil
        }
        let args = ["kind": unit.kind.rawValue, "parent_kind": parentKind.rawValue, "code": unit.code.rawValue]
        if !unit.kind.allowedParents.contains(parentKind) {
            report(row, .parent, "import.parent_kind", args)
        } else if !unit.code.fits(under: parent, as: unit.kind) {
            report(row, .code, "import.code_not_under_parent", value: unit.code.rawValue, ["parent": parent.rawValue])
        }
        return parent
    }
}
