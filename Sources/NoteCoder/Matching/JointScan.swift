import PCRE2

/// Several pattern sets scanned together in one pass over a note's word starts.
///
/// Scanning each indexed set on its own walks every word start once per set; with twenty sets
/// the walk costs more than the matching. Here each key lists, across all the sets, the groups
/// that can begin with it, so a word start nothing can begin with is passed over once.
struct JointScan: Sendable {
    let sets: [PatternSet]
    /// For key k, `tries[offsets[k]..<offsets[k + 1]]` are the groups to run, in set order.
    private let offsets: [Int32]
    private let tries: [(set: Int, pattern: Pattern)]

    init(sets: [PatternSet]) {
        self.sets = sets
        var offsets: [Int32] = [0]
        var tries: [(set: Int, pattern: Pattern)] = []
        offsets.reserveCapacity(WordStarts.keyCount + 1)
        for key in 0..<WordStarts.keyCount {
            for (number, set) in sets.enumerated() {
                for index in set.startIndexes {
                    if let group = index.group(for: UInt16(key)) { tries.append((number, group)) }
                }
            }
            offsets.append(Int32(tries.count))
        }
        self.offsets = offsets
        self.tries = tries
    }

    /// Each set's hits, as `PatternSet.hits` gives them; sets without a start index are
    /// scanned at every position.
    func hits(in subject: UnsafeBufferPointer<UInt8>, using matcher: Matcher, starts: WordStarts) throws(PCRE2Error) -> [[PatternSet.Hit]] {
        var hits = [[PatternSet.Hit]](repeating: [], count: sets.count)
        for (number, set) in sets.enumerated() where set.startIndexes.isEmpty {
            hits[number] = try set.hits(in: subject, using: matcher)
        }
        for (position, key) in zip(starts.positions, starts.keys) {
            let first = Int(offsets[Int(key)]), end = Int(offsets[Int(key) + 1])
            guard first < end else { continue }
            for slot in first..<end {
                let attempt = tries[slot]
                if let match = try matcher.firstMatch(attempt.pattern, in: subject, from: position),
                   let hit = PatternSet.Hit(match) {
                    hits[attempt.set].append(hit)
                }
            }
        }
        for number in sets.indices where !sets[number].startIndexes.isEmpty { PatternSet.order(&hits[number]) }
        return hits
    }
}
