/// What an actor may try to do. Each handler names one action and asks `Policy.can`; which roles
/// may perform it is decided in one table, `Policy.roles(allowedTo:)`.
///
/// The raw values are stable: they appear in audit records and in the role/permission pages.
public enum Action: String, CaseIterable, Codable, Sendable {
    /// See units and the unit tree.
    case viewUnit = "view_unit"
    /// Create and edit units.
    case editUnit = "edit_unit"
    /// See village factor data (population, area, location, income, performance).
    case viewFactors = "view_factors"
    /// Change village factor data.
    case editFactors = "edit_factors"
    /// Load data from CSV files (units, factors).
    case importData = "import_data"
    /// Download data as CSV.
    case exportData = "export_data"
    /// See user accounts and their grants.
    case viewUsers = "view_users"
    /// Create users, grant and revoke roles, disable accounts.
    case manageUsers = "manage_users"
    /// Read the tamper-evident audit trail.
    case viewAuditLog = "view_audit_log"
}
