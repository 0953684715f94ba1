import Fluent
import Foundation
import YunweiDomain

/// One demo claim before it is written: what the clerk enters, the day she drafts it, and how far
/// it gets.
struct DemoFundsClaim: Sendable {
    /// Posted (after one return, for some), left returned or withdrawn, or still waiting in an
    /// inbox: taken as far as the time allows, but never posted.
    enum Fate: Sendable { case posted, returnedOnce, returned, withdrawn, waiting }

    var day: Int
    var claim: Claim
    var fate: Fate
    /// Written as migrated from the old system, bypassing the desk (R10: no notice).
    var imported = false
    /// Written as a finished claim of the year's history in one transaction
    /// (`DemoFundsImport.postedClaim`) rather than step by step through the desk.
    var history = false
}

/// What the R5 fault needs to know of the claims posted so far: each village's posted invoices,
/// and the payees each village has used.
struct DemoFundsLedger: Sendable {
    struct PostedInvoice: Sendable {
        let claimID: Int
        let invoice: Invoice
        let postedAt: Date
    }

    var posted: [Int: [PostedInvoice]] = [:]
    var payees: [Int: Set<String>] = [:]
}

/// One village's year of claims: the amounts spread over the months up to what the year should
/// have spent (most of the money by year end; almost nothing in the idle village), the newest
/// ones still on their way through the inboxes, and the village's planted faults.
struct DemoFundsVillageBook {
    let village: AdminUnit
    let index: Int
    let people: DemoFundsStaff.People
    let credited: Money
    let firstDay: Int
    /// Officials' names, which no made-up villager may share (R6 compares payees by name).
    let officialNames: Set<String>

    /// Spending categories by weight: infrastructure and village life most.
    static let categoryWeights: [(SpendingCategory, Int)] = [
        (.infrastructure, 42), (.life, 24), (.agriculture, 12), (.social, 12), (.labour, 10),
    ]

    /// What is bought for each category: the supplier's trade and the purpose.
    static let works: [SpendingCategory: [(trade: String, purpose: String)]] = [
        .infrastructure: [
            ("建材经营部", "村道路面坑洼修补（水泥、砂石）"), ("砂石经营部", "机耕道垫层砂石"),
            ("照明器材经营部", "更换损坏太阳能路灯"), ("水暖管材经营部", "更换老化供水管道"),
            ("机电维修部", "提灌站水泵检修"), ("土石方工程队", "排水沟渠清淤疏通"),
            ("环卫服务部", "垃圾收集点清运及维修"), ("钢材经营部", "村口桥梁护栏加固"),
        ],
        .life: [
            ("健身器材经营部", "村健身器材维修更换"), ("建筑维修队", "文化活动室屋面防漏维修"),
            ("广播电视器材经营部", "村村通广播设备维修"), ("图书经营部", "农家书屋图书补充"),
            ("电影放映队", "农村公益电影放映"),
        ],
        .agriculture: [
            ("农机维修部", "公用农机具维修保养"), ("农资经营部", "病虫害统防统治药剂"),
            ("水利工程队", "山坪塘整治"),
        ],
        .social: [
            ("消防器材经营部", "村消防器材更换"), ("广告印务部", "政策宣传栏制作"),
            ("医药经营部", "卫生防疫消毒药品"), ("五金机电经营部", "治安巡逻器材"),
        ],
    ]
    static let firms = [
        "鑫达", "宏远", "顺发", "永兴", "利民", "德丰", "金福", "兴旺", "恒通", "福源", "春华", "信诚", "众诚", "天成",
        "瑞丰", "新兴", "长顺", "和顺",
    ]

    /// Whether the village's finished claims are taken step by step through `ClaimDesk` (one
    /// village in eight, the first among them), rather than written whole as the year's history:
    /// a claim through the desk costs six transactions, and the demo must start quickly. The
    /// newest claims and the planted ones always go through the desk.
    static func stepsThroughDesk(_ index: Int) -> Bool { index % 8 == 0 }

