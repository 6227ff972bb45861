import Foundation
import Synchronization
import Testing
@testable import NoteCoder

/// Issue 12: the cost of a note grows linearly with its size. The shortcuts that make it so
/// (cues found by position, linking by walking to the nearest rival, long sentences cut into
/// pieces) must read every note as the plain definitions do; a note that still takes too long
/// is given up by the time limit, named, and the rest of a batch goes on.

/// The notes in the repository: the synthetic corpus and the real development and validation
/// notes.
private enum RepositoryNotes {
    static let all: [(id: String, text: String)] = {
        var notes: [(id: String, text: String)] = []
        for folder in ["notes", "real/dev/notes", "real/validation/notes"] {
            let url = TestRepository.corpus.appendingPathComponent(folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            for name in names.sorted() where name.hasSuffix(".txt") {
                if let text = try? String(contentsOf: url.appendingPathComponent(name), encoding: .utf8) {
                    notes.append((String(name.dropLast(4)), text))
                }
            }
        }
        if let sample = try? String(contentsOf: TestRepository.root.appendingPathComponent("Examples/sample-note.txt"), encoding: .utf8) {
            notes.append(("sample-note", sample))
        }
        return notes
    }()
}

/// A note read and scanned as the engine reads and scans it.
private struct ScannedNote {
    let document: Document
    let scan: Scan

