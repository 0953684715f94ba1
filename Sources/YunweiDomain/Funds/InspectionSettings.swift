/// The limits the self-inspection rules judge by (DOMAIN.md §4.4). Each is configurable per
/// county; `standard` holds the brief's defaults.
public struct InspectionSettings: Sendable, Hashable, Codable {
    /// R1: a village must be credited within this many days of the allocation's approval; a
    /// credit on the last of these days is on time.
    public var disbursementDays: Int
    /// R6, R10: a claim at or above this amount must be publicly noticed 公示.
    public var noticeThreshold: Money
    /// R9: a year-end balance above this per cent of the year's available funds is idle.
    public var idlePercent: Int
    /// R6: claims to one payee in one village within this many days are read together, to find a
    /// payment split to stay under `noticeThreshold`.
    public var splitWindowDays: Int
    /// R7: a cash payment at or below this amount is tolerated as petty cash; zero tolerates
    /// none, as the fund's rules say.
    public var cashAllowance: Money
    /// R8: words in a claim's purpose that mark an office cost rather than O&M work.
    public var officeCostKeywords: [String]
    /// The report lists at most this many findings of one rule one by one, then counts the rest.
    public var reportDetailLimit: Int

    public init(
        disbursementDays: Int = 30, noticeThreshold: Money = Money(yuan: 5_000), idlePercent: Int = 30,
        splitWindowDays: Int = 30, cashAllowance: Money = .zero,
        officeCostKeywords: [String] = InspectionSettings.standardOfficeCostKeywords, reportDetailLimit: Int = 20
    ) {
        self.disbursementDays = disbursementDays
        self.noticeThreshold = noticeThreshold
        self.idlePercent = idlePercent
        self.splitWindowDays = splitWindowDays
        self.cashAllowance = cashAllowance
        self.officeCostKeywords = officeCostKeywords
        self.reportDetailLimit = reportDetailLimit
    }

    public static let standard = InspectionSettings()

    /// Running costs of offices that the seed forbids shifting onto the fund (转嫁支出).
    public static let standardOfficeCostKeywords = [
        "办公费", "办公用品", "招待费", "接待费", "差旅费", "会议费", "培训费", "公务用车", "通讯费", "电话费", "餐费",
        "礼品",
    ]
}
