import Foundation

/// What a batch run did, printed at the end (text on standard error, or JSON to `--summary`).
public struct BatchSummary: Codable, Sendable, Equatable {
    public struct Family: Codable, Sendable, Equatable {
        public var total: Int
        /// ICD-10-CM by category (three characters); CPT and HCPCS by code.
        public var families: [String: Int]
    }

    public var input: String
    /// Records read from the input this run, including those skipped by `--resume`.
    public var records: Int = 0
    public var coded: Int = 0
    public var failed: Int = 0
    public var failedByKind: [String: Int] = [:]
    /// Records already in the output of an interrupted run (`--resume`).
    public var skipped: Int = 0
    /// By code set: `ICD-10-CM`, `CPT`, `HCPCS`.
    public var codes: [String: Family] = [:]
    public var queries: Int = 0
    public var queriesByKind: [String: Int] = [:]
    public var jobs: Int
    public var inputBytes: Int = 0
    public var seconds: Double = 0
    public var notesPerSecond: Double = 0
    public var megabytesPerSecond: Double = 0

    public init(input: String, jobs: Int) {
        self.input = input
        self.jobs = jobs
    }

    mutating func add(_ tally: NoteTally) {
        for (family, n) in tally.diagnoses { count("ICD-10-CM", family, n) }
        for (code, n) in tally.procedures { count(BatchFormats.codeSet(ofProcedure: code), code, n) }
        for (kind, n) in tally.queries {
            queriesByKind[kind, default: 0] += n
            queries += n
        }
    }

    private mutating func count(_ set: String, _ family: String, _ n: Int) {
        var entry = codes[set] ?? Family(total: 0, families: [:])
        entry.total += n
        entry.families[family, default: 0] += n
        codes[set] = entry
    }

    mutating func finish(seconds: Double, inputBytes: Int) {
        self.seconds = seconds
        self.inputBytes = inputBytes
        let processed = coded + failed
        notesPerSecond = seconds > 0 ? Double(processed) / seconds : 0
        megabytesPerSecond = seconds > 0 ? Double(inputBytes) / 1_000_000 / seconds : 0
    }

    /// Pretty JSON with sorted keys, ending in a newline.
    public func json() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return [UInt8](try encoder.encode(self)) + [0x0A]
    }

    public func text() -> String {
        func counts(_ map: [String: Int]) -> String {
            map.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
        var lines: [String] = []
        var notes = "notes: \(records) read, \(coded) coded, \(failed) failed"
        if !failedByKind.isEmpty { notes += " (\(counts(failedByKind)))" }
        if skipped > 0 { notes += ", \(skipped) already done (resumed)" }
        lines.append(notes)
        if codes.isEmpty {
            lines.append("codes: none")
        } else {
            for set in ["ICD-10-CM", "CPT", "HCPCS"] {
                guard let family = codes[set] else { continue }
                lines.append("codes: \(set) \(family.total) (\(counts(family.families)))")
            }
        }
        lines.append("queries: \(queries)" + (queriesByKind.isEmpty ? "" : " (\(counts(queriesByKind)))"))
        lines.append("time: " + String(format: "%.2f", seconds) + " s with \(jobs) job" + (jobs == 1 ? "" : "s") + ", "
                     + String(format: "%.1f", notesPerSecond) + " notes/s, " + String(format: "%.2f", megabytesPerSecond) + " MB/s of input")
        return lines.map { "notecoder batch: " + $0 }.joined(separator: "\n") + "\n"
    }
}
