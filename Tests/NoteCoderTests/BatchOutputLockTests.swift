import Foundation
import Synchronization
import Testing
@testable import NoteCoder

@Suite("Batch: one writer per output file")
struct BatchOutputLockTests {
    @Test("a second run on an --out another run holds is refused, naming the file, and the file is left as it was",
          arguments: [false, true])
    func secondWriterRefused(resume: Bool) throws {
        let folder = try TemporaryFolder("batch-lock")
        let input = try folder.write("in.jsonl", BatchFixture.jsonl(BatchFixture.notes(20)))
        try BatchFixture.run(input.path, in: folder, stem: "out")
        let files = BatchFixture.outputs(folder, stem: "out", format: .jsonl)
        let before = try Data(contentsOf: URL(fileURLWithPath: files.results))
        #expect(!before.isEmpty)

        // Another run is writing the results file: it holds the lock a run takes.
        var holder: OutputLocks? = try OutputLocks([files.results])
        #expect(throws: BatchError.outputBusy(path: files.results)) {
            try BatchFixture.run(input.path, in: folder, stem: "out", resume: resume)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: files.results)) == before)
        #expect(BatchError.outputBusy(path: files.results).description.contains("another notecoder batch is writing"))

        // Once that run is over, the file is free again.
        holder = nil
        withExtendedLifetime(holder) {}
        try BatchFixture.run(input.path, in: folder, stem: "out", resume: resume)
        #expect(try Data(contentsOf: URL(fileURLWithPath: files.results)) == before)
    }

    @Test("two runs started at once on the same files: one writes, the other is refused; the file holds one run's lines")
    func concurrentRuns() throws {
        let folder = try TemporaryFolder("batch-lock-race")
        let notes = BatchFixture.notes(400)
        let input = try folder.write("in.jsonl", BatchFixture.jsonl(notes))
        let outcomes = Mutex<[Bool]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let succeeded = (try? BatchFixture.run(input.path, in: folder, stem: "shared", jobs: 1)) != nil
            outcomes.withLock { $0.append(succeeded) }
        }
        let outcome = outcomes.withLock { $0 }
        #expect(outcome.contains(true))
        let files = BatchFixture.outputs(folder, stem: "shared", format: .jsonl)
        let lines = try String(contentsOfFile: files.results, encoding: .utf8).split(separator: "\n")
        // Whether the runs overlapped or one finished before the other began, never both at once.
        #expect(lines.count == notes.count)
    }

    @Test("the same file named for results and errors is one hold, not a conflict with itself")
    func sameFileTwice() throws {
        let folder = try TemporaryFolder("batch-lock-same")
        let path = folder.url.appendingPathComponent("both.jsonl").path
        let locks = try OutputLocks([path, path])
        withExtendedLifetime(locks) {}
    }
}

@Suite("Batch: resume by record position")
struct BatchResumePositionTests {
    @Test("an id repeated in consecutive records is resumed record by record: no row is written twice or lost",
          arguments: [BatchOutputFormat.csv, .claimCSV, .jsonl])
    func repeatedIDs(format: BatchOutputFormat) throws {
        let folder = try TemporaryFolder("batch-resume-repeated")
        // Every note twice in a row, as an export that sends a visit twice does.
        let notes = BatchFixture.notes(60).flatMap { [$0, $0] }
        let lines = notes.map { BatchFixture.jsonLine(id: $0.id, text: $0.text) }
        let input = try folder.write("in.jsonl", lines.joined(separator: "\n") + "\n")
        try BatchFixture.run(input.path, in: folder, stem: "full", format: format)
        let full = BatchFixture.outputs(folder, stem: "full", format: format)
        // Interrupted inside a pair and between pairs.
        for cut in [1, 2, 31, 64] {
            let part = try folder.write("part\(cut).jsonl", lines.prefix(cut).joined(separator: "\n") + "\n")
            try BatchFixture.run(part.path, in: folder, stem: "cut\(cut)", format: format)
            try BatchFixture.run(input.path, in: folder, stem: "cut\(cut)", format: format, resume: true)
            let resumed = BatchFixture.outputs(folder, stem: "cut\(cut)", format: format)
            #expect(try Data(contentsOf: URL(fileURLWithPath: resumed.results)) == Data(contentsOf: URL(fileURLWithPath: full.results)), "cut \(cut)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: resumed.queries)) == Data(contentsOf: URL(fileURLWithPath: full.queries)), "cut \(cut)")
        }
    }
}
