import Fluent
import Foundation
import Testing

@testable import YunweiServer

/// Every model names its properties itself (`var properties`), so that FluentKit does not find
/// them by reflection on every row it reads or writes. A property left out of that list would
/// silently never be read or written: these tests hold each list to what reflection finds.
@Suite("Models list their properties as reflection finds them")
struct ModelPropertiesTests {
    static let models: [any Model.Type] = [
        User.self, RoleGrant.self, APIToken.self, AuditRecord.self, CategoryRecord.self, CaseRecord.self,
        CaseEventRecord.self, CasePhotoRecord.self, SupervisionRecord.self, Open311ClientRecord.self,
        ReportThrottleRecord.self, IdempotencyRecord.self, AllocationRecord.self, AllocationRowRecord.self,
        ClaimRecord.self, ClaimInvoiceRecord.self, ClaimEventRecord.self, ClaimObjectionRecord.self,
        ClaimScanRecord.self, LedgerEntryRecord.self, LedgerLineRecord.self, ReservationRecord.self,
        DisbursementRecord.self, CaretakerContractRecord.self, PayrollBatchRecord.self, PayrollLineRecord.self,
        FactorRecord.self, AdminUnit.self,
    ]

    @Test("each model's list holds the same property objects, in the same order, as reflection")
    func listsMatchReflection() {
        for type in Self.models {
            let model = type.init()
            let listed = model.properties.map { $0 as AnyObject }
            let reflected = Mirror(reflecting: model).children.compactMap { $0.value as? any AnyProperty }
                .map { $0 as AnyObject }
            #expect(listed.count == reflected.count, "\(type): \(listed.count) listed, \(reflected.count) found")
            #expect(
                zip(listed, reflected).allSatisfy { $0 === $1 },
                "\(type): the listed properties differ from the declared ones, or their order does")
        }
    }

    @Test("every model in the sources is checked here")
    func everyModelChecked() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources").standardizedFileURL
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var declared: Set<String> = []
        let pattern = /(?m)^final class (\w+): Model\b/
        for case let file as URL in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            declared.formUnion(text.matches(of: pattern).map { String($0.output.1) })
        }
        #expect(declared.count >= 28)
        #expect(declared == Set(Self.models.map { String(describing: $0) }))
    }
}
