import Vapor

/// `/lang/en`, `/lang/zh-Hans`: remembers the chosen language in a cookie for a year and
/// goes back to the page the person came from.
struct LanguageSwitch: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("lang", ":language", use: switchLanguage)
    }

    func switchLanguage(request: Request) throws -> Response {
        guard let language = request.parameters.get("language").flatMap(Language.init(rawValue:)) else {
            throw YunweiError.notFound
        }
        let back = request.query[String.self, at: "back"].flatMap(LocalRedirect.safe) ?? "/"
        let response = request.redirect(to: back)
        response.cookies[Language.cookieName] = HTTPCookies.Value(
            string: language.rawValue, maxAge: 365 * 24 * 3600, path: "/", isHTTPOnly: true, sameSite: .lax)
        return response
    }
}

/// Only same-site paths are followed after login or a language switch, so nobody can use our
/// redirect to send a person elsewhere.
enum LocalRedirect {
    static func safe(_ target: String) -> String? {
        guard target.hasPrefix("/"), !target.hasPrefix("//"), !target.contains("\\"), !target.contains("\n") else {
            return nil
        }
        return target
    }
}
