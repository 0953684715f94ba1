import Foundation
import Testing

@testable import YunweiDomain

@Suite("Voucher export 记账凭证")
struct VoucherSheetTests {
    let village = LedgerFixtures.village

    func entries() throws -> [LedgerEntry] {
        let at = LedgerFixtures.at
        return [
            try LedgerEntry.claimPosting(
                claim: 1, village: village, category: .infrastructure, amount: Money(fen: 120_050),
                date: at("2026-01-20T06:00:00Z"), memo: "修补村道坑洼"),
            try LedgerEntry.disbursement(
                village: village, amount: Money(yuan: 10_000), date: at("2026-01-10T02:00:00Z"), disbursement: 1,
                memo: "拨付运维补助资金"),
            try LedgerEntry.claimPosting(
                claim: 2, village: village, category: .life, amount: Money(yuan: 800), date: at("2026-01-31T17:00:00Z"),
                memo: "农家书屋图书"),
            try LedgerEntry.disbursement(
                village: LedgerFixtures.neighbour, amount: Money(yuan: 6_000), date: at("2026-01-15T02:00:00Z"),
                disbursement: 2, memo: "拨付运维补助资金"),
        ]
    }

    @Test("a village's vouchers list only its own lines, numbered afresh each Shanghai month")
    func villageVouchers() throws {
        let rows = VoucherSheet.rows(of: try entries(), in: village, accountName: LedgerFixtures.zhName)
        #expect(
            rows == [
                ["凭证号", "日期", "摘要", "科目代码", "科目名称", "借方", "贷方"],
                ["记-001", "2026-01-10", "拨付运维补助资金", "102", "银行存款", "10000.00", ""],
                ["记-001", "2026-01-10", "拨付运维补助资金", "241", "专项应付款—运行维护补助资金", "", "10000.00"],
                ["记-002", "2026-01-20", "修补村道坑洼", "55101", "其他支出—基础设施和环境", "1200.50", ""],
                ["记-002", "2026-01-20", "修补村道坑洼", "102", "银行存款", "", "1200.50"],
                ["记-002", "2026-01-20", "修补村道坑洼", "241", "专项应付款—运行维护补助资金", "1200.50", ""],
                ["记-002", "2026-01-20", "修补村道坑洼", "522", "补助收入", "", "1200.50"],
                ["记-001", "2026-02-01", "农家书屋图书", "55103", "其他支出—农村生活服务", "800.00", ""],
                ["记-001", "2026-02-01", "农家书屋图书", "102", "银行存款", "", "800.00"],
                ["记-001", "2026-02-01", "农家书屋图书", "241", "专项应付款—运行维护补助资金", "800.00", ""],
                ["记-001", "2026-02-01", "农家书屋图书", "522", "补助收入", "", "800.00"],
            ])
    }

    @Test("each exported voucher balances by itself")
    func vouchersBalance() throws {
        let rows = VoucherSheet.rows(of: try entries(), in: village, accountName: LedgerFixtures.zhName).dropFirst()
        let byVoucher = Dictionary(grouping: rows) { "\($0[1]) \($0[0])" }
        #expect(byVoucher.count == 3)
        for lines in byVoucher.values {
            let debits = lines.compactMap { Money(yuan: $0[5]) }.reduce(.zero, +)
            let credits = lines.compactMap { Money(yuan: $0[6]) }.reduce(.zero, +)
            #expect(debits == credits)
        }
    }

    @Test("the county's vouchers carry the pool side of disbursements, without village chart codes")
    func countyVouchers() throws {
        let rows = VoucherSheet.rows(of: try entries(), in: LedgerFixtures.county, accountName: LedgerFixtures.zhName)
        #expect(rows.count == 1 + 4)
        #expect(rows[1] == ["记-001", "2026-01-10", "拨付运维补助资金", "", "已拨付村级补助资金", "10000.00", ""])
        #expect(rows[2] == ["记-001", "2026-01-10", "拨付运维补助资金", "", "县级补助资金池", "", "10000.00"])
        #expect(rows[3][0] == "记-002")
    }

    @Test("a unit without entries gets the header alone")
    func emptyExport() throws {
        #expect(
            VoucherSheet.rows(of: try entries(), in: LedgerFixtures.quietVillage, accountName: LedgerFixtures.zhName)
                == [VoucherSheet.header])
    }
}