    /// Plans and writes the village's claims; returns how many.
    mutating func run(
        spending: DemoFundsPlan.Spending, planted: [DemoFundsPlan.Planted], calendar: DemoFundsCalendar,
        ledger: inout DemoFundsLedger, faults: inout [DemoFunds.Fault], random: inout SplitMix64,
        on db: any Database
    ) async throws -> Int {
        var used = Set<String>()
        var caretaker = DemoFundsNames.villager(&random)
        while officialNames.contains(caretaker) { caretaker = DemoFundsNames.villager(&random) }
        let caretakerID = DemoFundsIDs.residentID(&random)
        let lastPostedDay = calendar.elapsedDays - 14
        var claims: [DemoFundsClaim] = []
        var lastLabour = -1000

        // Posted over the year: most of the money by year end.
        let yearShare = min(1.0, Double(calendar.elapsedDays) / 335)
        let percent = spending == .idle ? 8 : random.int(in: 80...90)
        var left = Money(fen: Int64(Double(credited.fen) * Double(percent) / 100 * yearShare))
        if lastPostedDay > firstDay {
            for fault in planted {
                let day = random.int(in: firstDay...lastPostedDay)
                let made: DemoFundsClaim
                switch fault {
                case .officialPayee:
                    // The clerk enters the village head as a private person; the desk cannot tell.
                    let amount = Money(yuan: Int64(random.int(in: 18...32) * 100))
                    made = DemoFundsClaim(
                        day: day,
                        claim: claim(
                            payee: .person(name: people.headName, idNumber: DemoFundsIDs.residentID(&random)),
                            amount: amount, category: .life, purpose: "村主任垫付文化活动室维修材料款",
                            issuer: pickFirm("建材经营部", used: &used, random: &random), day: day,
                            calendar: calendar, random: &random),
                        fate: .posted)
                    faults.append(DemoFunds.Fault(rule: .privateDivision, village: village.code))
                case .officeSupplies:
                    let amount = Money(fen: Int64(random.int(in: 800...1_600)) * 100 + 50)
                    let firm = pickFirm("文具店", used: &used, random: &random)
                    made = DemoFundsClaim(
                        day: day,
                        claim: claim(
                            payee: .organisation(name: firm), amount: amount, category: .social,
                            purpose: "购买村委会办公用品（打印纸、墨盒、档案盒）", issuer: firm, day: day,
                            calendar: calendar, random: &random),
                        fate: .posted)
                    faults.append(DemoFunds.Fault(rule: .shifting, village: village.code))
                case .missingNotice:
                    let amount = Money(yuan: Int64(random.int(in: 60...80) * 100))
                    let firm = pickFirm("土石方工程队", used: &used, random: &random)
                    made = DemoFundsClaim(
                        day: day,
                        claim: claim(
                            payee: .organisation(name: firm), amount: amount, category: .infrastructure,
                            purpose: "村道塌方抢修", issuer: firm, day: day, calendar: calendar, random: &random),
                        fate: .posted, imported: true)
                    faults.append(DemoFunds.Fault(rule: .missingNotice, village: village.code))
                }
                left = left - made.claim.amount
                claims.append(made)
            }
            while left >= Money(yuan: 300) {
                let amount = Self.amount(upTo: left, random: &random)
                left = left - amount
                let day = random.int(in: firstDay...lastPostedDay)
                let fate: DemoFundsClaim.Fate = random.int(in: 0...99) < 8 ? .returnedOnce : .posted
                claims.append(
                    DemoFundsClaim(
                        day: day,
                        claim: ordinary(
                            amount: amount, day: day, caretaker: (caretaker, caretakerID), lastLabour: &lastLabour,
                            used: &used, calendar: calendar, random: &random),
                        fate: fate, history: !Self.stepsThroughDesk(index)))
            }
        }
        // The newest claims, still in the inboxes (or sent back, or withdrawn).
        if spending == .normal {
            var open = Money(fen: (credited.fen - claims.reduce(0) { $0 + $1.claim.amount.fen }) * 6 / 10)
            for _ in 0..<random.int(in: 1...2) where open >= Money(yuan: 300) {
                let amount = Self.amount(upTo: open, random: &random)
                open = open - amount
                let day = max(firstDay, calendar.elapsedDays - random.int(in: 1...9))
                let roll = random.int(in: 0...99)
                let fate: DemoFundsClaim.Fate = roll < 12 ? .returned : roll < 20 ? .withdrawn : .waiting
                claims.append(
                    DemoFundsClaim(
                        day: day,
                        claim: ordinary(
                            amount: amount, day: day, caretaker: (caretaker, caretakerID), lastLabour: &lastLabour,
                            used: &used, calendar: calendar, random: &random),
                        fate: fate))
            }
        }

        claims.sort { $0.day < $1.day }
        var count = 0
        for planned in claims {
            let posted: (id: Int, at: Date)?
            if planned.imported || planned.history {
                posted = try await DemoFundsImport.postedClaim(
                    planned, village: village, people: people, calendar: calendar, on: db)
            } else {
                posted = try await chain(planned, calendar: calendar, random: &random, on: db)
            }
            count += 1
            if let posted {
                for invoice in planned.claim.invoices {
                    ledger.posted[index, default: []].append(
                        .init(claimID: posted.id, invoice: invoice, postedAt: posted.at))
                }
            }
        }
        ledger.payees[index] = used
        return count
    }

