import Fluent
import SQLKit
import YunweiDomain

/// The statistics' running sums 统计汇总: for every unit (county, township, village), category and
/// Shanghai month of reporting, how many cases were collected and how many of them are now
/// resolved, resolved on time, handled (with their total handling seconds), given feedback and
/// satisfied. A county dashboard then reads a few hundred sums instead of a million cases.
///
/// The sums are kept by the database itself: triggers on `cases` take away what a case counted
/// for before a change and add what it counts for after, in the same transaction as the change,
/// whoever writes — the case desk, the jobs, Open311, the demo's bulk load. Each case counts in
/// five cells: its county, township and village by its category, and its township and village
/// over all categories (category 0). "Overdue now" depends on the clock, so it is never summed
/// here but counted from the cases when asked.
///
/// The definitions are written once, in `CaseStatSQL`, for the triggers, the backfill and the
/// direct count of part months alike.
enum CaseStatSQL {
    static let table = "case_stat_cells"
    static let sums = ["collected", "resolved", "on_time", "handling_seconds", "handled", "feedback", "satisfied"]

    static let resolvedStates = [CaseState.resolved, .closed].map { "'\($0.rawValue)'" }.joined(separator: ", ")
    static let runningStates = CaseState.allCases.filter(\.runsAgainstDeadline).map { "'\($0.rawValue)'" }
        .joined(separator: ", ")
    /// Running cases, word for word as the partial indexes say it, so that both databases use them.
    static let runningCondition = "state IN (\(runningStates))"

    /// The figures one case row (`row` is its alias, `NEW` or `OLD` in a SQLite trigger) adds to
    /// its cells, as SQL expressions in the order of `sums`.
    static func figures(of row: String, sqlite: Bool) -> [String] {
        func column(_ name: String) -> String { "\(row).\(name)" }
        let resolved = "\(column("state")) IN (\(resolvedStates))"
        let onTime =
            "\(resolved) AND (\(column("deadline_at")) IS NULL OR \(column("resolved_at")) <= \(column("deadline_at")))"
        let handled = "\(resolved) AND \(column("resolved_at")) IS NOT NULL AND \(column("dispatched_at")) IS NOT NULL"
        // SQLite keeps a `.datetime` as seconds since 1970, PostgreSQL as a timestamptz.
        let difference =
            sqlite
            ? "(\(column("resolved_at")) - \(column("dispatched_at")))"
            : "EXTRACT(EPOCH FROM (\(column("resolved_at")) - \(column("dispatched_at"))))"
        let satisfied = sqlite ? "\(column("satisfied")) = 1" : "\(column("satisfied"))"
        func flag(_ condition: String) -> String { "CASE WHEN \(condition) THEN 1 ELSE 0 END" }
        return [
            "1", flag(resolved), flag(onTime),
            "CASE WHEN \(handled) THEN CAST(ROUND(\(difference)) AS BIGINT) ELSE 0 END",
            flag(handled), flag("\(column("satisfied")) IS NOT NULL"), flag(satisfied),
        ]
    }

    /// The Shanghai month a case was reported in, as `202603`. Shanghai has kept UTC+8 all year
    /// since 1991, so for SQLite's seconds a fixed offset is exact.
    static func month(of row: String, sqlite: Bool) -> String {
        sqlite
            ? "CAST(strftime('%Y%m', \(row).reported_at + 28800, 'unixepoch') AS INTEGER)"
            : "CAST(to_char(\(row).reported_at AT TIME ZONE 'Asia/Shanghai', 'YYYYMM') AS INTEGER)"
    }

    /// The five cells of each row of `source` (`FROM new_rows c`, or empty for SQLite's `NEW`),
    /// each figure times `sign`.
    static func cells(of row: String, from source: String, sign: String, sqlite: Bool) -> [String] {
        let values = figures(of: row, sqlite: sqlite).enumerated().map { index, figure in
            "\(sign) * (\(figure)) AS \(sums[index])"
        }.joined(separator: ", ")
        let month = month(of: row, sqlite: sqlite)
        return [
            ("county_id", "\(row).category_id"), ("township_id", "\(row).category_id"), ("township_id", "0"),
            ("village_id", "\(row).category_id"), ("village_id", "0"),
        ].map { unit, category in
            "SELECT \(row).\(unit) AS unit_id, \(category) AS category_id, \(month) AS month, \(values) \(source)"
        }
    }

    /// Adds the cells of `selects` (unioned) to the sums. Rows are written in key order, so that
    /// two transactions updating the same cells always lock them in the same order.
    static func upsert(_ selects: [String]) -> String {
        let keys = "unit_id, category_id, month"
        return """
            INSERT INTO \(table) (\(keys), \(sums.joined(separator: ", ")))
            SELECT \(keys), \(sums.map { "SUM(\($0))" }.joined(separator: ", "))
            FROM (\(selects.joined(separator: " UNION ALL "))) AS changes
            WHERE true GROUP BY \(keys) ORDER BY \(keys)
            ON CONFLICT (\(keys)) DO UPDATE SET \(sums.map { "\($0) = \(table).\($0) + excluded.\($0)" }.joined(separator: ", "))
            """
    }

