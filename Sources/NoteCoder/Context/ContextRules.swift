/// ConText-style assertion: each cue reaches forward, backward or both from where it stands,
/// up to the end of its sentence, a word window, or a terminating cue; the section a mention
/// sits in may imply a category of its own (family history → someone else's).
enum ContextRules {
    /// - Parameter kind: the kind of concept asserted about; nil for attribute words and for the
    ///   `context` command's free targets (section implications then apply whatever their kinds).
    static func assertions(
        for range: Range<Int>, sentence: Int, document: Document, scan: Scan, lexicon: Lexicon, kind: ConceptKind? = nil
    ) -> [Assertion] {
        var result: [Assertion] = []
        let cueIndices = scan.cuesBySentence[sentence]
        let hits = cueIndices.map { scan.cues[$0] }
        let pseudo = hits.filter { lexicon.cues[$0.cue].category == .pseudo }.map(\.range)
        let terminators = hits.filter { lexicon.cues[$0.cue].category == .terminate }
        // The nearest performed cue, in bytes from the mention: a plan or past cue farther away
        // than the act gives way to it, a nearer one does not ("declined ... performed" elsewhere).
        var performedDistance: Int?
        var performedOutranksSection = false
        var yielding: [(index: Int, distance: Int)] = []

        for hit in hits {
            let cue = lexicon.cues[hit.cue]
            if cue.category == .pseudo || cue.category == .terminate { continue }
            if let kind, !cue.appliesTo.contains(kind) { continue }
            if hit.range.overlaps(range) { continue }
            if pseudo.contains(where: { $0.overlaps(hit.range) }) { continue }
            let reaches: Bool
            if hit.range.upperBound <= range.lowerBound {
                reaches = cue.direction != .backward
                    && within(cue.window, from: hit.range.upperBound, to: range.lowerBound, bytes: document.bytes)
                    && !terminators.contains { t in
                        blocks(t, cue, lexicon) && t.range.lowerBound >= hit.range.upperBound && t.range.upperBound <= range.lowerBound
                    }
            } else {
                reaches = cue.direction != .forward
                    && within(cue.window, from: range.upperBound, to: hit.range.lowerBound, bytes: document.bytes)
                    && !terminators.contains { t in
                        blocks(t, cue, lexicon) && t.range.lowerBound >= range.upperBound && t.range.upperBound <= hit.range.lowerBound
                    }
            }
            guard reaches else { continue }
            let distance = hit.range.upperBound <= range.lowerBound ? range.lowerBound - hit.range.upperBound : hit.range.lowerBound - range.upperBound
            if cue.category == .performed {
                performedDistance = min(performedDistance ?? distance, distance)
                performedOutranksSection = performedOutranksSection || cue.outranksSection
                continue
            }
            guard let category = AssertionCategory(rawValue: cue.category.rawValue) else { continue }
            if (category == .planned || category == .historical) && cue.yieldsToPerformed {
                yielding.append((result.count, distance))
            }
            result.append(Assertion(category: category, source: .cue(index: hit.cue, range: hit.range)))
        }
        let sectionIndex = document.sentences[sentence].section
        if let definition = document.sections[sectionIndex].definition, let implied = lexicon.sections[definition].implies,
           kind.map({ lexicon.sections[definition].impliesFor.contains($0) }) ?? true,
           !(implied == .planned && narratesPerformance(section: sectionIndex, document: document, scan: scan, lexicon: lexicon)) {
            result.append(Assertion(category: implied, source: .section(index: definition)))
        }
        if let performedDistance {
            // "… will consist of injections, which were performed today": the act outranks the
            // plan stated farther away and what the section implies; it never outranks a
            // negation, another performer, or a cue that does not yield (declined, a past date).
            let dropped = Set(yielding.filter { $0.distance > performedDistance }.map(\.index))
            result = result.enumerated().compactMap { offset, assertion in
                if dropped.contains(offset) { return nil }
                if case .section = assertion.source, performedOutranksSection,
                   assertion.category == .planned || assertion.category == .historical { return nil }
                return assertion
            }
        }
        return result
    }

    /// A plan section that says something was done ("injected", "tolerated the procedure") is
    /// narrating today's procedure, as SOAP notes do under "P:", not planning it.
    static func narratesPerformance(section: Int, document: Document, scan: Scan, lexicon: Lexicon) -> Bool {
        scan.cues.contains { hit in
            lexicon.cues[hit.cue].category == .performed && document.sentences[hit.sentence].section == section
        }
    }

    static func blocks(_ terminator: CueHit, _ cue: CueDefinition, _ lexicon: Lexicon) -> Bool {
        guard let category = AssertionCategory(rawValue: cue.category.rawValue) else { return cue.category == .performed ? false : true }
        return lexicon.cues[terminator.cue].stops.contains(category)
    }

    /// Whether at most `window` words lie between two offsets (no window: the whole sentence).
    static func within(_ window: Int?, from start: Int, to end: Int, bytes: [UInt8]) -> Bool {
        guard let window else { return true }
        var words = 0
        var inWord = false
        var i = start
        while i < end {
            let isWordByte = bytes[i] > 0x20 && bytes[i] != 0x2C
            if isWordByte && !inWord { words += 1 }
            inWord = isWordByte
            i += 1
        }
        return words <= window
    }
}
