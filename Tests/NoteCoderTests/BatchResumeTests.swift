import Foundation
import Testing
@testable import NoteCoder

@Suite("Batch: resume, errors file, command line", .serialized)
struct BatchResumeTests {
    static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// An input with failures and queries, so every output file has something in it.
    static func input(_ folder: TemporaryFolder, count: Int) throws -> URL {
        var lines = BatchFixture.jsonl(BatchFixture.notes(count)).split(separator: "\n").map(String.init)
        for i in stride(from: 13, to: lines.count, by: 97) { lines[i] = "{\"id\": \"broken-\(i)\"" }   // malformed JSON
        for i in stride(from: 41, to: lines.count, by: 211) { lines[i] = "{\"oops\": true}" }           // no id at all
        return try folder.write("in.jsonl", lines.joined(separator: "\n") + "\n")
    }

    @Test("--resume after an interruption at any point gives the files of an uninterrupted run",
          arguments: [BatchOutputFormat.jsonl, .csv])
    func resumeInProcess(format: BatchOutputFormat) throws {
        let folder = try TemporaryFolder("batch-resume")
        let input = try Self.input(folder, count: 300)
        try BatchFixture.run(input.path, in: folder, stem: "full", format: format, jobs: 2)
        let full = BatchFixture.outputs(folder, stem: "full", format: format)
        let allLines = try BatchFixture.read(input.path).split(separator: "\n", omittingEmptySubsequences: false)

        for cut in [0, 1, 13, 14, 41, 150, 299] {
            // What a kill leaves: the output of the first `cut` records, whole, then the start
            // of the next note's lines (queries come before results).
            let stem = "cut\(cut)"
            let part = try folder.write("part\(cut).jsonl", allLines.prefix(cut).joined(separator: "\n") + (cut > 0 ? "\n" : ""))
            let files = BatchFixture.outputs(folder, stem: stem, format: format)
            try BatchFixture.run(part.path, in: folder, stem: stem, format: format, jobs: 2)
            let next = try folder.write("next\(cut).jsonl", allLines[cut] + "\n")
            try BatchFixture.run(next.path, in: folder, stem: "next\(cut)", format: format, jobs: 1)
            let nextFiles = BatchFixture.outputs(folder, stem: "next\(cut)", format: format)
            for (partial, whole) in [(files.results, nextFiles.results), (files.queries, nextFiles.queries)] {
                var tail = try Self.bytes(whole)
                if format == .csv || partial == files.queries, let headerEnd = tail.firstIndex(of: 0x0A) {
                    tail = tail.suffix(from: headerEnd + 1)
                }
                guard tail.count > 2 else { continue }
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: partial))
                try handle.seekToEnd()
                try handle.write(contentsOf: tail.prefix(tail.count / 2))
                try handle.close()
            }

