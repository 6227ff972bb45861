import Foundation
import PCRE2

/// Progress of a running batch, handed to the caller's progress function on the writing thread.
public struct BatchProgress: Sendable {
    /// Records written (coded or failed) or skipped so far.
    public var done: Int
    public var failed: Int
    /// The number of records when known up front (a folder).
    public var totalRecords: Int?
    /// The share of the input read up to the last written record, when the input's size is known.
    public var inputFraction: Double?
    public var elapsed: Double
    public var finished: Bool

    /// The expected number of records: known, or estimated from the share of the input done.
    public var estimatedTotal: Int? {
        if let totalRecords { return totalRecords }
        guard let inputFraction, inputFraction > 0 else { return nil }
        return max(done, Int((Double(done) / inputFraction).rounded()))
    }

    public var notesPerSecond: Double { elapsed > 0 ? Double(done) / elapsed : 0 }

    /// Seconds left at the current rate, when the total can be told.
    public var secondsLeft: Double? {
        if let inputFraction, inputFraction > 0, totalRecords == nil {
            return elapsed * (1 - inputFraction) / inputFraction
        }
        guard let total = estimatedTotal, done > 0 else { return nil }
        return elapsed * Double(total - done) / Double(done)
    }
}

public struct BatchRunResult: Sendable {
    public var summary: BatchSummary
    /// The most records and bytes that were read and not yet written, at any moment.
    public var peakInFlight: Int
    public var peakInFlightBytes: Int
    /// The most input bytes the line reader held at once.
    public var peakReaderBuffer: Int
}

/// Runs the engine over a whole export: streams the input, codes notes on `jobs` threads
/// (one `Matcher` each, the compiled lexicon shared), and writes every note's results in
/// input order, one whole note per write, so output is byte-identical whatever `jobs` is and
/// an interrupted run can be resumed.
public struct BatchRunner: Sendable {
    public var engine: Engine
    public var configuration: BatchConfiguration

    public init(engine: Engine, configuration: BatchConfiguration) {
        var engine = engine
        engine.maxNoteBytes = configuration.maxNoteBytes
        if let seconds = configuration.maxNoteSeconds {
            engine.timeLimit = NoteTimeLimit(seconds: seconds, clock: engine.timeLimit?.clock ?? NoteTimeLimit.monotonicSeconds)
        } else {
            engine.timeLimit = nil
        }
        self.engine = engine
        self.configuration = configuration
    }

    /// What a worker hands the writer for one record.
    enum Outcome: Sendable {
        case coded(id: String, results: [UInt8], queries: [UInt8], tally: NoteTally)
        case failed(BatchFailure)
        /// `--resume`: the key is in the earlier output. The writer decides, in input order,
        /// whether this occurrence is the one already written; if not, it codes `note` itself.
        case maybeDone(ResumeKey, Pending)
    }

    enum Pending: Sendable {
        case note(Note, ordinal: Int, line: Int?)
        case failure(BatchFailure)
    }

    public func run(progress: ((BatchProgress) -> Void)? = nil) throws(BatchError) -> BatchRunResult {
        let start = DispatchTime.now()
        let config = configuration
        // The input first: a wrong path or CSV header must not touch an earlier run's output.
        let source = try RecordSource(config.input, maxNoteBytes: config.maxNoteBytes, maxLineBytes: config.maxLineBytes)
        let locks = try OutputLocks(config.output.files)
        defer { withExtendedLifetime(locks) {} }
        let resume = config.resume ? try ResumeState.prepare(config.output) : ResumeState()
        let sinks = try Sinks(config.output, resume: config.resume)
        let totalBytes = source.totalBytes
        let totalRecords = source.totalRecords
        let requireFHIR = source.format == .fhir
        let handoff = Handoff(source)

        var summary = BatchSummary(input: config.input.path, jobs: config.jobs)
        var remaining = resume.done
        var lastOffset = 0
        var lastReport = DispatchTime.now()
        let engine = self.engine
        var writerMatcher: Matcher?

        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }
        func report(finished: Bool) {
            guard let progress else { return }
            progress(BatchProgress(done: summary.records, failed: summary.failed, totalRecords: totalRecords,
                                   inputFraction: totalBytes.flatMap { $0 > 0 ? min(1, Double(lastOffset) / Double($0)) : nil },
                                   elapsed: elapsed(), finished: finished))
        }
        func write(_ outcome: Outcome) throws(BatchError) {
            switch outcome {
            case let .coded(_, results, queries, tally):
                if let file = sinks.queries { try file.write(queries) }
                try sinks.results.write(results)
                summary.coded += 1
                summary.add(tally)
            case let .failed(failure):
                try sinks.writeFailure(failure)
                summary.failed += 1
                summary.failedByKind[failure.kind.rawValue, default: 0] += 1
            case let .maybeDone(key, pending):
                if let left = remaining[key], left > 0 {
                    remaining[key] = left - 1
                    summary.skipped += 1
                    return
                }
                // A later record with the same id as one already written: code it here.
                switch pending {
                case let .failure(failure):
                    try write(.failed(failure))
                case let .note(note, ordinal, line):
                    if writerMatcher == nil { writerMatcher = engine.lexicon.makeMatcher() }
                    try write(Self.code(note, ordinal: ordinal, line: line, engine: engine, matcher: writerMatcher!, output: config.output))
                }
            }
        }

