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

    static func prepare(_ output: BatchOutput) throws(BatchError) -> ResumeState {
        var state = ResumeState()
        guard let results = output.results else { return state }
        var resultCounts: [String: Int] = [:]
        switch output.format {
        case .jsonl:
            let scan = try RecordScan(path: results, quoted: false)
            var cut = 0
            while let record = try scan.next() {
                guard record.complete else { break }
                guard let id = Self.reportID(record.bytes) else {
                    throw .badOutput(path: results, reason: "line \(record.number) is not a batch report; cannot resume into this file")
                }
                resultCounts[id, default: 0] += 1
                cut = record.end
            }
            if cut < scan.size { try FileBytes.truncate(results, to: cut) }
        case .csv:
            let scan = try RecordScan(path: results, quoted: true)
            var groups: [(id: String, start: Int)] = []
            var cut = 0
            var first = true
            while let record = try scan.next() {
                guard record.complete else { break }
                let fields = Self.fields(record.bytes)
                if first {
                    first = false
                    guard fields == BatchFormats.resultsHeader else {
                        throw .badOutput(path: results, reason: "does not start with the batch CSV header; cannot resume into this file")
                    }
                    cut = record.end
                    continue
                }
                guard let id = fields.first, !id.isEmpty else {
                    throw .badOutput(path: results, reason: "row \(record.number) has no note id; cannot resume into this file")
                }
                if groups.last?.id != id { groups.append((id, record.start)) }
                cut = record.end
            }
            // The last note's rows may be incomplete: drop them and code that note again.
            if let last = groups.popLast() { cut = last.start }
            for group in groups { resultCounts[group.id, default: 0] += 1 }
            if cut < scan.size { try FileBytes.truncate(results, to: cut) }
        }
        for (id, count) in resultCounts {
            state.done[.id(id), default: 0] += count
            state.ids.insert(id)
        }

        if let errors = output.errors {
            let scan = try RecordScan(path: errors, quoted: true)
            var cut = 0
            var first = true
            while let record = try scan.next() {
                guard record.complete else { break }
                let fields = Self.fields(record.bytes)
                if first {
                    first = false
                    guard fields == BatchFormats.errorsHeader else {
                        throw .badOutput(path: errors, reason: "does not start with the batch errors header; cannot resume into this file")
                    }
                    cut = record.end
                    continue
                }
                guard fields.count == BatchFormats.errorsHeader.count, let ordinal = Int(fields[1]) else {
                    throw .badOutput(path: errors, reason: "row \(record.number) is not a batch error row; cannot resume into this file")
                }
                if fields[0].isEmpty {
                    state.done[.position(ordinal), default: 0] += 1
                    state.positions.insert(ordinal)
                } else {
                    state.done[.id(fields[0]), default: 0] += 1
                    state.ids.insert(fields[0])
                }
                cut = record.end
            }
            if cut < scan.size { try FileBytes.truncate(errors, to: cut) }
        }

        if let queries = output.queries {
            // Keep query rows only for notes whose results are in: rows come in note order, so
            // the first group without a result starts what must be cut.
            var remaining = resultCounts
            let scan = try RecordScan(path: queries, quoted: true)
            var cut = 0
            var first = true
            var currentGroup: String?
            while let record = try scan.next() {
                guard record.complete else { break }
                let fields = Self.fields(record.bytes)
                if first {
                    first = false
                    guard fields == BatchFormats.queriesHeader else {
                        throw .badOutput(path: queries, reason: "does not start with the batch queries header; cannot resume into this file")
                    }
                    cut = record.end
                    continue
                }
                guard let id = fields.first else { break }
                if id != currentGroup {
                    guard let left = remaining[id], left > 0 else { break }
                    remaining[id] = left - 1
                    currentGroup = id
                }
                cut = record.end
            }
            if cut < scan.size { try FileBytes.truncate(queries, to: cut) }
        }
        return state
    }

    private struct IDOnly: Decodable { var id: String }

    static func reportID(_ line: [UInt8]) -> String? {
        try? JSONDecoder().decode(IDOnly.self, from: Data(line)).id
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
