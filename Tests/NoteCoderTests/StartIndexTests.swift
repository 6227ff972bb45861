import Foundation
import PCRE2
import Testing
@testable import NoteCoder

// The indexed scans (`JointScan.hits` at word starts, `PatternSet.hits` of an indexed set) claim to find
// exactly the hits of the original scan, which runs every shard at every position. These tests
// hold them to that claim on the repository's notes and lexicon and on text written to break it.

// MARK: - Comparing scans

/// A hit's entry and range without its groups. Compared first and on their own, so a failure
/// says whether the scans found different things or only report the captures differently.
private struct Span: Equatable, CustomStringConvertible {
    var entry: Int
    var range: Range<Int>

    init(_ hit: PatternSet.Hit) {
        entry = hit.entry
        range = hit.range
    }

    var description: String { "entry \(entry) at \(range.lowerBound)..<\(range.upperBound)" }
}

/// The text of `range`, quoted and escaped, for one-line failure messages.
private func excerpt(_ bytes: [UInt8], _ range: Range<Int>) -> String {
    String(decoding: bytes[range.clamped(to: 0..<bytes.count)], as: UTF8.self).debugDescription
}

/// What one list of spans has that the other lacks, with the words at fault.
private func spanDifference(_ actual: [Span], _ expected: [Span], _ bytes: [UInt8]) -> String {
    var missing = expected
    var extra: [Span] = []
    for span in actual {
        if let index = missing.firstIndex(of: span) { missing.remove(at: index) } else { extra.append(span) }
    }
    if missing.isEmpty && extra.isEmpty { return "the same hits in a different order" }
    func show(_ spans: [Span]) -> String {
        spans.prefix(6).map { "\($0) \(excerpt(bytes, $0.range))" }.joined(separator: ", ") + (spans.count > 6 ? ", …" : "")
    }
    return "missed [\(show(missing))]; not found every-position [\(show(extra))]"
}

/// The first hit whose groups differ, with both group lists.
private func groupDifference(_ actual: [PatternSet.Hit], _ expected: [PatternSet.Hit], _ bytes: [UInt8]) -> String {
    guard let index = actual.indices.first(where: { actual[$0] != expected[$0] }) else { return "none" }
    let hit = actual[index], wanted = expected[index]
    func show(_ groups: [Range<Int>?]) -> String {
        "[" + groups.map { $0.map { "\($0.lowerBound)..<\($0.upperBound)" } ?? "nil" }.joined(separator: ", ") + "]"
    }
    return "\(Span(hit)) \(excerpt(bytes, hit.range)): groups \(show(hit.groups)), every position \(show(wanted.groups))"
}

/// Expects a word-start scan's hits to be the every-position scan's: entries and ranges first,
/// then the whole hits with their groups.
private func expectSameHits(_ actual: [PatternSet.Hit], _ expected: [PatternSet.Hit], in bytes: [UInt8], _ what: String,
                            sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let spans = actual.map(Span.init), expectedSpans = expected.map(Span.init)
    guard spans == expectedSpans else {
        Issue.record("\(what): \(spanDifference(spans, expectedSpans, bytes))", sourceLocation: sourceLocation)
        return
    }
    #expect(actual == expected, "\(what): same spans, different groups: \(groupDifference(actual, expected, bytes))",
            sourceLocation: sourceLocation)
}

/// The original scan, written out here rather than asked of `PatternSet`, so it stays the
/// reference whichever path `hits(in:using:)` takes: every shard searched from every position,
/// restarting one character after each match start.
private func everyPositionHits(_ set: PatternSet, in buffer: UnsafeBufferPointer<UInt8>,
                               using matcher: Matcher) throws(PCRE2Error) -> [PatternSet.Hit] {
    var hits: [PatternSet.Hit] = []
    for shard in set.shards {
        hits += try matcher.allMatches(shard, in: buffer, overlapping: true).compactMap(PatternSet.Hit.init)
    }
    PatternSet.order(&hits)
    return hits
}

