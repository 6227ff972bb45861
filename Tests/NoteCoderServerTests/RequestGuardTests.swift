import Foundation
import Hummingbird
import HummingbirdTesting
import NoteCoder
@testable import NoteCoderServer
import Synchronization
import Testing

@Suite("notecoder serve: who may call it")
struct RequestGuardTests {
    @Test("a suggestion sent as anything but JSON is 415; JSON with a charset is read")
    func onlyJSON() async throws {
        let body = try jsonBody(["text": "Right knee pain."])
        try await makeApp().test(.router) { client in
            for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
                try await client.execute(uri: "/v1/suggest", method: .post, headers: [.contentType: type], body: body) { response in
                    #expect(response.status == .unsupportedMediaType, "\(type)")
                    #expect(errorMessage(response.body)?.contains("application/json") == true)
                }
            }
            try await client.execute(uri: "/v1/suggest", method: .post, body: body) { response in
                #expect(response.status == .unsupportedMediaType)
            }
            try await client.execute(uri: "/v1/suggest", method: .post, headers: [.contentType: "Application/JSON; charset=utf-8"], body: body) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("a request from another page (Origin) is 403; the server's own page is answered")
    func foreignOrigin() async throws {
        let body = try jsonBody(["text": "Right knee pain."])
        try await makeApp().test(.router) { client in
            // The test client calls the server "localhost" (port 80 by default).
            for origin in ["http://evil.example", "null", "http://localhost:8081", "https://localhost"] {
                var headers = jsonHeaders
                headers[.origin] = origin
                try await client.execute(uri: "/v1/suggest", method: .post, headers: headers, body: body) { response in
                    #expect(response.status == .forbidden, "\(origin)")
                }
                try await client.execute(uri: "/v1/health", method: .get, headers: [.origin: origin]) { response in
                    #expect(response.status == .forbidden, "\(origin)")
                }
            }
            var headers = jsonHeaders
            headers[.origin] = "http://localhost"
            try await client.execute(uri: "/v1/suggest", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("a request calling the server by a name it was not given (DNS rebinding) is 403, over a real socket")
    func foreignHost() async throws {
        try await makeApp().test(.live) { client in
            let port = try #require(client.port)
            try await TestClient.withClient(host: "127.0.0.1", port: port) { raw in
                for (authority, allowed) in [("evil.example:\(port)", false), ("127.0.0.1.evil.example", false),
                                             ("localhost:\(port)", true), ("127.0.0.1:\(port)", true), ("[::1]:\(port)", true)] {
                    let response = try await raw.execute(.init("/v1/health", method: .get, authority: authority))
                    #expect((response.status == .ok) == allowed, "\(authority)")
                    if !allowed { #expect(response.status == .forbidden) }
                }
            }
        }
    }

    @Test("the names a server answers to follow its bind address and --allowed-host")
    func allowedHosts() {
        let loopback = AllowedHosts(boundHost: "127.0.0.1")
        #expect(loopback.allows(authority: "127.0.0.1:8080"))
        #expect(loopback.allows(authority: "127.5.6.7"))
        #expect(loopback.allows(authority: "LOCALHOST:8080"))
        #expect(loopback.allows(authority: "[::1]:8080"))
        #expect(!loopback.allows(authority: "attacker.example:8080"))
        #expect(!loopback.allows(authority: "127.0.0.1.nip.io"))
        let lan = AllowedHosts(boundHost: "192.168.1.20", additional: ["coding-pc"])
        #expect(lan.allows(authority: "192.168.1.20:8080"))
        #expect(lan.allows(authority: "coding-pc:8080"))
        #expect(!lan.allows(authority: "192.168.1.21:8080"))
        // Bound to every interface with no name given: the operator accepted any name.
        #expect(AllowedHosts(boundHost: "0.0.0.0").names == nil)
        #expect(!AllowedHosts(boundHost: "0.0.0.0", additional: ["coding-pc"]).allows(authority: "other:80"))
        #expect(AllowedHosts.sameOrigin("http://localhost:8080", authority: "localhost:8080"))
        #expect(AllowedHosts.sameOrigin("http://localhost", authority: "localhost:80"))
        #expect(!AllowedHosts.sameOrigin("http://localhost:8080", authority: "localhost:9090"))
    }

    @Test("GET /v1/suggest is 405 naming POST; HEAD / is answered")
    func methods() async throws {
        try await makeApp().test(.router) { client in
            try await client.execute(uri: "/v1/suggest", method: .get) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
            }
            try await client.execute(uri: "/", method: .head) { response in
                #expect(response.status == .ok)
            }
        }
    }
}

@Suite("notecoder serve: the engine's own workers")
struct EngineWorkersTests {
    /// Work that holds its worker until the test lets it go.
    final class Gate: Sendable {
        let opened = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        func hold() -> Int { started.signal(); opened.wait(); return 1 }
    }

    @Test("notes held on every worker do not stop async work on the shared executor", .timeLimit(.minutes(1)))
    func sharedExecutorStaysFree() async throws {
        // More held notes than this machine's shared executor has threads: had they run on it,
        // the task below could never run.
        let count = ProcessInfo.processInfo.activeProcessorCount + 2
        let workers = EngineWorkers(workers: count, queueLimit: 0)
        let gate = Gate()
        let held = Task {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<count { group.addTask { try await workers.run { gate.hold() } } }
                return try await group.reduce(0, +)
            }
        }
        for _ in 0..<count { await withCheckedContinuation { c in DispatchQueue.global().async { gate.started.wait(); c.resume() } } }
        #expect(workers.load.running == count)
        // The shared executor still answers.
        let answered = await Task.detached { 42 }.value
        #expect(answered == 42)
        for _ in 0..<count { gate.opened.signal() }
        #expect(try await held.value == count)
        #expect(workers.load.running == 0)
    }

    @Test("past the workers and the queue a note is refused as busy, and a queued one runs when a worker frees", .timeLimit(.minutes(1)))
    func busy() async throws {
        let workers = EngineWorkers(workers: 1, queueLimit: 1)
        let gate = Gate()
        let first = Task { try await workers.run { gate.hold() } }
        await withCheckedContinuation { c in DispatchQueue.global().async { gate.started.wait(); c.resume() } }
        let queued = Task { try await workers.run { 2 } }
        while workers.load.waiting == 0 { try await Task.sleep(for: .milliseconds(5)) }
        await #expect(throws: EngineWorkers.Busy.self) { try await workers.run { 3 } }
        gate.opened.signal()
        #expect(try await first.value == 1)
        #expect(try await queued.value == 2)
        #expect(workers.load == (0, 0))
    }
}
