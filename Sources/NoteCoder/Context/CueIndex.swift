/// The cues of one note, arranged once so that reading a mention's context costs what its own
/// neighbourhood holds, not what its sentence holds: a long run of cue words with mentions
/// among them would otherwise make every mention look at every cue, count the words to each,
/// and look again for terminators in between.
struct CueIndex {
    /// Offsets where a word begins (a word byte after a non-word byte), in order: the words
    /// between two offsets are counted by two binary searches instead of a walk over the bytes.
    let wordStarts: [Int]
    let sentences: [SentenceCues]
    /// Sections holding a performed cue: a plan section that narrates today's procedure.
    let narratingSections: Set<Int>
    /// What the context rules ask of each lexicon cue, by cue index: read once per note rather
    /// than copied out of the lexicon for every cue and mention.
    let traits: [CueTraits]

    /// - Parameter traits: `CueTraits.table(lexicon)`, made once by the engine, not once a note.
    init(document: Document, scan: Scan, lexicon: Lexicon, traits: [CueTraits]? = nil) {
        wordStarts = document.bytes.withUnsafeBufferPointer { bytes in
            var starts: [Int] = []
            starts.reserveCapacity(bytes.count / 4)
            var inWord = false
            for i in bytes.indices {
                let isWord = Self.isWordByte(bytes[i])
                if isWord && !inWord { starts.append(i) }
                inWord = isWord
            }
            return starts
        }
        // Most sentences hold no cue: they share one empty entry rather than each building its own.
        let none = SentenceCues(hits: [], scan: scan, lexicon: lexicon)
        sentences = scan.cuesBySentence.map { $0.isEmpty ? none : SentenceCues(hits: $0, scan: scan, lexicon: lexicon) }
        var narrating: Set<Int> = []
        for hit in scan.cues where lexicon.cues[hit.cue].category == .performed {
            narrating.insert(document.sentences[hit.sentence].section)
        }
        narratingSections = narrating
        self.traits = traits ?? CueTraits.table(lexicon)
    }

    /// Commas separate words as spaces do ("no fever,chills" is three words).
    static func isWordByte(_ byte: UInt8) -> Bool { byte > 0x20 && byte != 0x2C }

    /// The words that begin in `start..<end`, counting a word already begun at `start` as one.
    func words(from start: Int, to end: Int, bytes: [UInt8]) -> Int {
        guard start < end else { return 0 }
        let first = Self.isWordByte(bytes[start]) ? 1 : 0
        return first + Self.firstIndex(in: wordStarts, atLeast: end) - Self.firstIndex(in: wordStarts, atLeast: start + 1)
    }

    /// The index of the first element for which `isPast` holds, in an array where it holds for
    /// a suffix (none, some or all of it).
    static func firstPosition<C: RandomAccessCollection>(in positions: C, where isPast: (C.Element) -> Bool) -> C.Index {
        var low = positions.startIndex, high = positions.endIndex
        while low < high {
            let mid = positions.index(low, offsetBy: positions.distance(from: low, to: high) / 2)
            if isPast(positions[mid]) { high = mid } else { low = positions.index(after: mid) }
        }
        return low
    }

    /// The index of the first element not less than `value` in an ascending array.
    static func firstIndex(in sorted: [Int], atLeast value: Int) -> Int {
        firstPosition(in: sorted) { $0 >= value }
    }
}

/// One sentence's cues, sorted by where they can reach a mention from.
struct SentenceCues {
    /// Cues that can assert something (not pseudo, not terminators, not cancelled by a pseudo
    /// cue over them), as indices into `Scan.cues`, in the sentence's order: the order in
    /// which a mention's assertions are listed, so the first of a category stays the first.
    let hits: [Int]
    /// Positions in `hits` of the cues that reach forward with a word window, by end offset.
    let forwardWindowed: [Int]
    /// Positions in `hits` of the cues that reach forward to the sentence end, by end offset.
    let forwardToEnd: [Int]
    /// Positions in `hits` of the cues that reach backward with a word window, by start offset.
    let backwardWindowed: [Int]
    /// Positions in `hits` of the cues that reach backward to the sentence start, by start offset.
    let backwardToStart: [Int]
    let widestForward: Int
    let widestBackward: Int
    /// The terminators that stop each category (by `AssertionCategory.ordinal`), indexed once
    /// for the whole sentence.
    let terminators: [Terminators?]