/// Runs each set of `sets` both ways over `bytes` and compares, set by set, and the joint scan
/// of all of them against the same every-position hits.
private func expectWordStartScansAgree(_ sets: [(name: String, set: PatternSet)], on bytes: [UInt8], wanted: KeySet,
                                       sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let matcher = Matcher(maxCaptures: max(sets.map(\.set.maxCaptures).max() ?? 0, 8) + 1)
    let label = excerpt(bytes, 0..<min(bytes.count, 60))
    try bytes.withUnsafeBufferPointer { buffer in
        let starts = WordStarts(buffer, wanted: wanted)
        var everyPosition: [[PatternSet.Hit]] = []
        for (name, set) in sets {
            let expected = try everyPositionHits(set, in: buffer, using: matcher)
            everyPosition.append(expected)
            let actual = try JointScan(sets: [set]).hits(in: buffer, using: matcher, starts: starts)[0]
            expectSameHits(actual, expected, in: bytes, "\(name) on \(label)", sourceLocation: sourceLocation)
        }
        let joint = try JointScan(sets: sets.map(\.set)).hits(in: buffer, using: matcher, starts: starts)
        try #require(joint.count == sets.count, sourceLocation: sourceLocation)
        for (number, (name, _)) in sets.enumerated() {
            expectSameHits(joint[number], everyPosition[number], in: bytes, "joint scan, \(name) on \(label)",
                           sourceLocation: sourceLocation)
        }
    }
}

/// Header layouts the header prefix allows: line starts, CRLF lines, bullets, a header after a
/// sentence end on the same line, run-on headers after two spaces or a tab, and text ending
/// inside a header.
private enum HeaderTexts {
    static let all = [
        "HISTORY OF PRESENT ILLNESS: knee pain.\nASSESSMENT: osteoarthritis.\nPLAN: injection.",
        "History:\r\nPain for years.\r\nPlan:\r\nReturn in 4 weeks.\r\n",
        "- HPI: pain\n  * Assessment - stable\n\t• Plan: PT\n>> Procedure: injection",
        "Stable today. PLAN: continue. Doing well!  ASSESSMENT: knee OA?\tPLAN: inject",
        "Notes  ALLERGIES: none  MEDICATIONS: none   PAST MEDICAL HISTORY: hypertension",
        "Impression",
        "   \n\n  Plan",
        // Line ends that only some PCRE2 builds take as newlines.
        "Pain.\u{0B}PLAN: rest\u{0C}ASSESSMENT: ok\u{85}Plan: ice\u{2028}History: none\u{2029}Plan: heat",
        "",
    ]
}

// MARK: - The repository's lexicon on the repository's notes

/// The notes of `Corpus/notes`, by file name.
private enum CorpusNotes {
    static let folder = TestRepository.corpus.appendingPathComponent("notes", isDirectory: true)

    static let names: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".txt") }.sorted()
    }()

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent(name)))
    }
}

/// Every set of the lexicon scanned at word starts, named for failure messages.
private func wordStartSets(_ lexicon: Lexicon) -> [(name: String, set: PatternSet)] {
    var sets: [(name: String, set: PatternSet)] = []
    sets += lexicon.conceptPatterns.enumerated().map { ("concepts[\($0.offset)]", $0.element) }
    sets += lexicon.cuePatterns.enumerated().map { ("cues[\($0.offset)]", $0.element) }
    sets += lexicon.attributePatterns.enumerated().map { ("attribute \(lexicon.attributes[$0.offset].id)", $0.element) }
    if let labelled = lexicon.datePatterns.labelled { sets.append(("date labels", labelled)) }
    return sets
}

/// Each lexicon set in a joint scan of its own, built once for all notes: building one walks
/// every key.
private enum SingleSetScans {
    static let all = Result { () throws -> [(name: String, set: PatternSet, scan: JointScan)] in
        wordStartSets(try SharedLexicon.lexicon()).map { ($0.name, $0.set, JointScan(sets: [$0.set])) }
    }
}

