import ArgumentParser
import Foundation
import NoteCoder

struct Suggest: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Code one note: diagnoses, procedures, provider queries, and what was set aside.")

    @Argument(help: "The note (UTF-8 text), or - for standard input.")
    var note: String

    @Option(name: .long, help: ArgumentHelp("Date of service, YYYY-MM-DD; wins over a date in the note.", valueName: "yyyy-mm-dd"),
            transform: Day.argument)
    var date: Day?

    @Option(name: .long, help: "text, json, fhir (a FHIR R4 Bundle: the draft Claim and a Task per query) or claim-csv (one row per claim service line, 837P-shaped).")
    var format: SuggestFormat = .text

    @OptionGroup var timeLimit: TimeLimitOption

    @OptionGroup var lexicon: LexiconOption

    func run() throws {
        let lexicon = try lexicon.load()
        let bytes = try Console.read(note)
        let id = note == "-" ? "stdin" : URL(fileURLWithPath: note).deletingPathExtension().lastPathComponent
        let report: Report
        do {
            let engine = Engine(lexicon: lexicon, timeLimit: NoteTimeLimit(seconds: timeLimit.seconds))
            report = try engine.code(Note(id: id, bytes: bytes, dateOfService: date))
        } catch {
            Console.error("notecoder: \(error.description)")
            throw ExitStatus.badInput
        }
        switch format {
        case .text: Console.write(report.text())
        case .json: Console.write(String(decoding: try report.jsonData(), as: UTF8.self) + "\n")
        case .fhir: Console.write(String(decoding: try FHIRClaimBundle.json(report), as: UTF8.self) + "\n")
        case .claimCSV: Console.write(BatchFormats.csvRow(ClaimCSV.header) + ClaimCSV.rows(report, guardFormulas: true))
        }
    }
}

enum SuggestFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, fhir
    case claimCSV = "claim-csv"
}
