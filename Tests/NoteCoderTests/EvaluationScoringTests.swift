import Foundation
import Testing
@testable import NoteCoder

/// A throwaway annotated set in the temporary directory, removed by `remove()`.
struct EvaluationTempSet {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("notecoder-eval-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url.appendingPathComponent("notes"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: url.appendingPathComponent("gold"), withIntermediateDirectories: true)
    }

    func note(_ id: String, _ text: String = "note text") throws {
        try Data(text.utf8).write(to: url.appendingPathComponent("notes/\(id).txt"))
    }

    func gold(_ note: CodedNote) throws {
        try rawGold(note.id, String(decoding: try JSONEncoder().encode(note), as: UTF8.self))
    }

    func rawGold(_ id: String, _ json: String) throws {
        try Data(json.utf8).write(to: url.appendingPathComponent("gold/\(id).json"))
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

@Suite("Evaluation: scoring a set")
struct EvaluationScoringTests {
    static let scope = CodeScope(
        name: "test scope",
        diagnoses: [.prefix("G56.0"), .range("M15", "M19"), .prefix("M79.1"), .prefix("M54.5")],
        procedures: [.exact("20526"), .range("20550", "20553"), .range("20600", "20611"), .range("64400", "64455"), .exact("76942")])

    static let goldA = CodedNote(
        id: "note-a", dateOfService: "2024-07-01",
        diagnoses: ["M17.11", "M79.18", "R52"],
        procedures: [
            CodedLine(code: "20610", modifiers: ["RT"], units: 1, diagnoses: ["M17.11"]),
            CodedLine(code: "20552", modifiers: [], units: 1, diagnoses: ["M79.18"]),
            CodedLine(code: "62323", modifiers: [], units: 1, diagnoses: ["M54.16"]),
        ],
        queries: ["laterality"])
    static let predictedA = CodedNote(
        id: "note-a",
        diagnoses: ["M17.11", "M54.50", "M99.03"],
        procedures: [
            CodedLine(code: "20610", modifiers: ["LT"], units: 1, diagnoses: ["M17.11"]),
            CodedLine(code: "20553", modifiers: [], units: 1, diagnoses: ["M79.18"]),
            CodedLine(code: "99213", modifiers: ["25"], units: 1, diagnoses: ["M17.11"]),
        ],
        queries: ["laterality", "muscle-count"])
    static let goldB = CodedNote(
        id: "note-b",
        diagnoses: ["G56.01"],
        procedures: [
            CodedLine(code: "20526", modifiers: ["RT", "59"], units: 1, diagnoses: ["G56.01"]),
            CodedLine(code: "76942", modifiers: [], units: 1, diagnoses: ["G56.01"]),
        ],
        queries: [])
    static let predictedB = CodedNote(
        id: "note-b",
        diagnoses: ["G56.01"],
        procedures: [
            CodedLine(code: "20526", modifiers: ["59", "RT"], units: 2, diagnoses: ["G56.01"]),
            CodedLine(code: "76942", modifiers: [], units: 1, diagnoses: ["G56.01", "M79.18", "R52"]),
        ],
        queries: [])

    /// Runs the two-note set through `evaluate` with a stub engine that returns the fixed
    /// predictions and records the dates it was given.
    static func runTwoNoteSet() throws -> (EvaluationResult, [String: String?]) {
        let set = try EvaluationTempSet()
        defer { set.remove() }
        try set.note("note-a", "Right knee injected.")
        try set.note("note-b")
        try set.gold(goldA)
        try set.gold(goldB)
        var dates: [String: String?] = [:]
        let result = try Evaluator().evaluate(set: set.url, scope: scope, scopeName: "test/scope.yaml") { id, text, date in
            dates[id] = date
            #expect(!text.isEmpty)
            return id == "note-a" ? predictedA : predictedB
        }
        return (result, dates)
    }

    @Test("family counts and ratios on a two-note set")
    func familyCounts() throws {
        let (result, dates) = try Self.runTwoNoteSet()
        #expect(dates == ["note-a": "2024-07-01", "note-b": nil])
        #expect(result.notes == 2)
        #expect(result.scope == "test/scope.yaml")
        #expect(result.failures.isEmpty)
        // Diagnoses (R52, M99.03 out of scope): a {M17.11, M79.18} vs {M17.11, M54.50}; b equal.
        #expect(result.diagnoses == PrecisionRecall(tp: 2, fp: 1, fn: 1))
        #expect(abs(result.diagnoses.precision - 2.0 / 3.0) < 1e-12)
        #expect(abs(result.diagnoses.recall - 2.0 / 3.0) < 1e-12)
        // Procedures (62323, 99213 out of scope): a 20552 missed, 20553 extra; b both right.
        #expect(result.procedures == PrecisionRecall(tp: 3, fp: 1, fn: 1))
        #expect(result.procedures.precision == 0.75)
        #expect(result.procedures.recall == 0.75)
        // Pairs: a (20610,M17.11) right, (20553,M79.18) extra, (20552,M79.18) missed;
        // b two right, (76942,M79.18) extra, (76942,R52) out of scope.
        #expect(result.pairs == PrecisionRecall(tp: 3, fp: 2, fn: 1))
        #expect(result.pairs.precision == 0.6)
        #expect(result.pairs.recall == 0.75)
        // Queries are not filtered by scope.
        #expect(result.queries == PrecisionRecall(tp: 1, fp: 1, fn: 0))
        #expect(result.queries.precision == 0.5)
        #expect(result.queries.recall == 1.0)
        // Matched lines: 20610 (modifier side wrong), 20526 (modifier order differs, units wrong), 76942.
        #expect(result.modifiers == Agreement(correct: 2, total: 3))
        #expect(result.units == Agreement(correct: 2, total: 3))
    }

    @Test("per-note misses list every note in id order")
    func perNote() throws {
        let (result, _) = try Self.runTwoNoteSet()
        #expect(result.perNote == [
            .init(id: "note-a", missed: ["M79.18", "20552"], extra: ["M54.50", "20553"],
                  queriesMissed: [], queriesExtra: ["muscle-count"]),
            .init(id: "note-b"),
        ])
        let text = result.textReport()
        // The scope is named by its own name and its file, so a figure says which families it scored.
        #expect(text.contains("Scope: test scope (test/scope.yaml)"))
        #expect(text.contains("diagnoses        2     1     1      0.667   0.667  0.667"))
        #expect(text.contains("pairs            3     2     1      0.600   0.750  0.667"))
        #expect(text.contains("modifiers   2 of 3 matched lines correct (0.667)"))
        #expect(text.contains("  note-a\n    missed:         M79.18, 20552\n"))
        #expect(!text.contains("note-b"))
    }

