/// A note's mentions and attribute words arranged once for `AttributeLinker`, so that tying a
/// value to a mention looks at the values and rival mentions near it, not at every value and
/// every mention of its sentence (a line repeating one procedure phrase holds thousands).
struct LinkIndex {
    /// The mentions of one kind in one sentence, by start, with what finding rivals needs.
    struct Rivals {
        /// Mention indices sorted by start (ties by concept, the scan's order).
        let byStart: [Int]
        /// For each position in `byStart`, the next position whose concept differs.
        let nextOtherConcept: [Int]
        /// Mention indices sorted by end.
        let byEnd: [Int]
        /// For each position in `byEnd`, the previous position whose concept differs, or -1.
        let previousOtherConcept: [Int]
        /// The longest mention, in bytes: how far back a mention overlapping another can start.
        let longest: Int
    }

    private struct Key: Hashable {
        var sentence: Int
        var kind: ConceptKind
    }

    private let rivals: [Key: Rivals]
    /// Every hit of each attribute in the note, in text order.
    let hitsByAttribute: [[Int]]
    /// Some hit or mention is an empty match: the shortcuts below rest on non-empty ranges,
    /// so such a note is linked by looking at every candidate.
    let hasEmptyRange: Bool

    init(scan: Scan, lexicon: Lexicon) {
        var lists: [Key: [Int]] = [:]
        for (sentence, mentions) in scan.mentionsBySentence.enumerated() {
            for mention in mentions {
                lists[Key(sentence: sentence, kind: lexicon.concepts[scan.mentions[mention].concept].kind), default: []].append(mention)
            }
        }
        rivals = lists.mapValues { byStart in
            func concept(_ mention: Int) -> Int { scan.mentions[mention].concept }
            var next = Array(repeating: byStart.count, count: byStart.count)
            for position in stride(from: byStart.count - 2, through: 0, by: -1) {
                next[position] = concept(byStart[position + 1]) != concept(byStart[position]) ? position + 1 : next[position + 1]
            }
            let byEnd = byStart.sortedStably { scan.mentions[$0].range.upperBound }
            var previous = Array(repeating: -1, count: byEnd.count)
            for position in byEnd.indices.dropFirst() {
                previous[position] = concept(byEnd[position - 1]) != concept(byEnd[position]) ? position - 1 : previous[position - 1]
            }
            return Rivals(byStart: byStart, nextOtherConcept: next, byEnd: byEnd, previousOtherConcept: previous,
                          longest: byStart.map { scan.mentions[$0].range.count }.max() ?? 0)
        }
        var byAttribute = Array(repeating: [Int](), count: lexicon.attributes.count)
        for (index, hit) in scan.attributes.enumerated() { byAttribute[hit.attribute].append(index) }
        hitsByAttribute = byAttribute
        hasEmptyRange = scan.mentions.contains { $0.range.isEmpty } || scan.attributes.contains { $0.range.isEmpty }
    }

    func rivals(sentence: Int, kind: ConceptKind) -> Rivals? { rivals[Key(sentence: sentence, kind: kind)] }

    /// The hits of one attribute in a sentence, as a slice of `Scan.attributesBySentence`, which
    /// lists a sentence's hits by attribute, then by position.
    static func hits(of attribute: Int, sentence: Int, scan: Scan) -> ArraySlice<Int> {
        let all = scan.attributesBySentence[sentence]
        let first = CueIndex.firstPosition(in: all) { scan.attributes[$0].attribute >= attribute }
        let end = CueIndex.firstPosition(in: all) { scan.attributes[$0].attribute > attribute }
        return all[first..<end]
    }
}