        let pipeline = OrderedPipeline<InputRecord, (outcome: Outcome, offset: Int)>(jobs: config.jobs, window: config.window)
        let output = config.output
        try pipeline.run(
            produce: { submit throws(BatchError) in
                let source = handoff.take()
                while let record = try source.next() {
                    if !submit(record, record.cost) { return }
                }
                handoff.keep(peak: source.peakBuffered)
            },
            makeWorker: {
                let matcher = engine.lexicon.makeMatcher()
                return { record in
                    (Self.process(record, engine: engine, matcher: matcher, resume: resume, requireFHIR: requireFHIR, output: output),
                     record.endOffset)
                }
            },
            consume: { (result: (outcome: Outcome, offset: Int)) throws(BatchError) in
                summary.records += 1
                lastOffset = result.offset
                try write(result.outcome)
                if progress != nil, DispatchTime.now().uptimeNanoseconds - lastReport.uptimeNanoseconds > 200_000_000 {
                    lastReport = DispatchTime.now()
                    report(finished: false)
                }
            })
        summary.finish(seconds: elapsed(), inputBytes: lastOffset)
        report(finished: true)
        if let path = config.output.summary {
            do {
                try Data(summary.json()).write(to: URL(fileURLWithPath: path))
            } catch {
                throw .badOutput(path: path, reason: "the summary cannot be written")
            }
        }
        return BatchRunResult(summary: summary, peakInFlight: pipeline.peakInFlight, peakInFlightBytes: pipeline.peakInFlightBytes,
                              peakReaderBuffer: handoff.peak)
    }

    /// One record, on a worker thread: decode, skip if already done, code, format.
    static func process(_ record: InputRecord, engine: Engine, matcher: Matcher, resume: ResumeState, requireFHIR: Bool,
                        output: BatchOutput) -> Outcome {
        let note: Note
        switch record.content {
        case let .note(n):
            note = n
        case let .broken(id, kind, detail):
            let failure = BatchFailure(id: id ?? "", ordinal: record.ordinal, line: record.line, kind: kind, detail: detail)
            return resumed(failure, resume) ?? .failed(failure)
        case let .json(bytes):
            if requireFHIR && !bytes.containsResourceType {
                let failure = BatchFailure(id: "", ordinal: record.ordinal, line: record.line, kind: .brokenRecord, detail: "not a FHIR resource")
                return resumed(failure, resume) ?? .failed(failure)
            }
            switch JSONRecord.note(from: bytes, ordinal: record.ordinal, lineNumber: record.line) {
            case let .success(n): note = n
            case let .failure(failure): return resumed(failure, resume) ?? .failed(failure)
            }
        }
        // A position the earlier run wrote (CSV results, any error row) settles it, whatever the
        // id: two notes sharing an id are two positions.
        if resume.positions.contains(record.ordinal) {
            return .maybeDone(.position(record.ordinal), .note(note, ordinal: record.ordinal, line: record.line))
        }
        let key = ResumeState.key(ofID: note.id)
        if resume.ids.contains(key) {
            return .maybeDone(.id(key), .note(note, ordinal: record.ordinal, line: record.line))
        }
        return code(note, ordinal: record.ordinal, line: record.line, engine: engine, matcher: matcher, output: output)
    }

    static func resumed(_ failure: BatchFailure, _ resume: ResumeState) -> Outcome? {
        if resume.positions.contains(failure.ordinal) { return .maybeDone(.position(failure.ordinal), .failure(failure)) }
        if failure.id.isEmpty { return nil }
        let key = ResumeState.key(ofID: failure.id)
        return resume.ids.contains(key) ? .maybeDone(.id(key), .failure(failure)) : nil
    }

    static func code(_ note: Note, ordinal: Int, line: Int?, engine: Engine, matcher: Matcher, output: BatchOutput) -> Outcome {
        let report: Report
        do {
            report = try engine.code(note, matcher: matcher)
        } catch {
            return .failed(BatchFailure(error, ordinal: ordinal, line: line))
        }
        let results: [UInt8]
        switch output.format {
        case .jsonl:
            do {
                results = try output.inlineErrors ? BatchFormats.jsonLine(report, record: ordinal) : BatchFormats.jsonLine(report)
            } catch {
                return .failed(BatchFailure(id: note.id, ordinal: ordinal, line: line, kind: .brokenRecord, detail: "the report could not be encoded"))
            }
        case .csv:
            results = Array(BatchFormats.resultRows(report, record: ordinal, guardFormulas: output.guardFormulas).utf8)
        case .claimCSV:
            results = Array(ClaimCSV.rows(report, guardFormulas: output.guardFormulas, record: ordinal).utf8)
        case .fhir:
            do {
                results = [UInt8](try FHIRClaimBundle.json(report, pretty: false)) + [0x0A]
            } catch {
                return .failed(BatchFailure(id: note.id, ordinal: ordinal, line: line, kind: .brokenRecord, detail: "the FHIR bundle could not be encoded"))
            }
        }
        let queries = output.queries != nil ? Array(BatchFormats.queryRows(report, record: ordinal, guardFormulas: output.guardFormulas).utf8) : []
        return .coded(id: note.id, results: results, queries: queries, tally: NoteTally(report))
    }
}

