import Hummingbird

/// Which names a request may call this server by, and which web pages may send it requests.
///
/// The server runs on a coder's own computer, and any web page the coder opens can make the
/// browser send it requests. Two checks keep such a page out:
/// - **Host**: a page on another site that makes its own name resolve to 127.0.0.1 (DNS
///   rebinding) reaches this server with that name in `Host`; only the names the server was
///   bound as (loopback names, the `--host` given, `--allowed-host` additions) are answered.
/// - **Origin**: a browser names the page that sent a request; only this server's own page
///   (the same scheme, name and port as the request's `Host`) is answered.
/// A request without `Host` or `Origin` (curl, scripts, tests) passes the check it lacks: such
/// clients are not browsers acting for a page.
public struct AllowedHosts: Sendable, Equatable {
    /// Lower-case host names without port or brackets; nil means any name (a wildcard bind with
    /// no `--allowed-host`: the operator chose to be reached by whatever name the network uses).
    public let names: Set<String>?

    public init(boundHost: String, additional: [String] = []) {
        let bound = Self.hostName(boundHost)
        var names = Set(additional.map(Self.hostName))
        if ServerConfiguration.isWildcard(bound) {
            self.names = additional.isEmpty ? nil : names
        } else {
            names.insert(bound)
            self.names = names
        }
    }

    /// Whether a `Host` value (name, optional port) names this server.
    public func allows(authority: String) -> Bool {
        guard let names else { return true }
        let name = Self.hostName(authority)
        return names.contains(name) || ServerConfiguration.isLoopback(name)
    }

    /// Whether an `Origin` value is this server's own page for a request sent to `authority`.
    public static func sameOrigin(_ origin: String, authority: String) -> Bool {
        let origin = origin.lowercased()
        guard origin.hasPrefix("http://") else { return false }
        let originAuthority = String(origin.dropFirst("http://".count))
        return withDefaultPort(originAuthority) == withDefaultPort(authority.lowercased())
    }

    /// The name in `name[:port]`, `[v6]:port` or a bare address, lower-cased, without brackets.
    static func hostName(_ authority: String) -> String {
        let value = authority.lowercased()
        if value.hasPrefix("[") {
            return String(value.dropFirst().prefix { $0 != "]" })
        }
        // A bare IPv6 address has more than one colon and no port.
        if value.filter({ $0 == ":" }).count > 1 { return value }
        return String(value.prefix { $0 != ":" })
    }

    static func withDefaultPort(_ authority: String) -> String {
        let hasPort = authority.hasPrefix("[") ? authority.contains("]:") : authority.contains(":")
        return hasPort ? authority : authority + ":80"
    }
}

/// Answers 403 to a request whose `Host` is not one of this server's names or whose `Origin` is
/// another page; everything else goes on to the routes.
struct RequestOriginMiddleware<Context: RequestContext>: RouterMiddleware {
    let hosts: AllowedHosts

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let authority = request.head.authority
        if let authority, !hosts.allows(authority: authority) {
            throw HTTPError(.forbidden, message: "this server does not answer to the name '\(authority.prefix(80))'; open it by its own address")
        }
        if let origin = request.headers[.origin] {
            guard let authority, AllowedHosts.sameOrigin(origin, authority: authority) else {
                throw HTTPError(.forbidden, message: "requests from another page ('\(origin.prefix(80))') are refused")
            }
        }
        return try await next(request, context)
    }
}
