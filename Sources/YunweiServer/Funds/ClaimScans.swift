import Fluent
import Foundation
import Vapor
import YunweiDomain

/// 扫描件 — a scanned invoice or receipt attached to a claim: its bytes on disk under their
/// SHA-256 (`FileStore`, `claim-scans`), its row here. Rows are written in the claim's draft transaction.
final class ClaimScanRecord: Model, @unchecked Sendable {
    static let schema = "claim_scans"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "claim_id") var claim: ClaimRecord
    /// Lowercase hexadecimal SHA-256 of the bytes.
    @Field(key: "sha256") var sha256: String
    /// `image/jpeg`, `image/png` or `application/pdf`, by the file's first bytes.
    @Field(key: "content_type") var contentType: String
    /// The file's name as uploaded, for the link text.
    @Field(key: "name") var name: String
    @Field(key: "size") var size: Int
    @Field(key: "created_at") var createdAt: Date

    /// Named here so that FluentKit does not find them by reflection on every row it reads or
    /// writes (`ModelPropertiesTests` checks the list against reflection).
    var properties: [any AnyProperty] { [$id, $claim, $sha256, $contentType, $name, $size, $createdAt] }

    init() {}
}

/// What a claim's scans must be: JPEG, PNG or PDF by their content (a renamed file is refused),
/// at most 5 MB each, at most 20 on one claim.
enum ClaimScanCheck {
    static let maxBytes = PhotoCheck.maxBytes
    static let maxScans = 20

    /// The media type of `data` by its first bytes, or nil if it is none of the accepted kinds.
    static func contentType(of data: Data) -> String? {
        if let kind = PhotoCheck.kind(of: data) { return kind.mediaType }
        if data.starts(with: Array("%PDF-".utf8)) { return "application/pdf" }
        return nil
    }

    /// Every problem with the uploaded scans, numbered from 1 as chosen, under the field `scans`.
    static func issues(for scans: [UploadedScan]) -> [CaseIssue] {
        var issues: [CaseIssue] = []
        if scans.count > maxScans {
            issues.append(CaseIssue(field: "scans", key: "claim_pages.scan.too_many", args: ["max": String(maxScans)]))
        }
        for (offset, scan) in scans.enumerated() {
            let args = ["name": scan.name, "number": String(offset + 1)]
            if contentType(of: scan.data) == nil {
                issues.append(CaseIssue(field: "scans", key: "claim_pages.scan.kind", args: args))
            } else if scan.data.count > maxBytes {
                issues.append(
                    CaseIssue(
                        field: "scans", key: "claim_pages.scan.too_large",
                        args: args.merging(["max_mb": String(maxBytes / 1024 / 1024)]) { $1 }))
            }
        }
        return issues
    }
}

/// One file from the form's `scans` field.
struct UploadedScan: Sendable {
    let name: String
    let data: Data
}

/// A scan already on disk, waiting for its row in the draft's transaction.
struct StoredScan: Sendable {
    let sha256: String
    let contentType: String
    let name: String
    let size: Int

    /// Writes each checked scan to `store`; call only once `ClaimScanCheck.issues` is empty.
    static func save(_ scans: [UploadedScan], in store: FileStore) throws -> [StoredScan] {
        try scans.map { scan in
            let type = ClaimScanCheck.contentType(of: scan.data) ?? "application/octet-stream"
            let hash = try store.save(scan.data, contentType: type)
            let name = String(scan.name.trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))
            return StoredScan(sha256: hash, contentType: type, name: name.isEmpty ? hash : name, size: scan.data.count)
        }
    }

    /// The rows of `scans` for claim `claimID`, with their audit record, inside the caller's
    /// transaction.
    static func attach(
        _ scans: [StoredScan], to claimID: Int, villagePath: String, by actor: Actor, now: Date, on db: any Database
    ) async throws {
        guard !scans.isEmpty else { return }
        let rows = scans.map { scan in
            let row = ClaimScanRecord()
            row.$claim.id = claimID
            row.sha256 = scan.sha256
            row.contentType = scan.contentType
            row.name = scan.name
            row.size = scan.size
            row.createdAt = now
            return row
        }
        try await rows.create(on: db)
        try await AuditTrail.record(
            on: db, by: AuditTrail.Author(actor), action: "claim_scans_add", entityType: "claim",
            entityID: String(claimID), unitPath: villagePath,
            after: ["scans": scans.map(\.sha256).joined(separator: ",")], at: now)
    }
}

/// The table of claim scans.
struct CreateClaimScans: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ClaimScanRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("claim_id", .int, .required, .references(ClaimRecord.schema, "id"))
            .field("sha256", .string, .required)
            .field("content_type", .string, .required)
            .field("name", .string, .required)
            .field("size", .int, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.sql.raw("CREATE INDEX claim_scans_claim ON claim_scans (claim_id, sha256)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ClaimScanRecord.schema).delete()
    }
}
