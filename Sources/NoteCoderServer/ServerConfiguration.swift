import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import NoteCoder
import Logging

/// Where `notecoder serve` listens and what it accepts.
public struct ServerConfiguration: Sendable {
    /// The address to bind: 127.0.0.1 by default, so only this machine can reach the page.
    public var host: String
    /// The port; 0 asks the system for a free one (the address printed at start names it).
    public var port: Int
    /// Request bodies larger than this are refused with 413 before any of it is decoded.
    public var maxBodyBytes: Int
    /// Notes larger than this (UTF-8 bytes) are refused by the engine with 422. It is below the
    /// body limit because JSON escaping makes a body larger than the note it carries.
    public var maxNoteBytes: Int
    /// A note that takes the engine longer is answered with 422 naming it, so that no request
    /// holds a worker indefinitely.
    public var maxNoteSeconds: Double
    /// Receives one line per request: method, path, status and duration, never the body.
    public var accessLog: AccessLog
    /// Names besides the bound address and the loopback names that `Host` may carry (a machine
    /// name when the server is bound to a LAN address or all interfaces).
    public var allowedHosts: [String]
    /// Notes coded at once, each on a thread of its own (see `EngineWorkers`).
    public var workers: Int
    /// Requests that may wait for a worker; one more is answered 503.
    public var queueLimit: Int
    /// A connection that sends nothing for this long (a request never finished, a client gone
    /// quiet) is closed, so slow or idle connections cannot pile up.
    public var idleTimeoutSeconds: Int

    public init(
        host: String = "127.0.0.1", port: Int = 8080, maxBodyBytes: Int = 1 << 20, maxNoteBytes: Int = 512 << 10,
        maxNoteSeconds: Double = NoteTimeLimit.defaultSeconds, accessLog: AccessLog = .standardError,
        allowedHosts: [String] = [], workers: Int = ServerConfiguration.defaultWorkers, queueLimit: Int? = nil,
        idleTimeoutSeconds: Int = 30
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.maxNoteBytes = maxNoteBytes
        self.maxNoteSeconds = maxNoteSeconds
        self.accessLog = accessLog
        self.allowedHosts = allowedHosts
        self.workers = max(1, workers)
        self.queueLimit = queueLimit ?? 16 * max(1, workers)
        self.idleTimeoutSeconds = idleTimeoutSeconds
    }

    /// One worker per core: coding is CPU work, more threads only share the same cores.
    public static var defaultWorkers: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// The names `Host` may carry for this configuration.
    public var hostNames: AllowedHosts { AllowedHosts(boundHost: host, additional: allowedHosts) }

    /// True when only this machine can connect: a loopback address or `localhost`.
    public var isLoopback: Bool { Self.isLoopback(host) }

    /// Loopback in any spelling the system accepts: `127.1` (inet_aton shorthand), `::1`,
    /// `[::1]`, `::ffff:127.0.0.1` (an IPv4-mapped address), `localhost`.
    public static func isLoopback(_ host: String) -> Bool {
        let host = bindAddress(host).lowercased()
        if host == "localhost" { return true }
        var v4 = in_addr()
        if inet_aton(host, &v4) != 0 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, host, &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes == [UInt8](repeating: 0, count: 15) + [1] { return true }
        // ::ffff:a.b.c.d carries an IPv4 address in its last four bytes.
        return bytes.prefix(10).allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF && bytes[12] == 127
    }

    /// Whether the address binds every interface (`0.0.0.0`, `::`, or none given).
    public static func isWildcard(_ host: String) -> Bool {
        ["0.0.0.0", "::", ""].contains(bindAddress(host))
    }

    /// The address as the socket takes it: an IPv6 address written in URL brackets (`[::1]`)
    /// without them.
    public static func bindAddress(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }

    /// The address to open in a browser for a server bound to `host` and `port`.
    public static func url(host: String, port: Int) -> String {
        let shown: String
        switch host {
        case "0.0.0.0", "": shown = "127.0.0.1"
        case "::": shown = "[::1]"
        default: shown = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        }
        return "http://\(shown):\(port)/"
    }
}

/// One finished request as the access log sees it. There is deliberately no field for the body.
public struct AccessLogEntry: Sendable, CustomStringConvertible {
    public var method: String
    /// The path without its query string.
    public var path: String
    public var status: Int
    public var milliseconds: Double

    public var description: String {
        "\(method) \(path) \(status) \((milliseconds * 10).rounded() / 10) ms"
    }
}

/// Where access-log entries go.
public struct AccessLog: Sendable {
    public let write: @Sendable (AccessLogEntry) -> Void

    public init(_ write: @escaping @Sendable (AccessLogEntry) -> Void) {
        self.write = write
    }

    /// One line per request on standard error, through the server's own logger, so requests
    /// and the server's start and stop read alike ("2026-12-07T09:30:00+0000 info NoteCoder: GET
    /// /v1/health 200 0.4 ms").
    public static let standardError = AccessLog { entry in
        ServerLog.logger.info("\(entry)")
    }

    /// Nothing at all (tests).
    public static let none = AccessLog { _ in }
}

/// The one logger of `notecoder serve` (swift-log): Hummingbird's own messages and the access
/// log go through it, to standard error, in one format. Standard output stays free for the
/// address line.
enum ServerLog {
    static let logger = Logger(label: "NoteCoder", factory: { StreamLogHandler.standardError(label: $0) })
}
