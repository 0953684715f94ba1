import Fluent
import Vapor
import YunweiDomain

/// `/cases/new`: a grid worker 网格员 reports a case — first its subcategory, then the form with
/// that category's questions, village, place and photos. The new case's page follows, with the
/// cases it may duplicate.
struct CaseReportPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("cases", "new", use: form)
        routes.on(.POST, "cases", body: .collect(maxSize: "32mb"), use: file)
    }

    func form(request: Request) async throws -> Response {
        let desk = try await ReportForm.gridDesk(try request.requireActor(), on: request.db)
        let step = try request.query.decode(ReportForm.Input.self)
        return try await ReportForm.render(
            request, desk, categoryCode: step.category, input: nil, issues: [], status: .ok)
    }

    func file(request: Request) async throws -> Response {
        let actor = try request.requireActor()
        let desk = try await ReportForm.gridDesk(actor, on: request.db)
        let input = try request.content.decode(ReportForm.Input.self)
        do {
            let record = try await ReportForm.file(input, source: "grid", by: .person(actor), request)
            request.setNotice("case_pages.report.filed")
            return request.redirect(to: "/cases/\(try record.requireID())")
        } catch let error as CaseDesk.InputError {
            return try await ReportForm.render(
                request, desk, categoryCode: input.category, input: input, issues: error.issues,
                status: .unprocessableEntity)
        }
    }
}
