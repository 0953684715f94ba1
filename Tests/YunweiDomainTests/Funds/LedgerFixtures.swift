import Foundation

@testable import YunweiDomain

/// Units, instants and the catalog shared by the ledger tests.
enum LedgerFixtures {
    static let county = UnitCode("510121000000")!
    static let village = UnitCode("510121100201")!
    static let neighbour = UnitCode("510121100202")!
    static let quietVillage = UnitCode("510121100203")!

    /// An instant written in ISO 8601, `2026-01-31T17:00:00Z`.
    static func at(_ text: String) -> Date {
        try! Date(text, strategy: .iso8601)
    }

    /// A Shanghai day, `2026-02-01`.
    static func day(_ text: String) -> StatisticsPeriod.Day {
        StatisticsPeriod.Day(text)!
    }

    /// `Resources/Localization/funds-ledger.json` at the package root: key → language → text.
    static let catalog: [String: [String: String]] = {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let data = try! Data(contentsOf: root.appendingPathComponent("Resources/Localization/funds-ledger.json"))
        return try! JSONDecoder().decode([String: [String: String]].self, from: data)
    }()

    /// The zh-Hans name of an account, as the server resolves it for vouchers.
    static func zhName(_ account: LedgerAccount) -> String {
        catalog[account.nameKey]?["zh-Hans"] ?? account.nameKey
    }
}

extension LedgerEntry {
    /// The balance change of `account` in this entry alone.
    func change(of account: LedgerAccount) -> Money {
        lines.filter { $0.account == account }.reduce(.zero) { $0 + $1.balanceChange }
    }
}
