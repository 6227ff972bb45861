import Foundation
import Testing
@testable import NoteCoder

/// The committed floor under the engine's figures on the repository's own Corpus/.
struct CorpusBaseline: Codable, Sendable {
    var diagnosesF1: Double
    var proceduresF1: Double
    var pairsF1: Double
    var queriesF1: Double
    /// The number of Corpus/ notes the figures were measured on: a baseline holds for one corpus,
    /// and is measured again (rounded down to 3 decimals) in the commit that adds notes.
    var notes: Int?

    static let file = TestRepository.fixtures.appendingPathComponent("corpus-baseline.json")
    /// Figures may wobble in the last printed digit without counting as a drop.
    static let tolerance = 0.0005

    static func load() throws -> CorpusBaseline {
        try JSONDecoder().decode(CorpusBaseline.self, from: Data(contentsOf: file))
    }
}

/// One figure compared against its baseline.
enum CorpusFigure: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case diagnosesF1, proceduresF1, pairsF1, queriesF1

    var testDescription: String { rawValue }

    func baseline(_ baseline: CorpusBaseline) -> Double {
        switch self {
        case .diagnosesF1: baseline.diagnosesF1
        case .proceduresF1: baseline.proceduresF1
        case .pairsF1: baseline.pairsF1
        case .queriesF1: baseline.queriesF1
        }
    }

    func current(_ result: EvaluationResult) -> Double {
        switch self {
        case .diagnosesF1: result.diagnoses.f1
        case .proceduresF1: result.procedures.f1
        case .pairsF1: result.pairs.f1
        case .queriesF1: result.queries.f1
        }
    }
}

enum CorpusRun {
    /// Corpus/ evaluated once for all the tests that read the figures.
    static let result: Result<EvaluationResult, any Error> = Result {
        let engine = try SharedLexicon.engine()
        let matcher = engine.lexicon.makeMatcher()
        return try Evaluator().evaluate(
            set: TestRepository.corpus, scopeFile: TestRepository.lexicons.appendingPathComponent("scope.yaml")
        ) { id, text, date in
            CodedNote(report: try engine.code(Note(id: id, text: text, dateOfService: date.flatMap(Day.init(iso:))), matcher: matcher))
        }
    }

    static func noteIDs() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: TestRepository.corpus.appendingPathComponent("notes").path)
            .filter { $0.hasSuffix(".txt") }.map { String($0.dropLast(4)) }.sorted()
    }

    /// The note's bytes and the gold's date of service, as the evaluator passes it (nil when the
    /// gold has none, or is not written yet).
    static func note(_ id: String) throws -> Note {
        let url = TestRepository.corpus.appendingPathComponent("notes/\(id).txt")
        let gold = try? CodedNote.loadGold(from: TestRepository.corpus.appendingPathComponent("gold/\(id).json"))
        return Note(id: id, bytes: [UInt8](try Data(contentsOf: url)), dateOfService: gold?.dateOfService.flatMap(Day.init(iso:)))
    }

    static func report(_ id: String) throws -> Report {
        try SharedLexicon.engine().code(note(id))
    }
}

@Suite("Corpus: figures against the committed baseline")
struct CorpusBaselineTests {
    @Test("no figure drops below its baseline", arguments: CorpusFigure.allCases)
    func figureHolds(_ figure: CorpusFigure) throws {
        let result = try CorpusRun.result.get()
        let baseline = figure.baseline(try CorpusBaseline.load())
        let current = figure.current(result)
        let measuredOn = try CorpusBaseline.load().notes
        let corpusChanged = measuredOn.map { $0 != result.notes } ?? false
        #expect(current >= baseline - CorpusBaseline.tolerance,
                """
                \(figure.rawValue) dropped to \(current) from the baseline \(baseline) \
                (Tests/NoteCoderTests/Fixtures/corpus-baseline.json)\(corpusChanged ? "; the baseline was measured on \(measuredOn ?? 0) notes, Corpus/ now has \(result.notes): measure it again" : "")
                """)
    }

    @Test("every corpus note is scored and none fails")
    func everyNoteScored() throws {
        let result = try CorpusRun.result.get()
        #expect(result.failures.isEmpty, "\(result.failures.map { "\($0.id): \($0.error)" })")
        #expect(result.notes == (try CorpusRun.noteIDs()).count)
        #expect(result.perNote.map(\.id) == (try CorpusRun.noteIDs()))
        #expect(result.scope.hasSuffix("Lexicons/scope.yaml"))
    }

    @Test("the baseline file is well formed and holds figures between 0 and 1")
    func baselineFile() throws {
        let baseline = try CorpusBaseline.load()
        for figure in CorpusFigure.allCases {
            #expect((0.0...1.0).contains(figure.baseline(baseline)), "\(figure.rawValue)")
        }
    }
}

