import PCRE2

/// Runs every compiled pattern set over the whole note once and places each hit in its sentence.
enum Scanner {
    /// The concepts a note names, found before the note is split into sections and sentences:
    /// a note naming none (most of a mixed export) is coded without being split at all.
    struct Concepts {
        /// Sorted by start, then concept; a condition named inside a procedure phrase is dropped.
        var hits: [(concept: Int, range: Range<Int>)]
        /// The note's word starts, reused by the cue and attribute scan.
        let starts: WordStarts
    }

    static func concepts(in bytes: UnsafeBufferPointer<UInt8>, lexicon: Lexicon, matcher: Matcher) throws(PCRE2Error) -> Concepts {
        let starts = WordStarts(bytes, wanted: lexicon.wordStartKeys)
        var hits: [(concept: Int, range: Range<Int>)] = []
        for setHits in try lexicon.conceptScan.hits(in: bytes, using: matcher, starts: starts) {
            for hit in dropNested(setHits) { hits.append((hit.entry, hit.range)) }
        }
        // A condition named inside a procedure phrase ("carpal tunnel" in "right carpal tunnel
        // injection") is the procedure's site, not a diagnosis of its own.
        let procedureRanges = hits.filter { lexicon.concepts[$0.concept].kind == .procedure }.map(\.range)
        hits.removeAll { hit in
            lexicon.concepts[hit.concept].kind == .condition
                && procedureRanges.contains { $0.lowerBound <= hit.range.lowerBound && hit.range.upperBound <= $0.upperBound }
        }
        // A condition named inside a longer condition that holds its words ("neck pain" in
        // "facet-mediated neck pain", `absorbs`) is part of that diagnosis.
        // One pass in text order, holding only the absorbing mentions still open, so the cost
        // stays linear in the note however often the phrase repeats.
        hits.sort { ($0.range.lowerBound, -$0.range.count, $0.concept) < ($1.range.lowerBound, -$1.range.count, $1.concept) }
        if hits.contains(where: { !lexicon.concepts[$0.concept].absorbs.isEmpty }) {
            var open: [(concept: Int, range: Range<Int>)] = []
            hits = hits.filter { hit in
                open.removeAll { $0.range.upperBound <= hit.range.lowerBound }
                let id = lexicon.concepts[hit.concept].id
                let inside = open.contains { outer in
                    outer.range != hit.range && hit.range.upperBound <= outer.range.upperBound && lexicon.concepts[outer.concept].absorbs.contains(id)
                }
                if !inside && !lexicon.concepts[hit.concept].absorbs.isEmpty { open.append(hit) }
                return !inside
            }
        }
        hits.sort { ($0.range.lowerBound, $0.concept) < ($1.range.lowerBound, $1.concept) }
        return Concepts(hits: hits, starts: starts)
    }

    /// Every concept, cue and attribute of the note, each placed in its sentence.
    static func scan(_ document: Document, bytes: UnsafeBufferPointer<UInt8>, lexicon: Lexicon, matcher: Matcher) throws(PCRE2Error) -> Scan {
        try scan(document, bytes: bytes, concepts: concepts(in: bytes, lexicon: lexicon, matcher: matcher), lexicon: lexicon, matcher: matcher)
    }

    static func scan(_ document: Document, bytes: UnsafeBufferPointer<UInt8>, concepts: Concepts, lexicon: Lexicon,
                     matcher: Matcher) throws(PCRE2Error) -> Scan {
        func sentence(_ range: Range<Int>) -> Int { document.sentenceIndex(containing: range.lowerBound) }
        let starts = concepts.starts
        let mentions = concepts.hits.map { Mention(concept: $0.concept, range: $0.range, sentence: sentence($0.range)) }
        var cues: [CueHit] = []
        let detailHits = try lexicon.detailScan.hits(in: bytes, using: matcher, starts: starts)
        let cueHits = detailHits[..<lexicon.cuePatterns.count].flatMap { $0 }
        for hit in dropNested(cueHits) {
            // A cue word inside a header ("History:") is the header, not a cue; and a cue must lie
            // in the sentence it is given to, or it would reach across a line it never saw.
            let index = sentence(hit.range)
            guard document.sentences.indices.contains(index),
                  document.sentences[index].range.contains(hit.range.lowerBound) else { continue }
            cues.append(CueHit(cue: hit.entry, range: hit.range, sentence: index))
        }
        var attributes: [AttributeHit] = []
        for (index, setHits) in detailHits[lexicon.cuePatterns.count...].enumerated() {
            // Within one attribute the longest value wins ("bilateral knees" over "knees").
            let numeric = lexicon.attributes[index].numeric
            let levels = lexicon.attributes[index].levels
            for hit in dropOverlapping(setHits) {
                // Only the matched alternative's groups are set, so the first set group is its own.
                let number = numeric ? hit.groups.lazy.compactMap { $0 }.first.flatMap { Int(String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self)) } : nil
                let spinal = levels ? SpinalLevels.parse(UnsafeBufferPointer(rebasing: bytes[hit.range])) : nil
                attributes.append(AttributeHit(attribute: index, value: hit.entry, range: hit.range, sentence: sentence(hit.range), number: number, levels: spinal))
            }
        }
        var cuesBySentence = Array(repeating: [Int](), count: document.sentences.count)
        for (i, cue) in cues.enumerated() { cuesBySentence[cue.sentence].append(i) }
        var attributesBySentence = Array(repeating: [Int](), count: document.sentences.count)
        for (i, hit) in attributes.enumerated() { attributesBySentence[hit.sentence].append(i) }
        var mentionsBySentence = Array(repeating: [Int](), count: document.sentences.count)
        for (i, mention) in mentions.enumerated() { mentionsBySentence[mention.sentence].append(i) }
        return Scan(mentions: mentions, cues: cues, attributes: attributes, cuesBySentence: cuesBySentence,
                    attributesBySentence: attributesBySentence, mentionsBySentence: mentionsBySentence)
    }

    /// Drops a hit that lies inside a longer hit of the same entry: overlapping restarts find
    /// "knee" again inside "left knee".
    static func dropNested(_ hits: [PatternSet.Hit]) -> [PatternSet.Hit] {
        var kept: [PatternSet.Hit] = []
        var lastEndByEntry: [Int: Int] = [:]
        for hit in hits.sorted(by: { ($0.range.lowerBound, -$0.range.count) < ($1.range.lowerBound, -$1.range.count) }) {
            if let end = lastEndByEntry[hit.entry], hit.range.upperBound <= end { continue }
            lastEndByEntry[hit.entry] = max(lastEndByEntry[hit.entry] ?? 0, hit.range.upperBound)
            kept.append(hit)
        }
        return kept
    }

    /// Keeps the longest of overlapping hits (ties: the earlier entry), for attribute values that
    /// are mutually exclusive readings of the same words.
    static func dropOverlapping(_ hits: [PatternSet.Hit]) -> [PatternSet.Hit] {
        let ordered = hits.sorted { ($0.range.lowerBound, -$0.range.count, $0.entry) < ($1.range.lowerBound, -$1.range.count, $1.entry) }
        var kept: [PatternSet.Hit] = []
        for hit in ordered {
            if let last = kept.last, hit.range.lowerBound < last.range.upperBound {
                if hit.range.count > last.range.count { kept[kept.count - 1] = hit }
                continue
            }
            kept.append(hit)
        }
        return kept
    }
}
