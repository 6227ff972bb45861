import PCRE2
import Testing

/// Runs `body` on the UTF-8 bytes of `text`, as the engine hands notes to PCRE2.
private func withBytes<T>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) throws(PCRE2Error) -> T) throws(PCRE2Error) -> T {
    let bytes = Array(text.utf8)
    return try bytes.withUnsafeBufferPointer { buffer throws(PCRE2Error) in try body(buffer) }
}

private func first(_ pattern: Pattern, in text: String, from offset: Int = 0, matcher: Matcher = Matcher()) throws(PCRE2Error) -> Match? {
    try withBytes(text) { buffer throws(PCRE2Error) in try matcher.firstMatch(pattern, in: buffer, from: offset) }
}

private func all(_ pattern: Pattern, in text: String, overlapping: Bool = false, matcher: Matcher = Matcher()) throws(PCRE2Error) -> [Match] {
    try withBytes(text) { buffer throws(PCRE2Error) in try matcher.allMatches(pattern, in: buffer, overlapping: overlapping) }
}

/// The text a byte range covers, so assertions can say what was matched as well as where.
private func slice(_ text: String, _ range: Range<Int>) -> String {
    String(decoding: Array(text.utf8)[range], as: UTF8.self)
}

@Suite("PCRE2 wrapper: compiling")
struct PCRE2CompileTests {
    @Test(
        "a pattern that does not compile throws PCRE2's message and the offset where it gave up",
        arguments: [
            ("(abc", "missing closing parenthesis", 4),
            ("a{2,1}", "numbers out of order in {} quantifier", 5),
            ("knee|[b-a]", "range out of order in character class", 8),
            ("(?<n>a)(?<n>b)", "two named subpatterns have the same name", 12),
        ])
    func compileError(source: String, message: String, offset: Int) {
        #expect {
            _ = try Pattern(source)
        } throws: { error in
            guard let error = error as? PCRE2Error else { return false }
            return error.code > 0 && error.message.contains(message) && error.patternOffset == offset
                && error.description.contains("at pattern offset \(offset)")
        }
    }

    @Test("a compile error's offset points at the byte where the pattern went wrong, not the start")
    func offsetIsWithinPattern() throws {
        let error = try #require(throws: PCRE2Error.self) { try Pattern("carpal\\s+tunnel(") }
        #expect(error.patternOffset == "carpal\\s+tunnel(".utf8.count)
        #expect(!error.message.isEmpty && !error.message.hasPrefix("PCRE2 error"))
    }

    @Test("the capture count is read from the compiled pattern")
    func captureCount() throws {
        #expect(try Pattern("knee").captureCount == 0)
        #expect(try Pattern("(right|left)\\s+(knee|hip)(?:\\s+joint)?").captureCount == 2)
        #expect(try Pattern("(right|left)\\s+(knee|hip)").source == "(right|left)\\s+(knee|hip)")
    }
}

@Suite("PCRE2 wrapper: matching")
struct PCRE2MatchTests {
    @Test("caseless matching reports byte ranges in UTF-8, after multi-byte characters")
    func caselessUTF8ByteRanges() throws {
        let text = "Ärger knee"
        let match = try #require(try first(Pattern("KNEE"), in: text))
        // "Ä" is two bytes, so "knee" starts at byte 7, not at character 6.
        #expect(match.range == 7..<11)
        #expect(slice(text, match.range) == "knee")
    }

    @Test("caseless matching folds non-ASCII letters too")
    func caselessNonASCII() throws {
        let text = "Der ÄRGER über das Knie"
        let match = try #require(try first(Pattern("ärger\\s+Über"), in: text))
        #expect(match.range == 4..<16)
        #expect(slice(text, match.range) == "ÄRGER über")
    }

    @Test("without the caseless option, case matters")
    func caseSensitive() throws {
        #expect(try first(Pattern("OA", options: []), in: "oak tree") == nil)
        #expect(try first(Pattern("OA", options: []), in: "knee OA")?.range == 5..<7)
    }

    @Test("the (*MARK) name on the matching path is returned", arguments: [
        ("Right knee injection", "joint"),
        ("trigger point injection of the trapezius", "tpi"),
        ("greater occipital nerve block", "nerve"),
    ])
    func mark(text: String, expected: String) throws {
        let pattern = try Pattern("knee(*MARK:joint)|trigger\\s+point(*MARK:tpi)|nerve\\s+block(*:nerve)")
        let match = try #require(try first(pattern, in: text))
        #expect(match.mark == expected)
    }

    @Test("a match without a mark reports nil")
    func noMark() throws {
        let match = try #require(try first(Pattern("knee"), in: "left knee"))
        #expect(match.mark == nil)
    }

    @Test("a capture that did not take part is nil, one that did carries its byte range")
    func unsetCaptures() throws {
        let text = "pain in the right knee"
        let match = try #require(try first(Pattern("(left)|(right)"), in: text))
        #expect(match.groups.count == 2)
        #expect(match.groups[0] == nil)
        #expect(match.groups[1] == 12..<17)

        let optional = try #require(try first(Pattern("(bilateral\\s+)?(knees?)"), in: "both knees"))
        #expect(optional.groups == [nil, 5..<10])
    }