@Suite("Report JSON")
struct ReportJSONTests {
    /// The FORMAT.md gold fields, checked on one report's JSON.
    static func checkGoldFields(_ data: Data, id: String) throws -> (procedures: Int, queries: Int) {
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["id"] as? String == id)
        if let date = json["dateOfService"] { #expect(Day(iso: try #require(date as? String)) != nil, "\(id)") }
        let diagnoses = try #require(json["diagnoses"] as? [[String: Any]], "\(id)")
        for diagnosis in diagnoses {
            let code = try #require(diagnosis["code"] as? String, "\(id)")
            #expect(code.contains("."), "\(id): \(code) is written without its dot")
        }
        let procedures = try #require(json["procedures"] as? [[String: Any]], "\(id)")
        for line in procedures {
            #expect(line["code"] is String, "\(id)")
            #expect(line["modifiers"] is [String], "\(id)")
            #expect((line["units"] as? Int).map { $0 >= 1 } == true, "\(id)")
            #expect(line["diagnoses"] is [String], "\(id)")
        }
        let queries = try #require(json["queries"] as? [[String: Any]], "\(id)")
        for query in queries { #expect(query["kind"] is String, "\(id)") }
        return (procedures.count, queries.count)
    }

    @Test("a corpus report's JSON carries the gold fields of FORMAT.md")
    func goldFields() throws {
        let report = try CorpusRun.report("nc-009")
        let (procedures, queries) = try Self.checkGoldFields(try report.jsonData(), id: "nc-009")
        #expect(procedures >= 1)
        #expect(queries >= 0)
        let json = try #require(try JSONSerialization.jsonObject(with: try report.jsonData()) as? [String: Any])
        #expect(json["dateOfService"] as? String == "2024-10-03")
    }

    @Test("every corpus report's JSON carries the gold fields, and some carry each kind of content")
    func goldFieldsEverywhere() throws {
        var withProcedures = 0, withQueries = 0
        for id in try CorpusRun.noteIDs() {
            let counts = try Self.checkGoldFields(try CorpusRun.report(id).jsonData(pretty: false), id: id)
            if counts.procedures > 0 { withProcedures += 1 }
            if counts.queries > 0 { withQueries += 1 }
        }
        #expect(withProcedures > 0)
        #expect(withQueries > 0)
    }

    @Test("the report reduces to the gold shape the evaluator reads")
    func codedNote() throws {
        let report = try SharedLexicon.code("""
            ASSESSMENT: Bilateral occipital neuralgia.
            PROCEDURE: Bilateral greater occipital nerve blocks performed.
            """, id: "gon", date: "2025-02-11")
        let coded = CodedNote(report: report)
        #expect(coded == CodedNote(
            id: "gon", dateOfService: "2025-02-11", diagnoses: ["M54.81"],
            procedures: [CodedLine(code: "64405", modifiers: ["50"], units: 1, diagnoses: ["M54.81"])],
            queries: []))
    }

    @Test("two runs on the same note give byte-identical JSON")
    func deterministic() throws {
        for id in try CorpusRun.noteIDs() {
            let first = try CorpusRun.report(id).jsonData()
            let second = try Engine(lexicon: try SharedLexicon.lexicon()).code(try CorpusRun.note(id)).jsonData()
            #expect(first == second, "\(id): the JSON differs between two runs")
        }
    }

    @Test("a freshly loaded lexicon gives the same JSON as the shared one")
    func deterministicAcrossLoads() throws {
        let text = try String(contentsOf: TestRepository.corpus.appendingPathComponent("notes/nc-009.txt"), encoding: .utf8)
        let fresh = try Engine(lexicon: Lexicon.load(from: TestRepository.lexicons))
        let a = try fresh.code(Note(id: "nc-009", text: text)).jsonData()
        let b = try SharedLexicon.engine().code(Note(id: "nc-009", text: text)).jsonData()
        #expect(a == b)
    }
}
