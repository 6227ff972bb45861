/// Reads the context of a free target phrase in a sentence, for assertion test sets
/// (`notecoder context`): the same sections, cues and scopes the engine applies to lexicon
/// mentions, applied to a phrase the test names.
public struct AssertionReader: Sendable {
    public let lexicon: Lexicon

    public init(lexicon: Lexicon) { self.lexicon = lexicon }

    /// nil when the target does not occur in the sentence (compared case-insensitively).
    public func assess(sentence: String, target: String) -> (AssertionRow.Negation, AssertionRow.Temporality, AssertionRow.Experiencer)? {
        let bytes = Array(sentence.utf8)
        guard let range = AssertionReader.find(Array(target.utf8), in: bytes) else { return nil }
        let matcher = lexicon.makeMatcher()
        let engine = Engine(lexicon: lexicon)
        let note = Note(id: "sentence", bytes: bytes)
        guard UTF8Validation.firstInvalidByte(in: bytes) == nil else { return nil }
        let assertions: [Assertion]? = try? bytes.withUnsafeBufferPointer { buffer in
            let document = try engine.read(note, buffer: buffer, matcher: matcher)
            let scan = try Scanner.scan(document, bytes: buffer, lexicon: lexicon, matcher: matcher)
            let sentenceIndex = document.sentenceIndex(containing: range.lowerBound)
            // Test-set targets are findings (conditions, symptoms), so they are read as conditions.
            let cues = CueIndex(document: document, scan: scan, lexicon: lexicon, traits: engine.cueTraits)
            return ContextRules.assertions(for: range, sentence: sentenceIndex, document: document, scan: scan, cues: cues, lexicon: lexicon,
                                           kind: .condition)
        }
        let categories = Set((assertions ?? []).map(\.category))
        let negation: AssertionRow.Negation = categories.contains(.negated) ? .negated : .affirmed
        let temporality: AssertionRow.Temporality =
            categories.contains(.historical) ? .historical : categories.contains(.planned) ? .hypothetical : .recent
        let experiencer: AssertionRow.Experiencer = categories.contains(.other) ? .other : .patient
        return (negation, temporality, experiencer)
    }

    /// First case-insensitive (ASCII) occurrence of `needle`, with runs of white space in the
    /// target matching any run in the sentence, as the test sets wrap long phrases.
    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 32 : b }
        func space(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        var trimmed = needle[...]
        while let f = trimmed.first, space(f) { trimmed = trimmed.dropFirst() }
        while let l = trimmed.last, space(l) { trimmed = trimmed.dropLast() }
        let target = Array(trimmed)
        guard !target.isEmpty else { return nil }
        var start = 0
        while start < haystack.count {
            var i = start, j = 0
            while i < haystack.count, j < target.count {
                if space(target[j]) {
                    guard space(haystack[i]) else { break }
                    while j < target.count, space(target[j]) { j += 1 }
                    while i < haystack.count, space(haystack[i]) { i += 1 }
                } else if lower(haystack[i]) == lower(target[j]) {
                    i += 1; j += 1
                } else {
                    break
                }
            }
            if j == target.count { return start..<i }
            start += 1
        }
        return nil
    }
}
