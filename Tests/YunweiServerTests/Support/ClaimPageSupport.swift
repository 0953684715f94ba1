import Testing
import VaporTesting

/// Checks of the claim pages that more than one suite makes (`ClaimPagesTests`, `ClaimEditTests`).
enum ClaimPageChecks {
    /// The catalog keys of the claim pages, their states, actions, duties, the navigation and
    /// forms, shown raw instead of their texts.
    static let rawKey = #"[>" ]((?:claim_pages|claim_state|claim_action|claim_duty|claim|nav|form)\.[a-z_.]+)"#

    /// `page` is in English: `lang="en"`, no raw catalog key, and not `chinese`, a text the
    /// Chinese page shows.
    static func expectEnglish(
        _ page: TestingHTTPResponse, without chinese: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let body = page.body.string
        #expect(body.contains("lang=\"en\""), sourceLocation: sourceLocation)
        let keys = CasePagesTests.matches(rawKey, in: body)
        #expect(keys.isEmpty, "\(keys)", sourceLocation: sourceLocation)
        #expect(!body.contains(chinese), "Chinese text on an English page", sourceLocation: sourceLocation)
    }
}
