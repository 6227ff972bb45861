import Foundation
import Testing
@testable import NoteCoder

/// One example sentence of one lexicon entry, and whether the entry must find something in it.
struct LexiconExampleCase: Sendable, CustomTestStringConvertible {
    var set: ExampleSet
    var text: String
    var expected: Bool
    /// The line of the example itself when it can be found in the file, else the entry's line.
    var line: Int?

    var testDescription: String {
        let place = line.map { "\(set.location.file):\($0)" } ?? set.location.description
        return "\(place) [\(set.id)] \(expected ? "match" : "noMatch"): \"\(text)\""
    }

    /// Every example of every entry in `Lexicons/`, in file order.
    static let all: [LexiconExampleCase] = {
        guard let sets = try? SharedLexicon.examples() else { return [] }
        var fileLines: [String: [String]] = [:]
        func lines(of file: String) -> [String] {
            if let cached = fileLines[file] { return cached }
            let url = TestRepository.lexicons.deletingLastPathComponent().appendingPathComponent(file)
            let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            let result = text.components(separatedBy: "\n")
            fileLines[file] = result
            return result
        }
        /// The first line of the entry that holds the example as written in YAML; the entry
        /// runs to the next entry of the same file.
        func line(of example: String, in set: ExampleSet) -> Int? {
            guard let start = set.location.line else { return nil }
            let next = sets.compactMap { $0.location.file == set.location.file ? $0.location.line : nil }.filter { $0 > start }.min()
            let all = lines(of: set.location.file).prefix((next ?? Int.max) - 1)
            let doubleQuoted = example.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            let spellings = ["'" + example.replacingOccurrences(of: "'", with: "''") + "'", "\"" + doubleQuoted + "\"", "- " + example]
            var index = start - 1
            while index < all.count {
                if spellings.contains(where: { all[index].contains($0) }) { return index + 1 }
                index += 1
            }
            return start
        }
        var cases: [LexiconExampleCase] = []
        for set in sets {
            for text in set.examples?.match ?? [] {
                cases.append(LexiconExampleCase(set: set, text: text, expected: true, line: line(of: text, in: set)))
            }
            for text in set.examples?.noMatch ?? [] {
                cases.append(LexiconExampleCase(set: set, text: text, expected: false, line: line(of: text, in: set)))
            }
        }
        return cases
    }()
}

@Suite("Lexicon examples")
struct LexiconExampleTests {
    @Test("each lexicon example matches, or does not, as its entry says", arguments: LexiconExampleCase.all)
    func example(_ example: LexiconExampleCase) throws {
        let lexicon = try SharedLexicon.lexicon()
        let found = try lexicon.matches(example.set, text: example.text, matcher: lexicon.makeMatcher())
        #expect(found == example.expected, "\(example.testDescription)")
    }

    @Test("the lexicons load without problems, as `lexicon check` does")
    func loadsCleanly() throws {
        let (lexicon, sets) = try Lexicon.loadWithExamples(from: TestRepository.lexicons)
        #expect(!lexicon.concepts.isEmpty && !lexicon.sections.isEmpty && !lexicon.cues.isEmpty && !lexicon.attributes.isEmpty)
        #expect(lexicon.icd10cm.editions.count >= 1)
        let failures = lexicon.checkExamples(sets)
        #expect(failures.isEmpty, "\(failures.map(\.description).joined(separator: "\n"))")
    }

    @Test("every entry has at least one 'match' example")
    func everyEntryHasAMatchExample() throws {
        let sets = try SharedLexicon.examples()
        let without = sets.filter { ($0.examples?.match ?? []).isEmpty }.map { "\($0.location) [\($0.id)]" }
        #expect(without.isEmpty, "entries without a 'match' example: \(without.joined(separator: ", "))")
    }

    @Test("the parameterized cases cover every example of every kind of entry")
    func casesCoverEverything() throws {
        let sets = try SharedLexicon.examples()
        let lexicon = try SharedLexicon.lexicon()
        let total = sets.reduce(0) { $0 + ($1.examples?.match.count ?? 0) + ($1.examples?.noMatch.count ?? 0) }
        #expect(total > 0)
        #expect(LexiconExampleCase.all.count == total)
        // Every section, cue, concept and attribute value has an example set.
        #expect(sets.filter { $0.group == .section }.count == lexicon.sections.count)
        #expect(sets.filter { $0.group == .cue }.count == lexicon.cues.count)
        #expect(sets.filter { $0.group == .concept }.count == lexicon.concepts.count)
        let valueCount = lexicon.attributes.reduce(0) { $0 + $1.values.count }
        #expect(sets.filter { if case .attribute = $0.group { true } else { false } }.count == valueCount)
        #expect(LexiconExampleCase.all.contains { !$0.expected })
    }

    @Test("a wrong example is reported, naming the entry, its place and the sentence")
    func wrongExampleIsCaught() throws {
        let lexicon = try SharedLexicon.lexicon()
        var set = try #require(try SharedLexicon.examples().first { $0.id == "carpal-tunnel-syndrome" })
        set.examples = Examples(match: ["Right knee osteoarthritis."], noMatch: ["Bilateral carpal tunnel syndrome."])
        let failures = lexicon.checkExamples([set])
        #expect(failures.count == 2)
        #expect(failures.map(\.expectedMatch) == [true, false])
        let first = try #require(failures.first)
        #expect(first.id == "carpal-tunnel-syndrome")
        #expect(first.description.contains("conditions/carpal-tunnel.yaml:"))
        #expect(first.description.contains("should match but does not"))
        #expect(first.description.contains("Right knee osteoarthritis."))
    }

    @Test("an entry without examples is itself reported")
    func missingExamplesAreCaught() throws {
        let lexicon = try SharedLexicon.lexicon()
        var set = try #require(try SharedLexicon.examples().first { $0.group == .concept })
        set.examples = nil
        let failures = lexicon.checkExamples([set])
        #expect(failures.count == 1)
        #expect(failures.first?.text == "(no 'match' examples)")
    }

    @Test("an example is checked against its own entry, not any entry of the group")
    func exampleIsEntrySpecific() throws {
        let lexicon = try SharedLexicon.lexicon()
        let sets = try SharedLexicon.examples()
        let matcher = lexicon.makeMatcher()
        let carpalTunnel = try #require(sets.first { $0.id == "carpal-tunnel-syndrome" })
        let osteoarthritis = try #require(sets.first { $0.id == "osteoarthritis" })
        #expect(try lexicon.matches(carpalTunnel, text: "Left carpal tunnel syndrome.", matcher: matcher))
        #expect(try !lexicon.matches(osteoarthritis, text: "Left carpal tunnel syndrome.", matcher: matcher))
        #expect(try lexicon.matches(osteoarthritis, text: "Left knee osteoarthritis.", matcher: matcher))
    }
}