    init(hits all: [Int], scan: Scan, lexicon: Lexicon) {
        var pseudo: [Range<Int>] = []
        var stopping: [AssertionCategory: [Range<Int>]] = [:]
        for index in all {
            let hit = scan.cues[index]
            let cue = lexicon.cues[hit.cue]
            if cue.category == .pseudo { pseudo.append(hit.range) }
            if cue.category == .terminate {
                for category in cue.stops { stopping[category, default: []].append(hit.range) }
            }
        }
        var terminators = [Terminators?](repeating: nil, count: AssertionCategory.allCases.count)
        for (category, ranges) in stopping { terminators[category.ordinal] = Terminators(ranges) }
        self.terminators = terminators
        let cancelling = Overlaps(pseudo)
        hits = all.filter { index in
            let hit = scan.cues[index]
            let category = lexicon.cues[hit.cue].category
            // A pseudo cue cancels the cues it overlaps, but not a longer cue that holds its
            // words: "has not responded" keeps "not" from denying, while "has not responded to
            // conservative treatment including ESIs" still tells a treatment given before.
            return category != .pseudo && category != .terminate && !cancelling.overlapsBeyond(hit.range)
        }
        var forwardWindowed: [Int] = [], forwardToEnd: [Int] = [], backwardWindowed: [Int] = [], backwardToStart: [Int] = []
        var widestForward = 0, widestBackward = 0
        func place(_ position: Int, window: Int?, windowed: inout [Int], whole: inout [Int], widest: inout Int) {
            guard let window else { return whole.append(position) }
            windowed.append(position)
            widest = max(widest, window)
        }
        for (position, index) in hits.enumerated() {
            let cue = lexicon.cues[scan.cues[index].cue]
            if cue.direction != .backward {
                place(position, window: cue.window, windowed: &forwardWindowed, whole: &forwardToEnd, widest: &widestForward)
            }
            if cue.direction != .forward {
                place(position, window: cue.window, windowed: &backwardWindowed, whole: &backwardToStart, widest: &widestBackward)
            }
        }
        let hits = hits
        func end(_ position: Int) -> Int { scan.cues[hits[position]].range.upperBound }
        func start(_ position: Int) -> Int { scan.cues[hits[position]].range.lowerBound }
        // Stable sorts: cues ending at the same offset keep the sentence's order.
        self.forwardWindowed = forwardWindowed.sortedStably(by: end)
        self.forwardToEnd = forwardToEnd.sortedStably(by: end)
        self.backwardWindowed = backwardWindowed.sortedStably(by: start)
        self.backwardToStart = backwardToStart.sortedStably(by: start)
        self.widestForward = widestForward
        self.widestBackward = widestBackward
    }
}

/// A lexicon cue as the context rules read it.
struct CueTraits {
    /// The category the cue asserts; nil for performed cues (and pseudo cues and terminators,
    /// which assert nothing).
    let asserts: AssertionCategory?
    let performed: Bool
    /// The most words between cue and mention; `Int.max` for a cue that reaches the sentence end.
    let window: Int
    let reachesConditions: Bool
    let reachesProcedures: Bool
    /// A plan or past cue that gives way to a nearer performed cue.
    let yields: Bool
    let outranksSection: Bool

    init(_ cue: CueDefinition) {
        asserts = AssertionCategory(rawValue: cue.category.rawValue)
        performed = cue.category == .performed
        window = cue.window ?? .max
        reachesConditions = cue.appliesTo.contains(.condition)
        reachesProcedures = cue.appliesTo.contains(.procedure)
        yields = (asserts == .planned || asserts == .historical) && cue.yieldsToPerformed
        outranksSection = cue.outranksSection
    }

    static func table(_ lexicon: Lexicon) -> [CueTraits] { lexicon.cues.map(CueTraits.init) }

    func appliesTo(_ kind: ConceptKind) -> Bool {
        switch kind {
        case .condition: reachesConditions
        case .procedure: reachesProcedures
        }
    }
}

extension AssertionCategory {
    /// A small number of its own, for tables indexed by category.
    var ordinal: Int {
        switch self {
        case .negated: 0
        case .uncertain: 1
        case .planned: 2
        case .historical: 3
        case .other: 4
        case .bundled: 5
        }
    }
}

/// Terminator ranges of one category, sorted by start, with the smallest end from each one on:
/// whether one lies wholly inside a stretch is then one binary search.
struct Terminators {
    let starts: [Int]
    let smallestEndFrom: [Int]

    init(_ ranges: [Range<Int>]) {
        let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
        starts = sorted.map(\.lowerBound)
        var ends = sorted.map(\.upperBound)
        if ends.count > 1 {
            for i in stride(from: ends.count - 2, through: 0, by: -1) { ends[i] = min(ends[i], ends[i + 1]) }
        }
        smallestEndFrom = ends
    }

    /// Whether a terminator starts at or after `start` and ends at or before `end`.
    func any(within start: Int, _ end: Int) -> Bool {
        let first = CueIndex.firstIndex(in: starts, atLeast: start)
        return first < starts.count && smallestEndFrom[first] <= end
    }
}

/// Which cues a set of ranges (the pseudo cues of a sentence) cancels, by binary search:
/// `Range.overlaps` over every pair would make a sentence full of pseudo cues quadratic.
struct Overlaps {
    /// Non-empty ranges sorted by start, their ends, and the largest end among each prefix.
    let starts: [Int]
    let ends: [Int]
    let largestEndUpTo: [Int]

    init(_ ranges: [Range<Int>]) {
        let sorted = ranges.filter { !$0.isEmpty }.sorted { $0.lowerBound < $1.lowerBound }
        starts = sorted.map(\.lowerBound)
        ends = sorted.map(\.upperBound)
        var largest = ends
        for i in largest.indices.dropFirst() { largest[i] = max(largest[i], largest[i - 1]) }
        largestEndUpTo = largest
    }

    /// Whether a range overlaps `range` without lying strictly inside it: a pseudo cue held
    /// whole by a longer cue does not cancel that cue. Only the ranges that overlap are visited.
    func overlapsBeyond(_ range: Range<Int>) -> Bool {
        guard !range.isEmpty else { return false }
        var index = CueIndex.firstIndex(in: starts, atLeast: range.upperBound) - 1
        while index >= 0, largestEndUpTo[index] > range.lowerBound {
            let inside = starts[index] >= range.lowerBound && ends[index] <= range.upperBound
                && (starts[index], ends[index]) != (range.lowerBound, range.upperBound)
            if ends[index] > range.lowerBound && !inside { return true }
            index -= 1
        }
        return false
    }
}

extension Array where Element == Int {
    /// Sorted by a key, equal keys in their present order (the standard sort promises no order
    /// among equal elements).
    func sortedStably(by key: (Int) -> Int) -> [Int] {
        enumerated().map { (key: key($0.element), offset: $0.offset, element: $0.element) }
            .sorted { ($0.key, $0.offset) < ($1.key, $1.offset) }
            .map(\.element)
    }
}
