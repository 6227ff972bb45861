public import PCRE2

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
    }

    let shards: [Pattern]
    public var maxCaptures: Int { shards.map(\.captureCount).max() ?? 0 }

    /// - Parameters:
    ///   - alternatives: (entry index, pattern source) pairs; an entry may have several.
    ///   - prefix, suffix: wrapped around each shard's alternation (word boundaries, line starts).
    init(alternatives: [(entry: Int, source: String)], prefix: String, suffix: String,
         options: Pattern.Options = [.caseless], shardBytes: Int = 6_000) throws(PCRE2Error) {
        var shards: [Pattern] = []
        guard !alternatives.isEmpty else { self.shards = []; return }
        var current: [String] = []
        var size = 0
        func flush() throws(PCRE2Error) {
            guard !current.isEmpty else { return }
            shards.append(try Pattern(prefix + "(?:" + current.joined(separator: "|") + ")" + suffix, options: options))
            current = []
            size = 0
        }
        // PCRE2 takes the first alternative that matches at a position, so at one start only one
        // entry is found. Longer sources are usually the more specific phrases ("no evidence of"
        // over "no", "no change" over "no"), so they are tried first.
        let ordered = alternatives.enumerated().sorted {
            ($0.element.source.utf8.count, -$0.offset) > ($1.element.source.utf8.count, -$1.offset)
        }.map(\.element)
        for alternative in ordered {
            let piece = "(?:\(alternative.source))(*:\(alternative.entry))"
            if size + piece.utf8.count > shardBytes { try flush() }
            current.append(piece)
            size += piece.utf8.count
        }
        try flush()
        self.shards = shards
    }

    /// Every hit in `subject`, sorted by start then entry. Matches may overlap: a search restarts
    /// one character after each match start, so an entry is not hidden by a longer neighbour.
    public func hits(in subject: UnsafeBufferPointer<UInt8>, using matcher: Matcher) throws(PCRE2Error) -> [Hit] {
        var hits: [Hit] = []
        for shard in shards {
            for match in try matcher.allMatches(shard, in: subject, overlapping: true) {
                guard let mark = match.mark, let entry = Int(mark) else { continue }
                hits.append(Hit(entry: entry, range: match.range, groups: match.groups))
            }
        }
        hits.sort { ($0.range.lowerBound, $0.entry, $0.range.upperBound) < ($1.range.lowerBound, $1.entry, $1.range.upperBound) }
        return hits
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
