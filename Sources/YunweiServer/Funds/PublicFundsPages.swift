import Fluent
import Foundation
import Vapor
import YunweiDomain

/// `/public/funds`: the openness pages 五个公开 of the subsidy fund (DOMAIN.md §8), for anyone,
/// without an account. A village's page shows its share of the county's published allocation
/// with the factor-by-factor explanation, the disbursements it received, every posted claim (a
/// person's name masked 张*, never an ID number) and its balance; a township's page sums its
/// villages. Only published allocations and posted claims appear: drafts, approved but
/// unpublished versions and claims on their way never do.
struct PublicFundsPages: RouteCollection {
    struct Received: Encodable {
        let date: String
        let amount: Int
    }

    struct Spent: Encodable {
        let date: String
        let purpose: String
        let category: String
        let payee: String
        let amount: Int
    }

    struct PublishedShare: Encodable {
        let version: Int
        let amount: Int
        let explanation: AllocationPages.Explanation?
    }

    /// A village's year: its share, and its fund's movements over the year.
    struct YearFigures: Encodable {
        let allocated: Int
        let opening: Int
        let inflow: Int
        let outflow: Int
        let closing: Int
    }

    struct VillagePage: Encodable {
        let page: Page
        let code: String
        let name: String
        let township: String
        let townshipCode: String
        let year: Int
        let share: PublishedShare?
        let received: [Received]
        let spent: [Spent]
        let figures: YearFigures
    }

    struct TownshipRow: Encodable {
        let code: String
        let name: String
        let figures: YearFigures
    }

    struct TownshipPage: Encodable {
        let page: Page
        let code: String
        let name: String
        let year: Int
        let rows: [TownshipRow]
        let total: YearFigures
    }

    func boot(routes: any RoutesBuilder) throws {
        let funds = routes.grouped("public", "funds")
        funds.get("villages", ":code", use: village)
        funds.get("townships", ":code", use: township)
    }

    func village(request: Request) async throws -> View {
        let village = try await Self.unit(request, kind: .village)
        let year = try Self.year(request)
        guard let township = try await village.$parent.get(on: request.db) else { throw YunweiError.notFound }
        let published = try await Self.published(county: township.$parent.id, year: year, on: request.db)
        var share: PublishedShare?
        if let published {
            let rows = try await AllocationRowRecord.query(on: request.db)
                .filter(\.$allocation.$id == published.requireID()).all()
            let allocation = try AllocationDesk.recompute(published, rows: rows)
            if let row = allocation.row(for: village.unitCode) {
                share = PublishedShare(
                    version: published.version, amount: Int(row.amount.fen),
                    explanation: AllocationPages.Explanation(
                        row, of: allocation, name: village.name, translate: { request.t($0) }))
            }
        }
        let (from, to) = Self.period(year)
        let statement = try await LedgerBook.statement(village: village, from: from, to: to, on: request.db)
        let context = VillagePage(
            page: await Page.make(for: request, title: "funds_public.village_title"), code: village.code,
            name: village.name, township: township.name, townshipCode: township.code, year: year, share: share,
            received: try await Self.received(village, from: from, to: to, on: request.db),
            spent: try await Self.spent(village, from: from, to: to, request: request),
            figures: Self.figures(allocated: Int64(share?.amount ?? 0), LedgerSummary.Figures(statement)))
        return try await request.view.render("funds/public-village", context)
    }

    func township(request: Request) async throws -> View {
        let township = try await Self.unit(request, kind: .township)
        let year = try Self.year(request)
        let (from, to) = Self.period(year)
        let summary = try await LedgerBook.summary(township: township, from: from, to: to, on: request.db)
        var shares: [String: Int64] = [:]
        if let published = try await Self.published(county: township.$parent.id, year: year, on: request.db) {
            for row in try await AllocationRowRecord.query(on: request.db)
                .filter(\.$allocation.$id == published.requireID()).all()
            {
                shares[row.unitCode] = row.amountFen
            }
        }
        let names = try await LedgerPages.names(of: summary.rows.map(\.village), on: request.db)
        let rows = summary.rows.map {
            TownshipRow(
                code: $0.village.rawValue, name: names[$0.village] ?? "",
                figures: Self.figures(allocated: shares[$0.village.rawValue] ?? 0, $0.figures))
        }
        let allocated = rows.reduce(Int64(0)) { $0 + Int64($1.figures.allocated) }
        let context = TownshipPage(
            page: await Page.make(for: request, title: "funds_public.township_title"), code: township.code,
            name: township.name, year: year, rows: rows, total: Self.figures(allocated: allocated, summary.total))
        return try await request.view.render("funds/public-township", context)
    }

    // MARK: - Reading