    @Test("codes outside the scope are ignored on both sides")
    func outOfScopeIgnored() {
        let gold = CodedNote(
            id: "n", diagnoses: ["R52", "Z79.899"],
            procedures: [CodedLine(code: "62323", diagnoses: ["M54.16"])], queries: [])
        let predicted = CodedNote(
            id: "n", diagnoses: ["M99.03"],
            procedures: [CodedLine(code: "99213", diagnoses: ["R52"]), CodedLine(code: "20552", diagnoses: ["R52"])],
            queries: [])
        let result = Evaluator().score([(gold, predicted)], scope: Self.scope, scopeName: "s")
        #expect(result.diagnoses == PrecisionRecall())
        #expect(result.procedures == PrecisionRecall(tp: 0, fp: 1, fn: 0))
        // The 20552 line points only to an out-of-scope diagnosis, so it makes no pair.
        #expect(result.pairs == PrecisionRecall())
        #expect(result.diagnoses.precision == 1.0 && result.diagnoses.recall == 1.0)
        #expect(result.procedures.precision == 0.0 && result.procedures.recall == 1.0 && result.procedures.f1 == 0.0)
        #expect(result.perNote == [.init(id: "n", extra: ["20552"])])
    }

    @Test("procedures are a multiset, and lines of one code are matched in order")
    func multiset() {
        let gold = CodedNote(id: "n", procedures: [
            CodedLine(code: "64450", modifiers: ["RT"], units: 1),
            CodedLine(code: "64450", modifiers: ["LT"], units: 1),
        ])
        let predicted = CodedNote(id: "n", procedures: [CodedLine(code: "64450", modifiers: ["LT"], units: 1)])
        let result = Evaluator().score([(gold, predicted)], scope: Self.scope, scopeName: "s")
        #expect(result.procedures == PrecisionRecall(tp: 1, fp: 0, fn: 1))
        #expect(result.modifiers == Agreement(correct: 0, total: 1))
        #expect(result.units == Agreement(correct: 1, total: 1))
        #expect(result.perNote.first?.missed == ["64450"])
    }