@Suite("Start index on the corpus")
struct StartIndexCorpusTests {
    /// The engine codes every note through the word-start scans: a hit they lose or invent on a
    /// real note changes a code. Each set and both joint scans are compared with the original
    /// every-position scan, on each note of the corpus.
    @Test("each lexicon set and joint scan finds at word starts what the every-position scan finds",
          arguments: CorpusNotes.names)
    func sameHitsOnNote(_ name: String) throws {
        let lexicon = try SharedLexicon.lexicon()
        let bytes = try CorpusNotes.bytes(name)
        try #require(String(bytes: bytes, encoding: .utf8) != nil, "\(name) is not UTF-8; PCRE2 runs without a UTF check")
        let matcher = lexicon.makeMatcher()
        try bytes.withUnsafeBufferPointer { buffer in
            let starts = WordStarts(buffer, wanted: lexicon.wordStartKeys)
            for (setName, set, scan) in try SingleSetScans.all.get() {
                let expected = try everyPositionHits(set, in: buffer, using: matcher)
                let actual = try scan.hits(in: buffer, using: matcher, starts: starts)[0]
                expectSameHits(actual, expected, in: bytes, "\(name), \(setName)")
            }

            let concepts = try lexicon.conceptScan.hits(in: buffer, using: matcher, starts: starts)
            let conceptsEverywhere = try lexicon.conceptPatterns.map { set throws(PCRE2Error) in try everyPositionHits(set, in: buffer, using: matcher) }
            try #require(concepts.count == conceptsEverywhere.count)
            for (number, hits) in concepts.enumerated() {
                expectSameHits(hits, conceptsEverywhere[number], in: bytes, "\(name), concept scan, set \(number)")
            }

            let detailSets = lexicon.cuePatterns + lexicon.attributePatterns
            let details = try lexicon.detailScan.hits(in: buffer, using: matcher, starts: starts)
            let detailsEverywhere = try detailSets.map { set throws(PCRE2Error) in try everyPositionHits(set, in: buffer, using: matcher) }
            try #require(details.count == detailsEverywhere.count)
            for (number, hits) in details.enumerated() {
                expectSameHits(hits, detailsEverywhere[number], in: bytes, "\(name), detail scan, set \(number)")
            }
        }
    }

    /// Section headers are tried only where a header can begin; a position missed there would
    /// lose a header and put every sentence under it in the wrong section.
    @Test("section headers tried at header starts are those a search at every position finds",
          arguments: CorpusNotes.names.map { try? CorpusNotes.bytes($0) }.compactMap { $0 } + HeaderTexts.all.map { Array($0.utf8) })
    func sameHeaders(_ bytes: [UInt8]) throws {
        let lexicon = try SharedLexicon.lexicon()
        let matcher = lexicon.makeMatcher()
        try bytes.withUnsafeBufferPointer { buffer in
            let expected = try everyPositionHits(lexicon.sectionPatterns, in: buffer, using: matcher)
            let actual = try lexicon.sectionPatterns.hits(in: buffer, using: matcher, at: SectionReader.headerStarts(in: buffer))
            expectSameHits(actual, expected, in: bytes, "section headers in \(excerpt(bytes, 0..<min(bytes.count, 60)))")
        }
    }

    /// The comparison above proves nothing if the sets fell back to scanning every position (the
    /// two scans would then be one code path), or if there were no notes or no hits to compare.
    @Test("the lexicon's word-boundary sets are indexed and the corpus gives them hits")
    func comparisonIsNotVacuous() throws {
        let lexicon = try SharedLexicon.lexicon()
        #expect(CorpusNotes.names.count >= 10, "Corpus/notes has \(CorpusNotes.names.count) notes")
        #expect(lexicon.conceptPatterns.count == 2)
        for (number, set) in lexicon.conceptPatterns.enumerated() {
            #expect(!set.startIndexes.isEmpty, "concept set \(number) scans every position")
            #expect(set.startIndexes.count == set.shards.count, "concept set \(number): a start index per shard")
        }
        #expect(!lexicon.cuePatterns[0].startIndexes.isEmpty, "the whole-word cue set scans every position")
        #expect(lexicon.datePatterns.labelled.map { !$0.startIndexes.isEmpty } == true, "date labels scan every position")

        let matcher = lexicon.makeMatcher()
        var conceptHits = 0, detailHits = 0, headers = 0
        for name in CorpusNotes.names {
            let bytes = try CorpusNotes.bytes(name)
            try bytes.withUnsafeBufferPointer { buffer in
                let starts = WordStarts(buffer, wanted: lexicon.wordStartKeys)
                conceptHits += try lexicon.conceptScan.hits(in: buffer, using: matcher, starts: starts).joined().count
                detailHits += try lexicon.detailScan.hits(in: buffer, using: matcher, starts: starts).joined().count
                headers += try lexicon.sectionPatterns.hits(in: buffer, using: matcher, at: SectionReader.headerStarts(in: buffer)).count
            }
        }
        #expect(conceptHits > 100)
        #expect(detailHits > 100)
        #expect(headers > 100)
    }
}