    /// The unit of `kind` with the code in the path; 404 for anything else.
    static func unit(_ request: Request, kind: UnitKind) async throws -> AdminUnit {
        guard let code = request.parameters.get("code"), UnitCode(code) != nil,
            let unit = try await AdminUnit.query(on: request.db).filter(\.$code == code).first(),
            unit.unitKind == kind
        else { throw YunweiError.notFound }
        return unit
    }

    /// `?year=`, by default the current Shanghai year; anything but a plausible year is a 422.
    static func year(_ request: Request) throws -> Int {
        guard let text: String = request.query["year"], !text.isEmpty else {
            return StatisticsPeriod.day(of: Date()).year
        }
        guard let year = Int(text), (2000...2100).contains(year) else {
            throw CaseDesk.InputError(issues: [CaseIssue(field: "year", key: "funds_public.error.year")])
        }
        return year
    }

    /// The Shanghai days of `year`: its first day and the first day of the next.
    static func period(_ year: Int) -> (StatisticsPeriod.Day, StatisticsPeriod.Day) {
        (StatisticsPeriod.Day(year: year, month: 1, day: 1), StatisticsPeriod.Day(year: year + 1, month: 1, day: 1))
    }

    /// The newest published version of the county's allocation for `year`.
    static func published(county: Int?, year: Int, on db: any Database) async throws -> AllocationRecord? {
        guard let county else { return nil }
        return try await AllocationRecord.query(on: db).filter(\.$county.$id == county).filter(\.$year == year)
            .filter(\.$status == AllocationStatus.published.rawValue).sort(\.$version, .descending).first()
    }

    static func figures(allocated: Int64, _ figures: LedgerSummary.Figures) -> YearFigures {
        YearFigures(
            allocated: Int(allocated), opening: Int(figures.opening.fen), inflow: Int(figures.inflow.fen),
            outflow: Int(figures.outflow.fen), closing: Int(figures.closing.fen))
    }

    /// The disbursements booked to the village in [`from`, `to`), leaving out those reversed.
    static func received(
        _ village: AdminUnit, from: StatisticsPeriod.Day, to: StatisticsPeriod.Day, on db: any Database
    ) async throws -> [Received] {
        let rows = try await DisbursementRecord.query(on: db).filter(\.$village.$id == village.requireID())
            .filter(\.$accountingDate >= from.description).filter(\.$accountingDate < to.description)
            .sort(\.$accountingDate).sort(\.$id).all()
        let reversed = try await reversedEntries(rows.compactMap { $0.$entry.id }, on: db)
        return rows.filter { !reversed.contains($0.$entry.id ?? -1) }.map {
            Received(date: $0.accountingDate, amount: Int($0.amountFen))
        }
    }

    /// The village's claims posted in [`from`, `to`) and not reversed, by posting day. A person
    /// paid is shown by surname only; an organisation by its name.
    static func spent(
        _ village: AdminUnit, from: StatisticsPeriod.Day, to: StatisticsPeriod.Day, request: Request
    ) async throws -> [Spent] {
        let db = request.db
        let claims = try await ClaimRecord.query(on: db).filter(\.$village.$id == village.requireID())
            .filter(\.$state == ClaimState.posted.rawValue).all()
        let entryIDs = claims.compactMap(\.postedEntryID)
        guard !entryIDs.isEmpty else { return [] }
        let entries = try await LedgerEntryRecord.query(on: db).filter(\.$id ~~ entryIDs).all()
        let days = Dictionary(entries.compactMap { entry in entry.id.map { ($0, entry.accountingDate) } }) { a, _ in a }
        let reversed = try await reversedEntries(entryIDs, on: db)
        return
            claims.compactMap { claim -> (Int, Spent)? in
                guard let entry = claim.postedEntryID, !reversed.contains(entry), let day = days[entry],
                    from.description <= day, day < to.description
                else { return nil }
                let payee: String =
                    switch claim.payee {
                    case .organisation(let name): name
                    case .person(let name, _), .user(_, let name): Masked.name(name)
                    }
                return (
                    entry,
                    Spent(
                        date: day, purpose: claim.purpose, category: SpendingCategory.catalogKey(of: claim.category),
                        payee: payee, amount: Int(claim.amountFen))
                )
            }
            .sorted { ($0.1.date, $0.0) < ($1.1.date, $1.0) }.map(\.1)
    }

    /// Which of `ids` have been reversed.
    static func reversedEntries(_ ids: [Int], on db: any Database) async throws -> Set<Int> {
        guard !ids.isEmpty else { return [] }
        return Set(
            try await LedgerEntryRecord.query(on: db).filter(\.$reversesID ~~ ids).all().compactMap(\.reversesID))
    }
}
