import Foundation

/// 用户导入 — people and their roles from a CSV file, one row per role granted at a unit:
/// username 用户名, name 姓名, phone 电话, role 角色, unit 单位代码, password 初始密码.
/// A person with several roles appears on several rows.
public enum UserImport {
    /// A role held at a unit, which reaches that unit and everything below it.
    public struct Grant: Sendable, Hashable, Codable {
        public var role: Role
        public var unit: UnitCode

        public init(role: Role, unit: UnitCode) {
            self.role = role
            self.unit = unit
        }
    }

    /// One person to create, with every role the file grants them.
    public struct User: Sendable, Hashable {
        /// The first line that names this person.
        public var line: Int
        public var username: String
        public var displayName: String
        /// Eleven digits, without `+86`.
        public var phone: String?
        /// Nil when the file leaves it to the server to issue one.
        public var initialPassword: String?
        public var grants: [Grant]

        public init(
            line: Int, username: String, displayName: String, phone: String?, initialPassword: String?,
            grants: [Grant]
        ) {
            self.line = line
            self.username = username
            self.displayName = displayName
            self.phone = phone
            self.initialPassword = initialPassword
            self.grants = grants
        }
    }

    public static let maxNameLength = 32

    /// Reads and checks the file against the existing units, returning people in the order the
    /// file first names them, or every problem of the file. Whether a username is already taken
    /// is the server's question; the password's strength is `PasswordRule`'s.
    public static func read(_ data: Data, units: [UnitCode: UnitKind]) throws(ImportRejection) -> [User] {
        var sheet = try ImportSheet<Column>(reading: data)
        var users: [User] = []
        var indexOf: [String: Int] = [:]
        var firstLineOf: [GrantKey: Int] = [:]
        for row in sheet.rows {
            let username = sheet.username(row)
            let name = sheet.displayName(row)
            let phone = sheet.phone(row)
            let grant = sheet.grant(row, units: units)
            let password = row[.password].isEmpty ? nil : row[.password]
            guard let username else { continue }
            guard let index = indexOf[username] else {
                indexOf[username] = users.count
                users.append(
                    User(
                        line: row.line, username: username, displayName: name, phone: phone,
                        initialPassword: password, grants: grant.map { [$0] } ?? []))
                if let grant { firstLineOf[GrantKey(username: username, grant: grant)] = row.line }
                continue
            }
            sheet.agree(row, &users[index], name: name, phone: phone, password: password)
            guard let grant else { continue }
            let key = GrantKey(username: username, grant: grant)
            if let first = firstLineOf[key] {
                sheet.report(
                    row, .role, "import.duplicate_grant", ["unit": grant.unit.rawValue, "first_line": String(first)])
            } else {
                firstLineOf[key] = row.line
                users[index].grants.append(grant)
            }
        }
        guard sheet.issues.isEmpty else { throw ImportRejection(issues: sheet.issues) }
        return users
    }

