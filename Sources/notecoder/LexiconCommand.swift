import ArgumentParser
import Foundation
import NoteCoder

struct LexiconCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lexicon", abstract: "Work with the lexicons.", subcommands: [Check.self, Profile.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the lexicons: patterns compile, every example holds, IDs are unique, every code exists and is billable.")

        @Argument(help: "The lexicon folder (default: ./Lexicons).")
        var directory: String = "Lexicons"

        func run() throws {
            let url = URL(fileURLWithPath: directory)
            // A folder that is not there is one fact, not a problem in each file it should hold.
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
                Console.error("lexicon check: \(directory): no such folder")
                throw ExitStatus.inputMissing
            }
            guard isFolder.boolValue else {
                Console.error("lexicon check: \(directory): not a folder")
                throw ExitStatus.inputMissing
            }
            let lexicon: Lexicon
            let examples: [ExampleSet]
            do {
                (lexicon, examples) = try Lexicon.loadWithExamples(from: url)
            } catch {
                Console.error(error.description)
                Console.error("lexicon check: \(error.problems.count) problem(s) in \(directory)")
                throw ExitStatus.badLexicon
            }
            let failures = lexicon.checkExamples(examples)
            for failure in failures { Console.error(failure.description) }
            let exampleCount = examples.reduce(0) { $0 + ($1.examples?.match.count ?? 0) + ($1.examples?.noMatch.count ?? 0) }
            let summary = "\(lexicon.concepts.count) concepts, \(lexicon.cues.count) cues, \(lexicon.sections.count) sections, "
                + "\(lexicon.attributes.count) attributes, \(lexicon.queries.count) query kinds, \(exampleCount) examples; "
                + "ICD-10-CM editions: \(lexicon.icd10cm.editions.map(\.name).joined(separator: ", ")); "
                + "\(lexicon.procedures.allCodes.count) procedure codes"
            for set in lexicon.setsScannedEverywhere {
                Console.error("lexicon check: note: \(set) are searched at every position, not only where a pattern can begin: "
                    + "one of their patterns uses \\b, \\K, a verb or a look-behind that cannot be probed; batch runs are slower")
            }
            // Every table with the rows it gave: a table that reads short shows here even when
            // nothing else notices.
            let tables = lexicon.tableRows.map { "  \($0.file): \($0.rows) row\($0.rows == 1 ? "" : "s")" }
            if failures.isEmpty {
                Console.write("lexicon check: OK — \(summary)\n" + tables.map { $0 + "\n" }.joined())
            } else {
                Console.error("lexicon check: \(failures.count) example(s) failed — \(summary)")
                for line in tables { Console.error(line) }
                throw ExitStatus.badLexicon
            }
        }
    }
}

extension LexiconCommand {
    struct Profile: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time each compiled pattern set over a text file (for example many notes joined), slowest first.")

        @Argument(help: "A UTF-8 text file to scan.")
        var file: String

        @OptionGroup var lexicon: LexiconOption

        func run() throws {
            let lexicon = try lexicon.load()
            let bytes = try Console.read(file)
            guard String(validating: bytes, as: UTF8.self) != nil else {
                Console.error("notecoder: \(file): not valid UTF-8")
                throw ExitStatus.badInput
            }
            let rows = try lexicon.profile(bytes) { Date().timeIntervalSinceReferenceDate }
            let megabytes = Double(bytes.count) / 1_000_000
            let total = rows.reduce(0) { $0 + $1.seconds }
            Console.write("\(String(format: "%.1f", megabytes)) MB scanned by \(rows.count) pattern sets in \(String(format: "%.2f", total)) s\n")
            for row in rows {
                Console.write(String(format: "%8.3f s  %7.1f MB/s  %7d hits  ", row.seconds, megabytes / max(row.seconds, 1e-9), row.hits) + row.name + "\n")
            }
        }
    }
}