    init(_ text: String, lexicon: Lexicon) throws {
        let note = LineBreaks.normalized(Note(id: "scanned", text: text))
        let engine = Engine(lexicon: lexicon)
        let matcher = lexicon.makeMatcher()
        (document, scan) = try note.bytes.withUnsafeBufferPointer { buffer in
            let document = try engine.read(note, buffer: buffer, matcher: matcher)
            return (document, try Scanner.scan(document, bytes: buffer, lexicon: lexicon, matcher: matcher))
        }
    }
}

/// The context rules as ConText states them, looking at every cue of the sentence for each
/// mention and counting the words between by walking over them: the reference the indexed
/// search must agree with.
private enum FullSearch {
    static func assertions(for range: Range<Int>, sentence: Int, document: Document, scan: Scan, lexicon: Lexicon,
                           kind: ConceptKind?) -> [Assertion] {
        let hits = scan.cuesBySentence[sentence].map { scan.cues[$0] }
        func category(_ hit: CueHit) -> CueCategory { lexicon.cues[hit.cue].category }
        let pseudo = hits.filter { category($0) == .pseudo }
        let terminators = hits.filter { category($0) == .terminate }
        func words(_ start: Int, _ end: Int) -> Int {
            var count = 0, inWord = false
            for i in max(start, 0)..<max(end, start) {
                let isWord = document.bytes[i] > 0x20 && document.bytes[i] != UInt8(ascii: ",")
                if isWord && !inWord { count += 1 }
                inWord = isWord
            }
            return count
        }
        var result: [Assertion] = []
        var performed: Int?
        var performedOutranksSection = false
        var yielding: [(Int, Int)] = []
        for hit in hits {
            let cue = lexicon.cues[hit.cue]
            guard cue.category != .pseudo, cue.category != .terminate, !hit.range.overlaps(range) else { continue }
            if let kind, !cue.appliesTo.contains(kind) { continue }
            // A pseudo cue cancels a cue it overlaps, unless the cue holds it and is longer.
            if pseudo.contains(where: {
                $0.range.overlaps(hit.range) && !($0.range.lowerBound >= hit.range.lowerBound && $0.range.upperBound <= hit.range.upperBound && $0.range != hit.range)
            }) { continue }
            let before = hit.range.upperBound <= range.lowerBound
            let (start, end) = before ? (hit.range.upperBound, range.lowerBound) : (range.upperBound, hit.range.lowerBound)
            guard cue.direction != (before ? .backward : .forward) else { continue }
            if let window = cue.window, words(start, end) > window { continue }
            let asserted = AssertionCategory(rawValue: cue.category.rawValue)
            if let asserted, terminators.contains(where: {
                lexicon.cues[$0.cue].stops.contains(asserted) && $0.range.lowerBound >= start && $0.range.upperBound <= end
            }) { continue }
            let distance = end - start
            if cue.category == .performed {
                performed = min(performed ?? distance, distance)
                performedOutranksSection = performedOutranksSection || cue.outranksSection
                continue
            }
            guard let asserted else { continue }
            if (asserted == .planned || asserted == .historical) && cue.yieldsToPerformed { yielding.append((result.count, distance)) }
            result.append(Assertion(category: asserted, source: .cue(index: hit.cue, range: hit.range)))
        }
        let section = document.sentences[sentence].section
        let narrates = scan.cues.contains { category($0) == .performed && document.sentences[$0.sentence].section == section }
        if let definition = document.sections[section].definition, let implied = lexicon.sections[definition].implies,
           kind.map({ lexicon.sections[definition].impliesFor.contains($0) }) ?? true, !(implied == .planned && narrates) {
            result.append(Assertion(category: implied, source: .section(index: definition)))
        }
        guard let performed else { return result }
        let dropped = Set(yielding.filter { $0.1 > performed }.map(\.0))
        return result.enumerated().compactMap { offset, assertion in
            if dropped.contains(offset) { return nil }
            if case .section = assertion.source, performedOutranksSection, assertion.category == .planned || assertion.category == .historical {
                return nil
            }
            return assertion
        }
    }
}

/// Attribute linking as its rules state it, comparing each value with every rival mention and
/// every value of the note with every mention of its sentence: the reference for the walk.
private enum FullLinking {
    static func link(_ attribute: Int, to mentionIndex: Int, document: Document, scan: Scan, lexicon: Lexicon, details: Set<Int>) -> [Range<Int>] {
        let mention = scan.mentions[mentionIndex]
        let definition = lexicon.attributes[attribute]
        let kind = lexicon.concepts[mention.concept].kind
        let reach = lexicon.concepts[mention.concept].reach[definition.id] ?? definition.reach
        let distance = AttributeLinker.distance
        let rivals = scan.mentionsBySentence[mention.sentence].filter { other in
            let range = scan.mentions[other].range
            return other != mentionIndex && lexicon.concepts[scan.mentions[other].concept].kind == kind
                && scan.mentions[other].concept != mention.concept
                && !(range.lowerBound <= mention.range.lowerBound && range.upperBound >= mention.range.upperBound)
        }
        var candidates: [(hit: AttributeHit, index: Int)] = scan.attributesBySentence[mention.sentence].compactMap { i in
            let hit = scan.attributes[i]
            guard hit.attribute == attribute else { return nil }
            let mine = distance(hit.range, mention.range)
            return rivals.contains { distance(hit.range, scan.mentions[$0].range) < mine } ? nil : (hit, i)
        }
        let ownedHere = candidates
        if definition.multiple && !definition.numeric && !definition.levels {
            // A causal cue between a value and the mention gives the value to the cause, when the
            // mention keeps some value on its own side.
            let causes = scan.cuesBySentence[mention.sentence].map { scan.cues[$0].range }.filter { range in
                scan.cues.contains { $0.range == range && lexicon.cues[$0.cue].causal }
            }
            let own = candidates.filter { candidate in
                !causes.contains { cue in
                    (cue.lowerBound >= mention.range.upperBound && cue.upperBound <= candidate.hit.range.lowerBound)
                        || (cue.upperBound <= mention.range.lowerBound && cue.lowerBound >= candidate.hit.range.upperBound)
                }
            }
            if !own.isEmpty { candidates = own }
        }
        if candidates.isEmpty && definition.distributes {
            candidates = AttributeLinker.listNeighbourValues(attribute, for: mentionIndex, rivals: rivals, scan: scan, negated: [])
        }
        func claimed(_ hit: AttributeHit) -> Bool {
            let takers = scan.mentionsBySentence[hit.sentence].filter { other in
                let concept = lexicon.concepts[scan.mentions[other].concept]
                return concept.kind == kind && !scan.mentions[other].range.overlaps(hit.range) && concept.attributes.contains(definition.id)
            }
            guard let nearest = takers.min(by: { distance(hit.range, scan.mentions[$0].range) < distance(hit.range, scan.mentions[$1].range) }),
                  scan.mentions[nearest].concept != mention.concept else { return false }
            guard hit.sentence == mention.sentence else { return true }
            let other = scan.mentions[nearest].range
            let gap = min(other.lowerBound, mention.range.lowerBound)..<max(other.upperBound, mention.range.upperBound)
            return document.bytes[gap].contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ";") }
        }
        // The numbered list item a sentence stands in: the line its start is on, when that line
        // opens with "1." or "2)" and a space. A diagnosis's own site (`per`), outside a pre- or
        // postoperative list, is not read from another item.
        func item(_ sentence: Int) -> Int? {
            let start = document.sentences[sentence].range.lowerBound
            let line = document.lineStarts.lastIndex { $0 <= start }!
            let text = Array(document.bytes[document.lineStarts[line]...].prefix { $0 != 0x0A })
            let trimmed = text.drop { $0 == 0x20 || $0 == 0x09 }
            let digits = trimmed.prefix { $0 >= 0x30 && $0 <= 0x39 }
            let rest = trimmed.dropFirst(digits.count)
            guard (1...2).contains(digits.count), rest.count >= 2,
                  rest.first == UInt8(ascii: ".") || rest.first == UInt8(ascii: ")"),
                  rest.dropFirst().first == 0x20 || rest.dropFirst().first == 0x09 else { return nil }
            return line
        }
        let section = document.sections[document.sentences[mention.sentence].section]
        let ownItem = kind == .condition && lexicon.concepts[mention.concept].per == definition.id
            && !lexicon.section(section, hasTag: "operative") ? item(mention.sentence) : nil
        func inOtherItem(_ hit: AttributeHit) -> Bool {
            guard let ownItem, let other = item(hit.sentence) else { return false }
            return other != ownItem
        }
        if candidates.isEmpty && (reach == .section || reach == .note) {
            let sections = AttributeLinker.procedureSections(around: document.sentences[mention.sentence].section, document: document,
                                                             lexicon: lexicon, details: details)
            candidates = scan.attributes.enumerated().filter {
                $0.element.attribute == attribute && sections.contains(document.sentences[$0.element.sentence].section)
                    && !claimed($0.element) && !inOtherItem($0.element)
            }.map { ($0.element, $0.offset) }
        }
        if candidates.isEmpty && reach == .note {
            candidates = scan.attributes.enumerated().filter { $0.element.attribute == attribute && !claimed($0.element) && !inOtherItem($0.element) }.map { ($0.element, $0.offset) }
        }
        if definition.pooled {
            // The first of each value written anywhere in the mention's section.
            let section = document.sentences[mention.sentence].section
            var seen = Set<Int>()
            for (i, hit) in scan.attributes.enumerated() where hit.attribute == attribute && document.sentences[hit.sentence].section == section {
                guard seen.insert(hit.value).inserted else { continue }
                if !candidates.contains(where: { $0.index == i }) { candidates.append((hit, i)) }
            }
        }
        // Stable: equally near values keep their order in the note.
        let ordered = candidates.enumerated().sorted {
            (distance($0.element.hit.range, mention.range), $0.offset) < (distance($1.element.hit.range, mention.range), $1.offset)
        }.map(\.element.hit)
        if definition.numeric || definition.levels || definition.multiple { return ordered.map(\.range).sorted { $0.lowerBound < $1.lowerBound } }
        guard let nearest = ordered.first else { return [] }
        // A list of sites joined to the nearest one (the concept's `per`): every owned site the
        // list words chain to it, each site once.
        guard lexicon.concepts[mention.concept].per == definition.id, nearest.sentence == mention.sentence else { return [nearest.range] }
        let sites = ownedHere.map(\.hit).sorted { $0.range.lowerBound < $1.range.lowerBound }
        guard let at = sites.firstIndex(where: { $0.range == nearest.range }) else { return [nearest.range] }
        let sides = AttributeLinker.sideRanges(in: nearest.sentence, scan: scan, lexicon: lexicon)
        var first = at, last = at
        while first > 0, AttributeLinker.joinsList(document.bytes, sites[first - 1].range.upperBound, sites[first].range.lowerBound, sides: sides) { first -= 1 }
        while last + 1 < sites.count, AttributeLinker.joinsList(document.bytes, sites[last].range.upperBound, sites[last + 1].range.lowerBound, sides: sides) { last += 1 }
        var result = [nearest]
        for site in sites[first...last] where !result.contains(where: { $0.value == site.value }) { result.append(site) }
        return result.map(\.range)
    }
}

