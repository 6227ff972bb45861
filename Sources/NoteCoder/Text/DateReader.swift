import PCRE2

/// `dates.yaml`: the labels that introduce a date of service in a note's header block.
struct DatesFile: Codable {
    var labels: [String]
}

/// Finds the date of service written in the note ("DOS 03/14/2024", "Date of Service:
/// 2025-02-11", "Visit date: Jan 9 2023"). Label wordings are lexicon data; the date shapes are
/// fixed here because they are calendar syntax, not clinical knowledge.
struct DatePatterns: Sendable {
    static let dateShapes =
        "(\\d{1,2})/(\\d{1,2})/(\\d{4}|\\d{2})(?!\\d)"
        + "|(\\d{4})-(\\d{1,2})-(\\d{1,2})(?!\\d)"
        + "|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?[ \\t]+(\\d{1,2})(?:st|nd|rd|th)?,?[ \\t]+(\\d{4})"
    static let maxCaptures = 9
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// One entry: a label, then a date. Scanned at word starts like the lexicon's phrases.
    let labelled: PatternSet?
    private let scan: JointScan?

    init(labels: [String]) throws(PCRE2Error) {
        guard !labels.isEmpty else { labelled = nil; scan = nil; return }
        let alternatives = labels.map { "(?:\($0))" }.joined(separator: "|")
        let labelled = try PatternSet(alternatives: [(0, "(?:" + alternatives + ")[ \\t]*[:#\\-]?[ \\t]*(?:" + DatePatterns.dateShapes + ")")],
                                      prefix: PatternWrapping.phrasePrefix, suffix: "", wordStarts: true)
        self.labelled = labelled
        scan = JointScan(sets: [labelled])
    }

    /// The labelled dates of a note, left to right, none overlapping the one before (as a
    /// search resuming after each match finds them).
    func matches(in bytes: UnsafeBufferPointer<UInt8>, matcher: Matcher, starts: WordStarts) throws(PCRE2Error) -> [PatternSet.Hit] {
        guard let scan else { return [] }
        var kept: [PatternSet.Hit] = []
        for hit in try scan.hits(in: bytes, using: matcher, starts: starts)[0] where hit.range.lowerBound >= (kept.last?.range.upperBound ?? 0) {
            kept.append(hit)
        }
        return kept
    }

    /// The first labelled date in the note that is a real calendar day, and where it was.
    func find(in bytes: UnsafeBufferPointer<UInt8>, matcher: Matcher, starts: WordStarts) throws(PCRE2Error) -> (Day, Range<Int>)? {
        for match in try matches(in: bytes, matcher: matcher, starts: starts) {
            func group(_ i: Int) -> String? {
                guard i - 1 < match.groups.count, let r = match.groups[i - 1] else { return nil }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self)
            }
            var year = 0, month = 0, day = 0
            if let m = group(1), let d = group(2), let y = group(3) {
                month = Int(m) ?? 0; day = Int(d) ?? 0; year = Int(y) ?? 0
                if y.count == 2 { year += 2000 }
            } else if let y = group(4), let m = group(5), let d = group(6) {
                year = Int(y) ?? 0; month = Int(m) ?? 0; day = Int(d) ?? 0
            } else if let name = group(7), let d = group(8), let y = group(9) {
                month = (DatePatterns.months.firstIndex(of: String(name.lowercased().prefix(3))) ?? -1) + 1
                day = Int(d) ?? 0; year = Int(y) ?? 0
            }
            if Day.isValid(year: year, month: month, day: day) {
                return (Day(year: year, month: month, day: day), match.range)
            }
        }
        return nil
    }
}
