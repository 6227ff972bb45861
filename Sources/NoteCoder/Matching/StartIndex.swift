import PCRE2

/// One shard of a pattern set split by the beginnings its alternatives can have, so a scan tries,
/// at each position, only the few alternatives that could match there.
///
/// PCRE2 has no multi-pattern prefilter: a lexicon alternation tried at every word start costs
/// hundreds of nanoseconds each time. The beginnings are not guessed from the pattern text: each
/// alternative is probed with PCRE2's own hard partial matching, one and two ASCII bytes at a
/// time, so they include case-sensitive parts, optional words and classes. Non-ASCII beginnings
/// are always tried.
///
/// The branches that can begin with a given pair of bytes, in shard order, form one anchored
/// pattern (a group). Where a note's word start has that pair, no other branch could match, and
/// PCRE2 takes the first of the group's branches that matches, as it would in the whole shard:
/// the hits are exactly the shard's, with the same capture numbers.
struct StartIndex: Sendable {
    /// Anchored patterns, one per group, and last the whole shard.
    let groups: [Pattern]
    /// For each `WordStarts` key, 1 + the group that can begin with it, or 0.
    private let groupByKey: [UInt16]
    /// For keys of two ASCII letters: the third bytes a match can go on with.
    private let thirdBytes: [Int: ThirdBytes]

    /// Nil when probing cannot be trusted for one of the alternatives (`PatternSyntax.isProbeSafe`,
    /// or a pattern that may match the empty string, which begins anywhere) or when there are
    /// too many groups to number.
    ///
    /// - Parameter alternatives: each alternative's source and the mark naming its entry, in
    ///   shard order. A source's own top-level branches are grouped one by one.
    init?(alternatives: [(source: String, mark: String)], prefix: String, suffix: String,
          options: Pattern.Options) throws(PCRE2Error) {
        guard alternatives.allSatisfy({ PatternSyntax.isProbeSafe($0.source) }) else { return nil }
        let whole = alternatives.map { "(?:\($0.source))" + $0.mark }
        var branches: [(source: String, piece: String)] = []
        for alternative in alternatives {
            for branch in TopLevelBranches.split(alternative.source) ?? [alternative.source] {
                branches.append((branch, "(?:\(branch))" + alternative.mark))
            }
        }
        var keysByBranch: [[Int]] = []
        var capturesByBranch: [Int] = []
        for branch in branches {
            guard let (keys, captures) = Self.beginnings(of: branch.source, options: options) else { return nil }
            keysByBranch.append(keys)
            capturesByBranch.append(captures)
        }
        // A group keeps the shard's capture numbers: a branch left out that has capturing groups
        // stands in the group as a branch that never matches, with as many empty captures.
        func group(of members: [Int]) -> [String] {
            let kept = Set(members)
            return branches.indices.compactMap { branch in
                if kept.contains(branch) { return branches[branch].piece }
                return capturesByBranch[branch] > 0 ? "(?:(?!)" + String(repeating: "()", count: capturesByBranch[branch]) + ")" : nil
            }
        }
        // Each two-ASCII-byte beginning gets a pattern of exactly the branches that can begin
        // with it, in shard order; beginnings with the same branches share it. Other beginnings
        // (a non-ASCII character, the note's last byte) are rare: there the whole shard is tried.
        var branchesByKey = [[Int]](repeating: [], count: WordStarts.keyCount)
        var wholeShardKeys = Set<Int>()
        for (branch, keys) in keysByBranch.enumerated() {
            for key in keys {
                if WordStarts.isASCIIPair(key) { branchesByKey[key].append(branch) } else { wholeShardKeys.insert(key) }
            }
        }
        var groupOfBranches: [[Int]: Int] = [:]
        var members: [[String]] = []
        var groupByKey = [UInt16](repeating: 0, count: WordStarts.keyCount)
        for key in branchesByKey.indices where !branchesByKey[key].isEmpty {
            let group = groupOfBranches[branchesByKey[key]] ?? {
                groupOfBranches[branchesByKey[key]] = members.count
                members.append(group(of: branchesByKey[key]))
                return members.count - 1
            }()
            groupByKey[key] = UInt16(truncatingIfNeeded: group + 1)
        }
        members.append(whole)
        guard members.count < Int(UInt16.max) else { return nil }
        for key in wholeShardKeys { groupByKey[key] = UInt16(members.count) }
        var groups: [Pattern] = []
        for pieces in members {
            groups.append(try Pattern(prefix + "(?:" + pieces.joined(separator: "|") + ")" + suffix,
                                      options: options.union([.anchored, .noStartOptimize])))
        }
        self.groups = groups
        self.groupByKey = groupByKey
        thirdBytes = Self.thirdBytes(branchesByKey: branchesByKey, sources: branches.map(\.source), options: options)
    }

