import PCRE2

/// Several pattern sets scanned together in one pass over a note's word starts.
///
/// Scanning each indexed set on its own walks every word start once per set; with twenty sets
/// the walk costs more than the matching. Here each key lists, across all the sets, the groups
/// that can begin with it, so a word start nothing can begin with is passed over once, and a
/// group whose branches cannot go on with the word's third byte is not called.
struct JointScan: Sendable {
    let sets: [PatternSet]
    /// For key k, the groups `patterns[offsets[k]..<offsets[k + 1]]` are run, for the sets
    /// `owners[...]` of the same slots, in set order.
    private let offsets: [Int32]
    private let patterns: [Pattern]
    private let owners: [Int]
    private let thirds: [ThirdBytes]

    init(sets: [PatternSet]) {
        self.sets = sets
        let keys = sets.reduce(KeySet()) { $0.union($1.startKeys) }
        var offsets: [Int32] = [0]
        var patterns: [Pattern] = []
        var owners: [Int] = []
        var thirds: [ThirdBytes] = []
        offsets.reserveCapacity(WordStarts.keyCount + 1)
        for key in 0..<WordStarts.keyCount {
            if keys.contains(key) {
                for (number, set) in sets.enumerated() where set.beginsAtWordStarts {
                    for index in set.startIndexes {
                        if let group = index.group(for: UInt16(key)) {
                            patterns.append(group)
                            owners.append(number)
                            thirds.append(index.third(for: key))
                        }
                    }
                }
            }
            offsets.append(Int32(patterns.count))
        }
        self.offsets = offsets
        self.patterns = patterns
        self.owners = owners
        self.thirds = thirds
    }

    /// Each set's hits, as `PatternSet.hits` gives them; sets not tried at word starts are
    /// scanned on their own.
    func hits(in subject: UnsafeBufferPointer<UInt8>, using matcher: Matcher, starts: WordStarts) throws(PCRE2Error) -> [[PatternSet.Hit]] {
        var hits = [[PatternSet.Hit]](repeating: [], count: sets.count)
        for (number, set) in sets.enumerated() where !set.beginsAtWordStarts || set.startIndexes.isEmpty {
            hits[number] = try set.hits(in: subject, using: matcher)
        }
        // Unsafe views: this loop runs at every word start of every note.
        try offsets.withUnsafeBufferPointer { offsets throws(PCRE2Error) in
            try thirds.withUnsafeBufferPointer { thirds throws(PCRE2Error) in
                try patterns.withUnsafeBufferPointer { patterns throws(PCRE2Error) in
                    for (position, key) in zip(starts.positions, starts.keys) {
                        let first = Int(offsets[Int(key)]), end = Int(offsets[Int(key) + 1])
                        guard first < end else { continue }
                        let third = position + 2 < subject.count ? subject[position + 2] : 0x80
                        for slot in first..<end where thirds[slot].allows(third) {
                            if let match = try matcher.firstMatch(patterns[slot], in: subject, from: position),
                               let hit = PatternSet.Hit(match) {
                                hits[owners[slot]].append(hit)
                            }
                        }
                    }
                }
            }
        }
        for number in sets.indices where sets[number].beginsAtWordStarts && !sets[number].startIndexes.isEmpty {
            PatternSet.order(&hits[number])
        }
        return hits
    }
}
