import Foundation
public import NoteCoder

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

    public static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased()
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
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

    /// One line per request on standard error.
    public static let standardError = AccessLog { entry in
        StandardError.write("notecoder serve: \(entry)\n")
    }

    /// Nothing at all (tests).
    public static let none = AccessLog { _ in }
}
