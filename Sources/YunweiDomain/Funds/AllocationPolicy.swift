/// Who may see which version of a county's allocation, through `Policy`'s one table: those who
/// see the funds of the whole county (`viewFunds` at the county: its admin and auditor) see every
/// version, drafts included; those who see the funds of a unit inside it (township and village
/// staff) see only the published one — the version opened to the villages 五个公开.
public enum AllocationPolicy {
    public static func mayView(_ actor: Actor, county: UnitPath, status: AllocationStatus) -> Bool {
        if Policy.can(actor, .viewFunds, at: county) { return true }
        guard status == .published else { return false }
        return Policy.scope(actor, .viewFunds).contains { $0.isWithin(county) }
    }
}
