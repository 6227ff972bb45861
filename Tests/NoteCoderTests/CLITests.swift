import Foundation
import Testing

/// Runs the built `notecoder` binary, as a user would.
enum NoteCoderCLI {
    /// The binary in the products folder the tests were built into (`.build/debug`, or the
    /// folder under `--scratch-path`), found next to the test bundle.
    static let binary: URL? = {
        let fm = FileManager.default
        var folders: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["NOTECODER_BIN"] {
            return URL(fileURLWithPath: explicit)
        }
        // On Linux the test runner is `<products>/NoteCoderPackageTests.xctest`; on macOS the
        // bundle sits in `<products>/` too, with xctest in Xcode's folder as the main bundle.
        for bundle in Bundle.allBundles + [Bundle.main] {
            folders.append(bundle.bundleURL)
            folders.append(bundle.bundleURL.deletingLastPathComponent())
            if let executable = bundle.executableURL { folders.append(executable.deletingLastPathComponent()) }
        }
        folders.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        folders.append(TestRepository.root.appendingPathComponent(".build/debug"))
        for folder in folders {
            let candidate = folder.appendingPathComponent("notecoder")
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
               fm.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        return nil
    }()

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutData: Data
    }

    /// Runs the binary from the repository root, with `stdin` piped in when given. Output goes to
    /// files rather than pipes, so a large report cannot block the child.
    static func run(_ arguments: [String], stdin: Data? = nil, in directory: URL = TestRepository.root) throws -> Output {
        let binary = try #require(binary, "the notecoder binary was not found next to the test bundle; build with `swift build`")
        let scratch = try TemporaryFolder("notecoder-cli")
        let outURL = scratch.file("stdout"), errURL = scratch.file("stderr")
        try Data().write(to: outURL)
        try Data().write(to: errURL)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "NOTECODER_LEXICONS")
        process.environment = environment
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let stdoutData = try Data(contentsOf: outURL)
        return Output(
            status: process.terminationStatus,
            stdout: String(decoding: stdoutData, as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self),
            stdoutData: stdoutData)
    }
}

@Suite("CLI: notecoder")
struct CLITests {
    static let note = "Corpus/notes/nc-009.txt"

    @Test("suggest prints diagnoses, procedures, provider queries, then what was seen and not coded")
    func suggestText() throws {
        let result = try NoteCoderCLI.run(["suggest", Self.note])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.components(separatedBy: "\n")
        let headings = ["DIAGNOSES", "PROCEDURES", "PROVIDER QUERIES", "SEEN, NOT CODED"]
        let positions = headings.map { heading in lines.firstIndex(of: heading) }
        #expect(positions.allSatisfy { $0 != nil }, "headings missing from:\n\(result.stdout)")
        let found = positions.compactMap { $0 }
        #expect(found == found.sorted() && Set(found).count == headings.count)
        #expect(result.stdout.hasPrefix("NoteCoder report — nc-009"))
        #expect(result.stdout.contains("M17.11"))
    }

