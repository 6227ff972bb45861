import ArgumentParser
import Foundation
import NoteCoder
import NoteCoderServer

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start the local web page for coders: paste a note, see the codes and their evidence.",
        discussion: """
            Serves the page at / and a JSON API: POST /v1/suggest {"text": ..., "dateOfService": "YYYY-MM-DD"} \
            returns the report of `suggest --format json`; \
            GET /v1/code/CODE?date=YYYY-MM-DD returns what `code CODE --format json` prints; GET /v1/health. Notes are neither stored nor logged; \
            the log has one line per request (method, path, status, duration). Stop with Ctrl-C.
            """)

    @Option(name: .long, help: "The address to listen on. Anything but a loopback address lets other machines send notes.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "The port to listen on; 0 picks a free one.")
    var port: Int = 8080

    @OptionGroup var timeLimit: TimeLimitOption

    @OptionGroup var lexicon: LexiconOption

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard !host.isEmpty else { throw ValidationError("--host must not be empty") }
    }

    func run() throws {
        let lexicon = try lexicon.load()
        let configuration = ServerConfiguration(host: host, port: port, maxNoteSeconds: timeLimit.seconds)
        if !configuration.isLoopback {
            Console.error("""
                notecoder serve: warning: listening on \(host), not a loopback address: other machines can reach the page \
                and notes travel over the network unencrypted. Use --host 127.0.0.1 to keep it on this computer.
                """)
        }
        do {
            try NoteCoderServer(lexicon: lexicon, configuration: configuration).runBlocking { url in
                Console.write("NoteCoder is running at \(url) — open it in a browser. Ctrl-C stops it.\n")
            }
        } catch {
            Console.error("notecoder serve: \(error)")
            throw ExitCode.failure
        }
    }
}
