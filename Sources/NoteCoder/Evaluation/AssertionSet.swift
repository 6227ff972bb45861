public import Foundation

/// One row of an assertion test set (FORMAT.md "Assertion test sets"): a target phrase in a
/// sentence, and how the sentence asserts it.
///
/// The three label enums are nested here so they cannot clash with the context stage's own
/// types: these are the file's vocabulary, which the engine maps its assertions onto.
public struct AssertionRow: Codable, Sendable, Equatable {
    public enum Negation: String, Codable, Sendable, CaseIterable {
        case affirmed = "Affirmed"
        case negated = "Negated"
    }

    public enum Temporality: String, Codable, Sendable, CaseIterable {
        case recent = "Recent"
        case historical = "Historical"
        /// Also the original set's "Not particular" (see data/README.md).
        case hypothetical = "Hypothetical"
    }

    public enum Experiencer: String, Codable, Sendable, CaseIterable {
        case patient = "Patient"
        /// Family members and anyone else who is not the patient.
        case other = "Other"
    }

    public var id: String
    public var target: String
    public var sentence: String
    /// Nil in an input file that carries no labels, and in the output for a row whose target
    /// the engine did not find: an empty cell says "no answer" rather than a guessed default.
    public var negation: Negation?
    public var temporality: Temporality?
    public var experiencer: Experiencer?

    public init(
        id: String, target: String, sentence: String,
        negation: Negation? = nil, temporality: Temporality? = nil, experiencer: Experiencer? = nil
    ) {
        self.id = id
        self.target = target
        self.sentence = sentence
        self.negation = negation
        self.temporality = temporality
        self.experiencer = experiencer
    }

    /// True when all three labels are present.
    public var isLabelled: Bool { negation != nil && temporality != nil && experiencer != nil }
}

/// A bad row (or header) in an assertion file, with file and line so it can be found.
public struct AssertionFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based; the header is line 1.
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file):\(line): \(message)" }
}

/// Reading and writing the tab-separated assertion format.
public enum AssertionTSV {
    /// The header `notecoder context` prints, in this order.
    public static let columns = ["id", "target", "sentence", "negation", "temporality", "experiencer"]

    /// The engine for one row: nil when the target is not in the sentence.
    public typealias ContextCall = (_ sentence: String, _ target: String)
        -> (AssertionRow.Negation, AssertionRow.Temporality, AssertionRow.Experiencer)?

    /// What a read gives: the good rows, each with its line, and the bad rows' errors. Bad rows
    /// do not stop the read, because one stray tab in a thousand sentences should cost one row.
    public struct Contents: Sendable, Equatable {
        public var rows: [AssertionRow]
        /// `lines[i]` is the file line of `rows[i]`.
        public var lines: [Int]
        public var problems: [AssertionFileError]
    }

