/// What a batch run reads and how.
public enum BatchInputFormat: String, Sendable, CaseIterable {
    /// Decide from the path: a folder, `.csv`, else JSON Lines (plain or FHIR, told apart per line).
    case auto
    /// A folder of `.txt` files; the id is the file name without `.txt`.
    case folder
    /// One JSON object a line: `{"id", "text", "dateOfService"?}`; a line holding a FHIR
    /// `DocumentReference` is read as one too, so mixed exports work.
    case jsonl
    /// FHIR R4 bulk-data NDJSON of `DocumentReference` resources.
    case fhir
    /// CSV with a header row.
    case csv
    /// HL7 v2 MDM^T02 / ORU^R01 messages, one or many in a file (`HL7v2Messages`); told by
    /// content when the format is `auto`.
    case hl7
    /// One C-CDA document (`CCDADocument`); told by content when the format is `auto`.
    case ccda
}

/// The names of the CSV columns that carry a note.
public struct CSVColumns: Sendable, Equatable {
    public var id: String
    public var text: String
    /// Optional: when the header has no such column, no date is given and the engine reads the note's own.
    public var date: String

    public init(id: String = "id", text: String = "text", date: String = "dateOfService") {
        self.id = id
        self.text = text
        self.date = date
    }
}

public struct BatchInput: Sendable {
    /// A path, or `-` for standard input.
    public var path: String
    public var format: BatchInputFormat
    public var columns: CSVColumns
    /// The ordinal of the first record. A job that codes one part of a larger export at a time
    /// (a Spark partition) gives each part its place in the whole, so that every `record` it
    /// writes joins back to the whole export and the parts add up to one run over it.
    public var firstRecord: Int

    public init(path: String, format: BatchInputFormat = .auto, columns: CSVColumns = CSVColumns(), firstRecord: Int = 1) {
        self.path = path
        self.format = format
        self.columns = columns
        self.firstRecord = firstRecord
    }

    public var isStandardInput: Bool { path == "-" }
}

public enum BatchOutputFormat: String, Sendable, CaseIterable {
    /// One `suggest --format json` report a line.
    case jsonl
    /// One row per suggested code line.
    case csv
    /// One row per claim service line, shaped like an 837P line (`ClaimCSV`).
    case claimCSV = "claim-csv"
    /// One FHIR R4 Bundle (a draft Claim and its query Tasks) a line, NDJSON (`FHIRClaimBundle`).
    case fhir

    /// The header row a CSV results file starts with; nil for line formats.
    public var header: [String]? {
        switch self {
        case .jsonl, .fhir: nil
        case .csv: BatchFormats.resultsHeader
        case .claimCSV: ClaimCSV.batchHeader
        }
    }
}

/// Where the results go. A nil path means standard output (results) or standard error
/// (errors); a nil queries path means no queries file.
public struct BatchOutput: Sendable {
    public var results: String?
    public var format: BatchOutputFormat
    public var queries: String?
    public var errors: String?
    public var summary: String?
    /// CSV cells that a spreadsheet would run as a formula are written as text (`'=…`); on by
    /// default, off for a pipeline that reads the files with a CSV parser and wants them raw.
    public var guardFormulas: Bool
    /// JSON Lines only: a record that fails becomes an error line in the results, in its place,
    /// and every line carries its `record`, so a program that feeds records through a pipe gets
    /// exactly one line back for each and can pair them without reading a second file.
    /// `errors` is then not used.
    public var inlineErrors: Bool

    public init(results: String?, format: BatchOutputFormat, queries: String? = nil, errors: String? = nil, summary: String? = nil,
                guardFormulas: Bool = true, inlineErrors: Bool = false) {
        self.results = results
        self.format = format
        self.queries = queries
        self.errors = errors
        self.summary = summary
        self.guardFormulas = guardFormulas
        self.inlineErrors = inlineErrors
    }
}

/// How far the reader may run ahead of the writer. Everything read and not yet written —
/// queued, being coded, or waiting for an earlier note — counts against both limits, so memory
/// stays bounded whatever the input's size. A single record larger than `bytes` is still let
/// through when nothing else is in flight.
public struct BatchWindow: Sendable, Equatable {
    public var records: Int
    public var bytes: Int

    public init(records: Int, bytes: Int) {
        precondition(records >= 1 && bytes >= 1)
        self.records = records
        self.bytes = bytes
    }

    /// Enough to keep every worker busy while one slow note holds up the writer: a long note
    /// naming many concepts can take as long as a few hundred short ones that name none.
    public static func standard(jobs: Int) -> BatchWindow {
        BatchWindow(records: max(256, jobs * 256), bytes: 32 << 20)
    }
}

public struct BatchConfiguration: Sendable {
    public var input: BatchInput
    public var output: BatchOutput
    public var jobs: Int
    public var window: BatchWindow
    public var resume: Bool
    public var maxNoteBytes: Int
    /// A note that takes longer is an error of its own; the run goes on (nil: no limit).
    public var maxNoteSeconds: Double?

    public init(input: BatchInput, output: BatchOutput, jobs: Int, window: BatchWindow? = nil, resume: Bool = false,
                maxNoteBytes: Int = 4 << 20, maxNoteSeconds: Double? = NoteTimeLimit.defaultSeconds) {
        self.input = input
        self.output = output
        self.jobs = max(1, jobs)
        self.window = window ?? .standard(jobs: max(1, jobs))
        self.resume = resume
        self.maxNoteBytes = maxNoteBytes
        self.maxNoteSeconds = maxNoteSeconds
    }

    /// The longest input line kept for a JSON record: the note, escaped or base64-encoded, plus
    /// its fields. A longer line is skipped without being held and reported as too large.
    var maxLineBytes: Int { maxNoteBytes &* 4 &+ (64 << 10) }
}

extension BatchOutput {
    /// The files a run appends to, which it must hold alone while it runs.
    var files: [String] {
        [results, queries, inlineErrors ? nil : errors].compactMap { $0 }
    }
}
