extension CasePolicy {
    /// Whether `actor` may see who reported the case at `place` — the reporter's name, phone and
    /// query code 查询码, which are personal data (DOMAIN.md §3): the reporter themselves; the
    /// township staff who dispatch or supervise its village's cases and call reporters back; the
    /// handler unit, which may need to ask where exactly the problem is; and the county auditor,
    /// who reads everything. Everyone else who may see the case sees it without them.
    public static func maySeeReporter(_ actor: Actor, _ place: CasePlace) -> Bool {
        let village = place.villagePath
        return place.reporterUserID == actor.userID
            || Policy.can(actor, .dispatchCase, at: village) || Policy.can(actor, .superviseCase, at: village)
            || Policy.can(actor, .viewAuditLog, at: village)
            || (place.handlerPath != nil && may(actor, .accept, on: place, in: .dispatched))
    }
}
