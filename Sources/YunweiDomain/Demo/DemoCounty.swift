/// A unit of the demo county.
public struct DemoUnit: Sendable, Hashable {
    public var code: UnitCode
    public var name: String
    public var kind: UnitKind
    /// Nil only for the county.
    public var parent: UnitCode?
}

/// 演示县 — the fictional county 云岭县 that `yunwei demo` loads: its units, two years of village
/// factor data and one person for every role. It is a pure value computed from `scale` alone,
/// so two runs (and a test) see the same county.
///
/// Codes follow the statistical scheme inside one county, `510121`: townships `510121TTT000`
/// with TTT from 100, communities 社区 `…001` and villages 村 `…201` under them. Township codes
/// 100–899 leave 900–999 free for county departments, and no township has 900 villages, so
/// a township department `…TTT900` collides with nothing either.
public struct DemoCounty: Sendable, Hashable {
    /// Units with every parent before its children (in code order).
    public var units: [DemoUnit]
    /// One row per village and year of `years`.
    public var factors: [VillageFactors]
    public var users: [DemoUser]

    public static let countyCode = UnitCode("510121000000")!
    private static let firstTownship = UnitCode("510121100000")!
    public static let years = [2025, 2026]
    /// Scale 100 fills township codes 100–899: 800 townships and 12,000 villages.
    public static let scales = 1...100

    /// The county at `scale`: 8 townships and 120 villages times `scale`.
    public static func plan(scale: Int = 1) -> DemoCounty {
        precondition(scales.contains(scale), "demo scale must be in \(scales)")
        var units = [DemoUnit(code: countyCode, name: "云岭县", kind: .county, parent: nil)]
        var terrains: [(village: UnitCode, weights: [Int])] = []
        var names = DemoNames()
        for index in 0..<(townshipTemplates.count * scale) {
            let template = townshipTemplates[index % townshipTemplates.count]
            let township = UnitCode("510121\(100 + index)000")!
            let stem = index < townshipTemplates.count ? template.stem : names.townshipStem()
            units.append(DemoUnit(code: township, name: stem + template.suffix, kind: .township, parent: countyCode))
            for village in villages(of: township, stem: stem, template: template, names: &names) {
                units.append(village)
                terrains.append((village.code, template.terrain))
            }
        }
        units.append(
            DemoUnit(code: UnitCode("510121100900")!, name: "城关镇农业服务中心", kind: .department, parent: firstTownship))
        units.append(DemoUnit(code: UnitCode("510121900001")!, name: "县水务局", kind: .department, parent: countyCode))
        units.sort { $0.code < $1.code }

        let factors = years.flatMap { year in
            terrains.map { DemoFactors.village($0.village, year: year, terrain: $0.weights) }
        }
        return DemoCounty(units: units, factors: factors, users: DemoUser.staff(of: units))
    }

    /// The first eight townships; further ones repeat their shape under generated names.
    /// `terrain` weighs plain, hill, mountain and remote villages: the county rises to the west.
    private typealias TownshipTemplate = (stem: String, suffix: String, villages: Int, terrain: [Int])
    private static let townshipTemplates: [TownshipTemplate] = [
        ("城关", "镇", 22, [6, 3, 1, 0]), ("清泉", "镇", 18, [5, 4, 1, 0]), ("白果", "镇", 16, [3, 5, 2, 0]),
        ("竹溪", "乡", 15, [2, 5, 3, 0]), ("石桥", "镇", 14, [1, 4, 4, 1]), ("云台", "乡", 13, [0, 3, 5, 2]),
        ("高峰", "乡", 12, [0, 2, 5, 3]), ("雾山", "乡", 10, [0, 1, 5, 4]),
    ]

    /// A township's villages: a town 镇 has a community 社区 at its seat (the county seat four),
    /// numbered from 001, and its villages 村 are numbered from 201.
    private static func villages(
        of township: UnitCode, stem: String, template: TownshipTemplate, names: inout DemoNames
    ) -> [DemoUnit] {
        let isCountySeat = township == firstTownship
        let communities = isCountySeat ? 4 : (template.suffix == "镇" ? 1 : 0)
        let prefix = township.rawValue.prefix(9)
        return (0..<template.villages).map { number in
            if number < communities {
                let name = isCountySeat ? ["城东", "城南", "城西", "城北"][number] : stem
                let code = UnitCode(prefix + threeDigits(1 + number))!
                return DemoUnit(code: code, name: name + "社区", kind: .village, parent: township)
            }
            let code = UnitCode(prefix + threeDigits(201 + number - communities))!
            return DemoUnit(code: code, name: names.villageName(), kind: .village, parent: township)
        }
    }

    private static func threeDigits(_ number: Int) -> String {
        String(repeating: "0", count: 3 - String(number).count) + String(number)
    }
}

/// Place names made of two characters, each drawn once: village names are unique across the
/// county up to 1,600 villages and always within a township, generated township stems never
/// repeat one another or the hand-named eight.
private struct DemoNames {
    private static let first = Array("金银龙凤石柏桂松梨桃杨柳竹荷清白红青黄新大小高长永太安双三五马牛鹤狮宝福兴和平丰")
    private static let second = Array("山水河溪湾坪坝桥林岩塘田沟井坡岭庙堰湖池冲坎垭场园花泉峰梁台阳星光洞盛乐宁滩口寨")
    private static let handNamed: Set<String> = ["城关", "清泉", "白果", "竹溪", "石桥", "云台", "高峰", "雾山"]

    private var villageCount = 0
    private var townshipCount = 0

    mutating func villageName() -> String {
        defer { villageCount += 1 }
        return Self.name(villageCount * 607 + 11) + "村"
    }

    mutating func townshipStem() -> String {
        while true {
            defer { townshipCount += 1 }
            let stem = Self.name(townshipCount * 211 + 5)
            if !Self.handNamed.contains(stem) { return stem }
        }
    }

    /// 607 and 211 are prime to 1,600, so consecutive counts visit every pair before repeating.
    private static func name(_ seed: Int) -> String {
        let pair = seed % (first.count * second.count)
        return String(first[pair % first.count]) + String(second[pair / first.count])
    }
}