/// The output files, opened (and given their header rows) before the run starts.
final class Sinks {
    let results: OutputFile
    let queries: OutputFile?
    private let errors: Errors
    private let guardFormulas: Bool

    /// Where a failed record goes.
    private enum Errors {
        case file(OutputFile)
        case standardError(OutputFile)
        /// An error line among the results (`--errors inline`).
        case inline
    }

    init(_ output: BatchOutput, resume: Bool) throws(BatchError) {
        func open(_ path: String, header: [String]?) throws(BatchError) -> OutputFile {
            let file = try OutputFile(path: path, truncate: !resume)
            var info = stat()
            if let header, fstat(file.fd, &info) == 0, info.st_size == 0 {
                try file.write(Array(BatchFormats.csvRow(header).utf8))
            }
            return file
        }
        let resultsHeader = output.format.header
        if let path = output.results {
            results = try open(path, header: resultsHeader)
        } else {
            results = OutputFile(standard: 1, name: "standard output")
            if let resultsHeader { try results.write(Array(BatchFormats.csvRow(resultsHeader).utf8)) }
        }
        queries = try output.queries.map { path throws(BatchError) in try open(path, header: BatchFormats.queriesHeader) }
        if output.inlineErrors {
            errors = .inline
        } else if let path = output.errors {
            errors = .file(try open(path, header: BatchFormats.errorsHeader))
        } else {
            errors = .standardError(OutputFile(standard: 2, name: "standard error"))
        }
        guardFormulas = output.guardFormulas
    }

    func writeFailure(_ failure: BatchFailure) throws(BatchError) {
        switch errors {
        case let .standardError(file):
            let id = failure.id.isEmpty ? "" : "note \(failure.id), "
            try file.write(Array("notecoder batch: \(id)\(failure.position): \(failure.kind.rawValue): \(failure.detail)\n".utf8))
        case let .file(file):
            try file.write(Array(BatchFormats.errorRow(failure, guardFormulas: guardFormulas).utf8))
        case .inline:
            try results.write(BatchFormats.errorLine(failure))
        }
    }
}

/// Passes the opened input from the calling thread to the reader thread, which alone uses it
/// from then on; and brings back the reader's peak buffer size.
final class Handoff: @unchecked Sendable {
    private let lock = NSLock()
    private var source: RecordSource?
    private var peakValue = 0

    init(_ source: RecordSource) { self.source = source }

    func take() -> RecordSource {
        lock.lock()
        defer { lock.unlock() }
        return source.take()!
    }

    func keep(peak: Int) {
        lock.lock()
        peakValue = peak
        lock.unlock()
    }

    var peak: Int {
        lock.lock()
        defer { lock.unlock() }
        return peakValue
    }
}

extension [UInt8] {
    /// A cheap test for a FHIR resource line, before decoding it.
    var containsResourceType: Bool {
        let needle = Array("\"resourceType\"".utf8)
        guard count >= needle.count else { return false }
        var i = 0
        while i + needle.count <= count {
            if self[i] == 0x22 && self[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}
