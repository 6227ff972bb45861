public import Foundation

/// Runs an engine over an annotated set and scores it against gold (FORMAT.md).
///
/// The engine is a closure rather than a type so the evaluator depends on nothing in the
/// pipeline: the CLI adapts whatever the engine reports into a `CodedNote`, and tests pass stubs.
public struct Evaluator: Sendable {
    /// Codes one note. `dateOfService` is the gold's, so the engine picks the code set in force
    /// that day; nil means the engine's own rule for a missing date applies.
    public typealias EngineCall = (_ id: String, _ text: String, _ dateOfService: String?) throws -> CodedNote

    public init() {}

    /// Scores `engine` on `SET/notes/*.txt` against `SET/gold/*.json`.
    ///
    /// Problems with single notes (no gold, no note, bad gold, engine error) are recorded in
    /// `failures` and the run goes on, because one broken file in a set of hundreds should not
    /// hide the figures for the rest. Only a set that cannot be listed at all throws.
    public func evaluate(
        set: URL,
        scope: CodeScope,
        scopeName: String,
        engine: EngineCall
    ) throws(EvaluationError) -> EvaluationResult {
        let notesDir = set.appendingPathComponent("notes", isDirectory: true)
        let goldDir = set.appendingPathComponent("gold", isDirectory: true)
        let notes = try Self.files(in: notesDir, ext: "txt")
        let golds = try Self.files(in: goldDir, ext: "json")

        var scored: [(gold: CodedNote, predicted: CodedNote)] = []
        var failures: [EvaluationResult.Failure] = []
        for id in Set(notes.keys).union(golds.keys).sorted() {
            guard let noteURL = notes[id] else {
                failures.append(.init(id: id, error: "gold/\(id).json has no note notes/\(id).txt"))
                continue
            }
            guard let goldURL = golds[id] else {
                failures.append(.init(id: id, error: "notes/\(id).txt has no gold gold/\(id).json"))
                continue
            }
            let gold: CodedNote
            do {
                gold = try CodedNote.loadGold(from: goldURL)
            } catch {
                failures.append(.init(id: id, error: error.description))
                continue
            }
            let text: String
            do {
                text = try String(contentsOf: noteURL, encoding: .utf8)
            } catch {
                failures.append(.init(id: id, error: "notes/\(id).txt: cannot read as UTF-8 text"))
                continue
            }
            var predicted: CodedNote
            do {
                predicted = try engine(id, text, gold.dateOfService)
            } catch {
                failures.append(.init(id: id, error: "engine failed: \(error)"))
                predicted = .empty(id: id)
            }
            predicted.id = id
            scored.append((gold, predicted))
        }
        return score(scored, scope: scope, scopeName: scopeName, failures: failures)
    }

    /// Loads the scope file and evaluates; the scope is named by the path as given, which is
    /// what FORMAT.md's JSON shows (`"scope": "Lexicons/scope.yaml"`).
    public func evaluate(set: URL, scopeFile: URL, engine: EngineCall) throws -> EvaluationResult {
        let scope = try CodeScope.load(from: scopeFile)
        return try evaluate(set: set, scope: scope, scopeName: scopeFile.relativePath, engine: engine)
    }

    /// Scores predictions already made (for example, a batch run read back from JSON Lines)
    /// against gold. Notes are reported in id order whatever the input order.
    public func score(
        _ notes: [(gold: CodedNote, predicted: CodedNote)],
        scope: CodeScope,
        scopeName: String,
        failures: [EvaluationResult.Failure] = []
    ) -> EvaluationResult {
        var result = EvaluationResult(scope: scopeName)
        result.scopeName = scope.name
        for (gold, predicted) in notes.sorted(by: { $0.gold.id < $1.gold.id }) {
            result.add(GoldComparison(gold: gold, predicted: predicted, scope: scope))
        }
        result.failures = failures
        return result
    }

    /// Maps file stem to URL. Hidden files and other extensions are skipped, so editor
    /// droppings and READMEs in a set folder do not become "notes without gold".
    private static func files(in dir: URL, ext: String) throws(EvaluationError) -> [String: URL] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
            throw .folderMissing(dir.path)
        }
        let urls: [URL]
        do {
            urls = try FileManager.default.contentsOfDirectory(
                at: dir, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
        } catch {
            throw .unreadable(dir.path, error.localizedDescription)
        }
        var out: [String: URL] = [:]
        for url in urls where url.pathExtension == ext {
            out[url.deletingPathExtension().lastPathComponent] = url
        }
        return out
    }
}

