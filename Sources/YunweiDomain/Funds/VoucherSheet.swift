import Foundation

/// 记账凭证 export — the entries of one unit's books as voucher rows for the township's village
/// bookkeeping software: a header, then one row per line. The server writes them as CSV.
///
/// Only the lines in the unit's books are listed, which balance by themselves (`LedgerEntry`
/// guarantees it), so a disbursement appears in the village's vouchers as Dr 102, Cr 241 and in
/// the county's as Dr disbursed, Cr pool. Vouchers are numbered 记-001, 记-002, … afresh each
/// Shanghai month, in posting order; the numbers stay as exported as long as nothing is posted
/// into a month already exported.
///
/// The header is the import format's, in Chinese whatever the reader's language; account names
/// come from the caller, which resolves `ledger_account.<kind>` in the zh-Hans catalog.
public enum VoucherSheet {
    /// 凭证号, 日期, 摘要, 科目代码, 科目名称, 借方, 贷方.
    public static let header = ["凭证号", "日期", "摘要", "科目代码", "科目名称", "借方", "贷方"]

    /// The header and the rows of `unit`'s vouchers among `entries`. Dates are `yyyy-MM-dd`,
    /// amounts yuan with two decimals (`1234.50`), the side without an amount empty.
    public static func rows(
        of entries: [LedgerEntry], in unit: UnitCode, accountName: (LedgerAccount) -> String
    ) -> [[String]] {
        var rows = [header]
        var month: (year: Int, month: Int)?
        var number = 0
        for entry in LedgerStatement.inPostingOrder(entries) {
            let lines = entry.lines.filter { $0.account.unit == unit }
            guard !lines.isEmpty else { continue }
            let date = entry.accountingDate
            if month.map({ $0 != (date.year, date.month) }) ?? true {
                month = (date.year, date.month)
                number = 0
            }
            number += 1
            let voucher = String(format: "记-%03d", number)
            for line in lines {
                rows.append([
                    voucher, date.description, entry.memo, line.account.chartCode ?? "", accountName(line.account),
                    line.side == .debit ? line.amount.yuanString : "",
                    line.side == .credit ? line.amount.yuanString : "",
                ])
            }
        }
        return rows
    }
}
