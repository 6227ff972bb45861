import Foundation
import Testing
@testable import NoteCoder

/// Generated inputs and helpers for the batch tests. Everything is made in a scratch folder,
/// so the tests need nothing outside the repository.
enum BatchFixture {
    /// Small pain-management notes, different enough to give different codes and queries.
    static func notes(_ count: Int, prefix: String = "n") -> [(id: String, text: String)] {
        let sides = ["right", "left", "bilateral", ""]
        let joints = ["knee", "shoulder", "hip", "ankle"]
        return (0..<count).map { i in
            let side = sides[i % sides.count], joint = joints[(i / 4) % joints.count]
            var text = "CHIEF COMPLAINT: \(side) \(joint) pain.\n"
            text += "HISTORY: Patient \(i) reports \(joint) pain for \(i % 9 + 1) months.\n"
            if i % 3 == 0 { text += "ASSESSMENT: Low back pain. Cervicalgia.\n" }
            if i % 5 == 0 { text += "PROCEDURE: Trigger point injections were performed.\n" }
            if i % 7 == 0 { text += "ASSESSMENT: Primary osteoarthritis of the \(side) \(joint).\nPROCEDURE: \(joint) joint injection performed.\n" }
            if i % 11 == 0 { text += "Denies neck pain. No carpal tunnel syndrome.\n" }
            let number = String(i)
            return (prefix + "-" + String(repeating: "0", count: max(0, 5 - number.count)) + number, text)
        }
    }

    static func jsonLine(id: String, text: String, date: String? = nil) -> String {
        var object: [String: String] = ["id": id, "text": text]
        if let date { object["dateOfService"] = date }
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    static func jsonl(_ notes: [(id: String, text: String)]) -> String {
        notes.map { jsonLine(id: $0.id, text: $0.text) }.joined(separator: "\n") + "\n"
    }

    static func documentReference(id: String, text: [UInt8], contentType: String = "text/plain; charset=utf-8",
                                  periodStart: String? = nil, date: String? = nil) -> String {
        var object: [String: Any] = [
            "resourceType": "DocumentReference", "id": id, "status": "current",
            "content": [["attachment": ["contentType": contentType, "data": Data(text).base64EncodedString()]]],
        ]
        if let periodStart { object["context"] = ["period": ["start": periodStart]] }
        if let date { object["date"] = date }
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    static func csvField(_ text: String) -> String { BatchFormats.csvField(text) }

    /// Runs a batch in-process with outputs in `folder` named `stem.*`.
    @discardableResult
    static func run(_ input: String, in folder: TemporaryFolder, stem: String = "out", format: BatchOutputFormat = .jsonl,
                    inputFormat: BatchInputFormat = .auto, columns: CSVColumns = CSVColumns(), jobs: Int = 2,
                    window: BatchWindow? = nil, resume: Bool = false, maxNoteBytes: Int = 4 << 20,
                    guardFormulas: Bool = true) throws -> BatchRunResult {
        let files = outputs(folder, stem: stem, format: format)
        let configuration = BatchConfiguration(
            input: BatchInput(path: input, format: inputFormat, columns: columns),
            output: BatchOutput(results: files.results, format: format, queries: files.queries, errors: files.errors, guardFormulas: guardFormulas),
            jobs: jobs, window: window, resume: resume, maxNoteBytes: maxNoteBytes)
        return try BatchRunner(engine: SharedLexicon.engine(), configuration: configuration).run()
    }

    static func outputs(_ folder: TemporaryFolder, stem: String, format: BatchOutputFormat = .jsonl) -> (results: String, queries: String, errors: String) {
        (folder.file(stem + (format == .csv || format == .claimCSV ? ".csv" : ".jsonl")).path, folder.file(stem + ".queries.csv").path,
         folder.file(stem + ".errors.csv").path)
    }

    static func read(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
    }

    /// The reports of a JSON Lines results file.
    static func reports(_ path: String) throws -> [Report] {
        try read(path).split(separator: "\n").map { try JSONDecoder().decode(Report.self, from: Data($0.utf8)) }
    }

    /// Rows of a CSV file (header first), read back with CSV.swift.
    static func csvRows(_ path: String) throws -> [[String]] {
        BatchFormats.parseCSV(try read(path))
    }
}

/// The built `notecoder` binary, run as a user would.
enum BatchCLI {
    static let binary: URL? = {
        if let explicit = ProcessInfo.processInfo.environment["NOTECODER_BIN"] { return URL(fileURLWithPath: explicit) }
        var folders: [URL] = []
        for bundle in Bundle.allBundles + [Bundle.main] {
            folders.append(bundle.bundleURL)
            folders.append(bundle.bundleURL.deletingLastPathComponent())
            if let executable = bundle.executableURL { folders.append(executable.deletingLastPathComponent()) }
        }
        folders.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for folder in folders {
            let candidate = folder.appendingPathComponent("notecoder")
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isFolder), !isFolder.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        return nil
    }()

    static func process(_ arguments: [String], stdin: URL? = nil, stdout: URL, stderr: URL) throws -> Process {
        let binary = try #require(binary, "the notecoder binary was not found next to the test bundle")
        for url in [stdout, stderr] { try Data().write(to: url) }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments + ["--lexicons", TestRepository.lexicons.path]
        process.currentDirectoryURL = TestRepository.root
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        process.standardInput = try stdin.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
        return process
    }

    /// Runs to the end; output goes through files so a large output cannot block the child.
    static func run(_ arguments: [String], stdin: URL? = nil, in folder: TemporaryFolder) throws -> (status: Int32, stdout: String, stderr: String) {
        let out = folder.file("cli.stdout"), err = folder.file("cli.stderr")
        let process = try process(arguments, stdin: stdin, stdout: out, stderr: err)
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, try BatchFixture.read(out.path), try BatchFixture.read(err.path))
    }
}
