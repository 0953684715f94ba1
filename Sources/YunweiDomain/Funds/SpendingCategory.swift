/// What subsidy money may be spent on (DOMAIN.md §2, §4.4 rule R3): the four public-service
/// categories of the seed, and caretakers' labour. Anything else is diversion 挪用/挤占. The raw
/// values are stable: they are stored, used in the API and named in the catalog as
/// `spending_category.<raw value>`.
public enum SpendingCategory: String, Sendable, Hashable, Codable, CaseIterable {
    /// 基础设施和环境: village roads, water conservancy and supply, power, telecom, garbage and
    /// sewage, rural transport, post, greening.
    case infrastructure
    /// 农业生产服务: extension, animal and plant disease control, inputs, seeds, disaster
    /// prevention.
    case agriculture
    /// 农村生活服务: broadcast TV 村村通, film showings, reading rooms, sports and fitness.
    case life
    /// 农村社会管理: public security, sanitation supervision, legal aid, epidemic prevention.
    case social
    /// 管护员劳务: caretakers' and cleaners' pay.
    case labour
}

extension SpendingCategory {
    /// The catalog key of this category's name.
    public var catalogKey: String { "spending_category." + rawValue }

    /// The catalog key of a stored category's name; a value this version no longer knows is
    /// named `spending_category.unknown`.
    public static func catalogKey(of stored: String) -> String {
        SpendingCategory(rawValue: stored)?.catalogKey ?? "spending_category.unknown"
    }
}
