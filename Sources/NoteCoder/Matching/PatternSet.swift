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
    /// The shards compiled anchored, for a set whose matches can only begin at positions its
    /// caller can list (`hits(in:using:at:)`); empty otherwise.
    let anchoredShards: [Pattern]
    public var maxCaptures: Int { shards.map(\.captureCount).max() ?? 0 }
    /// Whether matches can only begin at word starts, so the set can be tried at `WordStarts`.
    let beginsAtWordStarts: Bool
    /// The word-start keys this set is tried at.
    var startKeys: KeySet { beginsAtWordStarts ? startIndexes.reduce(KeySet()) { $0.union($1.keys) } : KeySet() }

    /// - Parameters:
    ///   - alternatives: (entry index, pattern source) pairs; an entry may have several.
    ///   - prefix, suffix: wrapped around each shard's alternation (word boundaries, line starts).
    ///   - wordStarts: every match begins where `WordStarts` has a position (the prefix rejects a
    ///     letter or digit before it), so the set may be scanned at those positions only.
    ///   - indexed: build start indexes for a set whose matches may begin anywhere; it is then
    ///     tried at every position whose first bytes some branch can begin with.
    ///   - anchored: also compile each shard anchored, for `hits(in:using:at:)`.
    init(alternatives: [(entry: Int, source: String)], prefix: String, suffix: String,
         options: Pattern.Options = [.caseless], shardBytes: Int = 6_000, wordStarts: Bool = false,
         indexed: Bool = false, anchored: Bool = false) throws(PCRE2Error) {
        beginsAtWordStarts = wordStarts
        var shards: [Pattern] = []
        var anchoredShards: [Pattern] = []
        var indexes: [StartIndex]? = wordStarts || indexed ? [] : nil
        guard !alternatives.isEmpty else { self.shards = []; startIndexes = []; self.anchoredShards = []; return }
        var current: [String] = []
        var marked: [(source: String, mark: String)] = []
        var size = 0
        func flush() throws(PCRE2Error) {
            guard !current.isEmpty else { return }
            let source = prefix + "(?:" + current.joined(separator: "|") + ")" + suffix
            shards.append(try Pattern(source, options: options))
            if anchored { anchoredShards.append(try Pattern(source, options: options.union([.anchored, .noStartOptimize]))) }
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
            // An entry that ends its match early with `(*ACCEPT)` skips the mark after it, so the
            // accept names its entry itself (a heading ended by two spaces, not by a colon).
            let source = alternative.source.replacingOccurrences(of: "(*ACCEPT)", with: "(*ACCEPT:\(alternative.entry))")
            let piece = "(?:\(source))" + mark
            if size + piece.utf8.count > shardBytes { try flush() }
            current.append(piece)
            marked.append((source, mark))
            size += piece.utf8.count
        }
        try flush()
        self.shards = shards
        startIndexes = indexes ?? []
        self.anchoredShards = anchoredShards
    }

    /// Every hit in `subject`, sorted by start then entry. Matches may overlap: a search restarts
    /// one character after each match start, so an entry is not hidden by a longer neighbour.
    ///
    /// A set built `indexed` tries at each position only the group of alternatives that could
    /// begin there: the same hits, as a match found by a restarting search is the match tried at
    /// its own start. A set built with `wordStarts` is tried at word starts by a `JointScan`.
    func hits(in subject: UnsafeBufferPointer<UInt8>, using matcher: Matcher) throws(PCRE2Error) -> [Hit] {
        var hits: [Hit] = []
        func add(_ match: Match) {
            if let hit = Hit(match) { hits.append(hit) }
        }
        if !beginsAtWordStarts, !startIndexes.isEmpty {
            for position in 0..<subject.count where subject[position] & 0xC0 != 0x80 {
                let key = WordStarts.key(at: position, in: subject)
                for index in startIndexes {
                    guard let group = index.group(for: UInt16(key)) else { continue }
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

    /// Every hit beginning at one of `candidates` (ascending), the same as `hits(in:using:)` gives
    /// when every match must begin at one of them. Needs a set built `anchored`.
    func hits(in subject: UnsafeBufferPointer<UInt8>, using matcher: Matcher, at candidates: [Int]) throws(PCRE2Error) -> [Hit] {
        precondition(anchoredShards.count == shards.count, "PatternSet built without anchored shards")
        var hits: [Hit] = []
        for shard in anchoredShards {
            for position in candidates {
                if let match = try matcher.firstMatch(shard, in: subject, from: position), let hit = Hit(match) { hits.append(hit) }
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
