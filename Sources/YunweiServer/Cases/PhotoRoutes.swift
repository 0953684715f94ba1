import Fluent
import Foundation
import Vapor
import YunweiDomain

/// `/photos/HASH`: a case photo from the photo store, to those who may see a case it belongs to —
/// a signed-in person who may view the case, or the public holding the query code of a case that
/// is not private (`?code=`, as the tracking page links it). Anyone else gets 404, as for a photo
/// that does not exist. Photos never change under their hash, so browsers may keep them.
struct PhotoRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("photos", ":hash", use: photo)
    }

    func photo(request: Request) async throws -> Response {
        let hash = request.parameters.get("hash") ?? ""
        guard hash.utf8.count == 64, hash.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) })
        else { throw YunweiError.notFound }
        let photos = try await CasePhotoRecord.query(on: request.db).filter(\.$sha256 == hash).with(\.$caseRecord)
            .limit(50).all()
        let code = (try? request.query.get(String.self, at: "code")).flatMap { QueryCode($0) }
        let allowed = photos.contains { photo in
            let record = photo.caseRecord
            if let actor = request.actor, CasePolicy.mayView(actor, record.place) { return true }
            return code != nil && record.queryCode == code?.rawValue && !record.isPrivate
        }
        guard allowed, let first = photos.first else { throw YunweiError.notFound }
        let path = request.application.photos.path(for: hash, contentType: first.contentType)
        guard FileManager.default.fileExists(atPath: path) else { throw YunweiError.notFound }
        let type = first.contentType == "image/png" ? HTTPMediaType.png : HTTPMediaType.jpeg
        let response = try await request.fileio.asyncStreamFile(at: path, mediaType: type)
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=31536000, immutable")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return response
    }
}
