public import Foundation

/// What a certified coder assigns to one note (FORMAT.md "The gold file").
///
/// The engine's answer is reduced to the same shape before scoring, so that gold and
/// prediction are compared field by field with no knowledge of the engine's richer report.
public struct CodedNote: Codable, Sendable, Equatable {
    public var id: String
    /// `YYYY-MM-DD`. Kept as text because it is only handed on to the engine, which picks the
    /// code set in force that day; parsing it into a `Date` would add a time zone it never had.
    public var dateOfService: String?
    public var diagnoses: [String]
    public var procedures: [CodedLine]
    public var queries: [String]
    public var comment: String?

    public init(
        id: String,
        dateOfService: String? = nil,
        diagnoses: [String] = [],
        procedures: [CodedLine] = [],
        queries: [String] = [],
        comment: String? = nil
    ) {
        self.id = id
        self.dateOfService = dateOfService
        self.diagnoses = diagnoses
        self.procedures = procedures
        self.queries = queries
        self.comment = comment
    }

    /// The prediction recorded for a note the engine failed on: scoring it as empty keeps the
    /// note's gold codes in the denominators, so a crash can never raise recall.
    public static func empty(id: String) -> CodedNote {
        CodedNote(id: id)
    }
}

/// One claim line: a procedure code with what goes beside it on the claim.
public struct CodedLine: Codable, Sendable, Equatable {
    public var code: String
    /// Compared as a set: the order of modifiers on a claim line carries no meaning here.
    public var modifiers: [String]
    public var units: Int
    /// The diagnosis codes this line points to (medical necessity); scored as pairs.
    public var diagnoses: [String]

    public init(code: String, modifiers: [String] = [], units: Int = 1, diagnoses: [String] = []) {
        self.code = code
        self.modifiers = modifiers
        self.units = units
        self.diagnoses = diagnoses
    }
}

/// A gold file that cannot be used, with the file named so that a coder can fix it without
/// reading Swift.
public struct GoldError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        case unreadable(String)
        case notJSON(String)
        case missingField(String)
        case wrongType(field: String, detail: String)
        case badDate(String, reason: DayError)
        case idMismatch(id: String, stem: String)
        case badUnits(field: String, value: Int)
        case emptyCode(field: String)
    }

    /// The file as given (usually `gold/ID.json`), so messages point at something to open.
    public var file: String
    public var problem: Problem

    public init(file: String, problem: Problem) {
        self.file = file
        self.problem = problem
    }

    public var description: String {
        switch problem {
        case .unreadable(let reason):
            return "\(file): cannot read the file: \(reason)"
        case .notJSON(let reason):
            return "\(file): not valid JSON: \(reason)"
        case .missingField(let field):
            return "\(file): missing field '\(field)'"
        case .wrongType(let field, let detail):
            return "\(file): field '\(field)' has the wrong type: \(detail)"
        case .badDate(let value, let reason):
            return "\(file): dateOfService '\(value)' is not a date: \(reason)"
        case .idMismatch(let id, let stem):
            return "\(file): id '\(id)' does not match the file name '\(stem)'"
        case .badUnits(let field, let value):
            return "\(file): \(field) is \(value); units must be 1 or more"
        case .emptyCode(let field):
            return "\(file): \(field) is an empty code"
        }
    }
}

extension CodedNote {
    /// Reads and checks one gold file. The id must equal the file stem because the evaluator
    /// pairs notes with gold by file name; a copied file with a stale id would otherwise be
    /// scored against the wrong note without anyone noticing.
    public static func loadGold(from url: URL) throws(GoldError) -> CodedNote {
        let name = url.lastPathComponent
        let display = url.deletingLastPathComponent().lastPathComponent.isEmpty
            ? name
            : url.deletingLastPathComponent().lastPathComponent + "/" + name
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw GoldError(file: display, problem: .unreadable(error.localizedDescription))
        }
        return try decodeGold(data, file: display, stem: url.deletingPathExtension().lastPathComponent)
    }

    /// Decodes gold from bytes. `file` is only used in messages; `stem`, when given, is the
    /// id the file name promises.
    public static func decodeGold(_ data: Data, file: String, stem: String? = nil) throws(GoldError) -> CodedNote {
        let note: CodedNote
        do {
            note = try JSONDecoder().decode(CodedNote.self, from: data)
        } catch let error as DecodingError {
            throw GoldError(file: file, problem: problem(for: error))
        } catch {
            throw GoldError(file: file, problem: .notJSON(String(describing: error)))
        }
        try note.validateGold(file: file, stem: stem)
        return note
    }

    /// The checks JSON typing cannot make. They apply to gold only: a prediction with an odd
    /// date or zero units is simply scored as wrong.
    func validateGold(file: String, stem: String?) throws(GoldError) {
        if let stem, id != stem {
            throw GoldError(file: file, problem: .idMismatch(id: id, stem: stem))
        }
        if let date = dateOfService {
            do { _ = try Day(parsing: date) } catch { throw GoldError(file: file, problem: .badDate(date, reason: error)) }
        }
        for (i, code) in diagnoses.enumerated() where code.trimmingCharacters(in: .whitespaces).isEmpty {
            throw GoldError(file: file, problem: .emptyCode(field: "diagnoses[\(i)]"))
        }
        for (i, line) in procedures.enumerated() {
            if line.code.trimmingCharacters(in: .whitespaces).isEmpty {
                throw GoldError(file: file, problem: .emptyCode(field: "procedures[\(i)].code"))
            }
            if line.units < 1 {
                throw GoldError(file: file, problem: .badUnits(field: "procedures[\(i)].units", value: line.units))
            }
        }
    }

    private static func problem(for error: DecodingError) -> GoldError.Problem {
        switch error {
        case .keyNotFound(let key, let context):
            return .missingField(path(context.codingPath + [key]))
        case .valueNotFound(let type, let context):
            return .wrongType(field: path(context.codingPath), detail: "null where \(typeName(type)) was expected")
        case .typeMismatch(let type, let context):
            return .wrongType(field: path(context.codingPath), detail: "expected \(typeName(type))")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                let underlying = context.underlyingError.map { String(describing: $0) }
                return .notJSON(underlying ?? context.debugDescription)
            }
            return .wrongType(field: path(context.codingPath), detail: context.debugDescription)
        @unknown default:
            return .notJSON(String(describing: error))
        }
    }

    /// Renders a coding path the way a person would point into the file: `procedures[0].units`.
    private static func path(_ keys: [any CodingKey]) -> String {
        var out = ""
        for key in keys {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return out.isEmpty ? "(top level)" : out
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type: return "an integer"
        case is [String].Type: return "a list of strings"
        case is [CodedLine].Type: return "a list of procedure lines"
        case is CodedLine.Type: return "a procedure line object"
        case is CodedNote.Type: return "a gold object"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return name
        }
    }
}