    /// Every key some group begins with.
    var keys: KeySet { KeySet(groupByKey.indices.lazy.filter { groupByKey[$0] != 0 }) }

    /// The group to try at a word start with this key, if any.
    @inline(__always) func group(for key: UInt16) -> Pattern? {
        let slot = Int(groupByKey[Int(key)])
        return slot == 0 ? nil : groups[slot - 1]
    }

    /// The third bytes that can follow a word start with this key.
    func third(for key: Int) -> ThirdBytes { thirdBytes[key] ?? .any }

    /// Two letters begin most words, so most word starts a group is tried at are words that
    /// share its first two letters ("the" for "thoracic"): the third letter rules them out
    /// before PCRE2 is called. Worked out for letter pairs by probing the group's branches with
    /// each letter and the space; other third bytes are always tried.
    private static func thirdBytes(branchesByKey: [[Int]], sources: [String], options: Pattern.Options) -> [Int: ThirdBytes] {
        func isLetter(_ byte: Int) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
        let foldable = sources.map(PatternSyntax.isCaseFoldable)
        var result: [Int: ThirdBytes] = [:]
        var known: [[Int]: ThirdBytes] = [:]
        var probes: [[Int]: Pattern] = [:]
        var matcher = Matcher(matchLimit: 100_000, maxCaptures: 8, jit: false)
        var capacity = 8
        let lower = Array(UInt8(ascii: "a")...UInt8(ascii: "z"))
        let upper = Array(UInt8(ascii: "A")...UInt8(ascii: "Z"))
        for key in branchesByKey.indices where isLetter(key >> 8) && isLetter(key & 0xFF) {
            let branches = branchesByKey[key]
            guard !branches.isEmpty else { continue }
            // Where case cannot matter, one probe per letter serves both cases and every case
            // of the key; otherwise the key's own bytes are probed with both cases.
            let folds = options.contains(.caseless) && branches.allSatisfy { foldable[$0] }
            let first = UInt8(key >> 8) | (folds ? 0x20 : 0), second = UInt8(key & 0xFF) | (folds ? 0x20 : 0)
            let cacheKey = branches + [Int(first), Int(second)]
            if let allowed = known[cacheKey] { result[key] = allowed; continue }
            guard let probe = probes[branches] ?? (try? Pattern("(?:" + branches.map { "(?:\(sources[$0]))" }.joined(separator: "|") + ")",
                                                                options: options.union(.anchored), jit: false)) else { continue }
            probes[branches] = probe
            if probe.captureCount > capacity {
                capacity = probe.captureCount
                matcher = Matcher(matchLimit: 100_000, maxCaptures: capacity, jit: false)
            }
            var allowed = ThirdBytes.any
            for third in lower + (folds ? [] : upper) + [UInt8(ascii: " ")]
            where ((try? matcher.fit(of: [first, second, third], to: probe)) ?? .prefix) == .none {
                allowed.remove(third)
                if folds && third != UInt8(ascii: " ") { allowed.remove(third & ~0x20) }
            }
            known[cacheKey] = allowed
            result[key] = allowed
        }
        return result
    }

    /// Every `WordStarts` key a match of `source` can begin with, or nil when it cannot be probed.
    private static func beginnings(of source: String, options: Pattern.Options) -> (keys: [Int], captures: Int)? {
        guard let probe = try? Pattern(source, options: options.union(.anchored), jit: false) else { return nil }
        let matcher = Matcher(matchLimit: 100_000, maxCaptures: probe.captureCount, jit: false)
        // A probe stopped by the match limit allows the bytes: the index may only over-include.
        func fit(_ prefix: [UInt8]) -> Matcher.PrefixFit { (try? matcher.fit(of: prefix, to: probe)) ?? .prefix }
        if probe.minimumLength == 0 { return nil }
        var keys: [Int] = [WordStarts.wideKey]
        for first in UInt8(0)..<0x80 {
            let alone = fit([first])
            if alone == .none { continue }
            keys.append(WordStarts.key(lastByte: first))
            for second in 0..<256 where alone == .match || second >= 0x80 || fit([first, UInt8(second)]) != .none {
                keys.append(WordStarts.key(first: first, second: UInt8(second)))
            }
        }
        return (keys, probe.captureCount)
    }
}

/// The ASCII bytes allowed third in a match; bytes beyond ASCII are always allowed.
struct ThirdBytes: Sendable {
    var low: UInt64
    var high: UInt64

    static let any = ThirdBytes(low: ~0, high: ~0)

    mutating func remove(_ byte: UInt8) {
        if byte < 64 { low &= ~(1 << UInt64(byte)) } else { high &= ~(1 << UInt64(byte - 64)) }
    }

    @inline(__always) func allows(_ byte: UInt8) -> Bool {
        if byte >= 0x80 { return true }
        return (byte < 64 ? low >> UInt64(byte) : high >> UInt64(byte - 64)) & 1 != 0
    }
}
