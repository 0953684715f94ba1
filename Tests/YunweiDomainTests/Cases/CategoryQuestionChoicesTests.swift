import Foundation
import Testing
import YunweiDomain

private let dispute = CategoryQuestion(
    key: "dispute_kind", labelZh: "纠纷类型", labelEn: "Kind of dispute", kind: .choice,
    choices: ["邻里", "土地", "其他"], choicesEn: ["Neighbours", "Land", "Other"], required: true)

private func category(_ question: CategoryQuestion) -> CaseCategory {
    CaseCategory(
        code: "STA-DISPUTE", parentCode: "STA", nameZh: "矛盾纠纷调解", nameEn: "Dispute mediation",
        defaultHandler: .village, deadlineHours: 72, priority: .high, isPrivate: true, questions: [question])
}

@Suite("A choice question in two languages")
struct CategoryQuestionChoicesTests {
    @Test("English choices are optional, and one for each Chinese choice is sound")
    func sound() {
        var question = dispute
        #expect(category(question).issues.isEmpty)
        question.choicesEn = []
        #expect(category(question).issues.isEmpty)
    }

    @Test(
        "English choices are refused when their count differs, or one is blank, repeated, padded or another choice",
        arguments: [
            ["Neighbours", "Land"], ["Neighbours", "Land", "Other", "More"], ["Neighbours", "", "Other"],
            ["Neighbours", "Land", "Land"], ["Neighbours", " Land", "Other"], ["土地", "Land", "Other"],
        ])
    func refused(choicesEn: [String]) {
        var question = dispute
        question.choicesEn = choicesEn
        #expect(
            category(question).issues == [
                CaseIssue(field: "questions.1.choices_en", key: "category.error.choices_en")
            ])
    }

    @Test("an English label may be the same as its own Chinese choice")
    func sameAsOwnChoice() {
        var question = dispute
        question.choices = ["A4", "A3"]
        question.choicesEn = ["A4", "A3 sheet"]
        #expect(category(question).issues.isEmpty)
    }

    @Test("an answer given by its English label is that choice; a stored choice reads in English on English pages")
    func labels() {
        #expect(dispute.canonicalChoice("土地") == "土地")
        #expect(dispute.canonicalChoice("Land") == "土地")
        #expect(dispute.canonicalChoice("land") == nil)
        #expect(dispute.choiceLabel("土地", english: true) == "Land")
        #expect(dispute.choiceLabel("土地", english: false) == "土地")
        #expect(dispute.choiceLabel("地震", english: true) == "地震", "a value no longer among the choices stays")
        var chineseOnly = dispute
        chineseOnly.choicesEn = []
        #expect(chineseOnly.choiceLabel("土地", english: true) == "土地")
        #expect(chineseOnly.canonicalChoice("Land") == nil)
        let remark = CategoryQuestion(key: "remark", labelZh: "说明", labelEn: "Remarks", kind: .text)
        #expect(remark.canonicalChoice("Land") == nil)
        #expect(remark.choiceLabel("Land", english: true) == "Land")
    }

    @Test("either label is an answer; anything else is not a choice")
    func answers() {
        let category = category(dispute)
        #expect(category.validate(answers: ["dispute_kind": "Land"]).isEmpty)
        #expect(category.validate(answers: ["dispute_kind": "邻里"]).isEmpty)
        #expect(
            category.validate(answers: ["dispute_kind": "Flood"]).map(\.key) == ["case.answer.not_a_choice"])
    }

    @Test("questions stored before English choices existed still read, with none")
    func oldJSON() throws {
        let stored = Data(
            #"[{"key":"animal","labelZh":"牲畜种类","labelEn":"Kind of animal","kind":"choice","choices":["牛","羊"],"required":false}]"#
                .utf8)
        let questions = try JSONDecoder().decode([CategoryQuestion].self, from: stored)
        #expect(questions.first?.choices == ["牛", "羊"])
        #expect(questions.first?.choicesEn == [])
        let again = try JSONDecoder().decode([CategoryQuestion].self, from: JSONEncoder().encode([dispute]))
        #expect(again == [dispute])
    }

    @Test("every choice question of the demo county has English choices")
    func demo() {
        let questions = DemoCategories.all.flatMap(\.questions).filter { $0.kind == .choice }
        #expect(!questions.isEmpty)
        for question in questions {
            #expect(question.choicesEn.count == question.choices.count, "\(question.key)")
        }
        let dispute = DemoCategories.all.first { $0.code == "STA-DISPUTE" }?.questions.first
        #expect(dispute?.choiceLabel("婚姻家庭", english: true) == "Marriage and family")
    }
}
