import Foundation
import Vapor
import YunweiDomain

/// The request and response bodies of the allocation API (`/api/v1/allocations`): plain values
/// with snake_case keys, never the Fluent models. Money is whole fen; weights are decimals as
/// sent; shares are decimal texts with six places, so that no client rounds them through a float.
enum AllocationAPIDTO {
    /// `POST /api/v1/allocations`.
    struct CreateInput: Content {
        var year: Int?
        var pool: Int64?
        var base: Int64?
        /// Decimals by factor name, decoded without passing through `Double`.
        var weights: [String: Decimal]?
        /// The county's code, needed only by an admin of several counties.
        var county: String?
    }

    /// One factor of a village's row: its value as counted, how a person reads it, the share
    /// used, and the money it gives the village before rounding.
    struct Factor: Content {
        let value: Int64
        let text: String
        let share: String
        let contribution: String
    }

    /// One village's row.
    struct Row: Content {
        let unit: String
        let name: String
        let amount: Int64
        /// The amount before rounding, in yuan with eight decimals.
        let unrounded: String
        /// Whether the village got one of the fen left over by rounding.
        let remainderFen: Bool
        let factors: [String: Factor]

        enum CodingKeys: String, CodingKey {
            case unit, name, amount, unrounded, factors
            case remainderFen = "remainder_fen"
        }
    }

    /// How one factor was shared: the column heading of the table.
    struct Column: Content {
        let factor: String
        let weight: Decimal
        let rule: String
        let total: Int64
        let largest: Int64?
    }

    /// One version of a year's allocation with its table.
    struct Allocation: Content {
        let id: Int
        let county: String
        let year: Int
        let version: Int
        let status: String
        let pool: Int64
        let base: Int64
        let shared: Int64
        let weights: [String: Decimal]
        let reason: String?
        let revises: Int?
        let createdAt: Date
        let approvedAt: Date?
        let publishedAt: Date?
        let columns: [Column]
        let rows: [Row]

        enum CodingKeys: String, CodingKey {
            case id, county, year, version, status, pool, base, shared, weights, reason, revises, columns, rows
            case createdAt = "created_at"
            case approvedAt = "approved_at"
            case publishedAt = "published_at"
        }

        init(_ loaded: AllocationDesk.Loaded) throws {
            let record = loaded.record
            let allocation = loaded.version.allocation
            id = try record.requireID()
            county = loaded.county.code
            year = record.year
            version = record.version
            status = record.status
            pool = allocation.pool.fen
            base = allocation.base.fen
            shared = allocation.sharedByFactors.fen
            weights = Dictionary(
                uniqueKeysWithValues: AllocationFactor.allCases.map {
                    ($0.rawValue, Decimal(string: allocation.weights.text(of: $0)) ?? 0)
                })
            reason = record.reason
            revises = record.$revises.id
            createdAt = record.createdAt
            approvedAt = record.approvedAt
            publishedAt = record.publishedAt
            columns = allocation.columns.map {
                Column(
                    factor: $0.factor.rawValue, weight: Decimal(string: allocation.weights.text(of: $0.factor)) ?? 0,
                    rule: $0.rule.rawValue, total: $0.total, largest: $0.largest)
            }
            rows = allocation.rows.map { row in
                Row(
                    unit: row.unit.rawValue, name: loaded.names[row.unit] ?? "", amount: row.amount.fen,
                    unrounded: row.explanation.unroundedYuanText, remainderFen: row.explanation.receivedRemainderFen,
                    factors: Dictionary(
                        uniqueKeysWithValues: row.explanation.lines.map { line in
                            (
                                line.factor.rawValue,
                                Factor(
                                    value: line.value, text: line.factor.text(of: line.value),
                                    share: line.share.decimalText, contribution: line.contribution.yuanText)
                            )
                        }))
            }
        }
    }
}