    /// Reads a file. With `requireLabels`, the three label columns must exist and every row must
    /// fill them with a known value (a gold set); without, they are read when present and a bad
    /// one is reported but left empty (an input for `context`).
    public static func read(contentsOf url: URL, requireLabels: Bool = false) throws(AssertionFileError) -> Contents {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw AssertionFileError(file: url.path, line: 0, message: "cannot read the file as UTF-8: \(error.localizedDescription)")
        }
        return try parse(text, file: url.path, requireLabels: requireLabels)
    }

    /// Parses TSV text. Throws only when the header is unusable (no header, or a required column
    /// missing), since then no row can be read.
    public static func parse(_ text: String, file: String, requireLabels: Bool = false) throws(AssertionFileError) -> Contents {
        // "\r\n" is one Character in Swift, so a file saved on Windows is split on it directly.
        var lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard let headerLine = lines.first, !headerLine.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw AssertionFileError(file: file, line: 1, message: "no header row; expected: \(columns.joined(separator: " "))")
        }
        let header = headerLine.split(separator: "\t", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var index: [String: Int] = [:]
        for (i, name) in header.enumerated() where index[name] == nil { index[name] = i }
        let required = requireLabels ? columns : Array(columns.prefix(3))
        let absent = required.filter { index[$0] == nil }
        if !absent.isEmpty {
            throw AssertionFileError(
                file: file, line: 1,
                message: "missing column\(absent.count == 1 ? "" : "s") \(absent.joined(separator: ", ")) in the header")
        }

        var contents = Contents(rows: [], lines: [], problems: [])
        for (offset, line) in lines.enumerated().dropFirst() {
            let lineNumber = offset + 1
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            func problem(_ message: String) {
                contents.problems.append(AssertionFileError(file: file, line: lineNumber, message: message))
            }
            if fields.count > header.count {
                problem("\(fields.count) fields but the header has \(header.count) (a tab inside the sentence?)")
                continue
            }
            // Short rows are padded: an editor that trims trailing tabs should not break a
            // file whose last cells are empty; required cells are still checked below.
            func cell(_ name: String) -> String? {
                guard let i = index[name] else { return nil }
                return i < fields.count ? fields[i].trimmingCharacters(in: .whitespaces) : ""
            }
            let id = cell("id") ?? "", target = cell("target") ?? ""
            let sentence = index["sentence"].flatMap { $0 < fields.count ? fields[$0] : "" } ?? ""
            if id.isEmpty { problem("empty id"); continue }
            if target.isEmpty { problem("empty target (row \(id))"); continue }
            if sentence.trimmingCharacters(in: .whitespaces).isEmpty { problem("empty sentence (row \(id))"); continue }
            var row = AssertionRow(id: id, target: target, sentence: sentence)
            var ok = true
            func label<L: RawRepresentable & CaseIterable>(_ name: String, _: L.Type) -> L? where L.RawValue == String {
                guard let value = cell(name), !value.isEmpty else {
                    if requireLabels {
                        problem("empty \(name) (row \(id))")
                        ok = false
                    }
                    return nil
                }
                // Case-insensitive: a hand-edited "negated" means the same as "Negated".
                guard let parsed = L.allCases.first(where: { $0.rawValue.lowercased() == value.lowercased() }) else {
                    let allowed = L.allCases.map(\.rawValue).joined(separator: ", ")
                    problem("\(name) '\(value)' is not one of \(allowed) (row \(id))")
                    ok = false
                    return nil
                }
                return parsed
            }
            row.negation = label("negation", AssertionRow.Negation.self)
            row.temporality = label("temporality", AssertionRow.Temporality.self)
            row.experiencer = label("experiencer", AssertionRow.Experiencer.self)
            // `context` reads only id, target and sentence, so there a bad label is reported but
            // does not cost the row; in a gold set it does, as the row cannot be scored.
            guard ok || !requireLabels else { continue }
            contents.rows.append(row)
            contents.lines.append(lineNumber)
        }
        return contents
    }

    /// Renders rows with the standard header, one line per row in the given order. Tabs and
    /// line breaks inside a cell become spaces: the format has no quoting, and one stray tab
    /// would shift every later column of that row.
    public static func render(_ rows: [AssertionRow]) -> String {
        func clean(_ s: String) -> String {
            String(s.map { $0 == "\t" || $0.isNewline ? " " : $0 })
        }
        var out = columns.joined(separator: "\t") + "\n"
        for row in rows {
            out += [
                clean(row.id), clean(row.target), clean(row.sentence),
                row.negation?.rawValue ?? "", row.temporality?.rawValue ?? "", row.experiencer?.rawValue ?? "",
            ].joined(separator: "\t") + "\n"
        }
        return out
    }

    /// Runs the engine on each row, replacing the labels with the engine's (empty where the
    /// target was not found). Input order is kept, as `notecoder context` must print it.
    public static func label(_ rows: [AssertionRow], engine: ContextCall) -> [AssertionRow] {
        rows.map { row in
            var out = AssertionRow(id: row.id, target: row.target, sentence: row.sentence)
            if let labels = engine(row.sentence, row.target) {
                out.negation = labels.0
                out.temporality = labels.1
                out.experiencer = labels.2
            }
            return out
        }
    }
}