// MARK: - Hand-made sets on text written to break them

/// Patterns chosen for what trips a start index: case-sensitive parts, optional leading words,
/// alternatives sharing a beginning where the first to match wins, matches of one or two bytes,
/// digits, captures in several alternatives, non-ASCII letters (also first), an ASCII pattern
/// letter PCRE2 folds to a non-ASCII one (K and the Kelvin sign), look-arounds, a bar in a class
/// or quoted, and an entry with several alternatives.
private enum Adversarial {
    static let alternatives: [(entry: Int, source: String)] = [
        (0, "(?-i:CSI)"),
        (1, "(?:was\\s+|were\\s+)?negative(?:\\s+for)?"),
        (2, "no"),
        (3, "not"),
        (4, "no\\s+evidence\\s+of"),
        (5, "TP"),
        (6, "(?-i:R)|rt\\.?"),
        (7, "(?-i:L)(?![\\-/]\\d)|left(?!\\s+(?:the|work))"),
        (8, "(\\d{1,3})\\s*min(?:ute)?s?"),
        (9, "total\\s*[:=]?\\s*(\\d{1,3})"),
        (10, "café(?:\\s+au\\s+lait)?"),
        (11, "naïve|naive"),
        (12, "—\\s*done"),
        (13, "\u{212A}elvin|kg"),
        (14, "(?<!upper\\s)shoulders?"),
        (15, "[|]x|y2"),
        (16, "\\Q|\\E\\s*bar"),
        (17, "[-/]knee|knees?"),
        (2, "non"),
        (18, "é\\w*"),
        (19, "x?y"),
        (20, "\\d+(?:\\.\\d+)?\\s*mg"),
        (21, "t"),
        (22, "csi\\s+neg"),
        (23, "(?-i:DM2?|T2DM)"),
        (24, "tender"),
        (25, "tend.."),
        (26, "(?i:s)trai?n|(?-i:St)"),
    ]

    static let texts: [String] = [
        "No evidence of CSI. csi neg. Csi was negative for TP; tp, tpx TPs were negative.",
        "not only no, nothing. Non-tender, tender, tendon, tends. no evidence of",
        "Total: 40 minutes; 35 min, 9mins, total=7, 1234 minutes, 2.5 mg, 10mg, 3 Mg.",
        "café au lait, CAFÉ, naïve—left knee—right shoulder; upper shoulder pain, L4-5, L knee, R, rt. wrist",
        "\u{212A}elvin 5 kg 5 \u{212A}g \u{212A}tp xkg —done — done —",
        "|x | bar, [|]x y2 xy2 -knee /knee knees, étude éa é",
        "DM2, dm2, T2DM, t2dm; Strain, STRAIN, strn, St. John, st",
        "left the office, left work, left knee; was\nnegative\tfor\r\nTP",
        "R", "TP", "t", "", " ", "no", "not", "negati", "was negative f", "no evidence o", "caf", "café au l",
        "total: 4", "L", "L-", "L-4", "\u{212A}", "\u{212A}e", "é", "—", "x", "xy", "9", "9 m", "Cs", "CS",
    ]

