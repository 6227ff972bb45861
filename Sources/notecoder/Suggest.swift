import ArgumentParser
import Foundation
import NoteCoder

struct Suggest: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Code one note: diagnoses, procedures, provider queries, and what was set aside.")

    @Argument(help: "The note (UTF-8 text), or - for standard input.")
    var note: String

    @Option(name: .long, help: "Date of service, YYYY-MM-DD; wins over a date in the note.")
    var date: String?

    @Option(name: .long, help: "text or json.")
    var format: OutputFormat = .text

    @OptionGroup var lexicon: LexiconOption

    func run() throws {
        let day = try date.map(parseDay)
        let lexicon = try lexicon.load()
        let bytes = try Console.read(note)
        let id = note == "-" ? "stdin" : URL(fileURLWithPath: note).deletingPathExtension().lastPathComponent
        let report: Report
        do {
            report = try Engine(lexicon: lexicon).code(Note(id: id, bytes: bytes, dateOfService: day))
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