    /// A claim's way through the desks, each step at its own time, stopping at `now`; the id and
    /// posting time when it was posted.
    private func chain(
        _ planned: DemoFundsClaim, calendar: DemoFundsCalendar, random: inout SplitMix64, on db: any Database
    ) async throws -> (id: Int, at: Date)? {
        let drafted = calendar.at(day: planned.day, hour: 8.5 + Double(random.int(in: 0...150)) / 60)
        let record = try await ClaimDesk.draft(
            .init(village: village.code, claim: planned.claim), by: people.clerk, now: drafted, on: db)
        let id = try record.requireID()
        var at = drafted.addingTimeInterval(Double(random.int(in: 10...50)) * 60)
        let latest = calendar.now.addingTimeInterval(-60)
        func step(_ action: ClaimAction, _ actor: Actor, note: String? = nil) async throws -> Bool {
            guard at <= latest else { return false }
            try await ClaimDesk.act(id, action, note: note, by: actor, now: at, on: db)
            return true
        }
        func later(days: Int, hour: Double) {
            let day = Int(at.timeIntervalSince(calendar.newYear) / 86_400) + days
            at = calendar.at(day: day, hour: hour)
        }
        guard try await step(.submit, people.clerk) else { return nil }
        later(days: random.int(in: 1...2), hour: 10 + Double(random.int(in: 0...90)) / 60)
        switch planned.fate {
        case .withdrawn:
            _ = try await step(.withdraw, people.clerk, note: "重复录入，撤回")
            return nil
        case .returned:
            _ = try await step(.return, people.financeGroup, note: "发票金额与用途不符，请核实后重新提交")
            return nil
        case .returnedOnce:
            guard try await step(.return, people.financeGroup, note: "缺少维修前后照片，请补充后重新提交") else { return nil }
            later(days: 1, hour: 9.5)
            guard try await step(.submit, people.clerk) else { return nil }
            later(days: 1, hour: 10.5)
        case .posted, .waiting:
            break
        }
        guard try await step(.review, people.financeGroup) else { return nil }
        later(days: 1, hour: 15 + Double(random.int(in: 0...60)) / 60)
        guard try await step(.approve, people.head) else { return nil }
        let noticed = PublicNotice.isRequired(for: planned.claim.amount)
        later(days: noticed ? PublicNotice.days + 1 : random.int(in: 1...2), hour: 10)
        guard try await step(.leaderReview, people.townshipLeader) else { return nil }
        later(days: random.int(in: 1...2), hour: 14 + Double(random.int(in: 0...120)) / 60)
        guard planned.fate != .waiting, try await step(.post, people.townshipFinance) else { return nil }
        return (id, at)
    }

    /// An ordinary claim of `amount`: a supplier with its invoices, or a quarter of the
    /// caretaker's pay under the contract.
    private func ordinary(
        amount: Money, day: Int, caretaker: (name: String, id: String), lastLabour: inout Int, used: inout Set<String>,
        calendar: DemoFundsCalendar, random: inout SplitMix64
    ) -> Claim {
        var category = Self.categoryWeights[random.pick(weights: Self.categoryWeights.map(\.1))].0
        if category == .labour && (day - lastLabour < 45 || amount >= PublicNotice.defaultThreshold) {
            category = .infrastructure
        }
        if category == .labour {
            lastLabour = day
            let quarter = (day / 91) + 1
            return Claim(
                payee: .person(name: caretaker.name, idNumber: caretaker.id), amount: amount, category: "labour",
                purpose: "\(calendar.year)年第\(quarter)季度保洁员劳务报酬", links: [.contract(Int64(index * 10 + 1))])
        }
        let works = Self.works[category]!
        let work = works[random.int(in: 0...(works.count - 1))]
        let firm = pickFirm(work.trade, used: &used, random: &random)
        return claim(
            payee: .organisation(name: firm), amount: amount, category: category, purpose: work.purpose, issuer: firm,
            day: day, calendar: calendar, random: &random)
    }

