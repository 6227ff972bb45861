import ArgumentParser
import Foundation
import NoteCoder

@main
struct NoteCoderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notecoder",
        abstract: "Suggest ICD-10-CM and CPT/HCPCS codes, with evidence and provider queries, from pain-management notes.",
        discussion: """
            Exit status: 0 success; 1 some notes could not be coded (evaluate); 64 bad usage; \
            65 bad input (unreadable note, invalid UTF-8, malformed file); 66 input not found; \
            78 the lexicons are invalid.
            """,
        version: version,
        subcommands: [Suggest.self, LexiconCommand.self, Evaluate.self, Context.self, Serve.self, CodeLookup.self, Batch.self])

    /// What `notecoder --version` prints. Raised by hand in a commit that changes what users
    /// see: no build step reads it from git, and a checkout without tags has nothing to read.
    static let version = "0.1.0"
}

/// Exit statuses documented in `notecoder --help` and the README.
enum ExitStatus {
    static let notesFailed = ExitCode(1)
    static let badInput = ExitCode(65)
    static let inputMissing = ExitCode(66)
    static let badLexicon = ExitCode(78)
}

struct LexiconOption: ParsableArguments {
    @Option(name: .long, help: "The lexicon folder (default: $NOTECODER_LEXICONS, else ./Lexicons).")
    var lexicons: String?

    /// The flag, then the environment, then ./Lexicons, then the Lexicons folder of the checkout
    /// the binary was built in (found by walking up from the executable).
    var url: URL {
        if let path = lexicons ?? ProcessInfo.processInfo.environment["NOTECODER_LEXICONS"] {
            return URL(fileURLWithPath: path)
        }
        let local = URL(fileURLWithPath: "Lexicons")
        if FileManager.default.fileExists(atPath: local.appendingPathComponent("scope.yaml").path) { return local }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = folder.appendingPathComponent("Lexicons")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("scope.yaml").path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return local
    }

    /// Loads the lexicons or exits with the lexicon status and every problem on standard error.
    func load() throws -> Lexicon {
        do {
            return try Lexicon.load(from: url)
        } catch {
            Console.error("notecoder: the lexicons in \(url.path) are invalid:\n\(error.description)")
            throw ExitStatus.badLexicon
        }
    }
}

/// `--max-note-seconds`, shared by the commands that code notes.
struct TimeLimitOption: ParsableArguments {
    @Option(name: .customLong("max-note-seconds"), help: ArgumentHelp(
        "Give up a note that takes longer than this and report it as an error naming the note (default: \(Int(NoteTimeLimit.defaultSeconds))).",
        valueName: "seconds"))
    var seconds: Double = NoteTimeLimit.defaultSeconds

    func validate() throws {
        guard seconds > 0, seconds.isFinite else { throw ValidationError("--max-note-seconds must be a positive number of seconds") }
    }
}

enum Console {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Reads a file, or standard input for "-", naming the file when it cannot.
    /// The largest file `suggest` reads: eight times the largest note the engine codes (4 MB),
    /// room for a C-CDA or HL7 wrapping. A larger file is refused by its size, before it is read,
    /// so a wrong file (a 100 MB export given to `suggest`) costs nothing.
    static let maxInputBytes = 32 << 20

    static func read(_ path: String) throws -> [UInt8] {
        if path == "-" {
            let data = FileHandle.standardInput.readData(ofLength: maxInputBytes + 1)
            guard data.count <= maxInputBytes else {
                error("notecoder: standard input: more than \(maxInputBytes) bytes; one note is never that large (use `notecoder batch` for an export)")
                throw ExitStatus.badInput
            }
            return [UInt8](data)
        }
        guard FileManager.default.fileExists(atPath: path) else {
            error("notecoder: \(path): no such file")
            throw ExitStatus.inputMissing
        }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > maxInputBytes {
            error("notecoder: \(path): \(size) bytes, over the \(maxInputBytes) a note file may have; one note is never that large (use `notecoder batch` for an export)")
            throw ExitStatus.badInput
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            error("notecoder: \(path): cannot be read")
            throw ExitStatus.badInput
        }
        return [UInt8](data)
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

extension Day {
    /// A `--date` flag, read by ArgumentParser with the other arguments (`@Option(transform:)`),
    /// so a bad date is a usage error of the subcommand, shown with its own usage, before the
    /// lexicons load. A transform rather than `ExpressibleByArgument`: its failable
    /// `init?(argument:)` cannot say why a date is refused, and 2025-02-30 is written right.
    /// ArgumentParser prints the reason after "The value '…' is invalid for '--date <yyyy-mm-dd>': ".
    static func argument(_ text: String) throws -> Day { try Day(parsing: text) }
}
