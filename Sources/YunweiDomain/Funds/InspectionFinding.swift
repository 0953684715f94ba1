/// One fault a self-inspection rule found in one village: how much money it concerns, the records
/// that show it, and a sentence of the catalog (`Resources/Localization/funds-inspection.json`) that explains it.
public struct InspectionFinding: Sendable, Hashable, Codable {
    public var rule: InspectionRule
    public var village: UnitCode
    public var amount: Money
    /// The records a reader opens to see the fault for themselves, the most telling first.
    public var evidence: [InspectionEvidence]
    public var message: InspectionText

    public init(
        rule: InspectionRule, village: UnitCode, amount: Money, evidence: [InspectionEvidence],
        message: InspectionText
    ) {
        self.rule = rule
        self.village = village
        self.amount = amount
        self.evidence = evidence
        self.message = message
    }
}

/// A reference to one record behind a finding.
public struct InspectionEvidence: Sendable, Hashable, Codable, CustomStringConvertible {
    public var kind: Kind
    public var id: Int64

    public init(kind: Kind, id: Int64) {
        self.kind = kind
        self.id = id
    }

    public static func allocation(_ id: Int64) -> InspectionEvidence { InspectionEvidence(kind: .allocation, id: id) }
    public static func disbursement(_ id: Int64) -> InspectionEvidence {
        InspectionEvidence(kind: .disbursement, id: id)
    }
    public static func claim(_ id: Int64) -> InspectionEvidence { InspectionEvidence(kind: .claim, id: id) }
    public static func invoice(_ id: Int64) -> InspectionEvidence { InspectionEvidence(kind: .invoice, id: id) }
    public static func posting(_ id: Int64) -> InspectionEvidence { InspectionEvidence(kind: .posting, id: id) }

    /// `claim:42` — how a reference is written in links and exports.
    public var description: String { "\(kind.rawValue):\(id)" }

    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case allocation
        case disbursement
        case claim
        case invoice
        case posting
    }
}

/// A sentence to show: a key of the catalog and its named arguments, already formatted (amounts
/// as `¥1,234.56`, days as `2026-03-31`), so either language reads the same figures.
public struct InspectionText: Sendable, Hashable, Codable {
    public var key: String
    public var args: [String: String]

    public init(_ key: String, _ args: [String: String] = [:]) {
        self.key = key
        self.args = args
    }
}
