import Foundation
import Hummingbird
import HummingbirdTesting
import NoteCoder
import NoteCoderServer
import Synchronization
import Testing

/// Paths in the repository, found from this file so the tests run from any directory.
enum Repository {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { break }
            url = parent
        }
        return url
    }()

    static func note(_ name: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent("Corpus/notes/\(name)"), encoding: .utf8)
    }
}

/// The repository's lexicon, loaded once for all tests.
enum SharedLexicon {
    static let loaded: Result<Lexicon, LexiconError> = Result { () throws(LexiconError) -> Lexicon in
        try Lexicon.load(from: Repository.root.appendingPathComponent("Lexicons"))
    }
    static func lexicon() throws -> Lexicon { try loaded.get() }
}

/// Collects access-log entries so a test can read what the server would have logged.
final class LogRecorder: Sendable {
    private let entries = Mutex<[AccessLogEntry]>([])
    var log: AccessLog { AccessLog { entry in self.entries.withLock { $0.append(entry) } } }
    var all: [AccessLogEntry] { entries.withLock { $0 } }
}

func makeApp(_ configuration: ServerConfiguration = ServerConfiguration(accessLog: .none)) throws -> some ApplicationProtocol {
    let server = NoteCoderServer(lexicon: try SharedLexicon.lexicon(), configuration: configuration)
    return Application(router: server.buildRouter())
}

func jsonBody(_ object: [String: Any]) throws -> ByteBuffer {
    ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object))
}

func decodeReport(_ buffer: ByteBuffer) throws -> Report {
    try JSONDecoder().decode(Report.self, from: Data(buffer.readableBytesView))
}

func errorMessage(_ buffer: ByteBuffer) -> String? {
    guard let object = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any],
          let error = object["error"] as? [String: Any] else { return nil }
    return error["message"] as? String
}

let jsonHeaders: HTTPFields = [.contentType: "application/json"]

@Suite("notecoder serve: the JSON API")
struct APITests {
    @Test func health() async throws {
        try await makeApp().test(.router) { client in
            try await client.execute(uri: "/v1/health", method: .get) { response in
                #expect(response.status == .ok)
                let object = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect(object?["status"] as? String == "ok")
                #expect((object?["concepts"] as? Int ?? 0) > 0)
            }
        }
    }

