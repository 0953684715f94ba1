import Foundation
import Vapor
import YunweiDomain

/// The request and response bodies of the ledger API: plain values with snake_case keys. Money is
/// whole fen; days are Shanghai days `YYYY-MM-DD`; instants are ISO 8601 UTC.
enum LedgerAPIDTO {
    /// `POST /api/v1/disbursements`.
    struct DisburseInput: Content {
        var allocation: Int?
        var village: String?
        /// Fen; nil: all that remains of the village's share.
        var amount: Int64?
        /// `YYYY-MM-DD`, Shanghai; nil: today.
        var date: String?
    }

    /// One line of an entry.
    struct Line: Content {
        let account: String
        let kind: String
        let chartCode: String?
        let debit: Int64
        let credit: Int64

        enum CodingKeys: String, CodingKey {
            case account, kind, debit, credit
            case chartCode = "chart_code"
        }
    }

    /// A stored entry, with the disbursement it was posted for.
    struct Entry: Content {
        let id: Int64
        let date: String
        let at: Date
        let memo: String
        let sourceKind: String
        let sourceID: Int64
        let disbursement: Int?
        let allocation: Int?
        let village: String?
        let amount: Int64
        let lines: [Line]

        enum CodingKeys: String, CodingKey {
            case id, date, at, memo, disbursement, allocation, village, amount, lines
            case sourceKind = "source_kind"
            case sourceID = "source_id"
        }

        init(_ entry: LedgerEntry, disbursement: DisbursementRecord? = nil) {
            id = entry.id ?? 0
            date = entry.accountingDate.description
            at = entry.date
            memo = entry.memo
            sourceKind = entry.source.kind.rawValue
            sourceID = entry.source.id
            self.disbursement = disbursement?.id
            allocation = disbursement?.$allocation.id
            village = entry.lines.first { $0.account.kind.level == .village }?.account.unit.rawValue
            // A disbursement's total debits count its amount twice, once in each book.
            amount = disbursement?.amountFen ?? entry.amount.fen
            lines = entry.lines.map {
                Line(
                    account: $0.account.rawValue, kind: $0.account.kind.rawValue, chartCode: $0.account.chartCode,
                    debit: $0.debit.fen, credit: $0.credit.fen)
            }
        }
    }

    /// One row of a statement.
    struct Row: Content {
        let entry: Int64?
        let date: String
        let memo: String
        let sourceKind: String
        let sourceID: Int64
        let debit: Int64
        let credit: Int64
        let balance: Int64

        enum CodingKeys: String, CodingKey {
            case entry, date, memo, debit, credit, balance
            case sourceKind = "source_kind"
            case sourceID = "source_id"
        }
    }

    /// 对账单 of a village's fund, its 241 专项应付款.
    struct Statement: Content {
        let village: String
        let name: String
        let account: String
        let chartCode: String?
        /// The first day of the period.
        let from: String
        /// The last day of the period, included.
        let to: String
        let opening: Int64
        let rows: [Row]
        /// 本期增加.
        let inflow: Int64
        /// 本期减少.
        let outflow: Int64
        let closing: Int64
        /// Open reservations at the end of the period.
        let reserved: Int64
        /// Closing less reserved, never negative.
        let available: Int64

        enum CodingKeys: String, CodingKey {
            case village, name, account, from, to, opening, rows, closing, reserved, available
            case chartCode = "chart_code"
            case inflow = "in"
            case outflow = "out"
        }

        init(_ statement: LedgerStatement, village: AdminUnit, through last: StatisticsPeriod.Day) {
            self.village = village.code
            name = village.name
            account = statement.account.rawValue
            chartCode = statement.account.chartCode
            from = statement.from.description
            to = last.description
            opening = statement.opening.fen
            rows = statement.rows.map {
                Row(
                    entry: $0.entryID, date: $0.accountingDate.description, memo: $0.memo,
                    sourceKind: $0.source.kind.rawValue, sourceID: $0.source.id, debit: $0.debit.fen,
                    credit: $0.credit.fen, balance: $0.balance.fen)
            }
            inflow = statement.inflow.fen
            outflow = statement.outflow.fen
            closing = statement.closing.fen
            reserved = statement.reserved.fen
            available = statement.available.fen
        }
    }
}

extension LedgerAPIDTO {
    /// One village's figures in a township summary, or the totals (without village).
    struct Figures: Content {
        let village: String?
        let name: String?
        let opening: Int64
        let inflow: Int64
        let outflow: Int64
        let closing: Int64
        let reserved: Int64
        let available: Int64

        enum CodingKeys: String, CodingKey {
            case village, name, opening, closing, reserved, available
            case inflow = "in"
            case outflow = "out"
        }

        init(_ figures: LedgerSummary.Figures, village: String? = nil, name: String? = nil) {
            self.village = village
            self.name = name
            opening = figures.opening.fen
            inflow = figures.inflow.fen
            outflow = figures.outflow.fen
            closing = figures.closing.fen
            reserved = figures.reserved.fen
            available = figures.available.fen
        }
    }

    /// `GET /api/v1/townships/{code}/summary`: 乡镇专账汇总.
    struct Summary: Content {
        let township: String
        let name: String
        /// The first day of the period.
        let from: String
        /// The last day of the period, included.
        let to: String
        let rows: [Figures]
        let total: Figures

        init(
            _ summary: LedgerSummary, township: AdminUnit, names: [UnitCode: String], through last: StatisticsPeriod.Day
        ) {
            self.township = township.code
            name = township.name
            from = summary.from.description
            to = last.description
            rows = summary.rows.map {
                Figures($0.figures, village: $0.village.rawValue, name: names[$0.village] ?? "")
            }
            total = Figures(summary.total)
        }
    }
}
