/// A person of the demo county. Their password is not part of the plan: `yunwei demo` sets one.
public struct DemoUser: Sendable, Hashable {
    public var username: String
    public var displayName: String
    public var grants: [UserImport.Grant]
}

extension DemoUser {
    /// One person per role named after it (`village_clerk`), at the first unit of the role's kind
    /// in code order; a second one (`village_clerk2`) at the second township, the second
    /// department, or the second village of the second township, so that scoping can be seen to
    /// separate them; and `grid_caretaker`, who holds two roles, as many village workers do.
    static func staff(of units: [DemoUnit]) -> [DemoUser] {
        let county = units.first { $0.kind == .county }!.code
        let townships = units.filter { $0.kind == .township }.map(\.code)
        let departments = units.filter { $0.kind == .department }.map(\.code)
        let villagesOfSecondTownship = units.filter { $0.kind == .village && $0.parent == townships[1] }.map(\.code)
        let firstVillage = units.first { $0.kind == .village }!.code

        func first(_ role: Role) -> UnitCode {
            switch role.heldAt {
            case .county: county
            case .township: townships[0]
            case .department: departments[0]
            case .village, .group: firstVillage
            }
        }
        func second(_ role: Role) -> UnitCode? {
            switch role.heldAt {
            case .county, .group: nil
            case .township: townships[1]
            case .department: departments[1]
            case .village: villagesOfSecondTownship[1]
            }
        }

        var users = Role.allCases.map { role in
            DemoUser(
                username: role.rawValue, displayName: names[role]!.0, grants: [.init(role: role, unit: first(role))])
        }
        users += Role.allCases.compactMap { role in
            second(role).map {
                DemoUser(
                    username: role.rawValue + "2", displayName: names[role]!.1, grants: [.init(role: role, unit: $0)])
            }
        }
        users.append(
            DemoUser(
                username: "grid_caretaker", displayName: "郑春花",
                grants: [
                    .init(role: .gridWorker, unit: villagesOfSecondTownship[0]),
                    .init(role: .caretaker, unit: villagesOfSecondTownship[0]),
                ]))
        return users
    }

    /// The first and second person of each role.
    private static let names: [Role: (String, String)] = [
        .countyAdmin: ("张建国", "邓国栋"), .countyAuditor: ("李秀英", "蒋文清"),
        .townshipLeader: ("王志强", "马国华"), .townshipFinance: ("刘芳", "朱晓燕"),
        .townshipDispatcher: ("陈明", "胡军"), .departmentHandler: ("杨帆", "郭涛"),
        .villageHead: ("赵德福", "何永贵"), .villageClerk: ("黄丽", "高敏"),
        .financeGroup: ("周桂兰", "林淑珍"), .qualityGroup: ("吴海", "罗成"),
        .gridWorker: ("徐静", "梁雪"), .caretaker: ("孙大勇", "宋长林"),
    ]
}
