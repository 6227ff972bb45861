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
            the log has one line per request (method, path, status, duration). Requests that call the server by a name it was \
            not given (--host, --allowed-host, loopback names) or come from another web page (Origin) get 403; a suggestion \
            must be sent as application/json. Stop with Ctrl-C.
            """)

    @Option(name: .long, help: "The address to listen on. Anything but a loopback address lets other machines send notes.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "The port to listen on; 0 picks a free one.")
    var port: Int = 8080

    @Option(name: .customLong("allowed-host"),
            help: "Another name the page may be opened by (repeatable): needed with a LAN or wildcard --host, since requests calling the server by any other name are refused.")
    var allowedHosts: [String] = []

    @Option(name: .long, help: "Notes coded at once, each on its own thread (default: one per core).")
    var workers: Int = ServerConfiguration.defaultWorkers

    @OptionGroup var timeLimit: TimeLimitOption

    @OptionGroup var lexicon: LexiconOption

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard !host.isEmpty else { throw ValidationError("--host must not be empty") }
        guard (1...256).contains(workers) else { throw ValidationError("--workers must be between 1 and 256") }
    }

    func run() throws {
        let lexicon = try lexicon.load()
        let configuration = ServerConfiguration(
            host: host, port: port, maxNoteSeconds: timeLimit.seconds, allowedHosts: allowedHosts, workers: workers)
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
