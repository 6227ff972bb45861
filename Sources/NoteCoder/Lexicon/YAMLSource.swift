internal import Foundation
internal import Yams

/// A YAML file decoded together with its node tree, so that a problem found after decoding
/// (a pattern that does not compile, an unknown code) can still be reported at its line.
struct YAMLSource<Content: Decodable> {
    let path: String
    let content: Content
    private let root: Node

    init(path: String, displayName: String) throws(LexiconError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw LexiconError(problems: [LexiconProblem(file: displayName, line: nil, entry: nil, message: "cannot read the file: \(error.localizedDescription)")])
        }
        do {
            guard let node = try Yams.compose(yaml: text, .basic) else {
                throw LexiconError(problems: [LexiconProblem(file: displayName, line: nil, entry: nil, message: "the file is empty")])
            }
            root = node
        } catch let error as LexiconError {
            throw error
        } catch let error as YamlError {
            throw LexiconError(problems: [LexiconProblem(file: displayName, line: YAMLSource.line(of: error), entry: nil, message: "not valid YAML: \(error)")])
        } catch {
            throw LexiconError(problems: [LexiconProblem(file: displayName, line: nil, entry: nil, message: "not valid YAML: \(error)")])
        }
        do {
            content = try YAMLDecoder().decode(Content.self, from: root)
        } catch let error as DecodingError {
            let (path, message) = YAMLSource.explain(error)
            throw LexiconError(problems: [LexiconProblem(file: displayName, line: YAMLSource.line(in: root, at: path), entry: nil, message: message)])
        } catch {
            throw LexiconError(problems: [LexiconProblem(file: displayName, line: nil, entry: nil, message: "\(error)")])
        }
        self.path = displayName
    }

    /// The line of the node reached by following `path` (mapping keys and sequence indices).
    func line(_ path: [any CodingKey]) -> Int? { YAMLSource.line(in: root, at: path) }

    func line(_ keys: String..., index: Int? = nil, then more: [String] = []) -> Int? {
        var path: [any CodingKey] = keys.map { AnyKey($0) }
        if let index { path.append(AnyKey(index)) }
        path += more.map { AnyKey($0) }
        return line(path)
    }

    static func line(in root: Node, at path: [any CodingKey]) -> Int? {
        var node = root
        var best = root.mark?.line
        for key in path {
            if let index = key.intValue, let sequence = node.sequence, index < sequence.count {
                node = sequence[index]
            } else if let mapping = node.mapping, let child = mapping[key.stringValue] {
                node = child
            } else {
                break
            }
            best = node.mark?.line ?? best
        }
        return best
    }

    static func line(of error: YamlError) -> Int? {
        if case let .scanner(_, _, mark, _) = error { return mark.line }
        if case let .parser(_, _, mark, _) = error { return mark.line }
        return nil
    }

    static func explain(_ error: DecodingError) -> ([any CodingKey], String) {
        func where_(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case let .keyNotFound(key, context):
            return (context.codingPath, "missing field '\(key.stringValue)' at \(where_(context.codingPath))")
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            return (context.codingPath, "\(context.debugDescription) at \(where_(context.codingPath))")
        case let .dataCorrupted(context):
            return (context.codingPath, "\(context.debugDescription) at \(where_(context.codingPath))")
        @unknown default:
            return ([], "\(error)")
        }
    }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ string: String) { stringValue = string; intValue = nil }
    init(_ int: Int) { stringValue = String(int); intValue = int }
    init?(stringValue: String) { self.init(stringValue) }
    init?(intValue: Int) { self.init(intValue) }
}
