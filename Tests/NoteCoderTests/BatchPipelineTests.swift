import Foundation
import Testing
@testable import NoteCoder

@Suite("Batch: ordering, --jobs and bounded memory")
struct BatchPipelineTests {
    @Test("the pipeline hands outputs over in input order whatever the workers' timing, within the window")
    func orderedPipeline() throws {
        let window = BatchWindow(records: 7, bytes: 1 << 20)
        let pipeline = OrderedPipeline<Int, Int>(jobs: 4, window: window)
        var seen: [Int] = []
        try pipeline.run(
            produce: { submit in
                for i in 0..<2_000 where !submit(i, 10) { return }
            },
            makeWorker: {
                var state = 0
                return { item in
                    state += 1
                    if (item * 7919) % 13 == 0 { usleep(200) }  // uneven work
                    return item * 2
                }
            },
            consume: { seen.append($0) })
        #expect(seen == (0..<2_000).map { $0 * 2 })
        #expect(pipeline.peakInFlight <= window.records)
    }

    @Test("the byte budget bounds what is in flight, but one record larger than it still passes")
    func byteWindow() throws {
        let window = BatchWindow(records: 1_000, bytes: 10_000)
        let pipeline = OrderedPipeline<Int, Int>(jobs: 2, window: window)
        var count = 0
        try pipeline.run(
            produce: { submit in
                for i in 0..<500 where !submit(i, i == 250 ? 50_000 : 1_000) { return }
            },
            makeWorker: { { $0 } },
            consume: { _ in count += 1 })
        #expect(count == 500)
        #expect(pipeline.peakInFlight <= 10)
        #expect(pipeline.peakInFlightBytes <= 50_000)
    }

    @Test("an error while writing stops the run and is reported")
    func writerError() throws {
        let pipeline = OrderedPipeline<Int, Int>(jobs: 2, window: BatchWindow(records: 4, bytes: 1 << 20))
        var written = 0
        #expect(throws: BatchError.writeFailed(path: "x", errno: 28)) {
            try pipeline.run(
                produce: { submit in for i in 0..<100_000 where !submit(i, 1) { return } },
                makeWorker: { { $0 } },
                consume: { (value: Int) throws(BatchError) in
                    if value == 10 { throw .writeFailed(path: "x", errno: 28) }
                    written += 1
                })
        }
        #expect(written == 10)
    }

    @Test("results, queries and errors are byte-identical with --jobs 1 and --jobs 4", arguments: [BatchOutputFormat.jsonl, .csv])
    func jobsIdentical(format: BatchOutputFormat) throws {
        let folder = try TemporaryFolder("batch-jobs")
        var notes = BatchFixture.notes(400)
        notes[50].text = String(repeating: "Low back pain. ", count: 500)  // one slow, large note holds the writer up
        notes[120].id = notes[119].id                                       // a duplicate id is kept, in order
        var text = BatchFixture.jsonl(notes)
        text += "{broken\n"
        let input = try folder.write("in.jsonl", text)
        let one = try BatchFixture.run(input.path, in: folder, stem: "one", format: format, jobs: 1)
        let four = try BatchFixture.run(input.path, in: folder, stem: "four", format: format, jobs: 4,
                                        window: BatchWindow(records: 9, bytes: 1 << 20))
        #expect(one.summary.coded == 400 && one.summary.failed == 1)
        #expect(four.summary == { var s = one.summary; s.jobs = 4; s.seconds = four.summary.seconds
            s.notesPerSecond = four.summary.notesPerSecond; s.megabytesPerSecond = four.summary.megabytesPerSecond; return s }())
        let a = BatchFixture.outputs(folder, stem: "one", format: format), b = BatchFixture.outputs(folder, stem: "four", format: format)
        for (x, y) in [(a.results, b.results), (a.queries, b.queries), (a.errors, b.errors)] {
            #expect(try Data(contentsOf: URL(fileURLWithPath: x)) == Data(contentsOf: URL(fileURLWithPath: y)))
        }
        if format == .jsonl {
            #expect(try BatchFixture.reports(a.results).map(\.id) == notes.map(\.id))
        } else {
            let rows = try BatchFixture.csvRows(a.results)
            #expect(rows.first == BatchFormats.resultsHeader)
            var ids: [String] = []
            for row in rows.dropFirst() where ids.last != row[0] { ids.append(row[0]) }
            // Consecutive notes sharing an id show as one group; every other note has rows.
            var expected: [String] = []
            for note in notes where expected.last != note.id { expected.append(note.id) }
            #expect(ids == expected)
        }
        #expect(four.peakInFlight <= 9)
    }

    @Test("bounded memory: a large input streams through with at most the window in flight")
    func boundedMemory() throws {
        let folder = try TemporaryFolder("batch-memory")
        // About 40 MB of JSON Lines, written in pieces so the test itself holds little.
        let path = folder.file("big.jsonl").path
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let filler = String(repeating: "Patient reports chronic low back pain radiating to the left leg. ", count: 30)
        let count = 20_000
        for start in stride(from: 0, to: count, by: 1_000) {
            var chunk = ""
            for i in start..<(start + 1_000) { chunk += BatchFixture.jsonLine(id: "m-\(i)", text: filler) + "\n" }
            handle.write(Data(chunk.utf8))
        }
        try handle.close()
        let size = try #require(FolderRecordReader.size(URL(fileURLWithPath: path)))
        #expect(size > 35_000_000)

        // The reader and the ordered pipeline, with a worker that only decodes: no engine, so
        // the test measures the streaming machinery.
        let window = BatchWindow(records: 32, bytes: 256 << 10)
        let source = try RecordSource(BatchInput(path: path), maxNoteBytes: 1 << 20, maxLineBytes: 1 << 20, chunkSize: 64 << 10)
        let handoff = Handoff(source)
        let pipeline = OrderedPipeline<InputRecord, Int>(jobs: 2, window: window)
        var total = 0, ordinal = 0
        try pipeline.run(
            produce: { submit throws(BatchError) in
                let source = handoff.take()
                while let record = try source.next(), submit(record, record.cost) {}
                handoff.keep(peak: source.peakBuffered)
            },
            makeWorker: {
                { record in
                    guard case let .json(bytes) = record.content, case let .success(note) = JSONRecord.note(from: bytes, ordinal: 0, lineNumber: nil)
                    else { return -1 }
                    return note.bytes.count
                }
            },
            consume: { bytes in
                ordinal += 1
                #expect(bytes == filler.utf8.count)
                total += bytes
            })
        #expect(ordinal == count)
        #expect(total == count * filler.utf8.count)
        #expect(pipeline.peakInFlight <= window.records)
        #expect(pipeline.peakInFlightBytes <= window.bytes)
        // The reader held one 64 KiB chunk plus at most one line, never the 40 MB file.
        #expect(handoff.peak <= (64 << 10) + (1 << 20) + (64 << 10))
    }

    @Test("bounded memory through the whole runner: the window holds whatever the input's length")
    func boundedRunner() throws {
        let folder = try TemporaryFolder("batch-memory-runner")
        let input = try folder.write("in.jsonl", BatchFixture.jsonl(BatchFixture.notes(1_500)))
        let window = BatchWindow(records: 12, bytes: 4_000)
        let result = try BatchFixture.run(input.path, in: folder, jobs: 3, window: window)
        #expect(result.summary.coded == 1_500)
        #expect(result.peakInFlight <= 12)
        #expect(result.peakInFlightBytes <= 4_000)
    }
}
