import Dispatch
import Foundation
public import Hummingbird
public import NoteCoder
import Synchronization

/// The local web page and JSON API behind `notecoder serve`.
///
/// Routes:
/// - `GET /` — the page (HTML); `GET /assets/app.css`, `GET /assets/app.js` — its style and script.
///   Everything the page needs is compiled into the binary; it loads nothing from the internet.
/// - `POST /v1/suggest` — `{"text": "...", "dateOfService": "YYYY-MM-DD"?, "id": "..."?}` → the
///   report of `notecoder suggest --format json`; `?format=fhir` the FHIR R4 Claim bundle,
///   `?format=claim-csv` the claim rows.
/// - `GET /v1/code/{code}?date=YYYY-MM-DD` — what `notecoder code CODE --date DAY --format json` prints.
/// - `GET /v1/health` — `{"status": "ok", ...}`.
///
/// The engine runs on the server's own worker threads (`EngineWorkers`), so slow notes never
/// hold the threads that answer other requests. Only this server's own page, called by this
/// server's own names, is answered (`AllowedHosts`), and a suggestion must be sent as
/// `application/json`, which a page on another site cannot send without asking first (CORS).
///
/// Notes are never stored or logged: the access log records method, path, status and duration.
public struct NoteCoderServer: Sendable {
    public let engine: Engine
    public let configuration: ServerConfiguration
    let workers: EngineWorkers

    public init(lexicon: Lexicon, configuration: ServerConfiguration = ServerConfiguration()) {
        self.engine = Engine(lexicon: lexicon, maxNoteBytes: configuration.maxNoteBytes, timeLimit: NoteTimeLimit(seconds: configuration.maxNoteSeconds))
        self.configuration = configuration
        workers = EngineWorkers(workers: configuration.workers, queueLimit: configuration.queueLimit)
    }

    /// The routes, for the application and for tests (`app.test(.router)`).
    public func buildRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: AccessLogMiddleware(log: configuration.accessLog))
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: RequestOriginMiddleware(hosts: configuration.hostNames))

        router.get("/") { _, _ in Self.asset(PageAssets.html, type: "text/html; charset=utf-8") }
        router.head("/") { _, _ in Self.asset("", type: "text/html; charset=utf-8") }
        router.get("/index.html") { _, _ in Self.asset(PageAssets.html, type: "text/html; charset=utf-8") }
        router.get("/assets/app.css") { _, _ in Self.asset(PageAssets.css, type: "text/css; charset=utf-8") }
        router.get("/assets/app.js") { _, _ in Self.asset(PageAssets.script, type: "text/javascript; charset=utf-8") }

        let api = SuggestAPI(engine: engine, maxBodyBytes: configuration.maxBodyBytes, workers: workers)
        router.get("/v1/health") { _, _ in try api.health() }
        router.post("/v1/suggest") { request, context in try await api.suggest(request, context: context) }
        // The suggestion takes a note, so only POST: a GET is told which method to use.
        router.get("/v1/suggest") { _, _ -> Response in throw SuggestAPI.onlyPost() }
        router.get("/v1/code/{code}") { request, context in try api.code(request, context: context) }
        return router
    }

    /// The application bound to the configured host and port. `onRunning` receives the address
    /// to open once the socket is listening (with the real port when the configuration says 0).
    public func buildApplication(onRunning: @escaping @Sendable (String) -> Void = { _ in }) -> some ApplicationProtocol {
        let host = configuration.host
        return Application(
            router: buildRouter(),
            server: .http1(configuration: .init(idleTimeout: .seconds(Int64(configuration.idleTimeoutSeconds)))),
            configuration: .init(address: .hostname(ServerConfiguration.bindAddress(host), port: configuration.port), serverName: "NoteCoder"),
            onServerRunning: { channel in
                onRunning(ServerConfiguration.url(host: host, port: channel.localAddress?.port ?? 0))
            },
            logger: ServerLog.logger
        )
    }

    /// Runs until SIGINT or SIGTERM, then shuts down gracefully.
    public func run(onRunning: @escaping @Sendable (String) -> Void = { _ in }) async throws {
        try await buildApplication(onRunning: onRunning).runService()
    }

    /// `run` for a synchronous caller (the command-line tool): blocks the calling thread until
    /// the server stops, and rethrows what stopped it.
    public func runBlocking(onRunning: @escaping @Sendable (String) -> Void = { _ in }) throws {
        let outcome = Outcome()
        let server = self
        Task {
            do {
                try await server.run(onRunning: onRunning)
            } catch {
                outcome.failure.withLock { $0 = error }
            }
            outcome.stopped.signal()
        }
        outcome.stopped.wait()
        if let error = outcome.failure.withLock({ $0 }) { throw error }
    }

    static func asset(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// How a server run by `runBlocking` ended, shared between the server task and the waiting thread.
private final class Outcome: Sendable {
    let failure = Mutex<(any Error)?>(nil)
    let stopped = DispatchSemaphore(value: 0)
}

