import Dispatch
import Hummingbird

/// Logs method, path (without the query), status and duration of every request. Bodies are
/// never read here, so note text cannot reach the log.
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let log: AccessLog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = DispatchTime.now().uptimeNanoseconds
        func entry(_ status: Int) -> AccessLogEntry {
            AccessLogEntry(
                method: request.method.rawValue, path: request.uri.path, status: status,
                milliseconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
        }
        do {
            let response = try await next(request, context)
            log.write(entry(response.status.code))
            return response
        } catch let error as any HTTPResponseError {
            log.write(entry(error.status.code))
            throw error
        } catch {
            log.write(entry(500))
            throw error
        }
    }
}

/// Headers that keep the page to its own origin: it loads scripts, styles and data only from
/// this server, and cannot be framed by another site.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var contentSecurityPolicy: String {
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            var response = try await next(request, context)
            add(to: &response.headers)
            return response
        } catch let error as HTTPError {
            var error = error
            add(to: &error.headers)
            throw error
        }
    }

    func add(to headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[Self.referrerPolicy] = "no-referrer"
        headers[Self.frameOptions] = "DENY"
    }

    // `HTTPFields.Element` is HTTPTypes' `HTTPField`, reached through the type Hummingbird exports.
    static var referrerPolicy: HTTPFields.Element.Name { .init("Referrer-Policy")! }
    static var frameOptions: HTTPFields.Element.Name { .init("X-Frame-Options")! }
}
