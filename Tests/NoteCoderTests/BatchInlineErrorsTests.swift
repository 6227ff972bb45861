import Foundation
import Testing
@testable import NoteCoder

/// The contract a job that pipes records through `notecoder batch` relies on (the Spark job in
/// spark/): with `--errors inline`, exactly one JSON line per input record, in input order,
/// each carrying the record's ordinal; a failed record is an answer, not a failed run.
@Suite("Batch: --errors inline, the pipe contract")
struct BatchInlineErrorsTests {
    /// Good notes with bad records among them: broken JSON, invalid UTF-8, no text, no id, a
    /// blank line (not a record), and a duplicate id. The words SECRET… must never reach the output.
    static func input(_ folder: TemporaryFolder) throws -> (url: URL, records: Int) {
        let notes = BatchFixture.notes(12)
        var lines = notes.map { BatchFixture.jsonLine(id: $0.id, text: $0.text) }
        lines.insert("{\"id\": \"broken-1\", \"text\": \"SECRETBROKEN", at: 2)
        lines.insert("", at: 4)
        lines.insert("{\"id\": \"no-text\"}", at: 6)
        lines.insert("{\"text\": \"SECRETNOID left knee pain\"}", at: 8)
        lines.append(BatchFixture.jsonLine(id: notes[0].id, text: notes[0].text))
        var data = Data((lines.joined(separator: "\n") + "\n").utf8)
        data.append(Data("{\"id\": \"bad-utf8\", \"text\": \"SECRETUTF8 low back pain ".utf8))
        data.append(contentsOf: [0xFF, 0xFE, 0x22, 0x7D, 0x0A])
        return (try folder.write("in.jsonl", data), lines.filter { !$0.isEmpty }.count + 1)
    }

    struct Line: Decodable {
        struct Failure: Decodable {
            var kind: String
            var detail: String
        }
        var id: String?
        var record: Int
        var error: Failure?
    }

    static func lines(_ text: String) throws -> [Line] {
        try text.split(separator: "\n").map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)) }
    }

    @Test("one line per record, in input order, numbered; bad records are error lines; exit 0")
    func onePerRecord() throws {
        let folder = try TemporaryFolder("batch-inline")
        let input = try Self.input(folder)
        let result = try BatchCLI.run(["batch", "-", "--input-format", "jsonl", "--errors", "inline", "--quiet"],
                                      stdin: input.url, in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try Self.lines(result.stdout)
        #expect(lines.count == input.records)
        #expect(lines.map(\.record) == Array(1...input.records))
        let errors = lines.filter { $0.error != nil }.map { "\($0.record) \($0.id ?? "-") \($0.error!.kind)" }
        #expect(errors == ["3 - broken-record", "6 no-text broken-record", "8 - broken-record", "\(input.records) - invalid-utf8"])
        #expect(!result.stdout.contains("SECRET"))
        #expect(lines.filter { $0.error == nil }.allSatisfy { $0.id != nil })
        // A duplicate id is coded again in its own place, told apart by its record.
        #expect(lines[input.records - 2].id == lines[0].id && lines[input.records - 2].error == nil)
    }

    @Test("a report line is the plain report with its record added, byte for byte")
    func reportLineIsThePlainReport() throws {
        let folder = try TemporaryFolder("batch-inline-plain")
        let input = try folder.write("in.jsonl", BatchFixture.jsonl(BatchFixture.notes(20)))
        let inline = try BatchCLI.run(["batch", input.path, "--errors", "inline", "--quiet", "--first-record", "101"], in: folder)
        let plain = try BatchCLI.run(["batch", input.path, "--quiet"], in: folder)
        #expect(inline.status == 0 && plain.status == 0)
        let inlineLines = inline.stdout.split(separator: "\n").map(String.init)
        let plainLines = plain.stdout.split(separator: "\n").map(String.init)
        #expect(inlineLines.count == 20)
        for (index, (numbered, report)) in zip(inlineLines, plainLines).enumerated() {
            #expect(numbered.replacingOccurrences(of: ",\"record\":\(101 + index),", with: ",") == report)
        }
    }

    @Test("errors stay inline with --out, and a failed record does not make the run fail")
    func withOut() throws {
        let folder = try TemporaryFolder("batch-inline-out")
        let input = try Self.input(folder)
        let out = folder.file("results.jsonl").path
        let result = try BatchCLI.run(["batch", input.url.path, "--out", out, "--errors", "inline", "--no-queries"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.lines(BatchFixture.read(out)).count == input.records)
        #expect(!FileManager.default.fileExists(atPath: folder.file("results.errors.csv").path))
        #expect(result.stderr.contains("4 note(s) failed; see their error lines in the results"))
    }

    @Test("empty input is an empty run: exit 0 and no output, whatever the format flag",
          arguments: ["auto", "jsonl", "fhir", "csv"], ["", "\n \n", "\u{FEFF}"])
    func emptyInput(format: String, content: String) throws {
        let folder = try TemporaryFolder("batch-inline-empty")
        let stdin = try folder.write("stdin", content)
        let result = try BatchCLI.run(["batch", "-", "--input-format", format, "--errors", "inline", "--quiet"], stdin: stdin, in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty && result.stderr.isEmpty)
    }

    @Test("--errors inline with CSV results, or --first-record 0, is a usage error")
    func usage() throws {
        let folder = try TemporaryFolder("batch-inline-usage")
        for arguments in [["--format", "csv"], ["--out", folder.file("r.csv").path], ["--first-record", "0"]] {
            let result = try BatchCLI.run(["batch", "-", "--errors", "inline"] + arguments, in: folder)
            #expect(result.status == 64, "\(arguments)")
        }
    }

    @Test("--resume continues an inline run, error lines of records without an id included")
    func resume() throws {
        let folder = try TemporaryFolder("batch-inline-resume")
        let input = try Self.input(folder)
        let full = folder.file("full.jsonl").path, cut = folder.file("cut.jsonl").path
        let common = ["--errors", "inline", "--no-queries", "--quiet", "--jobs", "2"]
        #expect(try BatchCLI.run(["batch", input.url.path, "--out", full] + common, in: folder).status == 0)
        let whole = try BatchFixture.read(full)
        let lines = whole.split(separator: "\n", omittingEmptySubsequences: false)
        // Killed halfway through writing record 9, after record 8, which has no id (known by its record).
        let kept = lines.prefix(8).joined(separator: "\n") + "\n" + lines[8].prefix(30)
        try Data(kept.utf8).write(to: URL(fileURLWithPath: cut))
        let resumed = try BatchCLI.run(["batch", input.url.path, "--out", cut, "--resume"] + common, in: folder)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try BatchFixture.read(cut) == whole)
    }
}
