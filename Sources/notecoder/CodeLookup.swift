import ArgumentParser
import Foundation
import NoteCoder

struct CodeLookup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "code",
        abstract: "What a coder asks of a code on a date of service: label, billable or valid, dates, edits, unit limit, bilateral indicator.",
        discussion: """
            An ICD-10-CM code (with or without the dot) gets its title and billable status in the \
            edition in force on the date and in every edition on hand, and its Excludes1 notes. A \
            CPT/HCPCS code in NoteCoder's catalogue gets our label on the date, its dates, side and \
            bilateral indicator, its unit limit (MUE) with the adjudication indicator in words, the \
            primaries it needs if it is an add-on, and the NCCI pairs that name it. Without --date, \
            the start of the newest ICD-10-CM edition on hand is used (as for a note without a date). \
            An unknown code exits with status 65.
            """)

    @Argument(help: "The code, e.g. M54.5, M545, 20611, G2058.")
    var code: String

    @Option(name: .long, help: ArgumentHelp("Date of service, YYYY-MM-DD (default: the start of the newest ICD-10-CM edition on hand).",
                                             valueName: "yyyy-mm-dd"),
            transform: Day.argument)
    var date: Day?

    @Option(name: .long, help: "text or json.")
    var format: OutputFormat = .text

    @OptionGroup var lexicon: LexiconOption

    func run() throws {
        let lexicon = try lexicon.load()
        guard let facts = lexicon.facts(about: code, on: date) else {
            Console.error("notecoder: " + lexicon.unknownCodeMessage(code))
            throw ExitStatus.badInput
        }
        switch format {
        case .text: Console.write(facts.text())
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            Console.write(String(decoding: try encoder.encode(facts), as: UTF8.self) + "\n")
        }
    }
}
