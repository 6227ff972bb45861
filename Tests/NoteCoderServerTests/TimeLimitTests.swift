import Foundation
import Hummingbird
import HummingbirdTesting
import NoteCoder
import NoteCoderServer
import Testing

@Suite("notecoder serve: the per-note time limit")
struct ServerTimeLimitTests {
    @Test("the configured limit reaches the engine; the default is the engine's")
    func configured() throws {
        let lexicon = try SharedLexicon.lexicon()
        #expect(NoteCoderServer(lexicon: lexicon, configuration: ServerConfiguration(maxNoteSeconds: 7)).engine.timeLimit?.seconds == 7)
        #expect(NoteCoderServer(lexicon: lexicon).engine.timeLimit?.seconds == NoteTimeLimit.defaultSeconds)
    }

    @Test("a note over the limit is answered 422 naming the note, not quoting it, and the server goes on")
    func overLimit() async throws {
        // A nanosecond: less than reading any note takes, so every note is over it.
        let configuration = ServerConfiguration(maxNoteSeconds: 1e-9, accessLog: .none)
        let text = try Repository.note("nc-009.txt")
        try await makeApp(configuration).test(.router) { client in
            try await client.execute(uri: "/v1/suggest", method: .post, headers: jsonHeaders,
                                     body: try jsonBody(["text": text, "id": "visit-42"])) { response in
                #expect(response.status == .unprocessableContent)
                let message = try #require(errorMessage(response.body))
                #expect(message.contains("visit-42"))
                #expect(message.contains("time limit"))
                #expect(!message.contains("knee"))
            }
            try await client.execute(uri: "/v1/health", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }
}
