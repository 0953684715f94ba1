import Foundation
import Testing

@testable import YunweiDomain

@Suite("Chart of accounts")
struct AccountChartTests {
    @Test("an account's key names its level, unit and kind, and reads back")
    func keysRoundTrip() throws {
        let bank = LedgerAccount.bank(of: LedgerFixtures.village)
        #expect(bank.rawValue == "village:510121100201:bank")
        #expect(LedgerAccount.pool(of: LedgerFixtures.county).rawValue == "county:510121000000:pool")
        for kind in AccountKind.allCases {
            let unit = kind.level == .county ? LedgerFixtures.county : LedgerFixtures.village
            let account = LedgerAccount(kind, of: unit)
            #expect(LedgerAccount(rawValue: account.rawValue) == account)
        }
        let encoded = try JSONEncoder().encode([bank])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["village:510121100201:bank"]"#)
    }

    @Test("a key at the wrong level, of an unknown kind or with a bad code is not an account")
    func badKeys() {
        #expect(LedgerAccount(rawValue: "county:510121100201:bank") == nil)
        #expect(LedgerAccount(rawValue: "village:510121100201:pool") == nil)
        #expect(LedgerAccount(rawValue: "village:510121100201:petty_cash") == nil)
        #expect(LedgerAccount(rawValue: "village:5101211002:bank") == nil)
        #expect(LedgerAccount(rawValue: "village:510121100201:bank:extra") == nil)
    }

    @Test("village accounts carry their code in the village collective chart, county accounts none")
    func chartCodes() {
        #expect(AccountKind.cash.chartCode == "101")
        #expect(AccountKind.bank.chartCode == "102")
        #expect(AccountKind.payable.chartCode == "202")
        #expect(AccountKind.specialPayable.chartCode == "241")
        #expect(AccountKind.subsidyIncome.chartCode == "522")
        #expect(
            SpendingCategory.allCases.map { AccountKind(expenseFor: $0).chartCode! }.allSatisfy { $0.hasPrefix("551") })
        #expect(AccountKind.allCases.filter { $0.level == .county }.allSatisfy { $0.chartCode == nil })
    }

    @Test("every spending category has its own expense account, and knows it back")
    func expenseAccounts() {
        let kinds = SpendingCategory.allCases.map(AccountKind.init(expenseFor:))
        #expect(Set(kinds).count == SpendingCategory.allCases.count)
        #expect(kinds.map(\.category) == SpendingCategory.allCases.map(Optional.some))
    }

    @Test("assets and expenses are debit-normal, sources, liabilities and income credit-normal")
    func normalSides() {
        let credit: Set<AccountKind> = [.fund, .payable, .specialPayable, .subsidyIncome]
        for kind in AccountKind.allCases {
            #expect(kind.normalSide == (credit.contains(kind) ? .credit : .debit))
        }
    }

    @Test("a village's county is its code's first six digits")
    func countyOfVillage() {
        #expect(LedgerAccount.county(of: LedgerFixtures.village) == LedgerFixtures.county)
    }
}
