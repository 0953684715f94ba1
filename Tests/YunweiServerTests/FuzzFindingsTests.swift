import Foundation
import Testing
import Vapor
import VaporTesting

@testable import YunweiServer

/// What `scripts/fuzz` found, each reproduced with the request that found it: the server
/// answers a structured 4xx where it used to stop or hang.
@Suite("Fuzz findings")
struct FuzzFindingsTests {
    /// Sends `body` with a raw `Content-Type`, as the fuzzer does.
    static func send(
        _ app: Application, _ path: String, method: HTTPMethod = .POST, contentType: String, body: String,
        headers: [(String, String)] = []
    ) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(method, path) { request in
            request.headers.replaceOrAdd(name: .contentType, value: contentType)
            for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
            request.body = ByteBuffer(string: body)
        }
    }

    @Test("a multipart form with an empty boundary is a 400 page, not a stopped process")
    func emptyBoundaryForm() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let part = "--b\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\na\u{0}b\r\n--b--\r\n"
            let multipart = try await Self.send(
                app, "/open311/v2/requests.json", contentType: "multipart/form-data; boundary=b", body: part)
            #expect(multipart.status == .badRequest)
            let file = part.replacingOccurrences(of: "name=\"description\"", with: "name=\"f\"; filename=\"a.jpg\"")
            #expect(NulCharacterCheck.textPartCarriesNul(Data(file.utf8), boundary: Data("--b".utf8)) == false)

            let browser = try await Browser(app).signedIn("village_clerk")
            var headers = [("Accept", "text/html")]
            headers.append(("Cookie", browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")))
            headers.append(("X-CSRF-Token", try #require(browser.csrf)))
            for type in ["multipart/form-data; boundary=", "multipart/form-data", "Multipart/Form-Data; boundary=\"\""]
            {
                let response = try await Self.send(
                    app, "/claims", contentType: type, body: "_csrf=x&purpose=y", headers: headers)
                #expect(response.status == .badRequest, "\(type)")
                #expect(response.headers.contentType?.subType == "html")
                #expect(response.body.string.contains("class=\"error\""))
            }
            // The server still answers.
            #expect(try await browser.get("/account").status == .ok)
        }
    }

    @Test("the API and Open311 refuse an empty boundary in their own error formats")
    func emptyBoundaryAPIAndOpen311() async throws {
        try await withApp { app in
            try await Open311Client.seed(app)
            let api = try await Self.send(
                app, "/api/v1/tokens", contentType: "multipart/form-data; boundary=", body: "--\r\n")
            #expect(api.status == .badRequest)
            let error = try JSONSerialization.jsonObject(with: Data(api.body.string.utf8)) as? [String: Any]
            #expect((error?["error"] as? [String: Any])?["code"] as? String == "bad_request")

            let json = try await Self.send(
                app, "/open311/v2/requests.json", contentType: "multipart/form-data; boundary=",
                body: "api_key=\(Open311Client.key)")
            #expect(json.status == .badRequest)
            let list = try JSONSerialization.jsonObject(with: Data(json.body.string.utf8)) as? [[String: Any]]
            #expect(list?.first?["code"] as? Int == 400)

            let xml = try await Self.send(
                app, "/open311/v2/requests.xml", contentType: "multipart/form-data; boundary=", body: "")
            #expect(xml.status == .badRequest)
            #expect(xml.body.string.contains("<errors><error><code>400</code>"))
        }
    }

    @Test("a path the static files refuse (/..%2f..) is an error page, not a stopped process")
    func traversalPath() async throws {
        try await withApp { app in
            for path in ["/..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/etc/passwd", "/css/..%2f..%2fPackage.swift"] {
                let response = try await app.testing().sendRequest(.GET, path) { request in
                    request.headers.replaceOrAdd(name: .accept, value: "text/html")
                }
                #expect((400..<500).contains(response.status.code), "\(path)")
                #expect(response.body.string.contains("class=\"status\""), "\(path)")
            }
            #expect(try await app.testing().sendRequest(.GET, "/healthz").status == .ok)
        }
    }

    /// A body marked `Content-Encoding: gzip` that is not gzip dropped the connection without an
    /// answer (NIO's request decompression fails the channel): bodies are read as sent, so it is
    /// refused as bad input like any other.
    @Test("request bodies are not decompressed; a gzip-labelled form is refused with a page")
    func gzipLabelledBody() async throws {
        try await withApp { app in
            try await Fixture.seed(app)
            let browser = try await Browser(app).signedIn("county_admin")
            let headers = [
                ("Accept", "text/html"), ("Content-Encoding", "gzip"),
                ("Cookie", browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")),
            ]
            // Over a real connection: the in-memory tester does not decompress.
            let live = try app.testing(method: .running(hostname: "127.0.0.1", port: Int.random(in: 20000..<30000)))
            let response = try await live.sendRequest(.POST, "/units") { request in
                request.headers.replaceOrAdd(name: .contentType, value: "application/x-www-form-urlencoded")
                for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
                request.body = ByteBuffer(string: "_csrf=\(try #require(browser.csrf))&parent=1&kind=x")
            }
            #expect((400..<500).contains(response.status.code))
        }
    }

    /// PostgreSQL cannot hold a NUL in text: a value with one answered 500 wherever it reached a
    /// query (Open311 `jurisdiction_id=%00`, any form field). Refused with 400 on both databases.
    @Test("a NUL character in the address, a form or JSON is a 400 in the caller's format")
    func nulCharacter() async throws {
        try await withApp { app in
            try await Open311Client.seed(app)
            let get = try await app.testing().sendRequest(.GET, "/open311/v2/services/FAC-ROAD.xml?jurisdiction_id=%00")
            #expect(get.status == .badRequest)
            #expect(get.body.string.contains("<code>400</code>"))

            let open311 = try await Self.send(
                app, "/open311/v2/requests.json", contentType: "application/x-www-form-urlencoded",
                body: "api_key=\(Open311Client.key)&service_code=FAC-ROAD&description=a%00b&address_id=510121100201")
            #expect(open311.status == .badRequest)
            let list = try JSONSerialization.jsonObject(with: Data(open311.body.string.utf8)) as? [[String: Any]]
            #expect(list?.first?["code"] as? Int == 400)

            let api = try await Self.send(
                app, "/api/v1/tokens", contentType: "application/json",
                body: #"{"username":"county_admin\u0000","password":"x"}"#)
            #expect(api.status == .badRequest)

            let browser = try await Browser(app).signedIn("village_clerk")
            let form = try await browser.post("/account/password", ["current": "a\u{0}b"])
            #expect(form.status == .badRequest)
            #expect(form.body.string.contains("class=\"error\""))
            #expect(try await browser.get("/account").status == .ok)
        }
    }
}
