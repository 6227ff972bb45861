/// Cuts each section into sentences on bytes: clinical notes mix prose, one-item-per-line
/// templates, bullets and checkbox lines, so line structure counts as much as punctuation.
enum SentenceSplitter {
    /// Words after which a period does not end a sentence.
    static let abbreviations: Set<String> = [
        "dr", "mr", "mrs", "ms", "vs", "e.g", "i.e", "etc", "approx", "pt", "no", "st", "cc", "mg", "ml",
        "inc", "jr", "sr", "fig", "min", "hr", "hrs", "q", "b.i.d", "t.i.d", "q.i.d", "p.o", "a.m", "p.m",
        "r", "l", "c", "d", "s", "t", "b", "u", "n",
    ]

    /// - Parameter longest: the bound; a test passes a larger one to see whether any sentence of a
    ///   note was cut.
    static func sentences(in bytes: [UInt8], sections: [Section], longest: Int = longestSentence) -> [Sentence] {
        var result: [Sentence] = []
        for (sectionIndex, section) in sections.enumerated() {
            var start = section.header?.upperBound ?? section.range.lowerBound
            var i = start
            let end = section.range.upperBound
            func emit(_ upTo: Int) {
                var a = start
                let b = upTo
                while a < b, isSpace(bytes[a]) { a += 1 }
                while a < b {
                    var piece = b
                    if b - a > longest { piece = cut(bytes, from: a, limit: a + longest) }
                    var pieceEnd = piece
                    while pieceEnd > a, isSpace(bytes[pieceEnd - 1]) { pieceEnd -= 1 }
                    if a < pieceEnd { result.append(Sentence(range: a..<pieceEnd, section: sectionIndex)) }
                    a = piece
                    while a < b, isSpace(bytes[a]) { a += 1 }
                }
                start = upTo
            }
            while i < end {
                let b = bytes[i]
                if b == 0x2E || b == 0x21 || b == 0x3F { // . ! ?
                    if b == 0x2E && isListMarker(bytes, dot: i, lineStart: start) {
                        // "1. Occipital neuralgia": the number opens an item, it does not end one.
                    } else if i + 1 >= end || isSpace(bytes[i + 1]) {
                        if b != 0x2E || !isAbbreviation(bytes, before: i, from: start) || nextStartsNewLine(bytes, after: i, end: end) {
                            if !nextIsLowercase(bytes, after: i + 1, end: end) {
                                emit(i + 1)
                            }
                        }
                    }
                } else if b == 0x0A {
                    if lineBreakEndsSentence(bytes, at: i, lineStart: start, end: end) { emit(i) }
                }
                i += 1
            }
            emit(end)
        }
        return result
    }

    /// The most bytes one sentence holds. Context cues reach to the end of their sentence and
    /// attribute words are shared among the mentions of a sentence, so the work for a sentence
    /// grows faster than its length; a run of text with no sentence end (a pasted log, a
    /// dictation without punctuation, hostile input) is cut into pieces of at most this size so
    /// that the cost of a note stays linear in its size. The longest sentence in the real notes
    /// on hand is about a quarter of it, so no real note is read differently.
    static let longestSentence = 4096

    /// Where a sentence longer than `longestSentence` is cut: after the last white space at or
    /// before `limit`, so that no word is split; a single word longer than that is cut at the
    /// limit, moved back to the start of a UTF-8 character.
    static func cut(_ bytes: [UInt8], from start: Int, limit: Int) -> Int {
        var i = limit
        while i > start, !isSpace(bytes[i - 1]) { i -= 1 }
        if i > start { return i }
        i = limit
        while i > start + 1, bytes[i] & 0xC0 == 0x80 { i -= 1 }
        return i
    }

    /// A one- or two-digit number alone at the start of its line, followed by this period.
    static func isListMarker(_ bytes: [UInt8], dot: Int, lineStart: Int) -> Bool {
        var a = dot
        while a > 0, bytes[a - 1] >= 0x30, bytes[a - 1] <= 0x39 { a -= 1 }
        let digits = dot - a
        guard digits >= 1, digits <= 2 else { return false }
        var k = a
        while k > 0, bytes[k - 1] == 0x20 || bytes[k - 1] == 0x09 { k -= 1 }
        return k == 0 || bytes[k - 1] == 0x0A || k <= lineStart
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    static func isAbbreviation(_ bytes: [UInt8], before dot: Int, from start: Int) -> Bool {
        var a = dot
        while a > start, !isSpace(bytes[a - 1]), bytes[a - 1] != 0x28 { a -= 1 }
        let word = String(decoding: bytes[a..<dot], as: UTF8.self).lowercased()
        return abbreviations.contains(word)
    }

    static func nextIsLowercase(_ bytes: [UInt8], after index: Int, end: Int) -> Bool {
        var i = index
        while i < end, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
        return i < end && bytes[i] >= 0x61 && bytes[i] <= 0x7A
    }

    static func nextStartsNewLine(_ bytes: [UInt8], after index: Int, end: Int) -> Bool {
        var i = index + 1
        while i < end, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D { i += 1 }
        return i < end && bytes[i] == 0x0A
    }

    /// A line break ends a sentence unless the next line continues it in lower case (wrapped prose).
    static func lineBreakEndsSentence(_ bytes: [UInt8], at newline: Int, lineStart: Int, end: Int) -> Bool {
        var i = newline + 1
        while i < end, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D { i += 1 }
        guard i < end else { return true }
        let next = bytes[i]
        if next == 0x0A { return true }
        if next >= 0x61 && next <= 0x7A {
            // Lower-case continuation of a line that did not end with punctuation: wrapped prose.
            var j = newline
            while j > lineStart, isSpace(bytes[j - 1]) { j -= 1 }
            let last = j > lineStart ? bytes[j - 1] : 0x2E
            return last == 0x2E || last == 0x3A || last == 0x3B
        }
        return true
    }
}
