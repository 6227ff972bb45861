import PCRE2

/// Finds section headers with the lexicon's header patterns and cuts the note into sections.
enum SectionReader {
    /// A header starts a line (after optional bullets), follows a sentence end on the same line
    /// ("… stable. PLAN: …"), or follows a run of spaces, as run-on dictated headers do.
    static let headerPrefix = "(?:^|(?<=[.!?])[ \\t]+|(?<=[ \\t][ \\t]))[ \\t]*(?:[-*>•]+[ \\t]*)?"
    /// A header ends with a colon, a spaced dash, or the end of its line.
    static let headerSuffix = "[ \\t]*(?::|-(?=[ \\t])|(?=\\r?$))"

    /// Where `headerPrefix` lets a header begin: a line start (after any byte sequence some PCRE2
    /// build takes as a newline), white space after a sentence end, or a position after two
    /// spaces or tabs. Trying the header patterns only there, anchored,
    /// finds what a search at every position finds, at a fraction of the cost.
    static func headerStarts(in bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        guard !bytes.isEmpty else { return [] }
        var starts = [0]
        for index in 1..<bytes.count {
            switch bytes[index - 1] {
            case 0x0A, 0x0B, 0x0C, 0x0D:
                starts.append(index)
            case 0x85, 0xA8, 0xA9:
                // NEL, LS and PS end lines where PCRE2 is built to take any Unicode newline.
                let nel = bytes[index - 1] == 0x85 && index > 1 && bytes[index - 2] == 0xC2
                let separator = bytes[index - 1] != 0x85 && index > 2 && bytes[index - 3] == 0xE2 && bytes[index - 2] == 0x80
                if nel || separator { starts.append(index) }
            case UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "?"):
                if isBlank(bytes[index]) { starts.append(index) }
            case 0x20, 0x09:
                if index > 1 && isBlank(bytes[index - 2]) { starts.append(index) }
            default:
                continue
            }
        }
        return starts
    }

    /// Named headers, then catch-all headings where no named header overlaps, in text order.
    static func headerHits(in bytes: UnsafeBufferPointer<UInt8>, lexicon: Lexicon, matcher: Matcher, starts: [Int]?) throws(PCRE2Error) -> [PatternSet.Hit] {
        func hits(_ set: PatternSet) throws(PCRE2Error) -> [PatternSet.Hit] {
            if let starts { return try set.hits(in: bytes, using: matcher, at: starts) }
            return try set.hits(in: bytes, using: matcher)
        }
        let named = try hits(lexicon.sectionPatterns)
        let headings = try hits(lexicon.headingPatterns)
        guard !headings.isEmpty else { return named }
        var merged = named
        var next = 0
        for heading in headings {
            while next < named.count, named[next].range.upperBound <= heading.range.lowerBound { next += 1 }
            if next < named.count, named[next].range.overlaps(heading.range) { continue }
            merged.append(heading)
        }
        return merged.sorted { ($0.range.lowerBound, $0.entry) < ($1.range.lowerBound, $1.entry) }
    }

    static func sections(in bytes: UnsafeBufferPointer<UInt8>, lexicon: Lexicon, matcher: Matcher) throws(PCRE2Error) -> [Section] {
        var headers: [(definition: Int, range: Range<Int>)] = []
        let starts = headerStarts(in: bytes)
        for hit in try headerHits(in: bytes, lexicon: lexicon, matcher: matcher, starts: starts) {
            if let last = headers.last, hit.range.lowerBound < last.range.upperBound {
                // Overlap: keep the longer header ("past medical history" over "history").
                if hit.range.count > last.range.count && hit.range.lowerBound == last.range.lowerBound {
                    headers[headers.count - 1] = (hit.entry, hit.range)
                }
                continue
            }
            headers.append((hit.entry, hit.range))
        }
        var sections: [Section] = []
        let firstStart = headers.first?.range.lowerBound ?? bytes.count
        if firstStart > 0 || headers.isEmpty {
            sections.append(Section(definition: nil, header: nil, range: 0..<firstStart))
        }
        for (index, header) in headers.enumerated() {
            let end = index + 1 < headers.count ? headers[index + 1].range.lowerBound : bytes.count
            var start = header.range.lowerBound
            while start < header.range.upperBound, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
            sections.append(Section(definition: header.definition, header: start..<header.range.upperBound, range: start..<end))
        }
        return sections
    }
}