    @Test("an empty capture is an empty range, not nil")
    func emptyCapture() throws {
        let match = try #require(try first(Pattern("knee(s?)"), in: "knee"))
        #expect(match.groups == [4..<4])
    }

    @Test("firstMatch starts at the given offset and returns nil past the end")
    func startOffset() throws {
        let pattern = try Pattern("knee")
        let text = "right knee and left knee"
        #expect(try first(pattern, in: text)?.range == 6..<10)
        #expect(try first(pattern, in: text, from: 7)?.range == 20..<24)
        #expect(try first(pattern, in: text, from: 21) == nil)
        #expect(try first(pattern, in: text, from: 100) == nil)
    }

    @Test("no match is nil, not an error")
    func noMatch() throws {
        #expect(try first(Pattern("carpal\\s+tunnel"), in: "trigger point injection") == nil)
        #expect(try first(Pattern("knee"), in: "") == nil)
    }
}

@Suite("PCRE2 wrapper: all matches")
struct PCRE2AllMatchesTests {
    @Test("non-overlapping search resumes after each match; overlapping resumes one character after its start")
    func overlappingVersusNot() throws {
        let pattern = try Pattern("aba")
        #expect(try all(pattern, in: "ababa").map(\.range) == [0..<3])
        #expect(try all(pattern, in: "ababa", overlapping: true).map(\.range) == [0..<3, 2..<5])
    }

    @Test("overlapping search finds a short alternative inside a longer one")
    func overlappingAlternatives() throws {
        let pattern = try Pattern("carpal\\s+tunnel\\s+syndrome|tunnel")
        let text = "carpal tunnel syndrome"
        #expect(try all(pattern, in: text).map { slice(text, $0.range) } == ["carpal tunnel syndrome"])
        #expect(try all(pattern, in: text, overlapping: true).map { slice(text, $0.range) } == ["carpal tunnel syndrome", "tunnel"])
    }

    @Test("overlapping search never restarts inside a multi-byte character")
    func overlappingUTF8() throws {
        let text = "ééé"
        let matches = try all(Pattern("é+"), in: text, overlapping: true)
        #expect(matches.map(\.range) == [0..<6, 2..<6, 4..<6])
        #expect(matches.map { slice(text, $0.range) } == ["ééé", "éé", "é"])
    }

    @Test("a pattern that can match the empty string still moves forward and ends")
    func emptyMatches() throws {
        let matches = try all(Pattern("x*"), in: "axb")
        #expect(matches.map(\.range) == [0..<0, 1..<2, 2..<2, 3..<3])
    }

    @Test("every occurrence is found, in order")
    func manyOccurrences() throws {
        let text = "right knee, left knee, KNEE"
        #expect(try all(Pattern("knee"), in: text).map(\.range) == [6..<10, 17..<21, 23..<27])
    }
}

@Suite("PCRE2 wrapper: limits and reuse")
struct PCRE2MatcherTests {
    @Test("catastrophic backtracking stops at the match limit with an error that says so")
    func matchLimit() throws {
        let pattern = try Pattern("(a+)+$")
        let subject = String(repeating: "a", count: 40) + "b"
        let matcher = Matcher(matchLimit: 10_000)
        let error = try #require(throws: PCRE2Error.self) {
            _ = try first(pattern, in: subject, matcher: matcher)
        }
        #expect(error.isMatchLimit)
        #expect(error.code < 0)
        #expect(error.message.contains("limit"))

        // The matcher is still usable after the failure.
        #expect(try first(pattern, in: "aaaa", matcher: matcher)?.range == 0..<4)
    }

    @Test("a compile error is not a match-limit error")
    func compileErrorIsNotMatchLimit() throws {
        let error = try #require(throws: PCRE2Error.self) { try Pattern("(abc") }
        #expect(!error.isMatchLimit)
    }

    @Test("one matcher serves many subjects and patterns in turn")
    func reuse() throws {
        let matcher = Matcher(maxCaptures: 4)
        let side = try Pattern("(right|left)\\s+(knee|hip|shoulder)")
        let plain = try Pattern("pain")
        let joints = ["knee", "hip", "shoulder"]
        for i in 0..<500 {
            let sideWord = i.isMultiple(of: 2) ? "right" : "left"
            let joint = joints[i % 3]
            let prefix = String(repeating: "é", count: i % 7)
            let text = "\(prefix) visit \(i): \(sideWord) \(joint) pain"
            let match = try #require(try first(side, in: text, matcher: matcher))
            let start = prefix.utf8.count + " visit \(i): ".utf8.count
            #expect(match.range == start..<(start + "\(sideWord) \(joint)".utf8.count))
            #expect(match.groups.compactMap { $0.map { slice(text, $0) } } == [sideWord, joint])
            // A pattern with no captures in between must not see the previous match's groups.
            let other = try #require(try first(plain, in: text, matcher: matcher))
            #expect(other.groups.isEmpty)
            #expect(slice(text, other.range) == "pain")
        }
    }
}