/// The values a mention may take from beyond its sentence (attributes that reach the section or
/// the note), found without looking at every value of the note for every mention.
///
/// A value in another sentence is free for a mention unless the nearest mention of its own
/// sentence that takes the attribute is of another concept (`claimed(_:from:)`). That nearest
/// mention depends on the value alone, so it is found once per value, and the values
/// of each attribute are grouped by the concept it names: a mention then looks only at the
/// unclaimed values and at those of its own concept, nearest first.
final class FarReach {
    private let document: Document
    private let scan: Scan
    private let lexicon: Lexicon
    private let negated: Set<Int>
    private let index: LinkIndex
    /// Offsets of commas and semicolons, which part the items of a list.
    private lazy var separators: [Int] = document.bytes.indices.filter {
        document.bytes[$0] == UInt8(ascii: ",") || document.bytes[$0] == UInt8(ascii: ";")
    }
    /// The numbered list item ("3.  Osteoarthritis, Celebrex 200 mg b.i.d.") each sentence
    /// stands in, as the line that opens the item; nil outside a list. Each item of a diagnosis
    /// list is its own diagnosis: an item with no site of its own (the joint or region it is
    /// coded by) does not take a neighbour item's ("1. Status post right total hip replacement
    /// ... 5. Osteoarthritis" is osteoarthritis of no stated joint; "1. Osteoarthritis 2. Lumbar
    /// spondylosis" is not the spine's). Values outside any item (levels written before the
    /// list) still reach it.
    private lazy var itemOfSentence: [Int?] = document.sentences.map { sentence in
        let line = document.line(of: sentence.range.lowerBound) - 1
        let lineStart = document.lineStarts[line]
        let bytes = document.bytes
        // The first byte after the line's blanks and digits: "1." or "2)" then a blank opens an
        // item, as the sentence splitter reads a list marker.
        var at = lineStart
        while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x09 { at += 1 }
        let digits = at
        while at < bytes.count, at - digits < 3, bytes[at] >= 0x30 && bytes[at] <= 0x39 { at += 1 }
        guard at + 1 < bytes.count, bytes[at] == UInt8(ascii: ".") || bytes[at] == UInt8(ascii: ")"),
              bytes[at + 1] == 0x20 || bytes[at + 1] == 0x09,
              SentenceSplitter.isListMarker(bytes, dot: at, lineStart: lineStart) else { return nil }
        return line
    }
    /// The first and last sentence of each list item.
    private lazy var itemSentences: [Int: (Int, Int)] = {
        var bounds: [Int: (Int, Int)] = [:]
        for (sentence, item) in itemOfSentence.enumerated() {
            guard let item else { continue }
            bounds[item] = (bounds[item]?.0 ?? sentence, sentence)
        }
        return bounds
    }()
    /// Per attribute and kind, like `groups`, only the values that stand in no list item.
    private var groupsOutsideItems: [TakerKey: [Int: [Int]]] = [:]
    /// The nearest taking mention of each value, per kind of the mention asking (-1: none).
    private var takers: [TakerKey: Int] = [:]
    /// Per attribute and kind: the values not denied, by the concept of their nearest taker
    /// (-1: none), each list in text order.
    private var groups: [TakerKey: [Int: [Int]]] = [:]

    /// Per attribute and section: the first undenied hit of each distinct value, for pooled
    /// attributes. A value's every repeat would add nothing a rule reads, and keeping one per
    /// value bounds what each mention takes, however long the section.
    private var pooledValues: [PoolKey: [Int]] = [:]

    private struct PoolKey: Hashable {
        var attribute: Int
        var section: Int
    }

    func pooled(_ attribute: Int, section: Int) -> [Int] {
        let key = PoolKey(attribute: attribute, section: section)
        if let known = pooledValues[key] { return known }
        let range = document.sections[section].range
        let list = index.hitsByAttribute[attribute]
        var first = CueIndex.firstPosition(in: list) { scan.attributes[$0].range.lowerBound >= range.lowerBound }
        var seen: Set<Int> = []
        var found: [Int] = []
        while first < list.count, scan.attributes[list[first]].range.lowerBound < range.upperBound {
            let hit = list[first]
            if !negated.contains(hit), seen.insert(scan.attributes[hit].value).inserted { found.append(hit) }
            first += 1
        }
        pooledValues[key] = found
        return found
    }

    private struct TakerKey: Hashable {
        var item: Int
        var kind: ConceptKind
    }

    init(document: Document, scan: Scan, lexicon: Lexicon, negated: Set<Int>, index: LinkIndex) {
        self.document = document
        self.scan = scan
        self.lexicon = lexicon
        self.negated = negated
        self.index = index
    }

