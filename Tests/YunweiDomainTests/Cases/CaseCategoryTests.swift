import Testing
import YunweiDomain

private let roadDamage = CaseCategory(
    code: "FAC-ROAD", parentCode: "FAC", nameZh: "道路破损", nameEn: "Road damage", defaultHandler: .village,
    deadlineHours: 120, priority: .normal, isPrivate: false,
    questions: [
        CategoryQuestion(
            key: "area_m2", labelZh: "破损面积（平方米）", labelEn: "Damaged area (m²)", kind: .number, required: true),
        CategoryQuestion(
            key: "cause", labelZh: "原因", labelEn: "Cause", kind: .choice, choices: ["雨水冲刷", "重车碾压", "其他"]),
        CategoryQuestion(key: "remark", labelZh: "补充说明", labelEn: "Remarks", kind: .text),
    ])

private let facility = CaseCategory(
    code: "FAC", parentCode: nil, nameZh: "设施运维类", nameEn: "Facility O&M", defaultHandler: .township,
    deadlineHours: 168, priority: .normal, isPrivate: false)

@Suite("A category's definition")
struct CaseCategoryDefinitionTests {
    @Test(
        "codes are 2–4 capitals, and for a subcategory a dash and 2–12 capitals or digits",
        arguments: [
            ("LIV", true), ("PE", true), ("ABCD", true), ("LIV-ROAD", true), ("FAC-R2", true),
            ("LIV-ABCDEFGHIJKL", true), ("L", false), ("ABCDE", false), ("liv", false), ("LIV-", false),
            ("LIV-R", false), ("LIV-ABCDEFGHIJKLM", false), ("LIV-road", false), ("LIV-RO-AD", false),
            ("LIV_ROAD", false), ("", false), ("2LV", false), ("LIV-道路", false),
        ])
    func codeFormat(code: String, wellFormed: Bool) {
        #expect(CaseCategory.isWellFormedCode(code) == wellFormed)
    }

    @Test("a sound definition has no issues")
    func sound() {
        #expect(roadDamage.issues.isEmpty)
        #expect(facility.issues.isEmpty)
        #expect(roadDamage.issues(among: [facility]).isEmpty)
    }

