import Foundation

/// A note already accounted for by an earlier run: by id, or by position for a record too
/// broken to have one.
enum ResumeKey: Hashable, Sendable {
    case id(String)
    case position(Int)
}

/// What an interrupted run left, read back so that `--resume` appends exactly the rest.
///
/// Every note's lines are written in input order, queries before results, so each file holds
/// a prefix of what an uninterrupted run would write, plus possibly the start of one note.
/// Preparing cuts that start away: a partial last line; in CSV results, the last note's rows
/// (they may be incomplete, and redoing one note is cheap); query rows of a note that has no
/// result yet. The rerun then writes those notes again, whole, so the files end up identical
/// to an uninterrupted run's.
struct ResumeState: Sendable {
    /// How many times each key was already written (duplicate ids in the input each count).
    var done: [ResumeKey: Int] = [:]
    /// Ids present in the results or the errors, for the workers' quick check.
    var ids: Set<String> = []
    var positions: Set<Int> = []
    var total: Int { done.values.reduce(0, +) }

    /// An id as the CSV formula guard writes it, for every id read back and every id looked up:
    /// a run resumed with the guard on or off then finds the notes of an earlier run made either
    /// way, in JSON Lines (ids as given) as in CSV (`=x` written `'=x`). The price: ids `=x` and
    /// `'=x` in one export are one id to a resume.
    static func key(ofID id: String) -> String { BatchFormats.formulaGuarded(id) }

    static func prepare(_ output: BatchOutput) throws(BatchError) -> ResumeState {
        var state = ResumeState()
        guard let results = output.results else { return state }
        var resultCounts: [String: Int] = [:]
        switch output.format {
        case .jsonl, .fhir:
            let scan = try Self.scanRecords(results, quoted: false, header: nil) { record throws(BatchError) in
                switch Self.reportKey(record.bytes) {
                case let .id(id)?:
                    resultCounts[Self.key(ofID: id), default: 0] += 1
                case let .position(ordinal)?:
                    state.done[.position(ordinal), default: 0] += 1
                    state.positions.insert(ordinal)
                case nil:
                    throw .badOutput(path: results, reason: "line \(record.number) is not a batch report; cannot resume into this file")
                }
                return true
            }
            if scan.cut < scan.size { try FileBytes.truncate(results, to: scan.cut) }
        case .csv, .claimCSV:
            // Rows are grouped by their record (the last cell), never by id: two notes with one
            // id in a row are two groups.
            var groups: [(record: Int, start: Int)] = []
            let scan = try Self.scanRecords(
                results, quoted: true,
                header: (output.format.header ?? [], "does not start with the batch CSV header; cannot resume into this file")
            ) { record throws(BatchError) in
                let fields = Self.fields(record.bytes)
                guard let cell = fields.first, !cell.isEmpty, let ordinal = fields.last.flatMap({ Int($0) }) else {
                    throw .badOutput(path: results, reason: "row \(record.number) has no note id or record; cannot resume into this file")
                }
                if groups.last?.record != ordinal { groups.append((ordinal, record.start)) }
                return true
            }
            var cut = scan.cut
            // The last note's rows may be incomplete: drop them and code that note again.
            if let last = groups.popLast() { cut = last.start }
            for group in groups {
                state.done[.position(group.record), default: 0] += 1
                state.positions.insert(group.record)
            }
            if cut < scan.size { try FileBytes.truncate(results, to: cut) }
        }
        let csvResults = output.format.header != nil
        if !csvResults {
            for (id, count) in resultCounts {
                state.done[.id(id), default: 0] += count
                state.ids.insert(id)
            }
        }

        if let errors = output.errors {
            let scan = try Self.scanRecords(
                errors, quoted: true,
                header: (BatchFormats.errorsHeader, "does not start with the batch errors header; cannot resume into this file")
            ) { record throws(BatchError) in
                let fields = Self.fields(record.bytes)
                guard fields.count == BatchFormats.errorsHeader.count, let ordinal = Int(fields[1]) else {
                    throw .badOutput(path: errors, reason: "row \(record.number) is not a batch error row; cannot resume into this file")
                }
                // Every error row names its record: the position settles it, id or none.
                state.done[.position(ordinal), default: 0] += 1
                state.positions.insert(ordinal)
                return true
            }
            if scan.cut < scan.size { try FileBytes.truncate(errors, to: scan.cut) }
        }

        if let queries = output.queries {
            // Keep query rows only for notes whose results are in. Rows come in note order and
            // each names its record: a CSV results file says which records are in; JSON Lines
            // results say how many notes of each id are, counted off one record at a time.
            var remaining = resultCounts
            var currentRecord: Int?
            let done = state.positions
            let scan = try Self.scanRecords(
                queries, quoted: true,
                header: (BatchFormats.queriesHeader, "does not start with the batch queries header; cannot resume into this file")
            ) { record throws(BatchError) in
                let fields = Self.fields(record.bytes)
                guard let id = fields.first.map(Self.key(ofID:)), let ordinal = fields.last.flatMap({ Int($0) }) else { return false }
                if ordinal != currentRecord {
                    if csvResults {
                        guard done.contains(ordinal) else { return false }
                    } else {
                        guard let left = remaining[id], left > 0 else { return false }
                        remaining[id] = left - 1
                    }
                    currentRecord = ordinal
                }
                return true
            }
            if scan.cut < scan.size { try FileBytes.truncate(queries, to: scan.cut) }
        }
        return state
    }