            let resumed = try BatchFixture.run(input.path, in: folder, stem: stem, format: format, jobs: 2, resume: true)
            #expect(resumed.summary.skipped >= (format == .csv ? max(0, cut - 2) : cut), "cut \(cut)")
            for (x, y) in [(files.results, full.results), (files.queries, full.queries), (files.errors, full.errors)] {
                #expect(try Self.bytes(x) == Self.bytes(y), "cut \(cut): \(x)")
            }
        }
    }

    @Test("--resume on a finished run writes nothing more")
    func resumeFinished() throws {
        let folder = try TemporaryFolder("batch-resume-done")
        let input = try Self.input(folder, count: 120)
        try BatchFixture.run(input.path, in: folder, stem: "out", jobs: 2)
        let files = BatchFixture.outputs(folder, stem: "out")
        let before = try [files.results, files.queries, files.errors].map(Self.bytes)
        let again = try BatchFixture.run(input.path, in: folder, stem: "out", jobs: 2, resume: true)
        #expect(again.summary.coded == 0 && again.summary.failed == 0 && again.summary.skipped == 120)
        #expect(try [files.results, files.queries, files.errors].map(Self.bytes) == before)
    }

    @Test("--resume refuses a results file it did not write")
    func resumeForeignFile() throws {
        let folder = try TemporaryFolder("batch-resume-foreign")
        let input = try Self.input(folder, count: 5)
        try folder.write("out.jsonl", "this is not a batch output\n")
        #expect(throws: BatchError.self) { try BatchFixture.run(input.path, in: folder, stem: "out", resume: true) }
    }

    @Test("kill -9 mid-run, then --resume: every id exactly once, files identical to an uninterrupted run")
    func killAndResume() throws {
        let folder = try TemporaryFolder("batch-kill")
        let input = try Self.input(folder, count: 4_000)
        let reference = try BatchCLI.run(["batch", input.path, "--out", folder.file("ref.jsonl").path, "--jobs", "2", "--quiet"], in: folder)
        #expect(reference.status == 1)  // the input has broken records

        let out = folder.file("run.jsonl")
        let process = try BatchCLI.process(["batch", input.path, "--out", out.path, "--jobs", "2", "--quiet"],
                                           stdout: folder.file("run.stdout"), stderr: folder.file("run.stderr"))
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline {
            if let size = FolderRecordReader.size(out), size > 0 { break }
            usleep(2_000)
        }
        let wasRunning = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(wasRunning, "the run ended before it could be killed; the input is too small for this machine")
        let killedLines = try BatchFixture.read(out.path).split(separator: "\n").count
        #expect(killedLines < 4_000)

        let resumed = try BatchCLI.run(["batch", input.path, "--out", out.path, "--jobs", "2", "--resume", "--quiet"], in: folder)
        #expect(resumed.status == 1 || resumed.status == 0)
        for suffix in [".jsonl", ".queries.csv", ".errors.csv"] {
            let a = try Self.bytes(folder.file("ref" + suffix).path), b = try Self.bytes(folder.file("run" + suffix).path)
            #expect(a == b, "\(suffix) differs after resume (killed at \(killedLines) lines)")
        }
        let reports = try BatchFixture.reports(out.path)
        let errors = try BatchFixture.csvRows(folder.file("run.errors.csv").path).dropFirst()
        let ids = reports.map(\.id) + errors.map { $0[0] }.filter { !$0.isEmpty }
        #expect(Set(ids).count == ids.count)
        #expect(reports.count + errors.count == 4_000)
    }

    @Test("the errors file names id, record, line and reason, never the note; exit status 1")
    func errorsFileAndExitStatus() throws {
        let folder = try TemporaryFolder("batch-cli-errors")
        var bytes = Array((BatchFixture.jsonLine(id: "ok", text: "Low back pain.") + "\n").utf8)
        bytes += Array(#"{"id": "bad", "text": "PRIVATE TEXT "#.utf8) + [0xFF] + Array(#""}"#.utf8) + [0x0A]
        bytes += Array((BatchFixture.jsonLine(id: "big", text: "PRIVATE " + String(repeating: "y", count: 2_000)) + "\n").utf8)
        let input = try folder.write("in.jsonl", Data(bytes))
        let run = try BatchCLI.run(["batch", input.path, "--out", folder.file("r.jsonl").path, "--max-note-bytes", "1000"], in: folder)
        #expect(run.status == 1)
        let errors = try BatchFixture.read(folder.file("r.errors.csv").path)
        #expect(errors == """
            note_id,record,line,kind,detail
            ,2,2,invalid-utf8,the record is not valid UTF-8 (byte 36 of the line)
            big,3,3,too-large,"2008 bytes, over the limit of 1000"

            """)
        #expect(!run.stderr.contains("PRIVATE") && run.stderr.contains("1 coded, 2 failed"))
        #expect(run.stdout.isEmpty)

        let clean = try BatchCLI.run(["batch", input.path, "--out", folder.file("s.jsonl").path, "--quiet"], in: folder)
        #expect(clean.status == 1 && clean.stderr.isEmpty)
        let missing = try BatchCLI.run(["batch", folder.file("nope.jsonl").path], in: folder)
        #expect(missing.status == 66)
        let usage = try BatchCLI.run(["batch", input.path, "--resume"], in: folder)
        #expect(usage.status == 64)
    }

    @Test("standard input: JSON Lines and CSV are told apart; results on standard output, CSV rows per code line")
    func standardInput() throws {
        let folder = try TemporaryFolder("batch-stdin")
        let notes = BatchFixture.notes(30)
        let jsonl = try folder.write("in.jsonl", BatchFixture.jsonl(notes))
        let run = try BatchCLI.run(["batch", "-", "--jobs", "2"], stdin: jsonl, in: folder)
        #expect(run.status == 0)
        let ids = run.stdout.split(separator: "\n").compactMap { try? JSONDecoder().decode(Report.self, from: Data($0.utf8)).id }
        #expect(ids == notes.map(\.id))
        #expect(run.stderr.contains("notecoder batch: notes: 30 read, 30 coded, 0 failed"))

        var csv = "id,text\n"
        for note in notes { csv += note.id + "," + BatchFixture.csvField(note.text) + "\n" }
        let csvFile = try folder.write("in.csv", csv)
        let csvRun = try BatchCLI.run(["batch", "-", "--format", "csv", "--quiet"], stdin: csvFile, in: folder)
        #expect(csvRun.status == 0)
        let rows = BatchFormats.parseCSV(csvRun.stdout)
        #expect(rows.first == BatchFormats.resultsHeader)
        // Every note appears: with its code lines, or once with status no-codes.
        var seen: [String] = []
        for row in rows.dropFirst() where seen.last != row[0] { seen.append(row[0]) }
        #expect(seen == notes.map(\.id))
        #expect(rows.dropFirst().allSatisfy { $0.count == BatchFormats.resultsHeader.count })
        #expect(rows.contains { $0[2] == "diagnosis" && $0[3] == "ICD-10-CM" && !$0[10].isEmpty })
    }

    @Test("--summary writes the run's figures as JSON")
    func summaryFile() throws {
        let folder = try TemporaryFolder("batch-summary")
        let input = try folder.write("in.jsonl", BatchFixture.jsonl(BatchFixture.notes(40)))
        let run = try BatchCLI.run(["batch", input.path, "--out", folder.file("r.jsonl").path, "--summary", folder.file("s.json").path],
                                   in: folder)
        #expect(run.status == 0 && run.stderr.isEmpty)
        let summary = try JSONDecoder().decode(BatchSummary.self, from: Data(contentsOf: folder.file("s.json")))
        #expect(summary.records == 40 && summary.coded == 40 && summary.failed == 0)
        #expect((summary.codes["ICD-10-CM"]?.total ?? 0) > 0)
        let reports = try BatchFixture.reports(folder.file("r.jsonl").path)
        #expect(summary.queries == reports.reduce(0) { $0 + $1.queries.count })
        #expect(summary.codes["ICD-10-CM"]?.total == reports.reduce(0) { $0 + $1.diagnoses.count })
    }
}
