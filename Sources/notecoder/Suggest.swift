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
        var input = Note(id: note == "-" ? "stdin" : URL(fileURLWithPath: note).deletingPathExtension().lastPathComponent,
                         bytes: bytes, dateOfService: date)
        // A C-CDA document or an HL7 v2 message (MDM^T02, ORU^R01) is told by its content; its
        // note is coded, with its document id and date unless --date says otherwise.
        if CCDADocument.looksLikeCCDA(bytes) {
            switch CCDADocument.note(bytes, fallbackID: input.id) {
            case let .success(document):
                input = document
                input.dateOfService = date ?? document.dateOfService
            case let .failure(failure):
                Console.error("notecoder: \(note): C-CDA: \(failure.description)")
                throw ExitStatus.badInput
            }
        } else if HL7v2Messages.looksLikeHL7(bytes) {
            let items = HL7v2Messages.read(bytes)
            guard items.count == 1 else {
                Console.error("notecoder: \(note) holds \(items.count) HL7 messages; code them with notecoder batch")
                throw ExitStatus.badInput
            }
            switch items[0] {
            case let .note(message, _, _):
                input = message
                input.dateOfService = date ?? message.dateOfService
            case let .problem(_, _, line, detail):
                Console.error("notecoder: \(note): line \(line): \(detail)")
                throw ExitStatus.badInput
            }
        }
        let report: Report
        do {
            let engine = Engine(lexicon: lexicon, timeLimit: NoteTimeLimit(seconds: timeLimit.seconds))
            report = try engine.code(input)
        } catch {
            Console.error("notecoder: \(error.description)")
            throw ExitStatus.badInput
        }
        switch format {
        case .text: Console.write(report.text())
        case .json: Console.write(String(decoding: try report.jsonData(), as: UTF8.self) + "\n")
        case .fhir: Console.write(String(decoding: try FHIRClaimBundle.json(report), as: UTF8.self) + "\n")
        case .claimCSV: Console.write(ClaimCSV.document(report))
        }
    }
}

enum SuggestFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, fhir
    case claimCSV = "claim-csv"
}