    @Test("every broken rule is reported at its field")
    func everyProblem() {
        var broken = roadDamage
        broken.code = "FAC-道路"
        broken.nameZh = "  "
        broken.nameEn = String(repeating: "x", count: 51)
        broken.deadlineHours = 0
        broken.questions = [
            CategoryQuestion(key: "Area", labelZh: "面积", labelEn: "", kind: .number),
            CategoryQuestion(key: "kind", labelZh: "类型", labelEn: "Kind", kind: .choice, choices: ["一"]),
            CategoryQuestion(key: "kind", labelZh: "类型", labelEn: "Kind", kind: .choice, choices: ["一", "一"]),
        ]
        #expect(
            broken.issues == [
                CaseIssue(field: "code", key: "category.error.bad_code", args: ["code": "FAC-道路"]),
                CaseIssue(field: "name_zh", key: "category.error.name_required"),
                CaseIssue(field: "name_en", key: "category.error.name_too_long", args: ["max": "50"]),
                CaseIssue(
                    field: "deadline_hours", key: "category.error.deadline_hours", args: ["min": "1", "max": "8760"]),
                CaseIssue(field: "questions.1.key", key: "category.error.question_key", args: ["key": "Area"]),
                CaseIssue(field: "questions.1.label_en", key: "category.error.name_required"),
                CaseIssue(field: "questions.2.choices", key: "category.error.choices"),
                CaseIssue(field: "questions.3.choices", key: "category.error.choices"),
                CaseIssue(
                    field: "questions.3.key", key: "category.error.question_key_repeated", args: ["key": "kind"]),
            ])
    }

    @Test("a time limit runs from one hour to a year", arguments: [(0, false), (1, true), (8760, true), (8761, false)])
    func deadlineHours(hours: Int, sound: Bool) {
        var category = roadDamage
        category.deadlineHours = hours
        #expect(category.issues.isEmpty == sound)
    }

    @Test("a name may be 50 characters as people count them, but not 51")
    func nameLength() {
        var category = roadDamage
        category.nameZh = String(repeating: "路", count: 50)
        #expect(category.issues.isEmpty)
        category.nameZh += "路"
        #expect(category.issues.map(\.key) == ["category.error.name_too_long"])
    }

    @Test("a subcategory's code extends its parent's; a top category's has no dash")
    func codeAndParent() {
        var stray = roadDamage
        stray.parentCode = "LIV"
        #expect(stray.issues.map(\.key) == ["category.error.code_not_under_parent"])
        var top = facility
        top.code = "FAC-ROAD"
        #expect(top.issues.map(\.key) == ["category.error.top_code"])
    }

    @Test("at most ten questions")
    func tooManyQuestions() {
        var category = roadDamage
        category.questions = (1...11).map {
            CategoryQuestion(key: "q\($0)", labelZh: "问题\($0)", labelEn: "Question \($0)", kind: .text)
        }
        #expect(category.issues.map(\.key) == ["category.error.too_many_questions"])
    }

    @Test("within the tree: a code is taken once, the parent exists and is a top category, privacy is inherited")
    func amongOthers() {
        let petition = CaseCategory(
            code: "PET", parentCode: nil, nameZh: "信访类", nameEn: "Petitions", defaultHandler: .township,
            deadlineHours: 240, priority: .normal, isPrivate: true)
        var publicPetition = roadDamage
        publicPetition.code = "PET-ROAD"
        publicPetition.parentCode = "PET"
        #expect(publicPetition.issues(among: [petition]).map(\.key) == ["category.error.must_be_private"])
        publicPetition.isPrivate = true
        #expect(publicPetition.issues(among: [petition]).isEmpty)

        #expect(roadDamage.issues(among: [facility, roadDamage]).map(\.key) == ["category.error.code_taken"])
        #expect(roadDamage.issues(among: []).map(\.key) == ["category.error.parent_unknown"])

        var grandchild = roadDamage
        grandchild.code = "FAC-ROADX"
        grandchild.parentCode = "FAC-ROAD"
        #expect(
            grandchild.issues(among: [facility, roadDamage]).map(\.key) == [
                "category.error.code_not_under_parent", "category.error.parent_not_top",
            ])
    }

    @Test("the default handler is stored as one text and names the unit for a case's village")
    func defaultHandler() {
        let village = UnitPath(codes: ["510121000000", "510121100000", "510121100201"].map { UnitCode($0)! })
        let bureau = UnitCode("510121900001")!
        #expect(CategoryHandler.village.unit(forCaseAt: village) == UnitCode("510121100201"))
        #expect(CategoryHandler.township.unit(forCaseAt: village) == UnitCode("510121100000"))
        #expect(CategoryHandler.department.unit(forCaseAt: village) == nil)
        #expect(CategoryHandler.unit(bureau).unit(forCaseAt: village) == bureau)
        for handler in [CategoryHandler.village, .township, .department, .unit(bureau)] {
            #expect(CategoryHandler(rawValue: handler.rawValue) == handler)
        }
        #expect(CategoryHandler(rawValue: "county") == nil)
    }

    @Test("priorities order from low to urgent")
    func priorities() {
        #expect(CasePriority.allCases.sorted() == [.low, .normal, .high, .urgent])
        #expect(CasePriority.urgent > .high)
    }
}

@Suite("A reporter's answers")
struct CategoryAnswerTests {
    @Test("answers that fit raise nothing; optional ones may be left out")
    func fitting() {
        #expect(roadDamage.validate(answers: ["area_m2": "12.5"]).isEmpty)
        #expect(roadDamage.validate(answers: ["area_m2": " 3 ", "cause": "其他", "remark": "靠近小学"]).isEmpty)
        #expect(roadDamage.validate(answers: ["area_m2": "3", "cause": "", "remark": "  "]).isEmpty)
    }