    /// The sets compared: the patterns in shards of 40 bytes (several shards, so one position is
    /// tried by several indexes) and of the usual size; and a set with a word boundary, which
    /// cannot be indexed and shows the joint scan passing such a set through.
    static func sets(shardBytes: Int) throws -> [(name: String, set: PatternSet)] {
        let indexed = try PatternSet(alternatives: alternatives, prefix: PatternWrapping.phrasePrefix,
                                     suffix: PatternWrapping.phraseSuffix, shardBytes: shardBytes, wordStarts: true)
        let unwrapped = try PatternSet(alternatives: [(0, "date\\s*:?\\s*(\\d+)/(\\d+)"), (1, "DOS\\s+(\\d+)")],
                                       prefix: PatternWrapping.phrasePrefix, suffix: "", shardBytes: shardBytes, wordStarts: true)
        let bounded = try PatternSet(alternatives: [(0, "\\bnot?"), (1, "tp")], prefix: PatternWrapping.phrasePrefix,
                                     suffix: PatternWrapping.phraseSuffix, shardBytes: shardBytes, wordStarts: true)
        return [("hand-made set", indexed), ("date-like set without suffix", unwrapped), ("set with \\b", bounded)]
    }

    static func wanted(_ sets: [(name: String, set: PatternSet)]) -> KeySet {
        sets.reduce(KeySet()) { $0.union($1.set.startKeys) }
    }
}

/// A small deterministic generator (SplitMix64), so a failing text can be found again.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Start index on hand-made sets")
struct StartIndexAdversarialTests {
    /// Hand-picked traps: each text puts words of the patterns next to the bytes that decide
    /// between them, or stops in the middle of a possible match.
    @Test("word-start scans find what the every-position scan finds", arguments: Adversarial.texts, [40, 6_000])
    func sameHits(_ text: String, shardBytes: Int) throws {
        let sets = try Adversarial.sets(shardBytes: shardBytes)
        try expectWordStartScansAgree(sets, on: Array(text.utf8), wanted: Adversarial.wanted(sets))
    }

    /// All the hand-made texts in one note, so matches of different shards overlap and follow
    /// each other.
    @Test("word-start scans agree on the hand-made texts joined", arguments: [40, 6_000])
    func sameHitsJoined(shardBytes: Int) throws {
        let sets = try Adversarial.sets(shardBytes: shardBytes)
        try expectWordStartScansAgree(sets, on: Array(Adversarial.texts.joined(separator: " ").utf8), wanted: Adversarial.wanted(sets))
    }

    /// Words of the patterns glued by random separators, cut at a random character: pairings
    /// nobody thought to write by hand.
    @Test("word-start scans agree on seeded random texts", arguments: 0..<6)
    func sameHitsRandom(seed: Int) throws {
        let tokens = ["no", "No", "not", "non", "evidence", "of", "was", "were", "negative", "for", "TP", "tp", "Tp", "CSI",
                      "csi", "Csi", "neg", "R", "r", "rt", "L", "left", "the", "work", "total", "40", "7", "minutes", "min",
                      "mg", "2.5", "café", "CAFÉ", "au", "lait", "naïve", "naive", "—", "done", "\u{212A}", "\u{212A}elvin",
                      "kg", "upper", "shoulder", "shoulders", "|", "x", "y2", "bar", "knee", "knees", "é", "étude", "xy",
                      "y", "t", "DM2", "T2DM", "tender", "tendon", "strain", "St", "date", "DOS", "12/3", "ſ", "_"]
        let separators = ["", " ", " ", " ", "  ", "\n", ",", ".", "-", "/", "\t", ":", "—", "é"]
        var generator = SeededGenerator(state: UInt64(seed) &* 0x2545_F491_4F6C_DD1D &+ 1)
        let sets = try Adversarial.sets(shardBytes: seed.isMultiple(of: 2) ? 40 : 6_000)
        let wanted = Adversarial.wanted(sets)
        for _ in 0..<40 {
            var text = ""
            for _ in 0..<Int.random(in: 1...24, using: &generator) {
                text += tokens.randomElement(using: &generator)! + separators.randomElement(using: &generator)!
            }
            let scalars = text.unicodeScalars
            text = String(String.UnicodeScalarView(scalars.prefix(Int.random(in: 0...scalars.count, using: &generator))))
            try expectWordStartScansAgree(sets, on: Array(text.utf8), wanted: wanted)
        }
    }

