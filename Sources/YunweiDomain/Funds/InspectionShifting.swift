extension InspectionRule {
    /// R8 转嫁 — claims posted in the period that carry costs of government onto the villages'
    /// fund: a payee that is a government body (`R8.government_payee`), or a purpose naming an
    /// office cost from `officeCostKeywords` (`R8.office_cost`). One finding a claim, for the
    /// whole claim.
    public static func shiftedCosts(_ facts: InspectionFacts, _ settings: InspectionSettings)
        -> [InspectionFinding]
    {
        let (start, end) = (facts.period.start, facts.period.end)
        let keywords = InspectionKeywords(settings.officeCostKeywords)
        var findings: [InspectionFinding] = []
        for claim in facts.claims where claim.isPosted(from: start, to: end) {
            var args: [String: String] = [:]
            let key: String
            if claim.payee.kind == .government {
                key = "inspection.finding.R8.government_payee"
            } else if let keyword = keywords.first(in: claim.purpose) {
                key = "inspection.finding.R8.office_cost"
                args["keyword"] = keyword
                args["purpose"] = claim.purpose
            } else {
                continue
            }
            args.merge(
                [
                    "village": claim.village.rawValue, "claim": String(claim.id), "payee": claim.payee.name,
                    "amount": claim.amount.formatted,
                ]
            ) { $1 }
            findings.append(
                InspectionFinding(
                    rule: .shifting, village: claim.village, amount: claim.amount, evidence: [.claim(claim.id)],
                    message: InspectionText(key, args)))
        }
        return findings.sorted(by: InspectionRule.villageThenEvidence)
    }
}

/// Finds the first of some words in a text by comparing UTF-8 bytes: Chinese words have one
/// encoding, and a million purposes are searched without building a string.
struct InspectionKeywords {
    private let words: [(text: String, bytes: [UInt8])]

    init(_ words: [String]) {
        self.words = words.filter { !$0.isEmpty }.map { ($0, Array($0.utf8)) }
    }

    /// The first word, in the order given, that occurs in `text`.
    func first(in text: String) -> String? {
        guard !words.isEmpty else { return nil }
        var text = text
        return text.withUTF8 { bytes in
            for word in words where Self.occurs(word.bytes, in: bytes) { return word.text }
            return nil
        }
    }

    private static func occurs(_ word: [UInt8], in text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard word.count <= text.count else { return false }
        let head = word[0]
        var index = 0
        let lastStart = text.count - word.count
        while index <= lastStart {
            if text[index] == head {
                var matched = 1
                while matched < word.count, text[index + matched] == word[matched] { matched += 1 }
                if matched == word.count { return true }
            }
            index += 1
        }
        return false
    }
}
