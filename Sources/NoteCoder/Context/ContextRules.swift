/// ConText-style assertion: each cue reaches forward, backward or both from where it stands,
/// up to the end of its sentence, a word window, or a terminating cue; the section a mention
/// sits in may imply a category of its own (family history → someone else's).
enum ContextRules {
    /// - Parameter kind: the kind of concept asserted about; nil for attribute words and for the
    ///   `context` command's free targets (section implications then apply whatever their kinds).
    static func assertions(
        for range: Range<Int>, sentence: Int, document: Document, scan: Scan, cues index: CueIndex, lexicon: Lexicon,
        kind: ConceptKind? = nil
    ) -> [Assertion] {
        var result: [Assertion] = []
        let cues = index.sentences[sentence]
        let bytes = document.bytes
        // The cues that reach the mention, as positions in the sentence's order. Windowed cues
        // are met nearest first and the walk stops past the widest window; a cue that reaches
        // to the sentence's end or start is stopped only by a terminator.
        var reaching: [Int] = []
        func reaches(_ cue: CueTraits, from start: Int, to end: Int) -> Bool {
            guard kind.map(cue.appliesTo) ?? true else { return false }
            guard let category = cue.asserts else { return true }
            return !(cues.terminators[category.ordinal]?.any(within: start, end) ?? false)
        }

        let forwardEnd = CueIndex.firstPosition(in: cues.forwardWindowed) { scan.cues[cues.hits[$0]].range.upperBound > range.lowerBound }
        for position in cues.forwardWindowed[..<forwardEnd].reversed() {
            let hit = scan.cues[cues.hits[position]]
            let words = index.words(from: hit.range.upperBound, to: range.lowerBound, bytes: bytes)
            if words > cues.widestForward { break }
            let cue = index.traits[hit.cue]
            if words <= cue.window, reaches(cue, from: hit.range.upperBound, to: range.lowerBound) { reaching.append(position) }
        }
        for position in cues.forwardToEnd {
            let hit = scan.cues[cues.hits[position]]
            if hit.range.upperBound > range.lowerBound { break }
            if reaches(index.traits[hit.cue], from: hit.range.upperBound, to: range.lowerBound) { reaching.append(position) }
        }
        let backwardStart = CueIndex.firstPosition(in: cues.backwardWindowed) { scan.cues[cues.hits[$0]].range.lowerBound >= range.upperBound }
        for position in cues.backwardWindowed[backwardStart...] {
            let hit = scan.cues[cues.hits[position]]
            let words = index.words(from: range.upperBound, to: hit.range.lowerBound, bytes: bytes)
            if words > cues.widestBackward { break }
            let cue = index.traits[hit.cue]
            if words <= cue.window, reaches(cue, from: range.upperBound, to: hit.range.lowerBound) { reaching.append(position) }
        }
        let toStart = CueIndex.firstPosition(in: cues.backwardToStart) { scan.cues[cues.hits[$0]].range.lowerBound >= range.upperBound }
        for position in cues.backwardToStart[toStart...] {
            let hit = scan.cues[cues.hits[position]]
            if reaches(index.traits[hit.cue], from: range.upperBound, to: hit.range.lowerBound) { reaching.append(position) }
        }
        reaching.sort()

        // The nearest performed cue, in bytes from the mention: a plan or past cue farther away
        // than the act gives way to it, a nearer one does not ("declined ... performed" elsewhere).
        var performedDistance: Int?
        var performedOutranksSection = false
        var yielding: [(index: Int, distance: Int)] = []
        for position in reaching {
            let hit = scan.cues[cues.hits[position]]
            let cue = index.traits[hit.cue]
            let distance = hit.range.upperBound <= range.lowerBound ? range.lowerBound - hit.range.upperBound : hit.range.lowerBound - range.upperBound
            if cue.performed {
                performedDistance = min(performedDistance ?? distance, distance)
                performedOutranksSection = performedOutranksSection || cue.outranksSection
                continue
            }
            guard let category = cue.asserts else { continue }
            if cue.yields { yielding.append((result.count, distance)) }
            result.append(Assertion(category: category, source: .cue(index: hit.cue, range: hit.range)))
        }
        let sectionIndex = document.sentences[sentence].section
        if let definition = document.sections[sectionIndex].definition, let implied = lexicon.sections[definition].implies,
           kind.map({ lexicon.sections[definition].impliesFor.contains($0) }) ?? true,
           !(implied == .planned && index.narratingSections.contains(sectionIndex)) {
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
}