    /// The columns whose change can move a case between cells or change what it counts for.
    static let watchedColumns = [
        "state", "reported_at", "dispatched_at", "resolved_at", "deadline_at", "satisfied", "category_id",
        "county_id", "township_id", "village_id",
    ]
}

/// Creates the running sums of `CaseStatSQL`, fills them from the cases already there, and
/// installs the triggers that keep them; plus the indexes the direct counts use: part months by
/// `(unit, reported_at)` (covering, for counties), overdue cases by a partial index of the
/// running ones.
struct CreateCaseStatCells: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database.sql
        let sqlite = database.isSQLite
        let table = CaseStatSQL.table
        let create = """
            CREATE TABLE \(table) (unit_id INTEGER NOT NULL, category_id INTEGER NOT NULL, month INTEGER NOT NULL,
              collected INTEGER NOT NULL, resolved INTEGER NOT NULL, on_time INTEGER NOT NULL,
              handling_seconds BIGINT NOT NULL, handled INTEGER NOT NULL, feedback INTEGER NOT NULL,
              satisfied INTEGER NOT NULL, PRIMARY KEY (unit_id, category_id, month))
            """
        let backfill = CaseStatSQL.upsert(CaseStatSQL.cells(of: "c", from: "FROM cases c", sign: "1", sqlite: sqlite))
        let watched = CaseStatSQL.watchedColumns.joined(separator: ", ")
        let statements: [String]
        if sqlite {
            let added = CaseStatSQL.cells(of: "NEW", from: "", sign: "1", sqlite: true)
            let removed = CaseStatSQL.cells(of: "OLD", from: "", sign: "-1", sqlite: true)
            statements = [
                "CREATE TRIGGER \(table)_insert AFTER INSERT ON cases BEGIN \(CaseStatSQL.upsert(added)); END",
                "CREATE TRIGGER \(table)_update AFTER UPDATE OF \(watched) ON cases BEGIN \(CaseStatSQL.upsert(removed + added)); END",
                "CREATE TRIGGER \(table)_delete AFTER DELETE ON cases BEGIN \(CaseStatSQL.upsert(removed)); END",
            ]
        } else {
            // Statement triggers with transition tables: a bulk insert of 500 cases is one upsert.
            let added = CaseStatSQL.cells(of: "c", from: "FROM new_rows c", sign: "1", sqlite: false)
            let removed = CaseStatSQL.cells(of: "o", from: "FROM old_rows o", sign: "-1", sqlite: false)
            func function(_ name: String, _ selects: [String]) -> String {
                """
                CREATE FUNCTION \(table)_\(name)() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN \(CaseStatSQL.upsert(selects)); RETURN NULL; END $$
                """
            }
            statements = [
                function("insert", added), function("update", removed + added), function("delete", removed),
                "CREATE TRIGGER \(table)_insert AFTER INSERT ON cases REFERENCING NEW TABLE AS new_rows "
                    + "FOR EACH STATEMENT EXECUTE FUNCTION \(table)_insert()",
                "CREATE TRIGGER \(table)_update AFTER UPDATE ON cases REFERENCING OLD TABLE AS old_rows "
                    + "NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION \(table)_update()",
                "CREATE TRIGGER \(table)_delete AFTER DELETE ON cases REFERENCING OLD TABLE AS old_rows "
                    + "FOR EACH STATEMENT EXECUTE FUNCTION \(table)_delete()",
            ]
        }
        for statement in [create, backfill] + statements + [
            "CREATE INDEX cases_township_reported_at ON cases (township_id, reported_at)",
            "CREATE INDEX cases_village_reported_at ON cases (village_id, reported_at)",
            // A county's part months read from the index alone: every column their count needs.
            "CREATE INDEX cases_county_stats ON cases (county_id, reported_at, township_id, category_id, state, "
                + "deadline_at, resolved_at, dispatched_at, satisfied)",
            // Only the cases that can be overdue, with every column the overdue count reads.
            "CREATE INDEX cases_running_deadline ON cases "
                + "(deadline_at, county_id, township_id, village_id, category_id, reported_at) "
                + "WHERE state IN (\(CaseStatSQL.runningStates))",
        ] {
            try await sql.raw(SQLQueryString(statement)).run()
        }
    }

    func revert(on database: any Database) async throws {
        let table = CaseStatSQL.table
        for name in ["insert", "update", "delete"] {
            let trigger = "DROP TRIGGER IF EXISTS \(table)_\(name)" + (database.isSQLite ? "" : " ON cases")
            try await database.sql.raw(SQLQueryString(trigger)).run()
            if !database.isSQLite {
                let function = "DROP FUNCTION IF EXISTS \(table)_\(name)()"
                try await database.sql.raw(SQLQueryString(function)).run()
            }
        }
        for statement in [
            "DROP INDEX IF EXISTS cases_township_reported_at", "DROP INDEX IF EXISTS cases_village_reported_at",
            "DROP INDEX IF EXISTS cases_running_deadline", "DROP INDEX IF EXISTS cases_county_stats",
            "DROP TABLE IF EXISTS " + table,
        ] {
            try await database.sql.raw(SQLQueryString(statement)).run()
        }
    }
}