    @Test("a corpus note gives diagnoses and procedures with evidence inside the note")
    func suggestRealNote() async throws {
        let text = try Repository.note("nc-009.txt")
        let bytes = Array(text.utf8)
        try await makeApp().test(.router) { client in
            try await client.execute(uri: "/v1/suggest", method: .post, headers: jsonHeaders, body: try jsonBody(["text": text])) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                #expect(response.headers[.cacheControl] == "no-store")
                let report = try decodeReport(response.body)
                #expect(report.diagnoses.contains { $0.code.hasPrefix("M17") })
                #expect(report.procedures.contains { $0.code == "20610" })
                #expect(report.dateOfService == "2024-10-03")
                for evidence in report.diagnoses.flatMap(\.evidence) + report.procedures.flatMap(\.evidence) {
                    #expect(evidence.end <= bytes.count)
                    #expect(String(decoding: bytes[evidence.start..<evidence.end], as: UTF8.self) == evidence.text)
                }
            }
        }
    }

    @Test("the API answers with the FHIR Claim bundle or the claim rows when asked, and refuses another format")
    func claimFormats() async throws {
        let text = try Repository.note("nc-009.txt")
        try await makeApp().test(.router) { client in
            try await client.execute(uri: "/v1/suggest?format=fhir", method: .post, headers: jsonHeaders, body: try jsonBody(["text": text])) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/fhir+json") == true)
                let bundle = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect(bundle?["resourceType"] as? String == "Bundle")
            }
            try await client.execute(uri: "/v1/suggest?format=claim-csv", method: .post, headers: jsonHeaders, body: try jsonBody(["text": text])) { response in
                #expect(response.status == .ok)
                let rows = String(buffer: response.body).split(separator: "\n")
                #expect(rows.first?.hasPrefix("note_id,date_of_service,line,procedure_code") == true)
                #expect(rows.count == 2 && rows[1].contains(",20610,RT,"))
            }
            try await client.execute(uri: "/v1/suggest?format=xml", method: .post, headers: jsonHeaders, body: try jsonBody(["text": text])) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test("the API answers as `suggest --format json` does for the same note")
    func sameAsEngine() async throws {
        let text = try Repository.note("nc-009.txt")
        let expected = try Engine(lexicon: try SharedLexicon.lexicon()).code(Note(id: "nc-009", text: text)).jsonData()
        try await makeApp().test(.router) { client in
            try await client.execute(uri: "/v1/suggest", method: .post, headers: jsonHeaders,
                                     body: try jsonBody(["text": text, "id": "nc-009"])) { response in
                #expect(response.status == .ok)
                #expect(Data(response.body.readableBytesView) == expected)
            }
        }
    }

    @Test("a date of service given in the request wins")
    func dateOfService() async throws {
        let text = try Repository.note("nc-009.txt")
        try await makeApp().test(.router) { client in
            try await client.execute(uri: "/v1/suggest", method: .post, headers: jsonHeaders,
                                     body: try jsonBody(["text": text, "dateOfService": "2024-11-05"])) { response in
                let report = try decodeReport(response.body)
                #expect(report.dateOfService == "2024-11-05")
                #expect(report.dateSource == "flag")
            }
        }
    }

    @Test("bad requests get 400 with a message, and the server keeps serving", arguments: [
        ("{\"text\": ", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        ("{}", "'text'"),
        ("{\"text\": 42}", "'text' must be a string"),
        ("{\"text\": \"knee pain\", \"dateOfService\": \"03/12/2024\"}", "YYYY-MM-DD"),
        ("{\"text\": \"knee pain\", \"dateOfService\": \"2024-02-30\"}", "no such day: February 2024 has 29 days"),
        ("{\"text\": \"knee pain\", \"dateOfService\": \"2024-+1-15\"}", "not of the form YYYY-MM-DD"),
    ])
    func badRequests(body: String, message: String) async throws {
        try await makeApp().test(.router) { client in
            try await client.execute(uri: "/v1/suggest", method: .post, headers: jsonHeaders, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .badRequest)
                let text = try #require(errorMessage(response.body))
                #expect(text.contains(message))
            }
            try await client.execute(uri: "/v1/health", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("a body over the limit gets 413")
    func oversizedBody() async throws {
        let configuration = ServerConfiguration(maxBodyBytes: 64 << 10, accessLog: .none)
        let big = String(repeating: "Right knee pain. ", count: 8_000)  // about 136 KB
        try await makeApp(configuration).test(.router) { client in
            try await client.execute(uri: "/v1/suggest", method: .post, headers: jsonHeaders, body: try jsonBody(["text": big])) { response in
                #expect(response.status == .contentTooLarge)
                #expect(errorMessage(response.body)?.contains("limit") == true)
            }
            try await client.execute(uri: "/v1/suggest", method: .post, headers: jsonHeaders, body: try jsonBody(["text": "Right knee pain."])) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("the default body limit is 1 MB")
    func defaultBodyLimit() async throws {
        let big = String(repeating: "x", count: (1 << 20) + 10)
        try await makeApp().test(.router) { client in
            try await client.execute(uri: "/v1/suggest", method: .post, headers: jsonHeaders, body: try jsonBody(["text": big])) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
    }

    @Test("a note the engine refuses (over the note limit) gets 422 naming the limit, not the text")
    func noteRefused() async throws {
        let configuration = ServerConfiguration(maxBodyBytes: 1 << 20, maxNoteBytes: 1_000, accessLog: .none)
        let text = String(repeating: "Secret words. ", count: 100)
        try await makeApp(configuration).test(.router) { client in
            try await client.execute(uri: "/v1/suggest", method: .post, headers: jsonHeaders, body: try jsonBody(["text": text])) { response in
                #expect(response.status == .unprocessableContent)
                let message = try #require(errorMessage(response.body))
                #expect(message.contains("limit"))
                #expect(!message.contains("Secret"))
            }
        }
    }

    @Test("concurrent requests give the same reports as one at a time")
    func concurrentRequests() async throws {
        let notes = try ["nc-009.txt", "nc-001.txt", "nc-060.txt", "nc-030.txt"].map(Repository.note)
        try await makeApp().test(.router) { client in
            var expected: [Data] = []
            for text in notes {
                let response = try await client.execute(uri: "/v1/suggest", method: .post, headers: jsonHeaders, body: try jsonBody(["text": text]))
                #expect(response.status == .ok)
                expected.append(Data(response.body.readableBytesView))
            }
            let results = try await withThrowingTaskGroup(of: (Int, Data).self) { group in
                for round in 0..<24 {
                    let index = round % notes.count
                    let body = try jsonBody(["text": notes[index]])
                    group.addTask {
                        let response = try await client.execute(uri: "/v1/suggest", method: .post, headers: jsonHeaders, body: body)
                        return (index, Data(response.body.readableBytesView))
                    }
                }
                var all: [(Int, Data)] = []
                for try await result in group { all.append(result) }
                return all
            }
            #expect(results.count == 24)
            for (index, data) in results { #expect(data == expected[index]) }
        }
    }

    @Test("the access log has method, path, status and duration, and never the note")
    func accessLogKeepsNoNote() async throws {
        let recorder = LogRecorder()
        let text = try Repository.note("nc-009.txt")
        try await makeApp(ServerConfiguration(accessLog: recorder.log)).test(.router) { client in
            _ = try await client.execute(uri: "/v1/suggest?x=1", method: .post, headers: jsonHeaders, body: try jsonBody(["text": text]))
            _ = try await client.execute(uri: "/v1/suggest", method: .post, headers: jsonHeaders, body: ByteBuffer(string: "{\"text\": "))
        }
        let lines = recorder.all.map(\.description)
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("POST /v1/suggest 200 ") == true)
        #expect(lines.last?.hasPrefix("POST /v1/suggest 400 ") == true)
        for line in lines {
            #expect(!line.contains("knee"))
            #expect(!line.contains("x=1"))
        }
    }
}

@Suite("notecoder serve: code lookup")
struct CodeLookupTests {
    @Test("a known code gives what `notecoder code --format json` gives", arguments: ["M17.11", "20610"])
    func known(code: String) async throws {
        let day = try #require(Day(iso: "2024-10-03"))
        let facts = try #require(try SharedLexicon.lexicon().facts(about: code, on: day))
        try await makeApp().test(.router) { client in
            try await client.execute(uri: "/v1/code/\(code)?date=2024-10-03", method: .get) { response in
                #expect(response.status == .ok)
                let object = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect(object?["code"] as? String == facts.code)
                #expect(object?["date"] as? String == facts.date)
            }
        }
    }

    @Test func unknownCodeIs404() async throws {
        try await makeApp().test(.router) { client in
            try await client.execute(uri: "/v1/code/QQ999", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(errorMessage(response.body)?.contains("QQ999") == true)
            }
        }
    }

    @Test func badDateIs400() async throws {
        try await makeApp().test(.router) { client in
            try await client.execute(uri: "/v1/code/M17.11?date=yesterday", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/code/M17.11?date=2025-02-30", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(errorMessage(response.body)?.contains("no such day") == true)
            }
            try await client.execute(uri: "/v1/code/M17.11?date=2024-%2B1-15", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}

@Suite("notecoder serve: over a real socket")
struct LiveTests {
    @Test("health, the page and concurrent suggestions over TCP")
    func live() async throws {
        let text = try Repository.note("nc-009.txt")
        try await makeApp().test(.live) { client in
            try await client.execute(uri: "/v1/health", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/", method: .get) { response in
                #expect(String(buffer: response.body).contains("<textarea"))
            }
            let bodies = try await withThrowingTaskGroup(of: Data.self) { group in
                for _ in 0..<8 {
                    let body = try jsonBody(["text": text])
                    group.addTask {
                        let response = try await client.execute(uri: "/v1/suggest", method: .post, headers: jsonHeaders, body: body)
                        #expect(response.status == .ok)
                        return Data(response.body.readableBytesView)
                    }
                }
                var all: [Data] = []
                for try await body in group { all.append(body) }
                return all
            }
            #expect(bodies.count == 8)
            #expect(Set(bodies).count == 1)
        }
    }
}

@Suite("notecoder serve: the page")
struct PageTests {
    /// Every resource the page loads, as the browser would fetch them.
    static let resources = ["/", "/assets/app.css", "/assets/app.js"]

    @Test(arguments: resources)
    func servedWithoutExternalReferences(path: String) async throws {
        try await makeApp().test(.router) { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(!text.isEmpty)
                #expect(!text.lowercased().contains("http://"))
                #expect(!text.lowercased().contains("https://"))
                #expect(!text.contains("//cdn"))
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            }
        }
    }

    @Test("the page loads only its own script and style")
    func pageReferences() async throws {
        try await makeApp().test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                let html = String(buffer: response.body)
                let sources = html.matches(of: /(?:src|href)="([^"]*)"/).map { String($0.output.1) }
                #expect(Set(sources) == ["data:,", "/assets/app.css", "/assets/app.js", "#results"])
                for id in ["note", "date", "suggest", "codes", "excluded", "queries", "rendered"] {
                    #expect(html.contains("id=\"\(id)\""))
                }
            }
        }
    }

    @Test func unknownPathIs404() async throws {
        try await makeApp().test(.router) { client in
            try await client.execute(uri: "/nothing-here", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}

@Suite("notecoder serve: configuration")
struct ConfigurationTests {
    @Test(arguments: [("127.0.0.1", true), ("127.1.2.3", true), ("localhost", true), ("::1", true),
                      ("127.1", true), ("[::1]", true), ("::ffff:127.0.0.1", true), ("::ffff:10.0.0.1", false), ("128.0.0.1", false),
                      ("0.0.0.0", false), ("192.168.1.20", false), ("::", false), ("example.org", false)])
    func loopback(host: String, expected: Bool) {
        #expect(ServerConfiguration.isLoopback(host) == expected)
    }

    @Test func urls() {
        #expect(ServerConfiguration.url(host: "127.0.0.1", port: 8080) == "http://127.0.0.1:8080/")
        #expect(ServerConfiguration.url(host: "0.0.0.0", port: 9000) == "http://127.0.0.1:9000/")
        #expect(ServerConfiguration.url(host: "::1", port: 80) == "http://[::1]:80/")
    }
}