    /// 3–32 lowercase ASCII letters, digits and underscores, so a username reads the same in
    /// every input method and never needs case folding.
    public static func isValidUsername(_ text: String) -> Bool {
        (3...32).contains(text.utf8.count)
            && text.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 95 }
    }

    /// The 11-digit mainland mobile number in `text` (spaces, dashes and `+86` allowed), or nil.
    public static func mobileNumber(_ text: String) -> String? {
        var digits = text.filter { $0 != " " && $0 != "-" }
        if digits.hasPrefix("+86") {
            digits.removeFirst(3)
        } else if digits.count == 13, digits.hasPrefix("86") {
            digits.removeFirst(2)
        }
        let utf8 = Array(digits.utf8)
        guard utf8.count == 11, utf8.allSatisfy({ (48...57).contains($0) }), utf8[0] == 49, (51...57).contains(utf8[1])
        else { return nil }
        return digits
    }

    /// The role a clerk means by `text`: its raw value (`village_clerk`) or its Chinese name (`村报账员`).
    public static func role(named text: String) -> Role? {
        Role(rawValue: text.lowercased()) ?? chineseRoles[text.replacingOccurrences(of: "／", with: "/")]
    }

    /// The names of DOMAIN.md §1's table, and the halves of the doubled ones.
    private static let chineseRoles: [String: Role] = [
        "县级管理员": .countyAdmin, "县级监督": .countyAuditor, "乡镇主要领导": .townshipLeader, "财政所": .townshipFinance,
        "综治办/党政办": .townshipDispatcher, "综治办": .townshipDispatcher, "党政办": .townshipDispatcher,
        "职能部门承办人": .departmentHandler, "承办人": .departmentHandler, "村主要负责人": .villageHead,
        "村报账员": .villageClerk, "报账员": .villageClerk, "村民理财小组": .financeGroup, "理财小组": .financeGroup,
        "质量监督小组": .qualityGroup, "网格员/社工": .gridWorker, "网格员": .gridWorker, "社工": .gridWorker,
        "管护员/保洁员": .caretaker, "管护员": .caretaker, "保洁员": .caretaker,
    ]

    private struct GrantKey: Hashable {
        var username: String
        var grant: Grant
    }

    enum Column: ImportColumn {
        case username, name, phone, role, unit, password

        var headerNames: [String] {
            switch self {
            case .username: ["username", "用户名", "账号"]
            case .name: ["name", "姓名", "display name"]
            case .phone: ["phone", "电话", "手机", "手机号"]
            case .role: ["role", "角色"]
            case .unit: ["unit", "单位代码", "单位"]
            case .password: ["password", "初始密码", "密码"]
            }
        }

        var isRequired: Bool { self != .phone && self != .password }
    }
}

extension ImportSheet where Column == UserImport.Column {
    fileprivate mutating func username(_ row: Row) -> String? {
        let text = row[.username]
        guard !text.isEmpty else {
            report(row, .username, "import.required")
            return nil
        }
        guard UserImport.isValidUsername(text) else {
            report(row, .username, "import.bad_username")
            return nil
        }
        return text
    }

    fileprivate mutating func displayName(_ row: Row) -> String {
        let name = row[.name]
        if name.isEmpty {
            report(row, .name, "import.required")
        } else if name.count > UserImport.maxNameLength {
            report(row, .name, "import.too_long", ["max": String(UserImport.maxNameLength)])
        }
        return name
    }

    fileprivate mutating func phone(_ row: Row) -> String? {
        guard !row[.phone].isEmpty else { return nil }
        guard let phone = UserImport.mobileNumber(row[.phone]) else {
            report(row, .phone, "import.bad_phone")
            return nil
        }
        return phone
    }

    /// The role granted on this row, if the role is known and the unit exists and is of the
    /// kind the role is held at (a village clerk at a village, not at its township).
    fileprivate mutating func grant(_ row: Row, units: [UnitCode: UnitKind]) -> UserImport.Grant? {
        var role: Role?
        if row[.role].isEmpty {
            report(row, .role, "import.required")
        } else if let known = UserImport.role(named: row[.role]) {
            role = known
        } else {
            report(row, .role, "import.bad_role")
        }
        guard let unit = code(row, .unit) else { return nil }
        guard let kind = units[unit] else {
            report(row, .unit, "import.unknown_unit")
            return nil
        }
        guard let role else { return nil }
        guard kind == role.heldAt else {
            report(
                row, .unit, "import.role_unit_kind",
                ["role": row[.role], "kind": kind.rawValue, "expected": role.heldAt.rawValue])
            return nil
        }
        return UserImport.Grant(role: role, unit: unit)
    }

    /// A later row of the same person must not contradict the first: one person, one name.
    /// A phone or password given only once is taken from wherever it is.
    fileprivate mutating func agree(
        _ row: Row, _ user: inout UserImport.User, name: String, phone: String?, password: String?
    ) {
        let first = ["username": user.username, "first_line": String(user.line)]
        if !name.isEmpty, !user.displayName.isEmpty, name != user.displayName {
            report(row, .name, "import.name_mismatch", first.merging(["first": user.displayName]) { $1 })
        }
        if user.displayName.isEmpty { user.displayName = name }
        if let phone {
            if let known = user.phone, known != phone {
                report(row, .phone, "import.phone_mismatch", first.merging(["first": known]) { $1 })
            }
            user.phone = user.phone ?? phone
        }
        if let password {
            if let known = user.initialPassword, known != password {
                reportQuietly(row, .password, "import.password_mismatch", first)
            }
            user.initialPassword = user.initialPassword ?? password
        }
    }
}