    /// The mention of the value's sentence nearest to it that takes its attribute, of `kind`.
    func nearestTaker(of hit: Int, kind: ConceptKind) -> Int? {
        let key = TakerKey(item: hit, kind: kind)
        if let known = takers[key] { return known < 0 ? nil : known }
        let value = scan.attributes[hit]
        let attributeId = lexicon.attributes[value.attribute].id
        var nearest: Int?
        var nearestDistance = Int.max
        for other in scan.mentionsBySentence[value.sentence] {
            let candidate = scan.mentions[other]
            guard lexicon.concepts[candidate.concept].kind == kind, !candidate.range.overlaps(value.range),
                  lexicon.concepts[candidate.concept].attributes.contains(attributeId) else { continue }
            let distance = AttributeLinker.distance(value.range, candidate.range)
            if distance < nearestDistance { nearest = other; nearestDistance = distance }
        }
        takers[key] = nearest ?? -1
        return nearest
    }

    /// Whether a value read beyond the mention's own words (the section, the note) belongs to a
    /// different diagnosis: the nearest mention in its sentence that takes the same attribute is
    /// of another concept. "Lumbar spinal stenosis ... with intermittent lower extremity
    /// radiculopathy" ties the radiculopathy to the stenosis, so the disc degeneration of another
    /// impression line, or of the same list ("lumbar degenerative disc disease, lumbar
    /// spondylosis, ... lumbar spinal stenosis primarily bilateral recess, intermittent lower
    /// extremity radiculopathy"), is not "with radiculopathy" by it; in "lumbar radiculopathy,
    /// degenerative disc disease, lumbar spinal stenosis" the disc is nearest and takes it.
    func claimed(_ hit: Int, from mentionIndex: Int) -> Bool {
        let mention = scan.mentions[mentionIndex]
        guard let nearest = nearestTaker(of: hit, kind: lexicon.concepts[mention.concept].kind) else { return false }
        guard scan.mentions[nearest].concept != mention.concept else { return false }
        guard scan.attributes[hit].sentence == mention.sentence else { return true }
        // In its own sentence, only a separate list item claims it: "degenerative disk
        // disease/disk protrusions/spondylosis with radiculopathy" is one compound diagnosis with
        // its radiculopathy, items parted by commas or semicolons are not.
        let other = scan.mentions[nearest].range
        let first = CueIndex.firstIndex(in: separators, atLeast: min(other.lowerBound, mention.range.lowerBound))
        return first < separators.count && separators[first] < max(other.upperBound, mention.range.upperBound)
    }

    /// The values of an attribute in `sections` (nil: the whole note) that the mention may take,
    /// in text order: all of them when `every`, else enough to choose the nearest.
    func candidates(_ attribute: Int, for mentionIndex: Int, in sections: Set<Int>?, every: Bool) -> [(hit: AttributeHit, index: Int)] {
        let mention = scan.mentions[mentionIndex]
        let kind = lexicon.concepts[mention.concept].kind
        func inSections(_ hit: Int) -> Bool { sections.map { $0.contains(document.sentences[scan.attributes[hit].sentence].section) } ?? true }
        // Only the site a diagnosis is coded by (`per`) stays within its item: "with
        // radiculopathy" told as the next item still qualifies a disc disorder (M50.1-). And a
        // pre- or postoperative diagnosis list (tag `operative`) is about the one operation: "1.
        // Right shoulder rotator cuff tear ... 3. Degenerative joint disease" is the shoulder's.
        let concept = lexicon.concepts[mention.concept]
        let bySite = kind == .condition && concept.per == lexicon.attributes[attribute].id
            && !lexicon.section(document.sections[document.sentences[mention.sentence].section], hasTag: "operative")
        let ownItem = bySite ? itemOfSentence[mention.sentence] : nil
        func outsideOtherItems(_ hit: Int) -> Bool {
            guard let ownItem, let other = itemOfSentence[scan.attributes[hit].sentence] else { return true }
            return other == ownItem
        }
        var found: [Int] = []
        if index.hasEmptyRange {
            found = index.hitsByAttribute[attribute].filter {
                !negated.contains($0) && inSections($0) && outsideOtherItems($0) && !claimed($0, from: mentionIndex)
            }
            return found.map { (scan.attributes[$0], $0) }
        }
        // The mention's own sentence: a value there is claimed only by a separate list item.
        for hit in LinkIndex.hits(of: attribute, sentence: mention.sentence, scan: scan)
        where !negated.contains(hit) && inSections(hit) && !claimed(hit, from: mentionIndex) {
            found.append(hit)
        }
        let grouped = groups(of: attribute, kind: kind)
        var lists: [ArraySlice<Int>] = []
        if let ownItem {
            // Outside every item, and in the other sentences of the mention's own item.
            let outside = groupsOutsideItems(of: attribute, kind: kind)
            for key in [-1, mention.concept] {
                if let list = outside[key] { lists += stretches(of: list, in: sections) }
                if let list = grouped[key] { lists.append(sentencesOfItem(ownItem, in: list)) }
            }
        } else {
            for key in [-1, mention.concept] {
                if let list = grouped[key] { lists += stretches(of: list, in: sections) }
            }
        }
        for stretch in lists {
            if every {
                found += stretch.filter { scan.attributes[$0].sentence != mention.sentence }
            } else {
                found += nearest(in: stretch, to: mention)
            }
        }
        found.sort()
        return found.map { (scan.attributes[$0], $0) }
    }

