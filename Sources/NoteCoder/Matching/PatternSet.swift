import PCRE2

/// Many lexicon patterns compiled into a few alternations, each alternative tagged with
/// `(*MARK:n)` so one scan of a note finds every entry and says which one matched.
///
/// Scanning a note once per entry would multiply the cost by the size of the lexicon; PCRE2 has
/// no multi-pattern prefilter, so the alternatives are grouped into shards small enough to stay
/// well under the compiled-size limit of Debian's build (link size 2).
public struct PatternSet: Sendable {
    public struct Hit: Sendable, Equatable {
        /// Index of the entry (in the order the alternatives were given).
        public var entry: Int
        public var range: Range<Int>
        public var groups: [Range<Int>?]

        /// The hit a match of a shard stands for: its mark names the entry.
        init?(_ match: Match) {
            guard let mark = match.mark, let entry = Int(mark) else { return nil }
            self.init(entry: entry, range: match.range, groups: match.groups)
        }

        init(entry: Int, range: Range<Int>, groups: [Range<Int>?]) {
            self.entry = entry
            self.range = range
            self.groups = groups
        }
    }

    let shards: [Pattern]
    /// For a set whose phrases start at word boundaries, each shard split by beginnings. Empty
    /// when any shard's beginnings cannot be worked out: the shards then scan every position.
    let startIndexes: [StartIndex]
    public var maxCaptures: Int { shards.map(\.captureCount).max() ?? 0 }
    /// The word-start keys this set is tried at.
    var startKeys: KeySet { startIndexes.reduce(KeySet()) { $0.union($1.keys) } }

    /// - Parameters:
    ///   - alternatives: (entry index, pattern source) pairs; an entry may have several.
    ///   - prefix, suffix: wrapped around each shard's alternation (word boundaries, line starts).
    ///   - wordStarts: every match begins where `WordStarts` has a position (the prefix rejects a
    ///     letter or digit before it), so the set may be scanned at those positions only.
    init(alternatives: [(entry: Int, source: String)], prefix: String, suffix: String,
         options: Pattern.Options = [.caseless], shardBytes: Int = 6_000, wordStarts: Bool = false) throws(PCRE2Error) {
        var shards: [Pattern] = []
        var indexes: [StartIndex]? = wordStarts ? [] : nil
        guard !alternatives.isEmpty else { self.shards = []; startIndexes = []; return }
        var current: [String] = []
        var marked: [(source: String, mark: String)] = []
        var size = 0
        func flush() throws(PCRE2Error) {
            guard !current.isEmpty else { return }
            let source = prefix + "(?:" + current.joined(separator: "|") + ")" + suffix
            shards.append(try Pattern(source, options: options))
            if indexes != nil {
                if let index = try StartIndex(alternatives: marked, prefix: prefix, suffix: suffix, options: options) {
                    indexes?.append(index)
                } else {
                    indexes = nil
                }
            }
            current = []
            marked = []
            size = 0
        }
        // PCRE2 takes the first alternative that matches at a position, so at one start only one
        // entry is found. Longer sources are usually the more specific phrases ("no evidence of"
        // over "no", "no change" over "no"), so they are tried first.
        let ordered = alternatives.enumerated().sorted {
            ($0.element.source.utf8.count, -$0.offset) > ($1.element.source.utf8.count, -$1.offset)
        }.map(\.element)
        for alternative in ordered {
            let mark = "(*:\(alternative.entry))"
            let piece = "(?:\(alternative.source))" + mark
            if size + piece.utf8.count > shardBytes { try flush() }
            current.append(piece)
            marked.append((alternative.source, mark))
            size += piece.utf8.count
        }
        try flush()
        self.shards = shards
        startIndexes = indexes ?? []
    }

    /// Every hit in `subject`, sorted by start then entry. Matches may overlap: a search restarts
    /// one character after each match start, so an entry is not hidden by a longer neighbour.
    ///
    /// With `starts`, the note's word starts, a set built with `wordStarts` tries at each start
    /// only the group of alternatives that could begin there: the same hits, as a match found by
    /// a restarting search is the match tried at its own start.
    func hits(in subject: UnsafeBufferPointer<UInt8>, using matcher: Matcher, starts: WordStarts? = nil) throws(PCRE2Error) -> [Hit] {
        var hits: [Hit] = []
        func add(_ match: Match) {
            if let hit = Hit(match) { hits.append(hit) }
        }
        if let starts, !startIndexes.isEmpty {
            for index in startIndexes {
                for (position, key) in zip(starts.positions, starts.keys) {
                    guard let group = index.group(for: key) else { continue }
                    if let match = try matcher.firstMatch(group, in: subject, from: position) { add(match) }
                }
            }
        } else {
            for shard in shards {
                for match in try matcher.allMatches(shard, in: subject, overlapping: true) { add(match) }
            }
        }
        Self.order(&hits)
        return hits
    }

    static func order(_ hits: inout [Hit]) {
        hits.sort { ($0.range.lowerBound, $0.entry, $0.range.upperBound) < ($1.range.lowerBound, $1.entry, $1.range.upperBound) }
    }
}

/// Word-boundary wrapping used for every lexicon phrase: ASCII letters and digits on either side
/// of a phrase mean it is part of another word.
enum PatternWrapping {
    static let phrasePrefix = "(?<![A-Za-z0-9])"
    static let phraseSuffix = "(?![A-Za-z0-9])"

    static func phrase(_ source: String) -> String { phrasePrefix + "(?:" + source + ")" + phraseSuffix }

    /// Bytes PCRE2 counts before the author's pattern in `phrase(_:)`, to report error offsets
    /// in the pattern as written.
    static var phraseOffset: Int { (phrasePrefix + "(?:").utf8.count }
}
