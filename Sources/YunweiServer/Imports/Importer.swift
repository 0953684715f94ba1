import Fluent
import Vapor
import YunweiDomain

/// Loads the three CSV files (units, factor data, users) into the database. The domain reads
/// and checks the whole file first; a file with any issue is rejected whole, and a good file is
/// written in one transaction with an audit record per change.
enum Importer {
    enum Kind: String, CaseIterable, Sendable {
        case units, factors, users
    }

    struct Outcome: Sendable {
        var created = 0
        var updated = 0
        /// Users created without a password in the file, with the one generated for them.
        var generatedPasswords: [(username: String, password: String)] = []
    }

    /// Imports `data` as `kind`. Throws `ImportRejection` listing every issue of a bad file.
    /// `mayTouch` limits which units the file may add to or change (the importer's scope);
    /// the command line, run by the operator on the server, passes nil.
    static func run(
        _ kind: Kind, _ data: Data, by author: AuditTrail.Author, scope: [UnitPath]?, hasher: AsyncPasswordHasher,
        on db: any Database
    ) async throws -> Outcome {
        switch kind {
        case .units: try await units(data, by: author, scope: scope, on: db)
        case .factors: try await factors(data, by: author, scope: scope, on: db)
        case .users: try await users(data, by: author, scope: scope, hasher: hasher, on: db)
        }
    }

    private static func units(_ data: Data, by author: AuditTrail.Author, scope: [UnitPath]?, on db: any Database)
        async throws
        -> Outcome
    {
        try await db.write { db in
            let known = try await AdminUnit.query(on: db).all()
            let byCode = Dictionary(known.map { ($0.unitCode, $0) }, uniquingKeysWith: { a, _ in a })
            let rows = try UnitImport.read(data, existing: byCode.mapValues(\.unitKind))
            var outOfScope: [ImportIssue] = []
            for row in rows {
                if let existing = byCode[row.code] {
                    if !inScope(existing.unitPath, scope) {
                        outOfScope.append(
                            .init(
                                line: row.line, column: "code", key: "import.out_of_scope",
                                args: ["value": row.code.rawValue]))
                    }
                } else if let parent = row.parent, let parentUnit = byCode[parent], !inScope(parentUnit.unitPath, scope)
                {
                    outOfScope.append(
                        .init(
                            line: row.line, column: "parent", key: "import.out_of_scope",
                            args: ["value": parent.rawValue]))
                } else if row.parent == nil, scope != nil {
                    outOfScope.append(
                        .init(
                            line: row.line, column: "parent", key: "import.out_of_scope",
                            args: ["value": row.code.rawValue]))
                }
            }
            if !outOfScope.isEmpty { throw ImportRejection(issues: outOfScope) }
            var outcome = Outcome()
            for row in rows {
                if let existing = try await AdminUnit.query(on: db).filter(\.$code == row.code.rawValue).first() {
                    if existing.name != row.name {
                        try await UnitRegistry.rename(existing, to: row.name, by: author, on: db)
                        outcome.updated += 1
                    }
                } else {
                    _ = try await UnitRegistry.create(
                        code: row.code.rawValue, name: row.name, kind: row.kind, parentCode: row.parent?.rawValue,
                        by: author, on: db)
                    outcome.created += 1
                }
            }
            return outcome
        }
    }

    private static func factors(_ data: Data, by author: AuditTrail.Author, scope: [UnitPath]?, on db: any Database)
        async throws
        -> Outcome
    {
        try await db.write { db in
            // Villages outside the importer's scope are, to this file, villages that do not exist:
            // the domain reports them with their line and column like any unknown code.
            let villages = try await AdminUnit.query(on: db).filter(\.$kind == UnitKind.village.rawValue).all()
                .filter { inScope($0.unitPath, scope) }
            let byCode = Dictionary(villages.map { ($0.unitCode, $0) }, uniquingKeysWith: { a, _ in a })
            let rows = try FactorImport.read(data, villages: Set(byCode.keys))
            var outcome = Outcome()
            let villageIDs = villages.compactMap(\.id)
            let existing = try await FactorRecord.query(on: db).filter(\.$unit.$id ~~ villageIDs).all()
            var known = Set(existing.map { "\($0.$unit.id)/\($0.year)" })
            for row in rows {
                guard let village = byCode[row.unit] else { continue }
                let key = "\(village.id ?? 0)/\(row.year)"
                try await UnitRegistry.setFactors(row, for: village, by: author, on: db)
                if known.contains(key) { outcome.updated += 1 } else { outcome.created += 1 }
                known.insert(key)
            }
            return outcome
        }
    }

    private static func users(
        _ data: Data, by author: AuditTrail.Author, scope: [UnitPath]?, hasher: AsyncPasswordHasher, on db: any Database
    ) async throws -> Outcome {
        let units = try await AdminUnit.query(on: db).all()
        let byCode = Dictionary(units.map { ($0.unitCode, $0) }, uniquingKeysWith: { a, _ in a })
        let people = try UserImport.read(data, units: byCode.mapValues(\.unitKind))
        var issues: [ImportIssue] = []
        for person in people {
            if let password = person.initialPassword,
                let violation = PasswordRule.violations(of: password, username: person.username).first
            {
                issues.append(.init(line: person.line, column: "password", key: violation))
            }
            for grant in person.grants where !inScope(byCode[grant.unit]!.unitPath, scope) {
                issues.append(
                    .init(
                        line: person.line, column: "unit", key: "import.out_of_scope",
                        args: ["value": grant.unit.rawValue]))
            }
        }
        if !issues.isEmpty { throw ImportRejection(issues: issues) }
        // Hash outside the transaction: bcrypt is slow on purpose and must not hold the write lock.
        var hashes: [String: (hash: String, generated: String?)] = [:]
        for person in people {
            let generated = person.initialPassword == nil ? GeneratedPassword.make() : nil
            hashes[person.username] = (try await hasher.hash(person.initialPassword ?? generated!), generated)
        }
        let secrets = hashes
        return try await db.write { db in
            var outcome = Outcome()
            for person in people {
                let user: User
                if let existing = try await User.query(on: db).filter(\.$username == person.username).first() {
                    user = existing
                    outcome.updated += 1
                } else {
                    let secret = secrets[person.username]!
                    user = try await UserRegistry.create(
                        username: person.username, displayName: person.displayName, phone: person.phone,
                        passwordHash: secret.hash, by: author, on: db)
                    if let generated = secret.generated {
                        outcome.generatedPasswords.append((person.username, generated))
                    }
                    outcome.created += 1
                }
                for grant in person.grants {
                    guard let unit = try await AdminUnit.query(on: db).filter(\.$code == grant.unit.rawValue).first()
                    else { continue }
                    try await UserRegistry.grant(grant.role, at: unit, to: user, by: author, on: db)
                }
            }
            return outcome
        }
    }

    private static func inScope(_ path: UnitPath, _ scope: [UnitPath]?) -> Bool {
        guard let scope else { return true }
        return scope.contains { path.isWithin($0) }
    }
}

/// A random initial password of 12 letters and digits, for users imported without one.
enum GeneratedPassword {
    static func make() -> String {
        let letters = Array("abcdefghjkmnpqrstuvwxyz")
        let digits = Array("23456789")
        var password = (0..<9).map { _ in letters.randomElement()! } + (0..<3).map { _ in digits.randomElement()! }
        password.shuffle()
        return String(password)
    }
}
