/// One thing wrong with the lexicons, placed where the author can fix it.
public struct LexiconProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    /// The entry the problem is in (a concept, cue or section id), when there is one.
    public var entry: String?
    public var message: String

    public init(file: String, line: Int?, entry: String?, message: String) {
        self.file = file
        self.line = line
        self.entry = entry
        self.message = message
    }

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let entry { place += " [\(entry)]" }
        return "\(place): \(message)"
    }
}

/// Loading stops with every problem found, not just the first, so one run of `lexicon check`
/// gives an author the whole list.
public struct LexiconError: Error, Sendable, CustomStringConvertible {
    public var problems: [LexiconProblem]
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