    @Test("every problem is reported at its answer")
    func problems() {
        let issues = roadDamage.validate(answers: [
            "cause": "地震", "remark": String(repeating: "长", count: 501), "colour": "红", "age": "3",
        ])
        #expect(
            issues == [
                CaseIssue(field: "answers.area_m2", key: "case.answer.required"),
                CaseIssue(
                    field: "answers.cause", key: "case.answer.not_a_choice", args: ["choices": "雨水冲刷、重车碾压、其他"]),
                CaseIssue(field: "answers.remark", key: "case.answer.too_long", args: ["max": "500"]),
                CaseIssue(field: "answers.age", key: "case.answer.unknown_question", args: ["question": "age"]),
                CaseIssue(field: "answers.colour", key: "case.answer.unknown_question", args: ["question": "colour"]),
            ])
    }

    @Test(
        "a number is digits with at most one decimal point",
        arguments: [
            ("12", true), ("0", true), ("3.5", true), ("-1", false), (".5", false), ("5.", false), ("1e3", false),
            ("1,000", false), ("十二", false), ("1.2.3", false), ("１２", false),
        ])
    func numbers(text: String, isNumber: Bool) {
        #expect(roadDamage.validate(answers: ["area_m2": text]).isEmpty == isNumber)
    }
}

@Suite("The demo county's categories")
struct DemoCategoriesTests {
    private let all = DemoCategories.all

    @Test("every category is sound within the tree")
    func sound() {
        for category in all {
            #expect(category.issues(among: all.filter { $0 != category }).isEmpty, "\(category.code)")
        }
        #expect(Set(all.map(\.code)).count == all.count)
    }

    @Test("the seed's five top categories, each with three to six subcategories")
    func shape() {
        let tops = all.filter(\.isTopCategory)
        #expect(tops.map(\.nameZh) == ["信访类", "稳定类", "民生类", "城镇管理类", "设施运维类"])
        for top in tops {
            let children = all.filter { $0.parentCode == top.code }
            #expect((3...6).contains(children.count), "\(top.code)")
        }
    }

    @Test("petition and stability cases are private, and only they")
    func privacy() {
        let privateTops = all.filter { $0.isTopCategory && $0.isPrivate }.map(\.nameZh)
        #expect(privateTops == ["信访类", "稳定类"])
        for category in all where !category.isTopCategory {
            #expect(category.isPrivate == ["PET", "STA"].contains(category.parentCode), "\(category.code)")
        }
    }

    @Test("time limits run from 24 hours for an urgent outage to 240")
    func timeLimits() {
        let subcategories = all.filter { !$0.isTopCategory }
        #expect(subcategories.map(\.deadlineHours).min() == 24)
        #expect(subcategories.map(\.deadlineHours).max() == 240)
        let water = subcategories.first { $0.nameZh == "停水" }
        #expect(water?.deadlineHours == 24)
        #expect(water?.priority == .urgent)
    }

    @Test("the seed's everyday problems are there, some with questions")
    func everydayProblems() throws {
        let names = Set(all.map(\.nameZh))
        for name in ["道路破损", "停水", "沟渠堵塞", "垃圾满溢", "路灯不亮", "矛盾纠纷调解", "信访诉求", "违章搭建", "牲畜散放", "泵站故障", "活动室损坏"] {
            #expect(names.contains(name), "\(name)")
        }
        let road = try #require(all.first { $0.nameZh == "道路破损" })
        #expect(road.validate(answers: [:]).map(\.key) == ["case.answer.required"])
        let dispute = try #require(all.first { $0.nameZh == "矛盾纠纷调解" })
        #expect(dispute.questions.first?.choices == ["邻里", "土地", "婚姻家庭", "其他"])
    }

    @Test("default handlers name a kind of unit, never one county's code")
    func handlersAreKinds() {
        for category in all {
            if case .unit = category.defaultHandler { Issue.record("\(category.code) names a unit code") }
            #expect(category.defaultHandler != nil)
        }
    }
}