    /// Reads the complete records of `path` in order. With a `header`, the first record's
    /// fields must equal it (else the file is refused with `problem`) and it is kept; every
    /// other record goes to `accept`, which keeps it by returning true or stops the scan by
    /// returning false. An incomplete record also stops the scan. Returns where the file
    /// should end (after the last record kept) and its size now; the caller does the cutting.
    private static func scanRecords(
        _ path: String, quoted: Bool, header: (fields: [String], problem: String)?,
        accept: (RecordScan.Record) throws(BatchError) -> Bool
    ) throws(BatchError) -> (cut: Int, size: Int) {
        let scan = try RecordScan(path: path, quoted: quoted)
        var cut = 0
        var first = header != nil
        while let record = try scan.next() {
            guard record.complete else { break }
            if first, let header {
                first = false
                guard Self.fields(record.bytes) == header.fields else {
                    throw .badOutput(path: path, reason: header.problem)
                }
                cut = record.end
                continue
            }
            guard try accept(record) else { break }
            cut = record.end
        }
        return (cut, scan.size)
    }

    private struct LineKey: Decodable {
        var id: String?
        var record: Int?
        /// A FHIR bundle line names its note by identifier (a note id need not be a FHIR id).
        var identifier: Identifier?
        struct Identifier: Decodable { var value: String? }
    }

    /// What a results line accounts for: a report or an error line (`--errors inline`) by its
    /// id, an error line of a record too broken to have one by its `record`.
    static func reportKey(_ line: [UInt8]) -> ResumeKey? {
        guard let key = try? JSONDecoder().decode(LineKey.self, from: Data(line)) else { return nil }
        if let id = key.id ?? key.identifier?.value { return .id(id) }
        return key.record.map(ResumeKey.position)
    }

    /// The fields of one CSV record that this program wrote, read back with CSV.swift.
    static func fields(_ record: [UInt8]) -> [String] {
        BatchFormats.parseCSV(String(decoding: record, as: UTF8.self)).first ?? []
    }
}

/// Streams a file written by this program as records ending in `\n` (outside quotes when
/// `quoted`), with their byte offsets, so a resume can cut the file at a record boundary
/// without holding the file in memory.
final class RecordScan {
    struct Record {
        var bytes: [UInt8]
        var start: Int
        var end: Int
        /// False for trailing bytes not ended by a newline: an interrupted write.
        var complete: Bool
        var number: Int
    }

    private let fd: Int32
    let size: Int
    private let quoted: Bool
    private var chunk = [UInt8](repeating: 0, count: 1 << 20)
    private var chunkCount = 0
    private var chunkPosition = 0
    private var offset = 0
    private var number = 0
    private var finished = false

    init(path: String, quoted: Bool) throws(BatchError) {
        self.quoted = quoted
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            guard errno == ENOENT else { throw .cannotOpen(path: path, errno: errno) }
            self.fd = -1
            size = 0
            finished = true
            return
        }
        self.fd = fd
        var info = stat()
        size = fstat(fd, &info) == 0 ? Int(info.st_size) : 0
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    func next() throws(BatchError) -> Record? {
        guard !finished else { return nil }
        var bytes: [UInt8] = []
        var inQuotes = false
        let start = offset
        while true {
            if chunkPosition == chunkCount {
                let got = chunk.withUnsafeMutableBufferPointer { posixRead(fd, $0.baseAddress!, $0.count) }
                if got < 0 { throw .readFailed(errno: errno) }
                if got == 0 {
                    finished = true
                    guard !bytes.isEmpty else { return nil }
                    number += 1
                    return Record(bytes: bytes, start: start, end: offset, complete: false, number: number)
                }
                chunkCount = got
                chunkPosition = 0
            }
            let byte = chunk[chunkPosition]
            chunkPosition += 1
            offset += 1
            if quoted && byte == 0x22 { inQuotes.toggle() }
            if byte == 0x0A && !inQuotes {
                number += 1
                return Record(bytes: bytes, start: start, end: offset, complete: true, number: number)
            }
            bytes.append(byte)
        }
    }
}
