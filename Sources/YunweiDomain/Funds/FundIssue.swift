/// One problem with what a person entered about the subsidy funds — an allocation's weights, a
/// claim's invoices, a payroll line — as a catalog key of `funds-*.json` with named
/// arguments, and the form or API field it belongs to, so that every problem is shown beside its
/// field at once.
public struct FundIssue: Sendable, Hashable, Error {
    /// The field, e.g. `weights.population`, `invoices.2.number`, `amount`.
    public var field: String
    public var key: String
    public var args: [String: String]

    public init(field: String, key: String, args: [String: String] = [:]) {
        self.field = field
        self.key = key
        self.args = args
    }
}
