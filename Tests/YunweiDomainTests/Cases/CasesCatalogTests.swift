import Foundation
import Testing
import YunweiDomain

/// Every text the case domain names — states, actions, priorities, handler and question kinds,
/// refusals and issues — is in `cases-domain.json` in both languages with the same placeholders,
/// the file holds nothing else and repeats no key of another catalog file, and every placeholder
/// of a raised refusal or issue is among its arguments.
@Suite("The case domain's texts")
struct CasesCatalogTests {
    /// The package's root, four levels above this file.
    private static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    private static let folder = root.appendingPathComponent("Resources/Localization")
    private static let fileName = "cases-domain.json"

    private typealias Texts = [String: [String: String]]

    private func catalog(_ name: String = fileName) throws -> Texts {
        try JSONDecoder().decode(Texts.self, from: Data(contentsOf: Self.folder.appendingPathComponent(name)))
    }

    /// The `"case.…"`, `"category.…"` and `"photo.…"` literals of the case sources.
    private var keysInSources: Set<String> {
        get throws {
            let folder = Self.root.appendingPathComponent("Sources/YunweiDomain/Cases")
            let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            let literal = /"((?:case|category|photo)\.[a-z_]+\.[a-z0-9_]+)"/
            return try Set(
                files.filter { $0.pathExtension == "swift" }.flatMap { file in
                    try String(contentsOf: file, encoding: .utf8).matches(of: literal).map { String($0.1) }
                })
        }
    }

    private var namedKeys: Set<String> {
        var keys = Set(CaseState.allCases.map { "case_state.\($0.rawValue)" })
        keys.formUnion(CaseAction.allCases.map { "case_action.\($0.rawValue)" })
        keys.formUnion(CasePriority.allCases.map { "priority.\($0.rawValue)" })
        keys.formUnion(["village", "township", "department"].map { "category_handler.\($0)" })
        keys.formUnion(CategoryQuestion.Kind.allCases.map { "question_kind.\($0.rawValue)" })
        return keys
    }

    /// Refusals and issues that between them raise every key of the sources.
    private var raised: [(key: String, args: [String: String])] {
        let now = Date(timeIntervalSince1970: 0)
        let bureau = UnitCode("510121900001")!
        let contexts = [
            TransitionContext(now: now),
            TransitionContext(now: now, handler: bureau),
            TransitionContext(now: now, handler: bureau, deadline: now),
            TransitionContext(now: now, handler: bureau, currentHandler: bureau),
            TransitionContext(now: now, resolvedAt: now.addingTimeInterval(-30 * 24 * 3600)),
        ]
        let refusals = CaseState.allCases.flatMap { state in
            CaseAction.allCases.flatMap { action in
                contexts.compactMap { context -> CaseRefusal? in
                    if case .failure(let refusal) = CaseMachine.transition(from: state, action, context: context) {
                        return refusal
                    }
                    return nil
                }
            }
        }
        let question = CategoryQuestion(
            key: "Bad Key", labelZh: "", labelEn: "x", kind: .choice, choices: ["一"], choicesEn: ["One", "Two"])
        let broken = CaseCategory(
            code: "x", parentCode: nil, nameZh: String(repeating: "名", count: 51), nameEn: "", defaultHandler: nil,
            deadlineHours: 0, priority: .low, isPrivate: false, questions: Array(repeating: question, count: 11))
        let orphan = CaseCategory(
            code: "PET-XY1", parentCode: "PET-XY", nameZh: "a", nameEn: "a", defaultHandler: nil, deadlineHours: 1,
            priority: .low, isPrivate: false)
        var top = orphan
        top.code = "PET-XY"
        top.parentCode = nil
        let petition = DemoCategories.all.first { $0.code == "PET" }!
        var publicPetition = orphan
        publicPetition.parentCode = "PET"
        publicPetition.code = "PET-Y"
        let road = DemoCategories.all.first { $0.code == "FAC-ROAD" }!
        var answered = road
        answered.questions += [
            CategoryQuestion(key: "kind", labelZh: "类型", labelEn: "Kind", kind: .choice, choices: ["甲", "乙"]),
            CategoryQuestion(key: "note", labelZh: "说明", labelEn: "Note", kind: .text),
        ]
        var grandchild = orphan
        grandchild.code = "FAC-ROADX"
        grandchild.parentCode = "FAC-ROAD"
        let issues =
            broken.issues + top.issues + orphan.issues(among: [top, orphan]) + publicPetition.issues(among: [petition])
            + road.issues(among: []) + grandchild.issues(among: [road])
            + answered.validate(answers: ["area_m2": "x", "kind": "丙", "note": String(repeating: "字", count: 501)])
            + answered.validate(answers: ["other": "1"])
            + PhotoCheck.issues(
                for: Array(repeating: Data("x".utf8), count: 7) + [
                    Data([0xFF, 0xD8, 0xFF]) + Data(count: PhotoCheck.maxBytes)
                ])
        return refusals.map { ($0.key, $0.args) } + issues.map { ($0.key, $0.args) }
    }

    @Test("every key the case domain names or raises is in the catalog, in both languages, and no other")
    func complete() throws {
        let catalog = try catalog()
        let sourceKeys = try keysInSources
        #expect(sourceKeys.count > 30)
        #expect(Set(catalog.keys) == namedKeys.union(sourceKeys))
        let placeholder = /\{([a-z_]+)\}/
        for (key, texts) in catalog {
            #expect(Set(texts.keys) == ["zh-Hans", "en"], "\(key)")
            #expect(texts.values.allSatisfy { !$0.isEmpty }, "\(key)")
            let names = texts.mapValues { Set($0.matches(of: placeholder).map { String($0.1) }) }
            #expect(names["zh-Hans"] == names["en"], "\(key)")
        }
    }

    @Test("these refusals and issues raise every key of the sources")
    func everyKeyRaised() throws {
        let sources = try keysInSources
        let raisedKeys = Set(raised.map(\.key))
        #expect(sources.subtracting(raisedKeys).isEmpty, "never raised: \(sources.subtracting(raisedKeys).sorted())")
        #expect(raisedKeys.subtracting(sources).isEmpty, "not in sources: \(raisedKeys.subtracting(sources).sorted())")
    }

    @Test("every placeholder of a raised text is among its arguments; arguments that are keys exist")
    func placeholders() throws {
        let catalog = try catalog()
        let placeholder = /\{([a-z_]+)\}/
        for (key, args) in raised {
            for text in catalog[key]?.values.map({ $0 }) ?? [] {
                for match in text.matches(of: placeholder) {
                    #expect(args[String(match.1)] != nil, "\(key) lacks {\(match.1)}")
                }
            }
            for value in args.values where value.hasPrefix("case_state.") || value.hasPrefix("case_action.") {
                #expect(catalog[value] != nil, "\(value)")
            }
        }
    }

    @Test("no key repeats one of another catalog file: the server refuses to start on a duplicate")
    func noDuplicates() throws {
        let ours = Set(try catalog().keys)
        let others = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
            .filter { $0.hasSuffix(".json") && $0 != Self.fileName }
        #expect(!others.isEmpty)
        for file in others {
            let shared = ours.intersection(try catalog(file).keys)
            #expect(shared.isEmpty, "\(file): \(shared.sorted())")
        }
    }
}
