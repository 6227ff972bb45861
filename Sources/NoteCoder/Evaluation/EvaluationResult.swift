public import Foundation

/// The figures of one evaluation run. Its JSON keys are those of FORMAT.md ("What `evaluate`
/// prints"), plus `failures`, so anyone can read it without this package.
public struct EvaluationResult: Codable, Sendable, Equatable {
    /// What one note got wrong, in scope. Every scored note is listed, even a perfect one, so a
    /// consumer can tell "no misses" from "not scored".
    public struct NoteOutcome: Codable, Sendable, Equatable {
        public var id: String
        /// Gold diagnoses then gold procedure codes (a code repeated when a line is missing
        /// more than once) that were not predicted.
        public var missed: [String]
        /// Predicted codes, same layout, that gold does not have.
        public var extra: [String]
        public var queriesMissed: [String]
        public var queriesExtra: [String]

        public init(id: String, missed: [String] = [], extra: [String] = [], queriesMissed: [String] = [], queriesExtra: [String] = []) {
            self.id = id
            self.missed = missed
            self.extra = extra
            self.queriesMissed = queriesMissed
            self.queriesExtra = queriesExtra
        }

        public var hasMiss: Bool {
            !missed.isEmpty || !extra.isEmpty || !queriesMissed.isEmpty || !queriesExtra.isEmpty
        }
    }

    /// A note that could not be scored normally: a missing or broken file, or an engine error.
    public struct Failure: Codable, Sendable, Equatable {
        public var id: String
        public var error: String

        public init(id: String, error: String) {
            self.id = id
            self.error = error
        }
    }

    /// Notes scored (an engine failure is scored, as an empty prediction; a note without
    /// usable gold is not).
    public var notes: Int
    /// The scope file as the caller named it.
    public var scope: String
    /// The scope's own name ("scope v2 (spine and interventional)"), so a figure says which
    /// families it scored.
    public var scopeName: String? = nil
    public var diagnoses: PrecisionRecall
    public var procedures: PrecisionRecall
    public var pairs: PrecisionRecall
    public var queries: PrecisionRecall
    public var modifiers: Agreement
    public var units: Agreement
    public var perNote: [NoteOutcome]
    public var failures: [Failure]

    public init(scope: String) {
        self.notes = 0
        self.scope = scope
        self.diagnoses = PrecisionRecall()
        self.procedures = PrecisionRecall()
        self.pairs = PrecisionRecall()
        self.queries = PrecisionRecall()
        self.modifiers = Agreement()
        self.units = Agreement()
        self.perNote = []
        self.failures = []
    }

    mutating func add(_ note: GoldComparison) {
        notes += 1
        diagnoses = diagnoses + note.diagnoses
        procedures = procedures + note.procedures
        pairs = pairs + note.pairs
        queries = queries + note.queries
        modifiers.correct += note.modifiers.correct
        modifiers.total += note.modifiers.total
        units.correct += note.units.correct
        units.total += note.units.total
        perNote.append(note.outcome)
    }

    /// The encoder for reports: sorted keys and fixed layout so two runs on the same input
    /// give the same bytes and can be diffed; unescaped slashes so paths read as paths.
    public static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }

    public func jsonData() throws -> Data {
        try Self.jsonEncoder().encode(self)
    }

    /// The JSON report as text, ending in a newline.
    public func jsonText() throws -> String {
        String(decoding: try jsonData(), as: UTF8.self) + "\n"
    }

    /// The report for people: which scope, the family table, then only the notes that went
    /// wrong, since a list of forty clean notes would bury the three that matter.
    public func textReport() -> String {
        typealias T = EvaluationText
        var out = "Scope: " + (scopeName.map { "\($0) (\(scope))" } ?? scope) + "\n"
        out += "Notes scored: \(notes)"
        if !failures.isEmpty { out += " (\(failures.count) failure\(failures.count == 1 ? "" : "s"))" }
        out += "\n\n"
        out += T.padRight("family", 12) + T.padLeft("tp", 6) + T.padLeft("fp", 6) + T.padLeft("fn", 6)
            + T.padLeft("precision", 11) + T.padLeft("recall", 8) + T.padLeft("f1", 7) + "\n"
        for (label, s) in [("diagnoses", diagnoses), ("procedures", procedures), ("pairs", pairs), ("queries", queries)] {
            out += T.padRight(label, 12) + T.padLeft(String(s.tp), 6) + T.padLeft(String(s.fp), 6)
                + T.padLeft(String(s.fn), 6) + T.padLeft(T.fixed3(s.precision), 11)
                + T.padLeft(T.fixed3(s.recall), 8) + T.padLeft(T.fixed3(s.f1), 7) + "\n"
        }
        out += "\n"
        for (label, a) in [("modifiers", modifiers), ("units", units)] {
            out += T.padRight(label, 12) + "\(a.correct) of \(a.total) matched lines correct (\(T.fixed3(a.rate)))\n"
        }
        if !failures.isEmpty {
            out += "\nFailures:\n"
            for f in failures { out += "  \(f.id): \(f.error)\n" }
        }
        let wrong = perNote.filter(\.hasMiss)
        if !wrong.isEmpty {
            out += "\nNotes with misses:\n"
            for n in wrong {
                out += "  \(n.id)\n"
                if !n.missed.isEmpty { out += "    missed:         \(n.missed.joined(separator: ", "))\n" }
                if !n.extra.isEmpty { out += "    extra:          \(n.extra.joined(separator: ", "))\n" }
                if !n.queriesMissed.isEmpty { out += "    queries missed: \(n.queriesMissed.joined(separator: ", "))\n" }
                if !n.queriesExtra.isEmpty { out += "    queries extra:  \(n.queriesExtra.joined(separator: ", "))\n" }
            }
        }
        return out
    }
}
