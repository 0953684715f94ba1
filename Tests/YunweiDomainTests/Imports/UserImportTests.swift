import Foundation
import Testing

@testable import YunweiDomain

@Suite("Importing people and their roles")
struct UserImportTests {
    private let units: [UnitCode: UnitKind] = [
        UnitCode("510121000000")!: .county, UnitCode("510121100000")!: .township,
        UnitCode("510121100201")!: .village, UnitCode("510121100202")!: .village,
        UnitCode("510121900001")!: .department,
    ]
    private let header = "用户名,姓名,电话,角色,单位代码,初始密码"

    @Test("a person on several rows holds several roles, named in Chinese or by key")
    func grouped() throws {
        let users = try UserImport.read(
            csvFile(
                header,
                "lihua,李华,138 0013 8000,村报账员,510121100201,Start#2025",
                "wangfang,王芳,,township_finance,510121100000,",
                "lihua,李华,,网格员,510121100202,",
                "lihua,李华,+8613800138000,Grid_Worker,510121100201,Start#2025"),
            units: units)
        #expect(users.map(\.username) == ["lihua", "wangfang"])
        #expect(users[0].phone == "13800138000")
        #expect(users[0].initialPassword == "Start#2025")
        #expect(users[0].line == 2)
        #expect(
            users[0].grants == [
                .init(role: .villageClerk, unit: UnitCode("510121100201")!),
                .init(role: .gridWorker, unit: UnitCode("510121100202")!),
                .init(role: .gridWorker, unit: UnitCode("510121100201")!),
            ])
        #expect(users[1].phone == nil && users[1].initialPassword == nil)
    }

    @Test("every role of DOMAIN.md's table is known by its Chinese name")
    func roleNames() {
        let names = [
            "县级管理员", "县级监督", "乡镇主要领导", "财政所", "综治办/党政办", "职能部门承办人", "村主要负责人", "村报账员",
            "村民理财小组", "质量监督小组", "网格员/社工", "管护员/保洁员",
        ]
        #expect(names.map(UserImport.role(named:)) == Role.allCases)
        #expect(UserImport.role(named: "保洁员") == .caretaker)
        #expect(UserImport.role(named: "村长") == nil)
    }

    @Test("every problem is listed, and a password is never repeated in a message")
    func everyProblem() {
        let issues = rejectionIssues {
            try UserImport.read(
                csvFile(
                    header,
                    "Li Hua,李华,,村报账员,510121100201,",
                    "lihua,李华,12345,村长,510121100201,",
                    "lihua,李小华,,village_clerk,510121100000,",
                    "zhao,赵六,,村报账员,510121999999,",
                    "zhao,赵六,,村报账员,510121100201,secret-1",
                    "zhao,赵六,,village_clerk,510121100201,secret-2",
                    ",,,,,"),
                units: units)
        }
        #expect(
            issues.keysAndLines == [
                "import.bad_username@2", "import.bad_phone@3", "import.bad_role@3", "import.role_unit_kind@4",
                "import.name_mismatch@4", "import.unknown_unit@5", "import.password_mismatch@7",
                "import.duplicate_grant@7",
            ])
        #expect(issues[3].args["expected"] == "village")
        #expect(issues[4].args["first"] == "李华")
        #expect(issues[6].args == ["column": "初始密码", "username": "zhao", "first_line": "5"])
        #expect(!issues.contains { $0.args.values.contains { $0.hasPrefix("secret") } })
    }

    @Test("usernames are 3–32 lowercase letters, digits and underscores")
    func usernames() {
        #expect(["abc", "village_clerk2", String(repeating: "a", count: 32)].allSatisfy(UserImport.isValidUsername))
        #expect(
            !["ab", "Abc", "a-b", "李华", String(repeating: "a", count: 33)].contains(where: UserImport.isValidUsername))
    }

    @Test("phones are mainland mobile numbers")
    func phones() {
        #expect(UserImport.mobileNumber("13800138000") == "13800138000")
        #expect(UserImport.mobileNumber("+86 138-0013-8000") == "13800138000")
        #expect(UserImport.mobileNumber("8613800138000") == "13800138000")
        #expect(UserImport.mobileNumber("12800138000") == nil)
        #expect(UserImport.mobileNumber("028-84512345") == nil)
    }
}