    @Test("an engine error is a recorded failure and the note is scored as empty")
    func engineFailure() throws {
        struct Boom: Error, CustomStringConvertible { var description: String { "no lexicon" } }
        let set = try EvaluationTempSet()
        defer { set.remove() }
        try set.note("note-a")
        try set.note("note-b")
        try set.gold(Self.goldA)
        try set.gold(Self.goldB)
        let result = try Evaluator().evaluate(set: set.url, scope: Self.scope, scopeName: "s") { id, _, _ in
            if id == "note-a" { throw Boom() }
            return Self.predictedB
        }
        #expect(result.notes == 2)
        #expect(result.failures == [.init(id: "note-a", error: "engine failed: no lexicon")])
        #expect(result.diagnoses == PrecisionRecall(tp: 1, fp: 0, fn: 2))
        #expect(result.perNote.first == .init(id: "note-a", missed: ["M17.11", "M79.18", "20552", "20610"], queriesMissed: ["laterality"]))
    }

    @Test("unpaired files and a bad gold file are reported by name, and the rest is scored")
    func badFiles() throws {
        let set = try EvaluationTempSet()
        defer { set.remove() }
        try set.note("note-b")
        try set.gold(Self.goldB)
        try set.note("lonely-note")
        try set.rawGold("lonely-gold", #"{"id": "lonely-gold", "diagnoses": [], "procedures": [], "queries": []}"#)
        try set.note("broken")
        try set.rawGold("broken", #"{"id": "broken", "diagnoses": [], "procedures": []}"#)
        try set.note("renamed")
        try set.rawGold("renamed", #"{"id": "other", "diagnoses": [], "procedures": [], "queries": []}"#)
        try Data("ignored".utf8).write(to: set.url.appendingPathComponent("notes/README.md"))
        let result = try Evaluator().evaluate(set: set.url, scope: Self.scope, scopeName: "s") { _, _, _ in Self.predictedB }
        #expect(result.notes == 1)
        #expect(result.perNote.map(\.id) == ["note-b"])
        #expect(result.failures == [
            .init(id: "broken", error: "gold/broken.json: missing field 'queries'"),
            .init(id: "lonely-gold", error: "gold/lonely-gold.json has no note notes/lonely-gold.txt"),
            .init(id: "lonely-note", error: "notes/lonely-note.txt has no gold gold/lonely-note.json"),
            .init(id: "renamed", error: "gold/renamed.json: id 'other' does not match the file name 'renamed'"),
        ])
        #expect(result.textReport().contains("Notes scored: 1 (4 failures)"))
    }

    @Test("a set without notes/ or gold/ is an error, not an empty score")
    func missingFolder() throws {
        let set = try EvaluationTempSet()
        defer { set.remove() }
        try FileManager.default.removeItem(at: set.url.appendingPathComponent("gold"))
        #expect(throws: EvaluationError.self) {
            _ = try Evaluator().evaluate(set: set.url, scope: Self.scope, scopeName: "s") { id, _, _ in .empty(id: id) }
        }
    }

    @Test("the JSON has exactly the FORMAT.md keys plus failures and the scope's name, and is byte-stable")
    func jsonKeys() throws {
        let (result, _) = try Self.runTwoNoteSet()
        let data = try result.jsonData()
        #expect(try result.jsonData() == data)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == [
            "notes", "scope", "scopeName", "diagnoses", "procedures", "pairs", "queries", "modifiers", "units", "perNote", "failures",
        ])
        for family in ["diagnoses", "procedures", "pairs", "queries"] {
            let figures = try #require(object[family] as? [String: Any])
            #expect(Set(figures.keys) == ["tp", "fp", "fn", "precision", "recall", "f1"])
        }
        for family in ["modifiers", "units"] {
            let figures = try #require(object[family] as? [String: Any])
            #expect(Set(figures.keys) == ["correct", "total"])
        }
        let notes = try #require(object["perNote"] as? [[String: Any]])
        #expect(notes.count == 2)
        #expect(Set(notes[0].keys) == ["id", "missed", "extra", "queriesMissed", "queriesExtra"])
        let text = try result.jsonText()
        #expect(text.contains(#""scope" : "test/scope.yaml""#))
        #expect(try JSONDecoder().decode(EvaluationResult.self, from: data) == result)
    }
}