    @Test("suggest - reads the note from standard input")
    func suggestStdin() throws {
        let note = "DOS: 02/11/2025\nASSESSMENT: Bilateral knee osteoarthritis.\n"
        let result = try NoteCoderCLI.run(["suggest", "-", "--format", "json"], stdin: Data(note.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        #expect(json["id"] as? String == "stdin")
        #expect(json["dateOfService"] as? String == "2025-02-11")
        let diagnoses = try #require(json["diagnoses"] as? [[String: Any]])
        #expect(diagnoses.compactMap { $0["code"] as? String } == ["M17.0"])
    }

    @Test("suggest --format json prints one JSON report with the gold fields")
    func suggestJSON() throws {
        let result = try NoteCoderCLI.run(["suggest", Self.note, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        #expect(json["id"] as? String == "nc-009")
        #expect(json["dateOfService"] as? String == "2024-10-03")
        #expect(json["diagnoses"] is [[String: Any]])
        #expect(json["procedures"] is [[String: Any]])
        #expect(json["queries"] is [[String: Any]])
        #expect(result.stderr.isEmpty)
    }

    @Test("--date wins over the note's own date")
    func suggestDate() throws {
        let result = try NoteCoderCLI.run(["suggest", Self.note, "--format", "json", "--date", "2025-02-11"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        #expect(json["dateOfService"] as? String == "2025-02-11")
        #expect(json["dateSource"] as? String == "flag")
    }

    @Test("a missing note exits 66 and names the path")
    func missingFile() throws {
        let path = "Corpus/notes/no-such-note-\(UUID().uuidString).txt"
        let result = try NoteCoderCLI.run(["suggest", path])
        #expect(result.status == 66)
        #expect(result.stderr.contains(path))
        #expect(result.stdout.isEmpty)
    }

    @Test("a file far larger than any note is refused by its size, before it is read")
    func oversizedFile() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("export.txt").path
        // A sparse file: its size says 100 MB, and reading it would take that much memory.
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 100 << 20)
        try handle.close()
        let result = try NoteCoderCLI.run(["suggest", path])
        #expect(result.status == 65)
        #expect(result.stderr.contains("over the"))
        #expect(result.stderr.contains("notecoder batch"))
    }

    @Test("a note that is not UTF-8 exits 65 naming the note and the byte offset")
    func invalidUTF8() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("latin1-note.txt", Data([0x41, 0xC3, 0x28]))
        let result = try NoteCoderCLI.run(["suggest", file.path])
        #expect(result.status == 65)
        #expect(result.stderr.contains("latin1-note"))
        #expect(result.stderr.contains("byte offset 1"))
        #expect(result.stdout.isEmpty)
    }

    @Test("a broken lexicon folder exits 78 and names the problem's file")
    func brokenLexicon() throws {
        let copy = try LexiconCopy()
        try copy.write("conditions/zz-test.yaml", """
            concepts:
              - id: broken-pattern
                kind: condition
                label: broken
                patterns: ['knee(pain']
                examples:
                  match: ['knee pain']
                coding:
                  - codes: [M25.561]
            """)
        let suggest = try NoteCoderCLI.run(["suggest", Self.note, "--lexicons", copy.root.path])
        #expect(suggest.status == 78)
        #expect(suggest.stderr.contains("conditions/zz-test.yaml:5"))
        #expect(suggest.stderr.contains("broken-pattern"))
        #expect(suggest.stdout.isEmpty)

        let check = try NoteCoderCLI.run(["lexicon", "check", copy.root.path])
        #expect(check.status == 78)
        #expect(check.stderr.contains("conditions/zz-test.yaml:5"))
    }

    @Test("a lexicon folder that does not exist exits 78")
    func missingLexicon() throws {
        let folder = try TemporaryFolder()
        let result = try NoteCoderCLI.run(["suggest", Self.note, "--lexicons", folder.file("nowhere").path])
        #expect(result.status == 78)
        #expect(result.stderr.contains("sections.yaml"))
    }

    @Test("lexicon check on a folder that is not there says so once and exits 66")
    func lexiconCheckMissingFolder() throws {
        let folder = try TemporaryFolder()
        let missing = folder.file("nowhere").path
        let result = try NoteCoderCLI.run(["lexicon", "check", missing])
        #expect(result.status == 66)
        #expect(result.stderr == "lexicon check: \(missing): no such folder\n")
        #expect(result.stdout.isEmpty)

        let file = try folder.write("a-file", "not a folder")
        let notFolder = try NoteCoderCLI.run(["lexicon", "check", file.path])
        #expect(notFolder.status == 66)
        #expect(notFolder.stderr == "lexicon check: \(file.path): not a folder\n")
    }

    @Test("notecoder --version prints the version")
    func version() throws {
        let result = try NoteCoderCLI.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.range(of: #"^\d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil, "\(result.stdout)")
    }

    @Test("lexicon check passes on the repository's lexicons")
    func lexiconCheck() throws {
        let result = try NoteCoderCLI.run(["lexicon", "check"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("lexicon check: OK"))
        #expect(!result.stderr.contains("every position"), "\(result.stderr)")
    }

    /// A `\b` cannot be probed, so its whole set would be tried at every position of every note:
    /// a lexicon edit that silently makes batch runs several times slower. The check refuses
    /// it, naming the file, line and entry, and says how to write it instead.
    @Test("lexicon check refuses a pattern the start index cannot read, naming where it is")
    func unprobedPattern() throws {
        let copy = try LexiconCopy()
        func check(pattern: String) throws -> NoteCoderCLI.Output {
            try copy.write("conditions/zz-test.yaml", """
                concepts:
                  - id: bounded-pattern
                    kind: condition
                    label: bounded
                    patterns: ['\(pattern)']
                    examples:
                      match: ['left knee ache']
                      noMatch: ['kneeache']
                    coding:
                      - codes: [M25.561]
                """)
            return try NoteCoderCLI.run(["lexicon", "check", copy.root.path])
        }
        let refused = try check(pattern: #"\bknee\s+ache"#)
        #expect(refused.status != 0)
        #expect(!refused.stdout.hasPrefix("lexicon check: OK"))
        #expect(refused.stderr.contains("zz-test.yaml:5 [bounded-pattern]"), "\(refused.stderr)")
        #expect(refused.stderr.contains("use a lookaround"), "\(refused.stderr)")

        // The same phrase written with a lookaround is accepted.
        let fixed = try check(pattern: #"knee\s+ache"#)
        #expect(fixed.status == 0, "\(fixed.stderr)")
        #expect(fixed.stdout.hasPrefix("lexicon check: OK"))
    }

    @Test("bad usage exits 64")
    func badUsage() throws {
        #expect(try NoteCoderCLI.run(["suggest"]).status == 64)
        #expect(try NoteCoderCLI.run(["suggest", Self.note, "--format", "xml"]).status == 64)
        #expect(try NoteCoderCLI.run(["suggest", Self.note, "--date", "02/11/2025"]).status == 64)
    }

    /// A two-note annotated set in the FORMAT.md layout.
    static func writeSet(in folder: TemporaryFolder, withOrphan: Bool = false) throws {
        try folder.write("set/notes/a-1.txt", "ASSESSMENT: Bilateral knee osteoarthritis.\n")
        try folder.write("set/gold/a-1.json", #"{"id": "a-1", "dateOfService": "2025-02-11", "diagnoses": ["M17.0"], "procedures": [], "queries": []}"#)
        try folder.write("set/notes/a-2.txt", "ASSESSMENT: Right occipital neuralgia.\nPROCEDURE: Right greater occipital nerve block.\n")
        try folder.write("set/gold/a-2.json", #"""
            {"id": "a-2", "dateOfService": "2025-02-11", "diagnoses": ["M54.81"],
             "procedures": [{"code": "64405", "modifiers": ["RT"], "units": 1, "diagnoses": ["M54.81"]}], "queries": []}
            """#)
        if withOrphan { try folder.write("set/notes/a-3.txt", "ASSESSMENT: Neck pain.\n") }
    }

    @Test("evaluate prints the FORMAT.md figures as JSON")
    func evaluateJSON() throws {
        let folder = try TemporaryFolder()
        try Self.writeSet(in: folder)
        let result = try NoteCoderCLI.run(["evaluate", folder.file("set").path, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        #expect(json["notes"] as? Int == 2)
        #expect(json["scope"] as? String == "Lexicons/scope.yaml")
        for family in ["diagnoses", "procedures", "pairs", "queries"] {
            let figures = try #require(json[family] as? [String: Any], "\(family)")
            #expect(figures["f1"] as? Double == 1.0, "\(family): \(figures)")
            #expect(figures["tp"] is Int && figures["fp"] as? Int == 0 && figures["fn"] as? Int == 0)
        }
        let perNote = try #require(json["perNote"] as? [[String: Any]])
        #expect(perNote.compactMap { $0["id"] as? String } == ["a-1", "a-2"])
        #expect(json["modifiers"] as? [String: Int] == ["correct": 1, "total": 1])
    }

    @Test("evaluate exits 1 when a note cannot be scored, and names it")
    func evaluateOrphan() throws {
        let folder = try TemporaryFolder()
        try Self.writeSet(in: folder, withOrphan: true)
        let result = try NoteCoderCLI.run(["evaluate", folder.file("set").path, "--format", "json"])
        #expect(result.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        #expect(json["notes"] as? Int == 2)
        let failures = try #require(json["failures"] as? [[String: Any]])
        #expect(failures.compactMap { $0["id"] as? String } == ["a-3"])
    }

    @Test("evaluate on a folder that does not exist exits 66")
    func evaluateMissing() throws {
        let result = try NoteCoderCLI.run(["evaluate", "no-such-set-\(UUID().uuidString)"])
        #expect(result.status == 66)
        #expect(result.stderr.contains("no-such-set-"))
    }

    @Test("context labels each row of a TSV, in input order, under the same header")
    func contextTSV() throws {
        let folder = try TemporaryFolder()
        let rows = [
            ["r3", "neck pain", "She denies neck pain or stiffness."],
            ["r1", "carpal tunnel syndrome", "Her mother has carpal tunnel syndrome."],
            ["r2", "knee pain", "Right knee pain for three months."],
        ]
        let tsv = (["id\ttarget\tsentence"] + rows.map { $0.joined(separator: "\t") }).joined(separator: "\n") + "\n"
        let file = try folder.write("rows.tsv", tsv)
        let result = try NoteCoderCLI.run(["context", file.path])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: true).map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(lines.first == ["id", "target", "sentence", "negation", "temporality", "experiencer"])
        #expect(lines.count == rows.count + 1)
        #expect(lines.dropFirst().map { $0.first } == rows.map { $0.first })
        #expect(lines.dropFirst().map { Array($0.prefix(3)) } == rows)
        let byId = Dictionary(uniqueKeysWithValues: lines.dropFirst().compactMap { row in row.first.map { ($0, row) } })
        #expect(byId["r3"]?[3] == "Negated")
        #expect(byId["r1"]?[5] == "Other")
        #expect(byId["r2"].map { Array($0.suffix(3)) } == ["Affirmed", "Recent", "Patient"])
    }

    @Test("context on a missing file exits 66")
    func contextMissing() throws {
        let result = try NoteCoderCLI.run(["context", "no-such-\(UUID().uuidString).tsv"])
        #expect(result.status == 66)
        #expect(result.stderr.contains("no-such-"))
    }
}
