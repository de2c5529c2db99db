import Hummingbird
import HTTPTypes

/// Headers OWASP asks of every reply, whatever the route or the error:
/// no MIME sniffing, no framing, no referrer, and HSTS when the server
/// speaks TLS (a browser that once reached it over HTTPS never falls back).
struct SecurityHeaders: RouterMiddleware {
    typealias Context = ServeContext
    let tls: Bool

    func handle(_ request: Request, context: ServeContext, next: (Request, ServeContext) async throws -> Response) async throws -> Response {
        do {
            var response = try await next(request, context)
            add(&response.headers)
            return response
        } catch let error as any HTTPResponseError {
            var response = try error.response(from: request, context: context)
            add(&response.headers)
            return response
        }
    }

    func add(_ headers: inout HTTPFields) {
        for (name, value) in [("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"), ("Referrer-Policy", "no-referrer")] {
            if let n = HTTPField.Name(name) { headers[n] = value }
        }
        if tls, let n = HTTPField.Name("Strict-Transport-Security") { headers[n] = "max-age=31536000" }
        if headers[.contentSecurityPolicy] == nil, let n = HTTPField.Name("Content-Security-Policy") {
            headers[n] = "default-src 'none'; frame-ancestors 'none'"
        }
    }
}

extension HTTPField.Name {
    static let contentSecurityPolicy = HTTPField.Name("Content-Security-Policy")!
}
