import Metrics
import Prometheus
import Vapor

/// Process-wide metrics. swift-metrics can be bootstrapped once per process, so the registry
/// is created (and bootstrapped) on first use and shared by every application in the process;
/// Vapor then records `http_requests_total` and `http_request_duration_seconds` itself.
enum Observability {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    static func routes(_ app: Application) {
        app.get("healthz") { request async throws -> Response in
            // Healthy means the database answers, not just that the process runs.
            try await request.db.sql.raw("SELECT 1").run()
            return Response(status: .ok, headers: ["Content-Type": "text/plain"], body: .init(string: "ok\n"))
        }
        app.get("metrics") { _ -> Response in
            Response(
                status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4"],
                body: .init(string: registry.emitToString()))
        }
    }
}

/// Marks cookies Secure when configured to, or when the request came over TLS through a proxy.
struct SecureCookies: AsyncMiddleware {
    let always: Bool

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let viaTLS = request.headers.first(name: "X-Forwarded-Proto")?.lowercased() == "https"
        if always || viaTLS {
            for (name, var cookie) in response.cookies.all {
                cookie.isSecure = true
                response.cookies[name] = cookie
            }
        }
        return response
    }
}