/// Texts that give the shortcuts work: many cues, terminators and pseudo cues, rival mentions,
/// one phrase over and over, values claimed across sentences. Each is kept under the sentence
/// bound, so the references read the same sentences.
private let denseTexts = [
    String(repeating: "history without osteoarthritis pain denies no pain of knee ", count: 60),
    String(repeating: "no knee pain but left shoulder pain, no change in hip pain however denies neck pain history of carpal tunnel syndrome ", count: 25),
    String(repeating: "Right knee injection under ultrasound guidance, left shoulder injection ", count: 50),
    String(repeating: "knee pain due to osteoarthritis of the knee. ", count: 60),
    String(repeating: "L4-5 herniation and C5-6 spondylosis with radiculopathy ", count: 60),
    "ASSESSMENT: " + String(repeating: "Lumbar spondylosis, lumbar radiculopathy; cervical facet arthropathy. ", count: 30)
        + "\nPROCEDURE: " + String(repeating: "Bilateral L4-5 and L5-S1 facet joint injections under fluoroscopic guidance were performed today. ", count: 20),
]

@Suite("Linear cost: the indexed searches read notes as the full searches do")
struct IndexedSearchTests {
    @Test("cues found by position give every mention and attribute word the assertions of the full search, on every repository note")
    func windowedCuesMatchFullSearch() throws {
        let lexicon = try SharedLexicon.lexicon()
        var compared = 0
        for (id, text) in RepositoryNotes.all.map({ ($0.id, $0.text) }) + denseTexts.enumerated().map({ ("dense-\($0.offset)", $0.element) }) {
            let scanned = try ScannedNote(text, lexicon: lexicon)
            let (document, scan) = (scanned.document, scanned.scan)
            let index = CueIndex(document: document, scan: scan, lexicon: lexicon)
            let targets = scan.mentions.map { ($0.range, $0.sentence, Optional(lexicon.concepts[$0.concept].kind)) }
                + scan.attributes.map { ($0.range, $0.sentence, ConceptKind?.none) }
            for (range, sentence, kind) in targets {
                let indexed = ContextRules.assertions(for: range, sentence: sentence, document: document, scan: scan, cues: index, lexicon: lexicon, kind: kind)
                let full = FullSearch.assertions(for: range, sentence: sentence, document: document, scan: scan, lexicon: lexicon, kind: kind)
                #expect(indexed == full, "\(id) at \(range)")
                compared += 1
            }
        }
        #expect(compared > 5_000)
    }

