public import Foundation
internal import Yams

/// The code families the engine claims to handle (FORMAT.md "the scope").
///
/// Gold lists every code in a wider set of families than the engine knows; scoring only the
/// scope keeps the figures about what the engine claims, and lets the scope grow as a data file
/// (`Lexicons/scope.yaml`) without touching Swift.
public struct CodeScope: Sendable, Equatable {
    /// One line of the scope file.
    public enum Entry: Sendable, Equatable, CustomStringConvertible {
        /// `G56.0*`: every code that starts with the text.
        case prefix(String)
        /// `M15-M19`: compared on the leading characters only, so `M17.11` falls inside `M15-M19`
        /// and `20553` inside `20550-20553`, which is how coders read a range of categories.
        case range(String, String)
        /// Anything else must match the whole code.
        case exact(String)

        public func contains(_ code: String) -> Bool {
            switch self {
            case .prefix(let p):
                return code.hasPrefix(p)
            case .range(let low, let high):
                return code.prefix(low.count) >= low && code.prefix(high.count) <= high
            case .exact(let e):
                return code == e
            }
        }

        public var description: String {
            switch self {
            case .prefix(let p): return p + "*"
            case .range(let low, let high): return low + "-" + high
            case .exact(let e): return e
            }
        }

        /// Parses one entry. Returns nil for text that is not one of the three shapes, so the
        /// loader can name the entry; a silently misread entry would shift every figure.
        public init?(parsing raw: String) {
            let text = raw.trimmingCharacters(in: .whitespaces)
            func isCode(_ s: Substring) -> Bool {
                !s.isEmpty && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == ".") }
            }
            if text.hasSuffix("*") {
                let body = text.dropLast()
                guard isCode(body) else { return nil }
                self = .prefix(String(body))
            } else if text.contains("-") {
                let parts = text.split(separator: "-", omittingEmptySubsequences: false)
                guard parts.count == 2, isCode(parts[0]), isCode(parts[1]), parts[0] <= parts[1] else { return nil }
                self = .range(String(parts[0]), String(parts[1]))
            } else {
                guard isCode(Substring(text)) else { return nil }
                self = .exact(text)
            }
        }
    }

    public var name: String
    public var diagnoses: [Entry]
    public var procedures: [Entry]

    public init(name: String, diagnoses: [Entry], procedures: [Entry]) {
        self.name = name
        self.diagnoses = diagnoses
        self.procedures = procedures
    }

    /// Whether an ICD-10-CM code (with its dot) is scored.
    public func contains(diagnosis code: String) -> Bool {
        diagnoses.contains { $0.contains(code) }
    }

    /// Whether a CPT / HCPCS code is scored.
    public func contains(procedure code: String) -> Bool {
        procedures.contains { $0.contains(code) }
    }
}

/// A scope file that cannot be used, naming the file and, where there is one, the entry.
public struct ScopeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}

extension CodeScope {
    private struct Raw: Decodable {
        var name: String?
        var diagnoses: [String]
        var procedures: [String]
    }

    /// Loads a scope file such as `Lexicons/scope.yaml`.
    public static func load(from url: URL) throws(ScopeError) -> CodeScope {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ScopeError(file: url.path, message: "cannot read the file: \(error.localizedDescription)")
        }
        return try parse(yaml: text, file: url.path)
    }

    /// Parses scope YAML. `file` is only used in messages.
    public static func parse(yaml: String, file: String) throws(ScopeError) -> CodeScope {
        let raw: Raw
        do {
            raw = try YAMLDecoder().decode(Raw.self, from: yaml)
        } catch let error as DecodingError {
            throw ScopeError(file: file, message: describe(error))
        } catch {
            throw ScopeError(file: file, message: "not valid YAML: \(error)")
        }
        func entries(_ list: [String], _ field: String) throws(ScopeError) -> [Entry] {
            var out: [Entry] = []
            for (i, text) in list.enumerated() {
                guard let entry = Entry(parsing: text) else {
                    throw ScopeError(
                        file: file,
                        message: "\(field)[\(i)] '\(text)' is not a code, a prefix ending in '*', "
                            + "or a range 'LOW-HIGH' with LOW <= HIGH"
                    )
                }
                out.append(entry)
            }
            return out
        }
        let name = raw.name ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        return CodeScope(
            name: name,
            diagnoses: try entries(raw.diagnoses, "diagnoses"),
            procedures: try entries(raw.procedures, "procedures")
        )
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _):
            return "missing field '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let field = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined()
            return "field '\(field)' must be a list of codes written as text"
        case .dataCorrupted(let context):
            return "not valid YAML: \(context.underlyingError.map { String(describing: $0) } ?? context.debugDescription)"
        @unknown default:
            return String(describing: error)
        }
    }
}
