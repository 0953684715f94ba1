import Vapor
import YunweiDomain

/// What every page's layout needs: language, the person signed in, their navigation, the CSRF
/// token for forms, and a one-time notice.
struct Page: Encodable, Sendable {
    struct NavItem: Encodable, Sendable {
        let key: String
        let href: String
        let current: Bool
    }

    let lang: String
    let title: String
    let path: String
    /// This page's address with its query, as the `back` parameter of the language switch.
    let back: String
    let user: String?
    let roles: [String]
    let nav: [NavItem]
    let csrf: String
    let notice: String?

    static func make(for request: Request, title: String, notice: String? = nil) async -> Page {
        let actor = request.actor
        let path = request.url.path
        let items = actor.map(Navigation.items(for:)) ?? []
        // The entry whose address matches the page most closely is the current one.
        let current = items.filter { path == $0.href || (path.hasPrefix($0.href + "/") && $0.href != "/") }
            .max { $0.href.count < $1.href.count }?.href
        let nav = items.map { NavItem(key: $0.key, href: $0.href, current: $0.href == current) }
        return Page(
            lang: request.language.rawValue, title: title, path: path, back: back(request),
            user: request.displayName ?? actor?.username,
            roles: Array(Set(actor?.grants.map { "role." + $0.role.rawValue } ?? [])).sorted(),
            nav: nav, csrf: CSRF.token(for: request), notice: notice ?? request.takeNotice())
    }

    /// The path and query of a page fetched with GET, escaped as one query value, so that
    /// switching language comes back to the same filter or form step; after a POST, the path.
    private static func back(_ request: Request) -> String {
        var target = request.url.path
        if request.method == .GET, let query = request.url.query, !query.isEmpty { target += "?" + query }
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#%")
        return target.addingPercentEncoding(withAllowedCharacters: allowed) ?? request.url.path
    }
}

/// The menu: each entry shows only to those the policy lets do its action somewhere.
enum Navigation {
    struct Item {
        let key: String
        let href: String
        let action: Action?
        /// Another action that also shows the entry.
        var orAction: Action? = nil
    }

    static let all: [Item] = [
        Item(key: "nav.home", href: "/", action: nil),
        Item(key: "nav.cases", href: "/cases", action: .viewCase),
        Item(key: "nav.report", href: "/cases/new", action: .reportCase),
        Item(key: "nav.units", href: "/units", action: .viewUnit),
        Item(key: "nav.users", href: "/users", action: .viewUsers),
        Item(key: "nav.imports", href: "/imports", action: .importData),
        Item(key: "nav.audit", href: "/audit", action: .viewAuditLog),
        Item(key: "nav.categories", href: "/categories", action: .manageCategories),
        Item(key: "nav.open311", href: "/open311/clients", action: .manageCategories),
        Item(key: "nav.stats", href: "/stats", action: .viewCaseStats),
        Item(key: "nav.allocations", href: "/allocations", action: .viewFunds, orAction: .manageAllocations),
        Item(key: "nav.claims", href: "/claims", action: .viewFunds),
        Item(key: "nav.ledger", href: "/ledger", action: .viewFunds),
        Item(key: "nav.payroll", href: "/payroll", action: .manageCaretakers, orAction: .preparePayroll),
        Item(key: "nav.inspections", href: "/inspections", action: .inspectFunds),
        Item(key: "nav.account", href: "/account", action: nil),
    ]

    static func items(for actor: Actor) -> [Item] {
        all.filter { item in
            guard let action = item.action else { return true }
            return [action, item.orAction].compactMap { $0 }.contains { !Policy.scope(actor, $0).isEmpty }
        }
    }
}

extension Request {
    /// A message shown once on the next page (after a redirect).
    func setNotice(_ key: String) {
        session.data["notice"] = key
    }

    func takeNotice() -> String? {
        guard hasSession, let key = session.data["notice"] else { return nil }
        session.data["notice"] = nil
        return key
    }
}