    @Test("linking by walking to the nearest rival gives every mention the values the full comparison gives, on every repository note")
    func walkMatchesFullLinking() throws {
        let lexicon = try SharedLexicon.lexicon()
        var compared = 0, linked = 0
        for (id, text) in RepositoryNotes.all.map({ ($0.id, $0.text) }) + denseTexts.enumerated().map({ ("dense-\($0.offset)", $0.element) }) {
            let scanned = try ScannedNote(text, lexicon: lexicon)
            let (document, scan) = (scanned.document, scanned.scan)
            let details = Set(document.sections.indices.filter {
                lexicon.section(document.sections[$0], hasTag: "procedure") && !lexicon.section(document.sections[$0], hasTag: "title")
            })
            let index = LinkIndex(scan: scan, lexicon: lexicon)
            let far = FarReach(document: document, scan: scan, lexicon: lexicon, negated: [], index: index)
            for mention in scan.mentions.indices {
                for name in lexicon.concepts[scan.mentions[mention].concept].attributes {
                    guard let attribute = lexicon.attributeIndex[name] else { continue }
                    let walked = AttributeLinker.link(attribute, to: mention, document: document, scan: scan, lexicon: lexicon, negated: [],
                                                      details: details, index: index, far: far).map(\.range)
                    let full = FullLinking.link(attribute, to: mention, document: document, scan: scan, lexicon: lexicon, details: details)
                    #expect(walked == full, "\(id): mention \(mention), \(name)")
                    compared += 1
                    if !full.isEmpty { linked += 1 }
                }
            }
        }
        #expect(compared > 5_000)
        #expect(linked > 1_000)
    }
}

@Suite("Linear cost: a sentence longer than the bound is cut for context")
struct LongSentenceTests {
    /// Words with no cue, no concept and no sentence end.
    static let filler = String(repeating: "the patient walked to the clinic with her daughter and sat down ", count: 200)

    @Test("no sentence of a repository note reaches the bound, so cutting changes none of them")
    func realNotesAreNotCut() throws {
        let lexicon = try SharedLexicon.lexicon()
        let engine = Engine(lexicon: lexicon)
        for (id, text) in RepositoryNotes.all {
            let note = LineBreaks.normalized(Note(id: id, text: text))
            let document = try note.bytes.withUnsafeBufferPointer { try engine.read(note, buffer: $0, matcher: lexicon.makeMatcher()) }
            let whole = SentenceSplitter.sentences(in: note.bytes, sections: document.sections, longest: .max)
            #expect(whole.map(\.range) == document.sentences.map(\.range), "\(id)")
        }
        #expect(RepositoryNotes.all.count > 300)
    }

    @Test("a run with no sentence end is cut at white space into pieces no longer than the bound, losing no word")
    func cutAtWhiteSpace() throws {
        let text = Self.filler + "She denies knee pain. " + Self.filler
        let scanned = try ScannedNote(text, lexicon: try SharedLexicon.lexicon())
        let pieces = scanned.document.sentences.map { scanned.document.text($0.range) }
        #expect(pieces.count >= 6)
        #expect(pieces.allSatisfy { $0.utf8.count <= SentenceSplitter.longestSentence })
        #expect(pieces.joined(separator: " ").split(separator: " ") == text.split(separator: " "))
    }