    /// The hand-made set must really be indexed, with more than one shard at 40 bytes, or the
    /// comparisons above compare the every-position scan with itself.
    @Test("the hand-made set is indexed, in several shards")
    func handMadeSetIsIndexed() throws {
        let small = try Adversarial.sets(shardBytes: 40)
        #expect(small[0].set.shards.count > 3)
        #expect(small[0].set.startIndexes.count == small[0].set.shards.count)
        #expect(small[1].set.startIndexes.count == small[1].set.shards.count)
        #expect(small[2].set.startIndexes.isEmpty)
        let usual = try Adversarial.sets(shardBytes: 6_000)
        #expect(usual[0].set.shards.count == 1)
        #expect(usual[0].set.startIndexes.count == 1)
    }
}

// MARK: - Top-level branches

@Suite("Start index: top-level branches")
struct StartIndexBranchSplitTests {
    /// Each branch of a pattern joins the group of its own beginnings; a bar taken for a branch
    /// break where PCRE2 sees none (in a class, escaped, quoted, in a group) would index patterns
    /// PCRE2 never runs, and a split that changes the meaning must not happen at all.
    @Test("splits at top-level bars only, or declines", arguments: [
        ("a|b(c|d)", ["a", "b(c|d)"]),
        ("knees?", ["knees?"]),
        ("[|]x|y", ["[|]x", "y"]),
        ("[]|]x|y", ["[]|]x", "y"]),
        ("[^]|]x|y", ["[^]|]x", "y"]),
        ("a\\|b", ["a\\|b"]),
        ("a\\\\|b", ["a\\\\", "b"]),
        ("\\Q|\\E|x", ["\\Q|\\E", "x"]),
        ("\\Qa|b", ["\\Qa|b"]),
        ("(?i:a)|b", ["(?i:a)", "b"]),
        ("(a(?i)b|c)|d", ["(a(?i)b|c)", "d"]),
        ("(?-i:CSI)|csi", ["(?-i:CSI)", "csi"]),
        ("(?<!upper\\s)shoulders?|glenohumeral", ["(?<!upper\\s)shoulders?", "glenohumeral"]),
        ("(?i)a|b", nil),
        ("a|(?-i)b", nil),
        ("(?i)a", nil),
        ("a|b#c", nil),
        ("(a|b", nil),
        ("a)|b", nil),
        ("[a|b", nil),
    ] as [(String, [String]?)])
    func split(_ source: String, _ expected: [String]?) {
        #expect(TopLevelBranches.split(source) == expected)
    }

    /// `[:alpha:]` inside a class ends with `]` but not the class: the bar after it is a member.
    @Test("a POSIX class inside a bracket class does not end the class")
    func posixClass() {
        let split = TopLevelBranches.split("[[:alpha:]|]x|y")
        #expect(split == ["[[:alpha:]|]x", "y"] || split == nil, "split into \(split.map { "\($0)" } ?? "nil")")
    }
}

// MARK: - Fallback

@Suite("Start index: fallback to every position")
struct StartIndexFallbackTests {
    static let texts = ["-knee", "x-knee", "knee pain", "a knee", "no knee", "kneecap knee-", "a_-knee", "_-knee", "-knee pain",
                        "tp", "", " ", "knee", "no", "x foo -ache bar baz -qux", "foo bar baz pain ache qux", "ca", "a ca cc"]

