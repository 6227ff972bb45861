import ArgumentParser
import Foundation
import NoteCoder

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Score the engine against a gold set (SET/notes, SET/gold), as corpus/FORMAT.md specifies.")

    @Argument(help: "The annotated set: a folder with notes/ and gold/.")
    var set: String

    @Option(name: .long, help: "text or json.")
    var format: OutputFormat = .text

    @Option(name: .long, help: "The scope file (default: scope.yaml in the lexicon folder).")
    var scope: String?

    @OptionGroup var lexicon: LexiconOption

    func run() throws {
        let lexicon = try lexicon.load()
        let engine = Engine(lexicon: lexicon)
        let matcher = lexicon.makeMatcher()
        let scopeURL = scope.map { URL(fileURLWithPath: $0) } ?? self.lexicon.url.appendingPathComponent("scope.yaml")
        let result: EvaluationResult
        do {
            result = try Evaluator().evaluate(set: URL(fileURLWithPath: set), scopeFile: scopeURL) { id, text, date in
                let day = date.flatMap(Day.init(iso:))
                return CodedNote(report: try engine.code(Note(id: id, text: text, dateOfService: day), matcher: matcher))
            }
        } catch let error as EvaluationError {
            Console.error("notecoder evaluate: \(error)")
            if case .folderMissing = error { throw ExitStatus.inputMissing }
            throw ExitStatus.badInput
        } catch {
            Console.error("notecoder evaluate: \(error)")
            throw ExitStatus.badInput
        }
        switch format {
        case .text: Console.write(result.textReport())
        case .json: Console.write(try result.jsonText() + "\n")
        }
        if !result.failures.isEmpty { throw ExitStatus.notesFailed }
    }
}
