import Fluent
import Foundation
import YunweiDomain

/// The people of the funds chain (DOMAIN.md §4.3) in every village and township of the demo
/// county: whoever already holds the role there (the demo logins `village_clerk`,
/// `township_finance`, …), else a new person with a predictable login — `clerk_<village code>`,
/// `finance_<village code>` (理财小组), `head_<village code>`, `leader_<township code>`,
/// `tfinance_<township code>` — and the demo password.
struct DemoFundsStaff: Sendable {
    /// The five signatures a claim needs, for one village.
    struct People: Sendable {
        let clerk: Actor
        let financeGroup: Actor
        let head: Actor
        let headName: String
        let townshipLeader: Actor
        let townshipFinance: Actor
    }

    let countyAdmin: Actor
    let byVillage: [Int: People]
    /// Every official's display name, so that no made-up payee is taken for one (R6).
    let officialNames: Set<String>

    func of(_ village: AdminUnit) -> People? { village.id.flatMap { byVillage[$0] } }

    static let villageRoles: [(Role, String)] = [
        (.villageClerk, "clerk"), (.financeGroup, "finance"), (.villageHead, "head"),
    ]
    static let townshipRoles: [(Role, String)] = [(.townshipLeader, "leader"), (.townshipFinance, "tfinance")]

    static func load(
        county: AdminUnit, townships: [AdminUnit], villages: [AdminUnit], passwordHash: String, on db: any Database
    ) async throws -> DemoFundsStaff {
        let roles = (villageRoles + townshipRoles).map(\.0.rawValue) + [Role.countyAdmin.rawValue]
        let grants = try await RoleGrant.query(on: db).filter(\.$role ~~ roles).sort(\.$id).all()
        var holding: [String: Int] = [:]
        for grant in grants where holding["\(grant.role)@\(grant.$unit.id)"] == nil {
            holding["\(grant.role)@\(grant.$unit.id)"] = grant.$user.id
        }
        var loaded: [Int: (Actor, String)] = [:]
        for userID in Set(holding.values) {
            if let actor = try await ActorLoader.load(userID: userID, on: db) { loaded[userID] = actor }
        }
        let author = AuditTrail.Author(id: nil, name: "demo")
        let (holder, actors) = (holding, loaded)
        // Everyone missing, created in one transaction.
        let created: [String: (Actor, String)] = try await db.write { db in
            var created: [String: (Actor, String)] = [:]
            var names = DemoFundsNames()
            func person(_ role: Role, _ login: String, at unit: AdminUnit) async throws {
                let key = "\(role.rawValue)@\(try unit.requireID())"
                if let id = holder[key], actors[id] != nil { return }
                let name = names.official()
                let user = try await UserRegistry.create(
                    username: "\(login)_\(unit.code)", displayName: name, phone: nil, passwordHash: passwordHash,
                    by: author, on: db)
                try await UserRegistry.grant(role, at: unit, to: user, by: author, on: db)
                let actor = Actor(
                    userID: Int64(try user.requireID()), username: user.username,
                    grants: [Grant(role: role, unit: unit.unitCode, path: unit.unitPath)])
                created[key] = (actor, name)
            }
            try await person(.countyAdmin, "admin", at: county)
            for township in townships {
                for (role, login) in townshipRoles { try await person(role, login, at: township) }
            }
            for village in villages {
                for (role, login) in villageRoles { try await person(role, login, at: village) }
            }
            return created
        }
        func find(_ role: Role, at unit: AdminUnit) -> (Actor, String)? {
            guard let id = unit.id else { return nil }
            let key = "\(role.rawValue)@\(id)"
            return created[key] ?? holder[key].flatMap { actors[$0] }
        }
        let townshipByCode = Dictionary(townships.map { ($0.code, $0) }) { first, _ in first }
        var byVillage: [Int: People] = [:]
        for village in villages {
            guard let id = village.id, let parent = village.parentCode, let township = townshipByCode[parent],
                let clerk = find(.villageClerk, at: village), let group = find(.financeGroup, at: village),
                let head = find(.villageHead, at: village), let leader = find(.townshipLeader, at: township),
                let finance = find(.townshipFinance, at: township)
            else { continue }
            byVillage[id] = People(
                clerk: clerk.0, financeGroup: group.0, head: head.0, headName: head.1, townshipLeader: leader.0,
                townshipFinance: finance.0)
        }
        guard let admin = find(.countyAdmin, at: county) else { throw YunweiError.notFound }
        let officials = try await User.query(on: db).all().map(\.displayName)
        return DemoFundsStaff(countyAdmin: admin.0, byVillage: byVillage, officialNames: Set(officials))
    }
}

/// Made-up Chinese names: officials from one list of given names, villagers (caretakers) from
/// another, so that the two never meet.
struct DemoFundsNames {
    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程")
    static let officialGiven = [
        "建国", "志强", "国华", "明亮", "德胜", "春林", "永红", "海军", "玉兰", "桂芳", "晓燕", "文静", "学军", "立新",
        "红梅", "卫东", "光明", "保国", "秀珍", "家富",
    ]
    static let villagerGiven = [
        "大贵", "二娃", "满仓", "福生", "秋菊", "翠花", "老三", "有才", "金凤", "长贵", "水生", "冬梅", "来福", "桂香",
    ]
    private var count = 0

    mutating func official() -> String {
        defer { count += 1 }
        let surname = Self.surnames[(count * 7) % Self.surnames.count]
        return String(surname) + Self.officialGiven[(count / Self.surnames.count + count) % Self.officialGiven.count]
    }

    static func villager(_ random: inout SplitMix64) -> String {
        String(surnames[random.int(in: 0...(surnames.count - 1))])
            + villagerGiven[random.int(in: 0...(villagerGiven.count - 1))]
    }
}