    @Test("in a cut sentence a cue still reaches the mention beside it, and a distant cue does not")
    func assertionNearCue() throws {
        let text = "Osteoarthritis of the right knee " + Self.filler + " no carpal tunnel syndrome " + Self.filler
        let report = try SharedLexicon.code(text, id: "long-run")
        #expect(report.excluded.contains { $0.concept == "carpal-tunnel-syndrome" && $0.reason == "negated" && $0.cue == "no" })
        #expect(report.diagnoses.contains { $0.code.hasPrefix("M17") })
        // The cue is read where it stands, in its own piece of the run.
        let lexicon = try SharedLexicon.lexicon()
        let scanned = try ScannedNote(text, lexicon: lexicon)
        let mention = try #require(scanned.scan.mentions.first { lexicon.concepts[$0.concept].id == "carpal-tunnel-syndrome" })
        let piece = scanned.document.sentences[mention.sentence].range
        #expect(piece.count <= SentenceSplitter.longestSentence && piece.count < text.utf8.count / 2)
    }
}

/// A clock that moves one millisecond each time the engine looks at it: a note is over a limit
/// of one second when coding it takes more than a thousand looks, whatever the machine's speed.
/// One note at a time, so that no other note's looks move it.
private final class WorkClock: Sendable {
    private let looks = Atomic<Int>(0)

    var read: @Sendable () -> Double {
        { [self] in Double(looks.add(1, ordering: .relaxed).newValue) / 1000 }
    }
}

@Suite("Linear cost: the per-note time limit")
struct TimeLimitTests {
    /// One procedure phrase over and over: thousands of mentions and values, so thousands of looks.
    static let longNote = String(repeating: "Right knee injection under ultrasound guidance ", count: 2_000)

    static func engine(seconds: Double = 1) throws -> Engine {
        Engine(lexicon: try SharedLexicon.lexicon(), timeLimit: NoteTimeLimit(seconds: seconds, clock: WorkClock().read))
    }

    @Test("a note over the limit is an error naming the note, never quoting it")
    func overLimit() throws {
        let engine = try Self.engine()
        #expect(throws: NoteError.timeLimit(note: "mrn-77", seconds: 1)) {
            try engine.code(Note(id: "mrn-77", text: Self.longNote))
        }
        do {
            _ = try engine.code(Note(id: "mrn-77", text: Self.longNote))
        } catch {
            #expect(error.description.contains("mrn-77"))
            #expect(!error.description.contains("injection"))
        }
        // The same engine codes a whole clinic note within the limit: the limit is per note.
        let sample = try String(contentsOf: TestRepository.root.appendingPathComponent("Examples/sample-note.txt"), encoding: .utf8)
        let report = try engine.code(Note(id: "sample", text: sample))
        #expect(!report.diagnoses.isEmpty)
    }

    @Test("without a limit the long note is coded")
    func noLimit() throws {
        var engine = try Self.engine()
        engine.timeLimit = nil
        let report = try engine.code(Note(id: "long", text: Self.longNote))
        #expect(report.procedures.contains { $0.concept.contains("injection") })
    }

    @Test("in a batch the note over the limit goes to the errors file by id and the other notes are coded")
    func batchGoesOn() throws {
        let folder = try TemporaryFolder()
        var notes = BatchFixture.notes(6)
        notes.insert((id: "too-long-1", text: Self.longNote), at: 3)
        let input = try folder.write("notes.jsonl", BatchFixture.jsonl(notes))
        let files = BatchFixture.outputs(folder, stem: "out")
        let configuration = BatchConfiguration(
            input: BatchInput(path: input.path, format: .auto, columns: CSVColumns()),
            output: BatchOutput(results: files.results, format: .jsonl, queries: files.queries, errors: files.errors),
            jobs: 1, maxNoteSeconds: 1)
        let result = try BatchRunner(engine: try Self.engine(seconds: 60), configuration: configuration).run()
        #expect(result.summary.coded == 6)
        #expect(result.summary.failed == 1)
        #expect(result.summary.failedByKind == ["time-limit": 1])
        #expect(try BatchFixture.reports(files.results).map(\.id) == notes.map(\.id).filter { $0 != "too-long-1" })
        let errors = try BatchFixture.csvRows(files.errors)
        #expect(errors.count == 2)
        #expect(errors.last?.first == "too-long-1")
        #expect(errors.last?.contains("time-limit") == true)
        #expect(!(try BatchFixture.read(files.errors)).contains("injection"))
    }
}
