/// The demo county's category tree: the seed's five top categories — 信访类, 稳定类, 民生类,
/// 城镇管理类 and 设施运维类 — each with the subcategories a rural county sees every week.
///
/// Default handlers name a kind of unit, never a code, so the same tree fits any county. Time
/// limits run from 24 hours (no water, early signs of a group incident) to 240 (a damaged
/// activity room, a petition); petitions and stability cases are private.
public enum DemoCategories {
    /// Every category, each top category followed by its subcategories.
    public static let all: [CaseCategory] = [
        top("PET", "信访类", "Petitions", private: true),
        sub(
            "PET", "APPEAL", "信访诉求", "Petition request", .township, 240, .normal,
            questions: [
                CategoryQuestion(
                    key: "visited_before", labelZh: "此前是否反映过", labelEn: "Raised before", kind: .choice,
                    choices: ["否", "是，已答复", "是，未答复"], choicesEn: ["No", "Yes, answered", "Yes, no answer yet"])
            ]),
        sub("PET", "POLICY", "政策咨询", "Policy enquiry", .township, 120, .low),
        sub("PET", "CADRE", "干部作风问题", "Conduct of officials", .township, 240, .high),
        sub("PET", "AID", "困难救助申请", "Hardship assistance", .township, 168, .normal),

        top("STA", "稳定类", "Stability", private: true),
        sub(
            "STA", "DISPUTE", "矛盾纠纷调解", "Dispute mediation", .village, 72, .high,
            questions: [
                CategoryQuestion(
                    key: "dispute_kind", labelZh: "纠纷类型", labelEn: "Kind of dispute", kind: .choice,
                    choices: ["邻里", "土地", "婚姻家庭", "其他"],
                    choicesEn: ["Neighbours", "Land", "Marriage and family", "Other"], required: true),
                CategoryQuestion(key: "parties", labelZh: "涉及人数", labelEn: "People involved", kind: .number),
            ]),
        sub("STA", "LAND", "土地山林权属纠纷", "Land or forest boundary dispute", .township, 240, .high),
        sub("STA", "WAGE", "农民工欠薪", "Unpaid migrant wages", .department, 120, .high),
        sub("STA", "GROUP", "群体性事件苗头", "Early signs of a group incident", .township, 24, .urgent),

        top("LIV", "民生类", "Livelihood"),
        sub(
            "LIV", "WATER", "停水", "Water supply outage", .department, 24, .urgent,
            questions: [
                CategoryQuestion(key: "households", labelZh: "影响户数", labelEn: "Households affected", kind: .number)
            ]),
        sub("LIV", "DRINK", "饮用水水质异常", "Drinking water looks or tastes wrong", .department, 48, .high),
        sub("LIV", "ELDER", "孤寡老人照料", "Care for an elderly person living alone", .village, 72, .high),
        sub("LIV", "SUBSIDY", "惠民补贴发放", "Payment of a public subsidy", .township, 168, .normal),
        sub("LIV", "TV", "广播电视信号", "Broadcast TV reception", .township, 120, .low),

        top("TWN", "城镇管理类", "Town management"),
        sub("TWN", "GARBAGE", "垃圾满溢", "Garbage overflow", .village, 48, .normal),
        sub("TWN", "SEWAGE", "污水横流", "Sewage overflow", .village, 72, .normal),
        sub("TWN", "BUILD", "违章搭建", "Illegal building", .township, 168, .normal),
        sub(
            "TWN", "LIVESTOCK", "牲畜散放", "Stray livestock", .village, 48, .low,
            questions: [
                CategoryQuestion(
                    key: "animal", labelZh: "牲畜种类", labelEn: "Kind of animal", kind: .choice,
                    choices: ["牛", "羊", "猪", "马", "其他"],
                    choicesEn: ["Cattle", "Sheep or goats", "Pigs", "Horses", "Other"])
            ]),
        sub("TWN", "STALL", "占道经营", "Stalls blocking the road", .township, 72, .low),

        top("FAC", "设施运维类", "Facility O&M"),
        sub(
            "FAC", "ROAD", "道路破损", "Road damage", .village, 120, .normal,
            questions: [
                CategoryQuestion(
                    key: "area_m2", labelZh: "破损面积（平方米）", labelEn: "Damaged area (m²)", kind: .number,
                    required: true)
            ]),
        sub("FAC", "CANAL", "沟渠堵塞", "Canal blockage", .village, 72, .normal),
        sub(
            "FAC", "LIGHT", "路灯不亮", "Street light out", .village, 120, .low,
            questions: [
                CategoryQuestion(key: "lights", labelZh: "不亮的路灯数（盏）", labelEn: "Lights out", kind: .number)
            ]),
        sub(
            "FAC", "PUMP", "泵站故障", "Pumping station failure", .department, 48, .high,
            questions: [
                CategoryQuestion(key: "station", labelZh: "泵站名称", labelEn: "Pumping station", kind: .text)
            ]),
        sub("FAC", "ROOM", "活动室损坏", "Activity room damage", .village, 240, .low),
        sub("FAC", "FITNESS", "健身器材损坏", "Fitness equipment damage", .village, 168, .low),
    ]

    /// A top category. Reports go to its subcategories; its own time limit and priority are the
    /// defaults a new subcategory starts from.
    private static func top(
        _ code: String, _ zh: String, _ en: String, private isPrivate: Bool = false
    ) -> CaseCategory {
        CaseCategory(
            code: code, parentCode: nil, nameZh: zh, nameEn: en, defaultHandler: .township, deadlineHours: 168,
            priority: .normal, isPrivate: isPrivate)
    }

    /// A subcategory; private exactly when its top category is.
    private static func sub(
        _ parent: String, _ suffix: String, _ zh: String, _ en: String, _ handler: CategoryHandler, _ hours: Int,
        _ priority: CasePriority, questions: [CategoryQuestion] = []
    ) -> CaseCategory {
        CaseCategory(
            code: parent + "-" + suffix, parentCode: parent, nameZh: zh, nameEn: en, defaultHandler: handler,
            deadlineHours: hours, priority: priority, isPrivate: parent == "PET" || parent == "STA",
            questions: questions)
    }
}