/// A set that cannot be evaluated at all.
public enum EvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
    case folderMissing(String)
    case unreadable(String, String)

    public var description: String {
        switch self {
        case .folderMissing(let path):
            return "\(path): folder not found (an annotated set has notes/ and gold/, see FORMAT.md)"
        case .unreadable(let path, let reason):
            return "\(path): cannot list the folder: \(reason)"
        }
    }
}

/// The comparison of one note, kept apart from the totals so per-note misses and the family
/// counts come from the same sets and cannot disagree.
struct GoldComparison {
    var diagnoses = PrecisionRecall()
    var procedures = PrecisionRecall()
    var pairs = PrecisionRecall()
    var queries = PrecisionRecall()
    var modifiers = Agreement()
    var units = Agreement()
    var outcome: EvaluationResult.NoteOutcome

    init(gold: CodedNote, predicted: CodedNote, scope: CodeScope) {
        // Diagnoses: a set per note, so listing a code twice neither helps nor hurts.
        let goldDx = Set(gold.diagnoses.filter(scope.contains(diagnosis:)))
        let predDx = Set(predicted.diagnoses.filter(scope.contains(diagnosis:)))
        diagnoses = PrecisionRecall(
            tp: goldDx.intersection(predDx).count,
            fp: predDx.subtracting(goldDx).count,
            fn: goldDx.subtracting(predDx).count)

        // Procedures: a multiset, because two lines of the same code are two services billed.
        let goldLines = gold.procedures.filter { scope.contains(procedure: $0.code) }
        let predLines = predicted.procedures.filter { scope.contains(procedure: $0.code) }
        let goldByCode = Dictionary(grouping: goldLines, by: \.code)
        let predByCode = Dictionary(grouping: predLines, by: \.code)
        var missedProcedures: [String] = []
        var extraProcedures: [String] = []
        for code in Set(goldByCode.keys).union(predByCode.keys).sorted() {
            let g = goldByCode[code] ?? []
            let p = predByCode[code] ?? []
            procedures.tp += min(g.count, p.count)
            procedures.fp += max(0, p.count - g.count)
            procedures.fn += max(0, g.count - p.count)
            missedProcedures += Array(repeating: code, count: max(0, g.count - p.count))
            extraProcedures += Array(repeating: code, count: max(0, p.count - g.count))
            // Lines of one code are matched in order; only matched lines say anything about
            // modifiers and units, the rest are already counted as missed or extra.
            for (gl, pl) in zip(g, p) {
                modifiers.record(Set(gl.modifiers) == Set(pl.modifiers))
                units.record(gl.units == pl.units)
            }
        }

        // Pairs: both ends must be in scope, or a pair would be scored on a code that is not.
        func pairSet(_ lines: [CodedLine]) -> Set<[String]> {
            var out = Set<[String]>()
            for line in lines {
                for dx in line.diagnoses where scope.contains(diagnosis: dx) {
                    out.insert([line.code, dx])
                }
            }
            return out
        }
        let goldPairs = pairSet(goldLines)
        let predPairs = pairSet(predLines)
        pairs = PrecisionRecall(
            tp: goldPairs.intersection(predPairs).count,
            fp: predPairs.subtracting(goldPairs).count,
            fn: goldPairs.subtracting(predPairs).count)

        // Queries are not filtered: a query is about the documentation, not a code family.
        let goldQ = Set(gold.queries)
        let predQ = Set(predicted.queries)
        queries = PrecisionRecall(
            tp: goldQ.intersection(predQ).count,
            fp: predQ.subtracting(goldQ).count,
            fn: goldQ.subtracting(predQ).count)

        outcome = EvaluationResult.NoteOutcome(
            id: gold.id,
            missed: goldDx.subtracting(predDx).sorted() + missedProcedures,
            extra: predDx.subtracting(goldDx).sorted() + extraProcedures,
            queriesMissed: goldQ.subtracting(predQ).sorted(),
            queriesExtra: predQ.subtracting(goldQ).sorted())
    }
}
