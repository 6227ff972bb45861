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
