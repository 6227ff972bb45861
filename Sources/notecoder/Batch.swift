import ArgumentParser
import Foundation
import NoteCoder

struct Batch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Code a whole export: a folder of .txt notes, JSON Lines, CSV, or FHIR DocumentReference NDJSON.",
        discussion: """
            Results are written in input order, one note at a time, whatever --jobs is; an \
            interrupted run leaves whole lines and continues with --resume. Notes that cannot be \
            coded go to the errors file (id, record, line, reason; never the note's text) and \
            the run goes on; a note not coded within --max-note-seconds is one of them. With \
            --out, the queries and errors files default to <out>.queries.csv and \
            <out>.errors.csv beside it. A CSV cell that starts with =, +, -, \
            @, a tab or a CR is written with a leading ' so that a spreadsheet shows it as text \
            (--no-csv-formula-guard writes it as it is). An empty input is a run of no notes.

            --errors inline is for programs that pipe records through (a Spark job): exactly one \
            JSON line per input record on the results, in input order, each with the record's \
            ordinal "record" — the report, or {"id", "record", "error": {"kind", "detail"}} — and \
            a record that fails does not fail the run (exit 0).

            Exit status: 0 every note coded (or --errors inline); 1 some notes failed (see the errors file); 64 bad \
            usage; 65 unreadable input (a CSV without the columns, a read error); 66 input not \
            found; 73 an output file cannot be written; 78 the lexicons are invalid.
            """)

    @Argument(help: "A folder of .txt files, a .jsonl/.ndjson/.csv file, or - for standard input.")
    var input: String

    @Option(name: .long, help: "The results file (default: standard output).")
    var out: String?

    @Option(name: .long, help: "jsonl (one report a line), csv (one row per code line), claim-csv (one row per claim service line, 837P-shaped) or fhir (one FHIR R4 Bundle a line: a draft Claim and its query Tasks); default: csv when --out ends in .csv, else jsonl.")
    var format: ResultsFormat?

    @Option(name: .customLong("input-format"), help: "auto, folder, jsonl, fhir, csv, hl7 or ccda (auto: by the path and the content: HL7 v2 messages by their MSH or MLLP start, a C-CDA document by its ClinicalDocument element, a FHIR Bundle document by its first line).")
    var inputFormat: InputFormat = .auto

    @Option(name: .customLong("id-column"), help: "CSV: the column holding the note id.")
    var idColumn = "id"

    @Option(name: .customLong("text-column"), help: "CSV: the column holding the note text.")
    var textColumn = "text"

    @Option(name: .customLong("date-column"), help: "CSV: the column holding the date of service (YYYY-MM-DD), if the export has one.")
    var dateColumn = "dateOfService"

    @Option(name: .long, help: "The queries file: one ready-to-send provider query per row (default with --out: <out>.queries.csv).")
    var queries: String?

    @Flag(name: .customLong("no-queries"), help: "Write no queries file.")
    var noQueries = false

    @Flag(name: .customLong("no-csv-formula-guard"),
          help: "Write CSV cells starting with =, +, -, @ (or a tab or CR) as they are, without the leading ' that keeps a spreadsheet from running them as formulas.")
    var noCSVFormulaGuard = false

    @Option(name: .long, help: ArgumentHelp(
        "The errors file (default with --out: <out>.errors.csv; without --out: lines on standard error), or inline.",
        discussion: "inline: an error line in the results in place of the report, every line numbered; for a file named inline, write ./inline."))
    var errors: String?

    @Option(name: .customLong("first-record"), help: "The ordinal of the first record, for a job that codes an export in parts.")
    var firstRecord = 1

    @Option(name: .long, help: "Write the summary as JSON to this file instead of printing it on standard error.")
    var summary: String?

    @Option(name: .long, help: "Notes coded at once (default: all cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: .long, help: "Skip the notes already in --out (and its errors file) and append the rest.")
    var resume = false

    @Flag(name: .long, help: "No progress and no summary on standard error.")
    var quiet = false

    @Option(name: .customLong("max-note-bytes"), help: "Refuse notes larger than this (bytes).")
    var maxNoteBytes: Int = 4 << 20

    @OptionGroup var timeLimit: TimeLimitOption

    @OptionGroup var lexicon: LexiconOption

    static let outputFailed = ExitCode(73)

    func validate() throws {
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if maxNoteBytes < 1 { throw ValidationError("--max-note-bytes must be at least 1") }
        if resume && out == nil { throw ValidationError("--resume needs --out: it continues the results file of an earlier run") }
        if noQueries && queries != nil { throw ValidationError("--queries and --no-queries contradict each other") }
        if firstRecord < 1 { throw ValidationError("--first-record must be at least 1") }
        if inlineErrors, let format, format == .csv || format == .claimCSV {
            throw ValidationError("--errors inline writes error lines among JSON Lines results; it cannot go with --format \(format.rawValue)")
        }
        if inlineErrors && format == nil && (out?.lowercased().hasSuffix(".csv") ?? false) {
            throw ValidationError("--errors inline writes JSON Lines; with --out \(out ?? "") add --format jsonl")
        }
        if input == "-" && inputFormat == .folder { throw ValidationError("- is standard input, not a folder: --input-format folder needs a folder") }
    }

    func run() throws {
        let format: BatchOutputFormat = format.map(\.output) ?? ((out?.lowercased().hasSuffix(".csv") ?? false) ? .csv : .jsonl)
        let stem = out.map { path -> String in
            let url = URL(fileURLWithPath: path)
            return url.pathExtension.isEmpty ? path : url.deletingPathExtension().path
        }
        let queriesPath = noQueries ? nil : (queries ?? stem.map { $0 + ".queries.csv" })
        let errorsPath = inlineErrors ? nil : (errors ?? stem.map { $0 + ".errors.csv" })
        let configuration = BatchConfiguration(
            input: BatchInput(path: input, format: BatchInputFormat(rawValue: inputFormat.rawValue) ?? .auto,
                              columns: CSVColumns(id: idColumn, text: textColumn, date: dateColumn), firstRecord: firstRecord),
            output: BatchOutput(results: out, format: format, queries: queriesPath, errors: errorsPath, summary: summary,
                                guardFormulas: !noCSVFormulaGuard, inlineErrors: inlineErrors),
            jobs: jobs, resume: resume, maxNoteBytes: maxNoteBytes, maxNoteSeconds: timeLimit.seconds)

        let lexicon = try lexicon.load()
        let runner = BatchRunner(engine: Engine(lexicon: lexicon, maxNoteBytes: maxNoteBytes), configuration: configuration)
        let showProgress = !quiet && isatty(2) == 1
        let progress: ((BatchProgress) -> Void)? = showProgress ? { Self.showProgress($0) } : nil
        let result: BatchRunResult
        do throws(BatchError) {
            result = try runner.run(progress: progress)
        } catch {
            if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            Console.error("notecoder batch: \(error.description)")
            switch error {
            case .inputMissing: throw ExitStatus.inputMissing
            case .writeFailed, .badOutput, .outputBusy: throw Self.outputFailed
            case .cannotOpen(let path, _) where path != input: throw Self.outputFailed
            default: throw ExitStatus.badInput
            }
        }
        if !quiet && summary == nil {
            FileHandle.standardError.write(Data(result.summary.text().utf8))
            if result.summary.failed > 0, let errorsPath {
                Console.error("notecoder batch: \(result.summary.failed) note(s) failed; see \(errorsPath)")
            } else if result.summary.failed > 0 && inlineErrors {
                Console.error("notecoder batch: \(result.summary.failed) note(s) failed; see their error lines in the results")
            }
        }
        // Inline, a failed record is an answer written in its place, not a failure of the run.
        if result.summary.failed > 0 && !inlineErrors { throw ExitStatus.notesFailed }
    }

    var inlineErrors: Bool { errors == "inline" }

    /// One line, rewritten in place, on a terminal only; never any note text.
    static func showProgress(_ progress: BatchProgress) {
        if progress.finished {
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
            return
        }
        var line = "notecoder batch: \(progress.done)"
        if let total = progress.estimatedTotal {
            line += (progress.totalRecords == nil ? "/~" : "/") + "\(total) notes"
        } else {
            line += " notes"
        }
        line += String(format: ", %.0f notes/s", progress.notesPerSecond)
        if let left = progress.secondsLeft {
            let seconds = Int(left.rounded())
            line += ", " + (seconds >= 3600 ? "\(seconds / 3600)h" : "") + String(format: "%d:%02d left", (seconds % 3600) / 60, seconds % 60)
        }
        if progress.failed > 0 { line += ", \(progress.failed) failed" }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
    }
}

enum ResultsFormat: String, ExpressibleByArgument, CaseIterable {
    case jsonl, csv
    case claimCSV = "claim-csv"
    case fhir

    var output: BatchOutputFormat {
        switch self {
        case .jsonl: .jsonl
        case .csv: .csv
        case .claimCSV: .claimCSV
        case .fhir: .fhir
        }
    }
}

enum InputFormat: String, ExpressibleByArgument, CaseIterable {
    case auto, folder, jsonl, fhir, csv, hl7, ccda
}
