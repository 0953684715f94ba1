import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YunweiDomain

@testable import YunweiServer

/// What the access probes need: the fixture county with one of each resource in township A /
/// village A1, a second county with one person per role, and one person per role at township B
/// and village B1 of the same county.
struct ProbeWorld {
    static let secondCounty = "510122000000"
    static let secondTownship = "510122100000"
    static let secondVillage = "510122100201"
    static let secondDepartment = "510122100900"
    static let departmentB = "510121101900"

    /// Resource ids of township A / village A1, by the path segment that names them.
    var caseID = 0
    var claimID = 0
    var allocationID = 0
    var contractID = 0
    var batchID = 0
    var clientID = 0
    var grantID = 0
    var photoHash = ""
    var scanHash = ""
    var categoryCode = ""

    /// Users of the second county (`c2_<role>`) and of township B / village B1 (`b_<role>`).
    var otherCounty: [String] = []
    var otherUnits: [String] = []

    static func build(_ app: Application) async throws -> ProbeWorld {
        try await Fixture.seed(app)
        try await seedCategories(app)
        var world = ProbeWorld()
        try await world.addPeople(app)
        try await world.addResources(app)
        return world
    }

    /// A second county with a township, a village and a department, one user per role at its
    /// units; and one user per role at township B, village B1 and a department of township B.
    private mutating func addPeople(_ app: Application) async throws {
        let hash = try await app.password.async.hash(Fixture.password)
        let (c2, b) = try await app.db.write { db -> ([String], [String]) in
            let author = AuditTrail.Author.system
            var units: [String: AdminUnit] = [:]
            let plan: [(String, String, UnitKind, String?)] = [
                (Self.secondCounty, "云溪县", .county, nil),
                (Self.secondTownship, "白鹤镇", .township, Self.secondCounty),
                (Self.secondVillage, "竹林村", .village, Self.secondTownship),
                (Self.secondDepartment, "白鹤镇农业服务中心", .department, Self.secondTownship),
                (Self.departmentB, "石门乡农业服务中心", .department, Fixture.townshipB),
            ]
            for (code, name, kind, parent) in plan {
                units[code] = try await UnitRegistry.create(
                    code: code, name: name, kind: kind, parentCode: parent, by: author, on: db)
            }
            for code in [Fixture.townshipB, Fixture.villageB1] {
                units[code] = try await AdminUnit.query(on: db).filter(\.$code == code).first()
            }
            var c2: [String] = []
            var b: [String] = []
            for role in Role.allCases {
                let second: String =
                    switch role.heldAt {
                    case .county: Self.secondCounty
                    case .township: Self.secondTownship
                    case .department: Self.secondDepartment
                    default: Self.secondVillage
                    }
                let same: String? =
                    switch role.heldAt {
                    case .county: nil
                    case .township: Fixture.townshipB
                    case .department: Self.departmentB
                    default: Fixture.villageB1
                    }
                for (prefix, code) in [("c2_", second), ("b_", same)] {
                    guard let code else { continue }
                    let name = prefix + role.rawValue
                    let user = try await UserRegistry.create(
                        username: name, displayName: name, phone: nil, passwordHash: hash, by: author, on: db)
                    try await UserRegistry.grant(role, at: units[code]!, to: user, by: author, on: db)
                    if prefix == "c2_" { c2.append(name) } else { b.append(name) }
                }
            }
            return (c2, b)
        }
        otherCounty = c2
        otherUnits = b
    }

    /// A case with a photo, a submitted claim with a scan, an approved allocation, a caretaker
    /// contract and a payroll batch, an Open311 client: all of the first county, at A / A1.
    private mutating func addResources(_ app: Application) async throws {
        let grid = try await loadActor("grid_worker", on: app.db)
        let report = CaseDesk.Report(
            categoryCode: CaseDeskTests.roadDamage, villageCode: Fixture.villageA1, description: "村口道路塌陷一处，约两米宽",
            latitude: 30.1, longitude: 104.2, source: "grid", photos: [CasePagesTests.png])
        let record = try await CaseDesk.report(report, by: .person(grid), photos: app.photos, on: app.db)
        caseID = try record.requireID()
        photoHash = try #require(try await CasePhotoRecord.query(on: app.db).first()).sha256
        categoryCode = CaseDeskTests.roadDamage

        _ = try await ClaimAPITests.fund(app)
        allocationID = try #require(try await AllocationRecord.query(on: app.db).first()?.id)
        let clerk = try await Browser(app).signedIn("village_clerk")
        claimID = try await ClaimPagesTests.drafted(
            clerk, ClaimPagesTests.form(), scans: [("a.png", ClaimPagesTests.png)])
        #expect(try await ClaimAPITests.act(app, claimID, "submit", as: "village_clerk").status == .ok)
        scanHash = try #require(try await ClaimScanRecord.query(on: app.db).first()).sha256

        try await clerk.get("/payroll/contracts/new")
        let contract = try await clerk.post("/payroll/contracts", PayrollTests.contractForm(PayrollTests.people[0]))
        #expect(contract.status == .seeOther, "\(contract.body.string)")
        contractID = try #require(try await CaretakerContractRecord.query(on: app.db).first()?.id)
        let finance = try await Browser(app).signedIn("township_finance")
        try await finance.get("/payroll/batches/new")
        let batch = try await finance.post("/payroll/batches", ["township": Fixture.townshipA, "month": "2026-09"])
        #expect(batch.status == .seeOther, "\(batch.body.string)")
        batchID = try #require(try await PayrollBatchRecord.query(on: app.db).first()?.id)

        let county = try await LedgerAPITests.village(Fixture.county, on: app.db)
        let client = try await app.db.write { db in
            try await Open311Clients.issue(
                name: "桃源 App", county: county, key: Open311Clients.newKey(), by: .system, on: db)
        }
        clientID = try client.requireID()
        let clerkUser = try #require(try await User.query(on: app.db).filter(\.$username == "village_clerk").first())
        grantID = try #require(
            try await RoleGrant.query(on: app.db).filter(\.$user.$id == clerkUser.requireID()).first()?.id)
    }
}
