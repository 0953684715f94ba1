/// The roles of DOMAIN.md §1. A role is granted to a person at a unit and reaches that unit and
/// everything below it.
public enum Role: String, Codable, Sendable, CaseIterable {
    /// 县级管理员 (财政局/农改办)
    case countyAdmin = "county_admin"
    /// 县级监督 (纪检/审计)
    case countyAuditor = "county_auditor"
    /// 乡镇主要领导
    case townshipLeader = "township_leader"
    /// 财政所
    case townshipFinance = "township_finance"
    /// 综治办/党政办
    case townshipDispatcher = "township_dispatcher"
    /// 职能部门承办人
    case departmentHandler = "department_handler"
    /// 村主要负责人
    case villageHead = "village_head"
    /// 村报账员
    case villageClerk = "village_clerk"
    /// 村民理财小组
    case financeGroup = "finance_group"
    /// 质量监督小组
    case qualityGroup = "quality_group"
    /// 网格员/社工
    case gridWorker = "grid_worker"
    /// 管护员/保洁员
    case caretaker = "caretaker"

    /// The kind of unit this role is held at.
    public var heldAt: UnitKind {
        switch self {
        case .countyAdmin, .countyAuditor: .county
        case .townshipLeader, .townshipFinance, .townshipDispatcher: .township
        case .departmentHandler: .department
        case .villageHead, .villageClerk, .financeGroup, .qualityGroup, .gridWorker, .caretaker: .village
        }
    }
}