    /// The values nearest the mention on each side (with any as near), outside its sentence.
    private func nearest(in stretch: ArraySlice<Int>, to mention: Mention) -> [Int] {
        var result: [Int] = []
        let split = CueIndex.firstPosition(in: stretch) { scan.attributes[$0].range.lowerBound >= mention.range.lowerBound }
        var nearestDistance: Int?
        for hit in stretch[..<split].reversed() where scan.attributes[hit].sentence != mention.sentence {
            let distance = AttributeLinker.distance(scan.attributes[hit].range, mention.range)
            if let nearestDistance, distance != nearestDistance { break }
            nearestDistance = distance
            result.append(hit)
        }
        nearestDistance = nil
        for hit in stretch[split...] where scan.attributes[hit].sentence != mention.sentence {
            let distance = AttributeLinker.distance(scan.attributes[hit].range, mention.range)
            if let nearestDistance, distance != nearestDistance { break }
            nearestDistance = distance
            result.append(hit)
        }
        return result
    }

    /// The parts of a list (in text order) whose values lie in `sections`: a section's values
    /// are those of its sentences, which follow one another.
    private func stretches(of list: [Int], in sections: Set<Int>?) -> [ArraySlice<Int>] {
        guard let sections else { return [list[...]] }
        return sections.sorted().compactMap { section in
            let first = CueIndex.firstPosition(in: document.sentences) { $0.section >= section }
            let end = CueIndex.firstPosition(in: document.sentences) { $0.section > section }
            guard first < end else { return nil }
            let from = CueIndex.firstPosition(in: list) { scan.attributes[$0].sentence >= first }
            let to = CueIndex.firstPosition(in: list) { scan.attributes[$0].sentence >= end }
            return from < to ? list[from..<to] : nil
        }
    }

    /// The values of `list` in the sentences of one list item (they follow one another).
    private func sentencesOfItem(_ item: Int, in list: [Int]) -> ArraySlice<Int> {
        guard let (first, last) = itemSentences[item] else { return [] }
        let from = CueIndex.firstPosition(in: list) { scan.attributes[$0].sentence >= first }
        let to = CueIndex.firstPosition(in: list) { scan.attributes[$0].sentence > last }
        return from < to ? list[from..<to] : []
    }

    private func groupsOutsideItems(of attribute: Int, kind: ConceptKind) -> [Int: [Int]] {
        let key = TakerKey(item: attribute, kind: kind)
        if let known = groupsOutsideItems[key] { return known }
        let outside = groups(of: attribute, kind: kind).mapValues { $0.filter { itemOfSentence[scan.attributes[$0].sentence] == nil } }
        groupsOutsideItems[key] = outside
        return outside
    }

    private func groups(of attribute: Int, kind: ConceptKind) -> [Int: [Int]] {
        let key = TakerKey(item: attribute, kind: kind)
        if let known = groups[key] { return known }
        var grouped: [Int: [Int]] = [:]
        for hit in index.hitsByAttribute[attribute] where !negated.contains(hit) {
            grouped[nearestTaker(of: hit, kind: kind).map { scan.mentions[$0].concept } ?? -1, default: []].append(hit)
        }
        groups[key] = grouped
        return grouped
    }
}
