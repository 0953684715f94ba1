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
    /// Report a case 信息收集 in a village.
    case reportCase = "report_case"
    /// See cases, their timelines and photos. `CasePolicy` also asks it at the handler unit.
    case viewCase = "view_case"
    /// Classify, dispatch 交办, refer 报办, transfer 转办, reject and close cases.
    case dispatchCase = "dispatch_case"
    /// Accept, resolve and return cases handed to one's unit (`CasePolicy` says which).
    case handleCase = "handle_case"
    /// Supervise cases 督办; decide the cases referred to the township.
    case superviseCase = "supervise_case"
    /// Keep the county's case category tree.
    case manageCategories = "manage_categories"
    /// See case statistics.
    case viewCaseStats = "view_case_stats"
    /// See private cases (petition 信访, stability 稳定) beyond those one reported or handles.
    case viewPrivateCase = "view_private_case"
    /// See the subsidy fund: claims, their invoices, notices and history, the village account.
    case viewFunds = "view_funds"
    /// Draft, edit, submit and withdraw claims 制单.
    case draftClaim = "draft_claim"
    /// Review claims 理财.
    case reviewClaim = "review_claim"
    /// Approve claims 审批.
    case approveClaim = "approve_claim"
    /// Review claims at the township 审核.
    case leaderReviewClaim = "leader_review_claim"
    /// Post claims 报账.
    case postClaim = "post_claim"
    /// Make, approve 审批, publish 公开 and revise 调整 the county's allocation by factors 因素法.
    case manageAllocations = "manage_allocations"
    /// Disburse 拨付 an approved allocation's money to a village's special account.
    case disburseFunds = "disburse_funds"
    /// Run the self-inspection 自查 of the fund and read its report.
    case inspectFunds = "inspect_funds"
    /// Keep caretakers' contracts 管护合同 (person, duty, monthly pay, passbook).
    case manageCaretakers = "manage_caretakers"
    /// Make a township's monthly caretaker payroll 工资表 and export it to the bank.
    case preparePayroll = "prepare_payroll"
}
