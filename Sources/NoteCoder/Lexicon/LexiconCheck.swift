public import Foundation
public import PCRE2

/// The examples of one lexicon entry, kept so they can be run against the compiled lexicon.
public struct ExampleSet: Sendable {
    public enum Group: Sendable, Equatable {
        case section, cue, concept
        /// A value of the attribute at this index.
        case attribute(Int)
    }
    public var group: Group
    /// Index of the entry within its group (for attributes: of the value).
    public var index: Int
    public var id: String
    public var location: SourceLocation
    public var examples: Examples?
}

/// One example that did not behave as its entry says.
public struct ExampleFailure: Sendable, CustomStringConvertible {
    public var id: String
    public var location: SourceLocation
    public var text: String
    public var expectedMatch: Bool
    public var description: String {
        "\(location) [\(id)]: \(expectedMatch ? "should match but does not" : "should not match but does"): \"\(text)\""
    }
}

extension Lexicon {
    /// Loads the lexicon and also returns every entry's examples, for `lexicon check` and tests.
    public static func loadWithExamples(from directory: URL) throws(LexiconError) -> (Lexicon, [ExampleSet]) {
        var loader = LexiconLoader(root: directory)
        let lexicon = try loader.load()
        return (lexicon, loader.examples)
    }

    /// Whether the entry's pattern finds something in `text`, through the same combined pattern
    /// sets the engine uses, so an entry hidden by a neighbour fails its own examples.
    public func matches(_ set: ExampleSet, text: String, matcher: Matcher) throws(PCRE2Error) -> Bool {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer throws(PCRE2Error) in
            switch set.group {
            case .section:
                return try SectionReader.headerHits(in: buffer, lexicon: self, matcher: matcher, starts: nil).contains { $0.entry == set.index }
            case .cue:
                for patterns in cuePatterns where try patterns.hits(in: buffer, using: matcher).contains(where: { $0.entry == set.index }) {
                    return true
                }
                return false
            case .concept:
                for patterns in conceptPatterns where try patterns.hits(in: buffer, using: matcher).contains(where: { $0.entry == set.index }) {
                    return true
                }
                return false
            case let .attribute(attribute):
                let hits = Scanner.dropOverlapping(try attributePatterns[attribute].hits(in: buffer, using: matcher))
                return hits.contains { $0.entry == set.index }
            }
        }
    }

    /// Runs every example of every entry; an entry without examples is itself a failure, since
    /// the project promises examples for each.
    public func checkExamples(_ sets: [ExampleSet]) -> [ExampleFailure] {
        let matcher = makeMatcher()
        var failures: [ExampleFailure] = []
        for set in sets {
            guard let examples = set.examples, !examples.match.isEmpty else {
                failures.append(ExampleFailure(id: set.id, location: set.location, text: "(no 'match' examples)", expectedMatch: true))
                continue
            }
            for text in examples.match where (try? matches(set, text: text, matcher: matcher)) != true {
                failures.append(ExampleFailure(id: set.id, location: set.location, text: text, expectedMatch: true))
            }
            for text in examples.noMatch where (try? matches(set, text: text, matcher: matcher)) != false {
                failures.append(ExampleFailure(id: set.id, location: set.location, text: text, expectedMatch: false))
            }
        }
        return failures
    }
}

extension Lexicon {
    /// The sets that lost their start index, because a pattern in them cannot be probed (see
    /// `PatternSyntax.isProbeSafe`): they are searched at every position, several times slower.
    public var setsScannedEverywhere: [String] {
        var sets: [(String, PatternSet)] = cuePatterns.enumerated().map { ("cues (\($0.offset == 0 ? "whole words" : "punctuation"))", $0.element) }
        sets += conceptPatterns.enumerated().map { ($0.offset == 0 ? "conditions" : "procedures", $0.element) }
        sets += attributePatterns.enumerated().map { ("attribute \(attributes[$0.offset].id)", $0.element) }
        if let labelled = datePatterns.labelled { sets.append(("date labels", labelled)) }
        return sets.filter { !$0.1.shards.isEmpty && $0.1.startIndexes.isEmpty }.map(\.0)
    }

    /// Seconds each compiled pattern set takes to scan `text`, slowest first: where a lexicon
    /// author should look when batch runs slow down (`notecoder lexicon profile`).
    public func profile(_ text: [UInt8], clock: () -> Double) throws(PCRE2Error) -> [(name: String, seconds: Double, hits: Int)] {
        let matcher = makeMatcher()
        var sets: [(String, PatternSet)] = cuePatterns.enumerated().map { ("cues[\($0.offset)]", $0.element) }
        sets += conceptPatterns.enumerated().map { ("concepts[\($0.offset == 0 ? "conditions" : "procedures")]", $0.element) }
        sets += attributePatterns.enumerated().map { ("attribute \(attributes[$0.offset].id)", $0.element) }
        var result: [(name: String, seconds: Double, hits: Int)] = []
        try text.withUnsafeBufferPointer { buffer throws(PCRE2Error) in
            let start = clock()
            let starts = WordStarts(buffer, wanted: wordStartKeys)
            result.append(("word starts (shared by the indexed sets)", clock() - start, starts.positions.count))
            for (name, set) in sets {
                // Scanned as the engine scans it, in a joint scan (here of one set).
                let scan = JointScan(sets: [set])
                let start = clock()
                let hits = try scan.hits(in: buffer, using: matcher, starts: starts)[0].count
                // A set tried at every position is where a lexicon change lost its start index.
                let label = set.startIndexes.isEmpty ? " (every position)" : set.beginsAtWordStarts ? "" : " (indexed, every position)"
                result.append((name + label, clock() - start, hits))
            }
            let sectionsStart = clock()
            let headers = try SectionReader.headerHits(in: buffer, lexicon: self, matcher: matcher, starts: SectionReader.headerStarts(in: buffer)).count
            result.append(("sections (at line starts)", clock() - sectionsStart, headers))
            let datesStart = clock()
            let dates = try datePatterns.matches(in: buffer, matcher: matcher, starts: starts).count
            result.append(("dates", clock() - datesStart, dates))
        }
        return result.sorted { $0.seconds > $1.seconds }
    }
}
