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

    @Option(name: .long, help: "text or json.")
    var format: OutputFormat = .text

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
        }
    }
}
