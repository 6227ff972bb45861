import ArgumentParser
import Foundation
import NoteCoder

struct Context: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read an assertion test set (id, target, sentence) and print negation, temporality and experiencer for each row.")

    @Argument(help: "A tab-separated file with a header row (corpus/FORMAT.md, assertion test sets).")
    var file: String

    @Flag(name: .long, help: "Compare with the file's own labels and print the scores instead of the rows.")
    var score = false

    @Option(name: .long, help: "With --score: text or json.")
    var format: OutputFormat = .text

    @OptionGroup var lexicon: LexiconOption

    func run() throws {
        let lexicon = try lexicon.load()
        let reader = AssertionReader(lexicon: lexicon)
        let url = URL(fileURLWithPath: file)
        guard FileManager.default.fileExists(atPath: file) else {
            Console.error("notecoder: \(file): no such file")
            throw ExitStatus.inputMissing
        }
        let contents: AssertionTSV.Contents
        do {
            contents = try AssertionTSV.read(contentsOf: url, requireLabels: score)
        } catch {
            Console.error("notecoder: \(error)")
            throw ExitStatus.badInput
        }
        for problem in contents.problems { Console.error("notecoder: \(problem)") }
        let call: AssertionTSV.ContextCall = { sentence, target in reader.assess(sentence: sentence, target: target) }
        if score {
            let result = AssertionScore.evaluate(gold: contents.rows, engine: call)
            switch format {
            case .text: Console.write(result.textReport())
            case .json: Console.write(try result.jsonText() + "\n")
            }
        } else {
            Console.write(AssertionTSV.render(AssertionTSV.label(contents.rows, engine: call)))
        }
        if !contents.problems.isEmpty { throw ExitStatus.badInput }
    }
}
