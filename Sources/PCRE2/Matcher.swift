internal import CPCRE2

/// One successful match: byte ranges into the subject, and the `(*MARK)` name if the pattern set one.
public struct Match: Sendable, Equatable {
    /// Range of the whole match.
    public var range: Range<Int>
    /// Ranges of capturing groups 1...n; nil where a group did not take part.
    public var groups: [Range<Int>?]
    /// The last `(*MARK:NAME)` passed on the matching path.
    public var mark: String?
}

/// Per-thread matching state: match data, a match context carrying the match limit, a JIT stack.
///
/// PCRE2 requires each thread to have its own match data and JIT stack, so `Matcher` is
/// deliberately not `Sendable`: the compiler keeps it from crossing threads. Create one per worker
/// and reuse it across notes.
public final class Matcher {
    private let matchData: OpaquePointer
    private let context: OpaquePointer
    private let jitStack: OpaquePointer?
    private let ovectorPairs: Int

    /// - Parameters:
    ///   - matchLimit: PCRE2's backtracking budget per match call; the JIT honours it, so a
    ///     pathological pattern fails that one match with `PCRE2Error.isMatchLimit` instead of hanging.
    ///   - maxCaptures: the largest capture count among the patterns this matcher will run.
    ///   - jit: false for a matcher that only runs patterns compiled without JIT (probes), which
    ///     then needs no JIT stack.
    public init(matchLimit: UInt32 = 1_000_000, maxCaptures: Int = 32, jit: Bool = true) {
        ovectorPairs = maxCaptures + 1
        matchData = pcre2_match_data_create_8(UInt32(ovectorPairs), nil)!
        context = pcre2_match_context_create_8(nil)!
        pcre2_set_match_limit_8(context, matchLimit)
        jitStack = jit ? pcre2_jit_stack_create_8(32 * 1024, 1024 * 1024, nil) : nil
        if let jitStack { pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(jitStack)) }
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        pcre2_match_context_free_8(context)
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
    }

    /// The first match of `pattern` in `subject` starting at byte `offset`, or nil.
    ///
    /// `subject` must be valid UTF-8 (checked once per note by the caller): no check is repeated here.
    public func firstMatch(
        _ pattern: Pattern, in subject: UnsafeBufferPointer<UInt8>, from offset: Int = 0
    ) throws(PCRE2Error) -> Match? {
        precondition(pattern.captureCount < ovectorPairs, "Matcher sized for fewer captures than the pattern has")
        guard offset <= subject.count else { return nil }
        let base = subject.baseAddress ?? UnsafePointer(bitPattern: 1)!
        let rc: Int32
        if pattern.isJITCompiled {
            rc = pcre2_jit_match_8(pattern.code, base, subject.count, offset, 0, matchData, context)
        } else {
            rc = pcre2_match_8(pattern.code, base, subject.count, offset, PCRE2_NO_UTF_CHECK, matchData, context)
        }
        if rc == PCRE2_ERROR_NOMATCH { return nil }
        if rc < 0 { throw PCRE2Error(code: rc) }
        let ovector = pcre2_get_ovector_pointer_8(matchData)!
        let whole = Int(ovector[0])..<Int(ovector[1])
        var groups: [Range<Int>?] = []
        if pattern.captureCount > 0 {
            groups.reserveCapacity(pattern.captureCount)
            for group in 1...pattern.captureCount {
                let start = ovector[2 * group], end = ovector[2 * group + 1]
                // PCRE2_UNSET is all ones, which imports as a huge unsigned value.
                if start == ~0 || end == ~0 { groups.append(nil) } else { groups.append(Int(start)..<Int(end)) }
            }
        }
        var mark: String? = nil
        if let markPointer = pcre2_get_mark_8(matchData) {
            mark = String(cString: markPointer)
        }
        return Match(range: whole, groups: groups, mark: mark)
    }

    /// How a short subject relates to `pattern`'s matches, for working out which bytes a match can
    /// start with: `.none` means no match can begin with these bytes.
    public enum PrefixFit: Sendable { case none, prefix, match }

    /// Whether `prefix` can be the start of a match of `pattern` at offset 0, found with
    /// PCRE2's hard partial matching (the interpreter runs; partial matching is not JIT-compiled).
    ///
    /// `prefix` must be valid UTF-8.
    public func fit(of prefix: [UInt8], to pattern: Pattern) throws(PCRE2Error) -> PrefixFit {
        precondition(pattern.captureCount < ovectorPairs, "Matcher sized for fewer captures than the pattern has")
        let rc = prefix.withUnsafeBufferPointer { buffer in
            pcre2_match_8(pattern.code, buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!, buffer.count, 0,
                          PCRE2_NO_UTF_CHECK | PCRE2_PARTIAL_HARD, matchData, context)
        }
        if rc == PCRE2_ERROR_NOMATCH { return .none }
        if rc == PCRE2_ERROR_PARTIAL { return .prefix }
        if rc < 0 { throw PCRE2Error(code: rc) }
        return .match
    }

    /// Every match of `pattern` in `subject`, scanning left to right.
    ///
    /// With `overlapping`, the next search starts one character after the previous match's start
    /// rather than at its end, so that a short alternative is still found inside a longer one
    /// belonging to another lexicon entry.
    public func allMatches(
        _ pattern: Pattern, in subject: UnsafeBufferPointer<UInt8>, overlapping: Bool = false
    ) throws(PCRE2Error) -> [Match] {
        var results: [Match] = []
        var offset = 0
        while offset <= subject.count, let match = try firstMatch(pattern, in: subject, from: offset) {
            results.append(match)
            if overlapping || match.range.isEmpty {
                offset = Matcher.nextCharacter(after: match.range.lowerBound, in: subject)
            } else {
                offset = match.range.upperBound
            }
        }
        return results
    }

    /// The byte offset of the next UTF-8 character, so a restart never lands inside a character.
    static func nextCharacter(after offset: Int, in subject: UnsafeBufferPointer<UInt8>) -> Int {
        var next = offset + 1
        while next < subject.count, subject[next] & 0xC0 == 0x80 { next += 1 }
        return next
    }
}
