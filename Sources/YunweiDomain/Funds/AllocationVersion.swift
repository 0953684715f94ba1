import Foundation

/// 分配状态 — where a version of a year's allocation stands. The raw values are stable: they are
/// stored and named in the catalog as `allocation_status.<raw value>`.
public enum AllocationStatus: String, Codable, Sendable, CaseIterable {
    /// 草稿 — being prepared; may be recomputed and edited.
    case draft
    /// 已审批 — approved by the county; never edited again, only revised by a new version.
    case approved
    /// 已公开 — published to the villages 五个公开; likewise only revised.
    case published

    /// The catalog key of the status's name.
    public var catalogKey: String { "allocation_status." + rawValue }
}

/// One version of a year's allocation (DOMAIN.md §4.2: an approved allocation is never edited; a
/// change is a new version with a reason). The server stores what these functions return; it
/// never changes a version's status or table itself.
///
/// | step | from | to |
/// |---|---|---|
/// | `editing` 修改 | draft | the same version, draft, with the new table |
/// | `approving` 审批 | draft | approved |
/// | `publishing` 公开 | approved | published |
/// | `revising` 调整 | approved, published | version n + 1, draft (reason required) |
public struct AllocationVersion: Hashable, Sendable, Codable {
    /// 1 for a year's first allocation, one more for each revision.
    public let number: Int
    public let status: AllocationStatus
    public let allocation: Allocation
    /// Why this version replaced the one before it; nil for version 1.
    public let reason: String?

    /// A version as stored. New versions come from `first(_:)` and `revising(to:reason:)`.
    public init(number: Int, status: AllocationStatus, allocation: Allocation, reason: String?) {
        self.number = number
        self.status = status
        self.allocation = allocation
        self.reason = reason
    }

    /// Version 1 of a year's allocation, a draft.
    public static func first(_ allocation: Allocation) -> AllocationVersion {
        AllocationVersion(number: 1, status: .draft, allocation: allocation, reason: nil)
    }

    /// The draft with a recomputed table — refused once the version is approved.
    public func editing(to allocation: Allocation) -> Result<AllocationVersion, FundIssue> {
        guard status == .draft else {
            return .failure(
                FundIssue(
                    field: "status", key: "allocation.error.not_editable",
                    args: ["version": String(number), "status": status.catalogKey]))
        }
        if let issue = sameYear(allocation) { return .failure(issue) }
        return .success(AllocationVersion(number: number, status: .draft, allocation: allocation, reason: reason))
    }

    /// The draft, approved 审批. Who may approve is the access policy's question, not this one's.
    public func approving() -> Result<AllocationVersion, FundIssue> { moving(from: .draft, to: .approved) }

    /// The approved version, published 公开 to the villages.
    public func publishing() -> Result<AllocationVersion, FundIssue> { moving(from: .approved, to: .published) }

    /// Version n + 1, a draft with `allocation`, replacing this approved or published version for
    /// `reason`. A reason of only spaces says nothing and is refused. A draft is edited, not revised.
    public func revising(to allocation: Allocation, reason: String) -> Result<AllocationVersion, FundIssue> {
        guard status != .draft else {
            return .failure(
                FundIssue(field: "status", key: "allocation.error.revise_draft", args: ["version": String(number)]))
        }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else {
            return .failure(FundIssue(field: "reason", key: "allocation.error.reason_required"))
        }
        if let issue = sameYear(allocation) { return .failure(issue) }
        return .success(AllocationVersion(number: number + 1, status: .draft, allocation: allocation, reason: reason))
    }

    private func moving(from: AllocationStatus, to: AllocationStatus) -> Result<AllocationVersion, FundIssue> {
        guard status == from else {
            return .failure(
                FundIssue(
                    field: "status", key: "allocation.error.illegal_status_change",
                    args: ["from": status.catalogKey, "to": to.catalogKey]))
        }
        return .success(AllocationVersion(number: number, status: to, allocation: allocation, reason: reason))
    }

    /// A version's table belongs to the year of the allocation it versions.
    private func sameYear(_ other: Allocation) -> FundIssue? {
        guard other.year != allocation.year else { return nil }
        return FundIssue(
            field: "year", key: "allocation.error.other_year",
            args: ["year": String(other.year), "expected": String(allocation.year)])
    }
}
