/// Everything wrong with an allocation's input at once, each problem beside its field, so a
/// county admin fixes the form in one pass.
public struct AllocationRejection: Error, Sendable, Hashable {
    public var issues: [FundIssue]

    public init(issues: [FundIssue]) { self.issues = issues }
}