    /// A claim paid on `issuer`'s invoices, one to three adding up to `amount`, dated in the week
    /// before the claim, for one of the village's facilities.
    private func claim(
        payee: ClaimPayee, amount: Money, category: SpendingCategory, purpose: String, issuer: String, day: Int,
        calendar: DemoFundsCalendar, random: inout SplitMix64
    ) -> Claim {
        let parts = amount < Money(yuan: 3_000) ? 1 : random.int(in: 1...3)
        var invoices: [Invoice] = []
        var rest = amount
        for part in 0..<parts {
            let share =
                part == parts - 1
                ? rest : Money(yuan: rest.fen / 100 / Int64(parts - part) * Int64(random.int(in: 70...100)) / 100)
            rest = rest - share
            let date = StatisticsPeriod.day(
                of: calendar.at(day: max(0, day - random.int(in: 0...7)), hour: 12))
            invoices.append(
                Invoice(
                    number: DemoFundsIDs.invoiceNumber(year: calendar.year, &random), issuer: issuer, date: date,
                    amount: share))
        }
        return Claim(
            payee: payee, amount: amount, category: category.rawValue, purpose: purpose,
            links: [.facility(Int64(index * 100 + random.int(in: 1...12)))], invoices: invoices)
    }

    /// A supplier of `trade` not yet paid by this village this year, so that no two payments to
    /// one payee are read together as a split payment (R6).
    private func pickFirm(_ trade: String, used: inout Set<String>, random: inout SplitMix64) -> String {
        let start = random.int(in: 0...(Self.firms.count - 1))
        for offset in 0..<Self.firms.count {
            let name = Self.firms[(start + offset) % Self.firms.count] + trade
            if used.insert(name).inserted { return name }
        }
        let name = village.name + Self.firms[start] + trade
        used.insert(name)
        return name
    }

    /// A claim amount of at most `limit`: small repairs, and as many bigger works up to ¥12,000;
    /// whatever would be left under ¥300 goes with it.
    static func amount(upTo limit: Money, random: inout SplitMix64) -> Money {
        let yuan: Int
        switch random.pick(weights: [20, 35, 45]) {
        case 0: yuan = random.int(in: 300...2_000)
        case 1: yuan = random.int(in: 2_000...4_999)
        default: yuan = random.int(in: 5_000...12_000)
        }
        var amount = Money(yuan: Int64(yuan))
        if random.int(in: 0...3) == 0 { amount = amount + Money(fen: 50) }
        if amount > limit || limit - amount < Money(yuan: 300) {
            amount = limit.fen > 1_200_000 ? Money(yuan: 6_000) : Money(fen: limit.fen / 100 * 100)
        }
        return amount
    }
}

/// Numbers that look real: resident ID numbers with their check character, 数电发票 numbers.
enum DemoFundsIDs {
    static func residentID(_ random: inout SplitMix64) -> String {
        let birth = String(
            format: "%04d%02d%02d", random.int(in: 1958...1990), random.int(in: 1...12), random.int(in: 1...28))
        let body = "510121" + birth + String(format: "%03d", random.int(in: 1...999))
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body, weights).reduce(0) { $0 + $1.0.wholeNumberValue! * $1.1 }
        return body + String(Array("10X98765432")[sum % 11])
    }

    /// A 20-digit number: the year, the province, then digits drawn from 10¹² values (a clash
    /// among a county's few thousand invoices is vanishingly unlikely, and the desk would say so).
    static func invoiceNumber(year: Int, _ random: inout SplitMix64) -> String {
        String(format: "%02d51%04d", year % 100, random.int(in: 1000...9999))
            + String(format: "%06d%06d", random.int(in: 0...999_999), random.int(in: 0...999_999))
    }
}
