import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YunweiDomain

@testable import YunweiServer

/// A choice question's answers in both languages: offered and shown in the reader's, given in
/// either, always stored as the Chinese choice.
@Suite("Choices in two languages")
struct ChoiceLabelsTests {
    static let livestock: [(String, String)] = [
        ("category", "TWN-LIVESTOCK"), ("village", Fixture.villageA1), ("description", "村口有几头牛在公路上游荡"),
    ]

    static func storedAnswers(_ id: Int, _ app: Application) async throws -> [String: String] {
        let record = try #require(try await CaseRecord.find(id, on: app.db))
        return try JSONDecoder().decode([String: String].self, from: Data(record.answersJSON.utf8))
    }

    @Test("the English report form offers English labels for the Chinese choices, the Chinese one Chinese labels")
    func reportForm() async throws {
        try await withApp { app in
            try await CasePagesTests.prepare(app)
            let english = try await Browser(app, language: "en").signedIn("grid_worker")
            let form = try await english.get("/cases/new?category=TWN-LIVESTOCK").body.string
            #expect(form.contains("<option value=\"牛\">Cattle</option>"))
            #expect(form.contains("<option value=\"其他\">Other</option>"))
            let chinese = try await Browser(app, language: "zh-CN").signedIn("grid_worker")
            #expect(
                try await chinese.get("/cases/new?category=TWN-LIVESTOCK").body.string.contains(
                    "<option value=\"牛\">牛</option>"))
        }
    }

    @Test("a choice sent by its English label is stored as the Chinese choice and read in each page's language")
    func englishAnswer() async throws {
        try await withApp { app in
            try await CasePagesTests.prepare(app)
            let english = try await Browser(app, language: "en").signedIn("grid_worker")
            try await english.get("/cases/new?category=TWN-LIVESTOCK")
            let filed = try await english.postMultipart("/cases", Self.livestock + [("answers[animal]", "Cattle")])
            #expect(filed.status == .seeOther)
            let id = try CasePagesTests.caseID(from: filed.location)
            #expect(try await Self.storedAnswers(id, app) == ["animal": "牛"])
            #expect(try await english.get("/cases/\(id)").body.string.contains("<dd>Cattle</dd>"))
            let chinese = try await Browser(app, language: "zh-CN").signedIn("grid_worker")
            #expect(try await chinese.get("/cases/\(id)").body.string.contains("<dd>牛</dd>"))

            let refused = try await english.postMultipart("/cases", Self.livestock + [("answers[animal]", "Camels")])
            #expect(refused.status == .unprocessableEntity)
        }
    }

    @Test("Open311 keys a choice by its Chinese value and names it in the client's language")
    func open311() async throws {
        try await withApp { app in
            try await Open311Client.seed(app)
            for (language, name) in [("en", "Cattle"), ("zh-CN", "牛")] {
                let definition = try Open311Client.xml(
                    try await Open311Client.get(app, "/open311/v2/services/TWN-LIVESTOCK.xml", language: language))
                let animal = try #require(
                    definition.child("attributes")?.children.first { $0.value("code") == "animal" })
                #expect(animal.child("values")?.children.first?.value("key") == "牛")
                #expect(animal.child("values")?.children.first?.value("name") == name)
            }
        }
    }

    @Test("the admin form shows a question's English choices, one a line, and saves them back unchanged")
    func adminForm() async throws {
        try await withApp { app in
            try await CasePagesTests.prepare(app)
            let admin = try await Browser(app, language: "en").signedIn("county_admin")
            let page = try await admin.get("/categories/PET-APPEAL").body.string
            #expect(page.contains("name=\"q1_choices_en\""))
            #expect(page.contains(CasePagesTests.text(app, "case_pages.field.choices_en", [:], .en)))
            #expect(page.contains("No\nYes, answered\nYes, no answer yet</textarea>"))
            #expect(page.contains("否\n是，已答复\n是，未答复</textarea>"))

            let demo = try #require(DemoCategories.all.first { $0.code == "PET-APPEAL" })
            var form = CategoryPages.form(of: demo)
            form["county"] = Fixture.county
            form["q1_choices_en"] = "No\r\nYes, answered\r\nYes, still waiting"
            let saved = try await admin.post("/categories", form)
            #expect(saved.status == .seeOther)
            let record = try #require(
                try await CategoryRecord.query(on: app.db).filter(\.$code == "PET-APPEAL").first())
            #expect(record.questions.first?.choices == demo.questions.first?.choices)
            #expect(record.questions.first?.choicesEn == ["No", "Yes, answered", "Yes, still waiting"])

            form["q1_choices_en"] = "No\nYes"
            let refused = try await admin.post("/categories", form)
            #expect(refused.status == .unprocessableEntity)
            let body = refused.body.string
            #expect(body.contains(CasePagesTests.text(app, "category.error.choices_en", [:], .en)))
            #expect(body.contains("No\nYes</textarea>"))
        }
    }

    @Test("the API shows and keeps English choices, and takes an answer by its English label")
    func api() async throws {
        try await withApp { app in
            try await CasePagesTests.prepare(app)
            let api = APIClient(app: app)
            let tree = try await api.get("/api/v1/categories", as: "grid_worker")
            let tops = try #require(
                try JSONSerialization.jsonObject(with: Data(tree.body.string.utf8)) as? [[String: Any]])
            let livestock = try #require(
                tops.flatMap { $0["subcategories"] as? [[String: Any]] ?? [] }.first {
                    $0["code"] as? String == "TWN-LIVESTOCK"
                })
            let question = try #require((livestock["questions"] as? [[String: Any]])?.first)
            #expect(question["choices_en"] as? [String] == ["Cattle", "Sheep or goats", "Pigs", "Horses", "Other"])

            let created = try await api.post(
                "/api/v1/cases",
                ["category": "TWN-LIVESTOCK", "description": "村口有几头牛在公路上游荡", "answers": ["animal": "Horses"]],
                as: "grid_worker")
            #expect(created.status == .created)
            #expect((created.json["answers"] as? [String: String]) == ["animal": "马"])

            let well: [String: Any] = [
                "code": "FAC-WELL", "parent": "FAC", "name_zh": "水井损坏", "name_en": "Well damage",
                "deadline_hours": 72,
                "questions": [
                    [
                        "key": "use", "label_zh": "用途", "label_en": "Use", "kind": "choice",
                        "choices": ["饮用", "灌溉"], "choices_en": ["Drinking", "Irrigation"],
                    ]
                ],
            ]
            let saved = try await api.post("/api/v1/categories", well, as: "county_admin")
            #expect(saved.status == .created)
            let savedQuestion = try #require((saved.json["questions"] as? [[String: Any]])?.first)
            #expect(savedQuestion["choices_en"] as? [String] == ["Drinking", "Irrigation"])
            var mismatched = well
            mismatched["questions"] = [
                [
                    "key": "use", "label_zh": "用途", "label_en": "Use", "kind": "choice", "choices": ["饮用", "灌溉"],
                    "choices_en": ["Drinking"],
                ]
            ]
            let refused = try await api.post("/api/v1/categories", mismatched, as: "county_admin")
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.detailFields == ["questions.1.choices_en"])
        }
    }
}