    /// A pattern whose start depends on the byte before the match (look-behind, word boundary),
    /// moves or pins its start (`\K`, `\G`), or matches the empty string cannot be probed from
    /// its own first bytes. Its set must fall back to every position, and still find the same
    /// hits through `hits(in:using:starts:)` and a joint scan.
    @Test("a set with an alternative that cannot be probed scans every position and finds the same hits", arguments: [
        "\\bknee", "knee\\b", "kn\\Bee", "(?<=-)knee", "x\\Kknee", "\\Gknee", "(*plb:-)knee", "(?:tp)?", "x*",
        // An anchor inside an assertion, or a conditional, answers the other way at a probe's start.
        "(?!^)foo", "(?!\\A)bar", "(?(?=^)zzz|baz)", "(?(?<!-)pain|ache)", "(?(?<!-)x)qux",
        // A call or back-reference to a group, which may lie in a branch probed apart.
        "(c)(?1)", "(c)\\1", "(?<n>c)\\k<n>", "(c)\\g{1}", "(c)(?-1)", "q(?R)?z", "(?<n>c)(?&n)",
    ])
    func fallsBack(_ source: String) throws {
        let set = try PatternSet(alternatives: [(0, source), (1, "knee\\s+pain"), (2, "no")], prefix: PatternWrapping.phrasePrefix,
                                 suffix: PatternWrapping.phraseSuffix, wordStarts: true)
        let indexes = set.startIndexes.count
        #expect(indexes == 0, "indexed anyway, in \(indexes) start indexes")
        for text in Self.texts {
            try expectWordStartScansAgree([(source, set)], on: Array(text.utf8), wanted: KeySet(0..<WordStarts.keyCount))
        }
    }

    /// Other spellings of the same dangers: a non-atomic look-behind `(?<*…)`, the Spencer word
    /// end `[[:>:]]` (a word boundary with a look-behind), and a negative look-behind of a
    /// negative look-behind, which is a positive one. Whether the set falls back or not, a hit
    /// after "-" must not be lost.
    @Test("other spellings of look-behinds and word boundaries find the same hits", arguments: [
        "(?<*-)knee", "[[:>:]]-knee", "[[:<:]]knee", "(?<!(?<!-))knee", "(?!(?<!-))knee",
    ])
    func otherSpellings(_ source: String) throws {
        let set = try PatternSet(alternatives: [(0, source), (1, "knee\\s+pain"), (2, "no")], prefix: PatternWrapping.phrasePrefix,
                                 suffix: PatternWrapping.phraseSuffix, wordStarts: true)
        for text in Self.texts {
            try expectWordStartScansAgree([(source, set)], on: Array(text.utf8), wanted: set.startKeys)
        }
    }
}

// MARK: - Word starts

@Suite("Start index: word starts")
struct StartIndexWordStartsTests {
    static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    /// Every indexed scan tries only these positions: one inside a word would find phrases in
    /// the middle of words, and one on a UTF-8 continuation byte would start PCRE2 inside a
    /// character; a position left out would lose every phrase beginning there.
    @Test("positions are the start and each byte after one that is not an ASCII letter or digit, never inside a character",
          arguments: ["", "a", "ab cd", "no evidence of CSI.", "a1 b2_c3-d4", "café naïve—left", "\u{212A}elvin \u{212A}tp",
                      "é", "éa", "a é", "x\u{1F600}y z", "  \n\t", "L4-5", "x", "–5 mg"])
    func positions(_ text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { buffer in
            let expected = bytes.indices.filter { index in
                (index == 0 || !Self.isASCIIAlphanumeric(bytes[index - 1])) && bytes[index] & 0xC0 != 0x80
            }
            let all = WordStarts(buffer, wanted: KeySet(0..<WordStarts.keyCount))
            #expect(all.positions == expected)
            #expect(all.keys.count == all.positions.count)
            for (position, key) in zip(all.positions, all.keys) {
                let wantedKey = bytes[position] >= 0x80 ? WordStarts.wideKey
                    : position + 1 < bytes.count ? WordStarts.key(first: bytes[position], second: bytes[position + 1])
                    : WordStarts.key(lastByte: bytes[position])
                #expect(Int(key) == wantedKey, "key at \(position)")
            }

            // Keys no set begins with are dropped, and nothing else.
            let no = WordStarts.key(first: UInt8(ascii: "n"), second: UInt8(ascii: "o"))
            let narrow = WordStarts(buffer, wanted: KeySet([no, WordStarts.wideKey]))
            let kept = zip(all.positions, all.keys).filter { Int($0.1) == no || Int($0.1) == WordStarts.wideKey }.map(\.0)
            #expect(narrow.positions == kept)
        }
    }
}
