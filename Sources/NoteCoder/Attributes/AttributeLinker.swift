/// Ties attribute values to the mentions they describe, then merges mentions into findings.
enum AttributeLinker {
    /// Side words further than this from a site word are not read as that site's side.
    static let bindingReach = 24
    /// A side written after the site binds only when it follows directly ("knee, right").
    static let followingReach = 3

    static func findings(
        affirmed: [Int], document: Document, scan: Scan, lexicon: Lexicon, negatedAttributes: Set<Int>, deadline: Deadline? = nil,
        stated: (Int) -> Bool = { _ in false }
    ) throws(Interruption) -> [Finding] {
        let sideIndex = lexicon.attributeIndex["side"]
        let index = LinkIndex(scan: scan, lexicon: lexicon)
        let far = FarReach(document: document, scan: scan, lexicon: lexicon, negated: negatedAttributes, index: index)
        var grouped: [String: Int] = [:]
        var findings: [Finding] = []
        // The values each finding holds, so that merging the thousandth mention of a finding
        // does not compare against every value the first 999 brought.
        var held: [[String: Set<HeldValue>]] = []
        // The sections that tell a procedure (tag `procedure`, not a title), found once per note.
        let details = Set(document.sections.indices.filter {
            lexicon.section(document.sections[$0], hasTag: "procedure") && !lexicon.section(document.sections[$0], hasTag: "title")
        })

        for mentionIndex in affirmed {
            try deadline?.check()
            let mention = scan.mentions[mentionIndex]
            let concept = lexicon.concepts[mention.concept]
            var values: [String: [LinkedValue]] = [:]
            for name in concept.attributes {
                guard let attributeIndex = lexicon.attributeIndex[name] else { continue }
                let linked = link(attributeIndex, to: mentionIndex, document: document, scan: scan, lexicon: lexicon,
                                  negated: negatedAttributes, details: details, index: index, far: far)
                values[name] = linked.map { hit in
                    LinkedValue(value: hit.value, range: hit.range,
                                side: boundSide(of: hit, sideIndex: sideIndex, scan: scan, lexicon: lexicon, negated: negatedAttributes),
                                inferred: hit.sentence != mention.sentence, number: hit.number, levels: hit.levels)
                }
            }
            let mentionSide = values["side"]?.first.map { lexicon.attributes[sideIndex!].values[$0.value].value }
            let sites: [LinkedValue?] = concept.per.flatMap { values[$0] }.map { $0.isEmpty ? [nil] : $0.map(Optional.some) } ?? [nil]
            for site in sites {
                let siteKey = site.map { String($0.value) } ?? "-"
                let key = "\(mention.concept)|\(siteKey)"
                let side = site?.side ?? mentionSide
                let values = sites.count > 1 && concept.kind == .condition
                    ? ownValues(values, site: site, others: sites, per: concept.per, lexicon: lexicon) : values
                if let existing = grouped[key] {
                    findings[existing].mentions.append(mentionIndex)
                    for (name, list) in values {
                        for value in list where held[existing][name, default: []].insert(HeldValue(value)).inserted {
                            findings[existing].values[name, default: []].append(value)
                        }
                    }
                    merge(side: side, into: &findings[existing], kind: concept.kind)
                } else {
                    grouped[key] = findings.count
                    findings.append(Finding(concept: mention.concept, mentions: [mentionIndex], site: site, values: values, side: side, conflictingSides: []))
                    held.append(values.mapValues { Set($0.map(HeldValue.init)) })
                }
            }
        }
        // "Osteoarthritis" restated without a joint is the same condition as the sited one, not
        // a second condition of an unknown joint.
        // Likewise a vague value ("occipital nerve") beside a specific one ("greater occipital
        // nerve") in the same note is the same site told less precisely.
        // And a site only inferred from the surrounding text gives way to one named with the
        // mention itself ("shoulder propped on a pillow" beside "AC joint injection").
        func isVague(_ finding: Finding) -> Bool {
            guard let site = finding.site, let per = lexicon.concepts[finding.concept].per,
                  let attribute = lexicon.attribute(per) else { return finding.site == nil }
            return site.inferred || attribute.values[site.value].properties["vague"] == "yes"
        }
        // A vague site the note states under a diagnosis heading ("left L3, L4 and L5 roots") gives
        // way only to a precise one stated there too, not to one read from the history; no site at
        // all ("DIAGNOSES: ... 2. Osteoarthritis." after "osteoarthritis of the bilateral knees"
        // in the history) is the sited condition restated, wherever that was told.
        func isStated(_ finding: Finding) -> Bool { finding.mentions.contains(where: stated) }
        // A vague site restates a precise one only in the same area of the body (the values'
        // `area`): "thoracic facet syndrome" listed beside "facet syndrome at L4-5" is a second
        // condition, not the lumbar one told less precisely.
        func area(_ finding: Finding) -> String? {
            guard let site = finding.site, let per = lexicon.concepts[finding.concept].per else { return nil }
            return lexicon.attribute(per)?.values[site.value].properties["area"]
        }
        func restates(_ vague: Finding, _ precise: Finding) -> Bool {
            guard let own = area(vague), let other = area(precise) else { return true }
            return own == other
        }
        // No site at all restates a region too ("radicular pain" in the indications beside
        // "right lumbosacral radiculopathy" under the diagnosis, mts-2466): only two sites told
        // equally vaguely stay apart.
        func moreSited(_ other: Finding, than finding: Finding) -> Bool {
            !isVague(other) || (finding.site == nil && other.site != nil)
        }
        return findings.filter { finding in
            lexicon.concepts[finding.concept].per == nil || !isVague(finding)
                || !findings.contains { $0.concept == finding.concept && moreSited($0, than: finding) && (finding.site == nil || isStated($0) || !isStated(finding)) && restates(finding, $0) }
        }
    }

    /// A condition told at several sites in one sentence ("degenerative disc disease in both the
    /// cervical spine and the lumbar spine") is one finding per site; a value of another attribute
    /// read from the very words of a site in another area of the body (the region "cervical" the
    /// broader spine-area attribute reads in "the cervical spine") is that site's, not this one's,
    /// or the lumbar finding would be coded at the cervical region. A region word written once
    /// for levels of its own area ("lumbosacral spondylosis (facet arthropathy L4-5 and L5-S1)")
    /// stays with every level; values from other sentences are left as found.
    static func ownValues(_ values: [String: [LinkedValue]], site: LinkedValue?, others: [LinkedValue?], per: String?, lexicon: Lexicon) -> [String: [LinkedValue]] {
        guard let site, let per, let siteAttribute = lexicon.attribute(per),
              let ownArea = siteAttribute.values[site.value].properties["area"] else { return values }
        let elsewhere = others.compactMap { $0 }.filter {
            siteAttribute.values[$0.value].properties["area"].map { $0 != ownArea } ?? false
        }.map(\.range)
        guard !elsewhere.isEmpty else { return values }
        var own = values
        for (name, list) in values where name != per {
            own[name] = list.filter { value in value.inferred || !elsewhere.contains(where: { $0.overlaps(value.range) }) }
        }
        return own
    }

    /// Sides from several mentions: for a condition, right here and left there is both sides;
    /// for a procedure it is a contradiction the provider must settle.
    static func merge(side: String?, into finding: inout Finding, kind: ConceptKind) {
        guard let side, side != finding.side else { return }
        guard let current = finding.side else {
            if finding.conflictingSides.isEmpty { finding.side = side }
            return
        }
        switch kind {
        case .condition:
            if current == "bilateral" || side == "bilateral" || Set([current, side]) == ["right", "left"] { finding.side = "bilateral" }
        case .procedure:
            if current == "bilateral" || side == "bilateral" { return }
            finding.conflictingSides = [current, side].sorted()
            finding.side = nil
        }
    }

    /// The hits of one attribute that belong to a mention: in its sentence, owned by the nearest
    /// mention of the same kind; or, for attributes that reach the section, the nearest there.
    static func link(
        _ attributeIndex: Int, to mentionIndex: Int, document: Document, scan: Scan, lexicon: Lexicon, negated: Set<Int>,
        details: Set<Int>, index: LinkIndex, far: FarReach
    ) -> [AttributeHit] {
        let mention = scan.mentions[mentionIndex]
        let attribute = lexicon.attributes[attributeIndex]
        let reach = lexicon.concepts[mention.concept].reach[attribute.id] ?? attribute.reach
        let every = attribute.numeric || attribute.levels || attribute.multiple
        var candidates = ownedInSentence(attributeIndex, by: mentionIndex, every: every, scan: scan, lexicon: lexicon, negated: negated, index: index)
        if attribute.multiple && !attribute.numeric && !attribute.levels {
            candidates = ownSideOfCause(candidates, mention: mention, scan: scan, lexicon: lexicon)
        }
        if candidates.isEmpty && attribute.distributes {
            candidates = listNeighbourValues(attributeIndex, for: mentionIndex, rivals: rivals(of: mentionIndex, scan: scan, lexicon: lexicon),
                                             scan: scan, negated: negated)
        }
        if candidates.isEmpty && (reach == .section || reach == .note) {
            let sections = procedureSections(around: document.sentences[mention.sentence].section, document: document, lexicon: lexicon, details: details)
            candidates = far.candidates(attributeIndex, for: mentionIndex, in: sections, every: every)
        }
        if candidates.isEmpty && reach == .note {
            candidates = far.candidates(attributeIndex, for: mentionIndex, in: nil, every: every)
        }
        if attribute.pooled {
            let known = Set(candidates.map(\.index))
            for i in far.pooled(attributeIndex, section: document.sentences[mention.sentence].section) where !known.contains(i) {
                candidates.append((scan.attributes[i], i))
            }
        }
        candidates.sort { distance($0.hit.range, mention.range) < distance($1.hit.range, mention.range) }
        if attribute.numeric || attribute.levels {
            // Every number counts (a time log adds up), each once.
            return candidates.map(\.hit).sorted { $0.range.lowerBound < $1.range.lowerBound }
        }
        if attribute.multiple {
            // Repeats are kept: "R splenius ..., L splenius" names the muscle on both sides.
            return candidates.map(\.hit).sorted { $0.range.lowerBound < $1.range.lowerBound }
        }
        guard let nearest = candidates.first else { return [] }
        if lexicon.concepts[mention.concept].per == attribute.id, nearest.hit.sentence == mention.sentence {
            return coordinated(with: nearest, attributeIndex: attributeIndex, mentionIndex: mentionIndex, document: document,
                               scan: scan, lexicon: lexicon, negated: negated, index: index)
        }
        return [nearest.hit]
    }

    /// "Osteoarthritis of the right knee and left hip", "arthralgias involving bilateral wrists,
    /// shoulders, elbows, knees, ankles": the sites a list joins to the nearest one are the
    /// mention's sites too, each coded on its own (the concept's `per`), not the first alone.
    /// Only sites the mention owns in its sentence, and only across list words (a comma, "and",
    /// "or", "&", "/", with sides and articles): any other word between two sites ends the list,
    /// so "knee osteoarthritis and hip pain" keeps the hip with its pain.
    static func coordinated(
        with nearest: (hit: AttributeHit, index: Int), attributeIndex: Int, mentionIndex: Int, document: Document, scan: Scan,
        lexicon: Lexicon, negated: Set<Int>, index: LinkIndex
    ) -> [AttributeHit] {
        let owned = ownedInSentence(attributeIndex, by: mentionIndex, every: true, scan: scan, lexicon: lexicon, negated: negated, index: index)
        guard owned.count > 1 else { return [nearest.hit] }
        let sorted = owned.sorted { $0.hit.range.lowerBound < $1.hit.range.lowerBound }
        guard let at = sorted.firstIndex(where: { $0.index == nearest.index }) else { return [nearest.hit] }
        let bytes = document.bytes
        let sides = sideRanges(in: nearest.hit.sentence, scan: scan, lexicon: lexicon)
        var first = at, last = at
        while first > 0, joinsList(bytes, sorted[first - 1].hit.range.upperBound, sorted[first].hit.range.lowerBound, sides: sides) { first -= 1 }
        while last + 1 < sorted.count, joinsList(bytes, sorted[last].hit.range.upperBound, sorted[last + 1].hit.range.lowerBound, sides: sides) { last += 1 }
        // The nearest first: a finding's first value is the one its side and evidence read. A
        // site named again ("right knee and left knee") is the same site, whose sides the
        // nearest-value rule already reads; only other sites are added.
        var result = [nearest.hit]
        for other in sorted[first...last] where !result.contains(where: { $0.value == other.hit.value }) { result.append(other.hit) }
        return result
    }

    /// Where the lexicon's side words stand in a sentence: a list of sites may carry them.
    static func sideRanges(in sentence: Int, scan: Scan, lexicon: Lexicon) -> [Range<Int>] {
        guard let side = lexicon.attributeIndex["side"] else { return [] }
        return LinkIndex.hits(of: side, sentence: sentence, scan: scan).map { scan.attributes[$0].range }
    }

    /// The words between two sites are list words only: a joiner (comma, "and", "or", "&", "/"),
    /// an article, and the side words the lexicon found there ("right knee and left hip").
    static func joinsList(_ bytes: [UInt8], _ from: Int, _ to: Int, sides: [Range<Int>]) -> Bool {
        guard from <= to, to - from <= 40 else { return false }
        var gap = Array(bytes[from..<to])
        for side in sides where side.overlaps(from..<to) {
            for i in max(side.lowerBound, from)..<min(side.upperBound, to) { gap[i - from] = 0x20 }
        }
        let joiners: Set<String> = ["and", "or", "&", "/", ","]
        let articles: Set<String> = ["the", "her", "his"]
        let words = String(decoding: gap, as: UTF8.self).lowercased()
            .replacingOccurrences(of: ",", with: " , ").replacingOccurrences(of: "/", with: " / ")
            .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map(String.init)
        var joined = false
        for word in words {
            if joiners.contains(word) { joined = true } else if !articles.contains(word) { return false }
        }
        return joined
    }

    /// Where a mention has values of its own and a causal cue ("secondary to", "due to") parts it
    /// from others, those beyond the cue describe the cause: "right lumbosacral radiculopathy
    /// secondary to lumbar spondylolysis" is a lumbosacral radiculopathy, not a lumbar one too.
    /// A mention with no value on its own side still takes the cause's ("radiculopathy secondary
    /// to a disc herniation at L5-S1").
    static func ownSideOfCause(_ candidates: [(hit: AttributeHit, index: Int)], mention: Mention, scan: Scan, lexicon: Lexicon) -> [(hit: AttributeHit, index: Int)] {
        guard candidates.count > 1 else { return candidates }
        // Only the causal cue nearest the mention on each side parts anything.
        var after = Int.max, before = Int.min
        for index in scan.cuesBySentence[mention.sentence] where lexicon.cues[scan.cues[index].cue].causal {
            let range = scan.cues[index].range
            if range.lowerBound >= mention.range.upperBound { after = min(after, range.upperBound) }
            if range.upperBound <= mention.range.lowerBound { before = max(before, range.lowerBound) }
        }
        guard after != Int.max || before != Int.min else { return candidates }
        func beyondCause(_ range: Range<Int>) -> Bool {
            range.lowerBound >= mention.range.upperBound ? range.lowerBound >= after : range.upperBound <= before
        }
        let own = candidates.filter { !beyondCause($0.hit.range) }
        return own.isEmpty ? candidates : own
    }

    /// The mentions that compete with this one for the values of its sentence: the same kind,
    /// another concept. A mention that spans this one ("chronic left leg pain" around "leg
    /// pain") reads the same words more widely; it does not take their side or site away.
    static func rivals(of mentionIndex: Int, scan: Scan, lexicon: Lexicon) -> [Int] {
        let mention = scan.mentions[mentionIndex]
        let kind = lexicon.concepts[mention.concept].kind
        return scan.mentionsBySentence[mention.sentence].filter {
            $0 != mentionIndex && lexicon.concepts[scan.mentions[$0].concept].kind == kind
                && scan.mentions[$0].concept != mention.concept
                && !(scan.mentions[$0].range.lowerBound <= mention.range.lowerBound && scan.mentions[$0].range.upperBound >= mention.range.upperBound)
        }
    }

    /// The values of an attribute in the mention's sentence that no rival mention stands nearer
    /// to, in text order: all of them when `every`, else enough to choose the nearest (those on
    /// the mention's words and the nearest on each side).
    ///
    /// Only three kinds of rival can stand nearer to a value than the mention: the rival ending
    /// last before the mention, the one starting first after it, and those overlapping it; and
    /// past the nearest rival on a side, every value is that rival's. So the walk from the
    /// mention outwards stops there, and a long run of one phrase costs what one phrase does.
    static func ownedInSentence(
        _ attributeIndex: Int, by mentionIndex: Int, every: Bool, scan: Scan, lexicon: Lexicon, negated: Set<Int>, index: LinkIndex
    ) -> [(hit: AttributeHit, index: Int)] {
        let mention = scan.mentions[mentionIndex]
        let hits = LinkIndex.hits(of: attributeIndex, sentence: mention.sentence, scan: scan)
        guard !hits.isEmpty else { return [] }
        if index.hasEmptyRange {
            let rivals = rivals(of: mentionIndex, scan: scan, lexicon: lexicon)
            return hits.compactMap { i in
                let hit = scan.attributes[i]
                guard !negated.contains(i) else { return nil }
                let mine = distance(hit.range, mention.range)
                if rivals.contains(where: { distance(hit.range, scan.mentions[$0].range) < mine }) { return nil }
                return (hit, i)
            }
        }
        let own = mention.range
        var before: Range<Int>?, after: Range<Int>?
        var overlapping: [Range<Int>] = []
        if let list = index.rivals(sentence: mention.sentence, kind: lexicon.concepts[mention.concept].kind) {
            var next = CueIndex.firstPosition(in: list.byStart) { scan.mentions[$0].range.lowerBound >= own.upperBound }
            if next < list.byStart.count, scan.mentions[list.byStart[next]].concept == mention.concept { next = list.nextOtherConcept[next] }
            if next < list.byStart.count { after = scan.mentions[list.byStart[next]].range }
            var last = CueIndex.firstPosition(in: list.byEnd) { scan.mentions[$0].range.upperBound > own.lowerBound } - 1
            if last >= 0, scan.mentions[list.byEnd[last]].concept == mention.concept { last = list.previousOtherConcept[last] }
            if last >= 0 { before = scan.mentions[list.byEnd[last]].range }
            var position = CueIndex.firstPosition(in: list.byStart) { scan.mentions[$0].range.lowerBound > own.lowerBound - list.longest }
            while position < list.byStart.count, scan.mentions[list.byStart[position]].range.lowerBound < own.upperBound {
                let other = list.byStart[position]
                let range = scan.mentions[other].range
                if other != mentionIndex, scan.mentions[other].concept != mention.concept, range.upperBound > own.lowerBound,
                   !(range.lowerBound <= own.lowerBound && range.upperBound >= own.upperBound) {
                    overlapping.append(range)
                }
                position += 1
            }
        }
        func owned(_ range: Range<Int>) -> Bool {
            let mine = distance(range, own)
            guard mine > 0 else { return true }
            if let before, distance(range, before) < mine { return false }
            if let after, distance(range, after) < mine { return false }
            return !overlapping.contains { distance(range, $0) < mine }
        }
        // A sentence's values of one attribute never overlap, so by start is also by end.
        let firstOnMention = CueIndex.firstPosition(in: hits) { scan.attributes[$0].range.upperBound > own.lowerBound }
        let firstAfter = CueIndex.firstPosition(in: hits) { scan.attributes[$0].range.lowerBound >= own.upperBound }
        var leftward: [(hit: AttributeHit, index: Int)] = []
        for i in hits[..<firstOnMention].reversed() {
            let hit = scan.attributes[i]
            if let before, hit.range.upperBound <= before.upperBound, hit.range.upperBound < own.lowerBound { break }
            guard !negated.contains(i), owned(hit.range) else { continue }
            leftward.append((hit, i))
            if !every { break }
        }
        var result: [(hit: AttributeHit, index: Int)] = leftward.reversed()
        for i in hits[firstOnMention..<firstAfter] where !negated.contains(i) { result.append((scan.attributes[i], i)) }
        for i in hits[firstAfter...] {
            let hit = scan.attributes[i]
            if let after, hit.range.lowerBound >= after.lowerBound, hit.range.lowerBound > own.upperBound { break }
            guard !negated.contains(i), owned(hit.range) else { continue }
            result.append((hit, i))
            if !every { break }
        }
        return result
    }

    /// For a mention that owns no value of a distributing attribute in its sentence: the values
    /// its neighbour in a list owns. "L4-L5 and L5-S1 degenerative disk disease/disk
    /// protrusions/spondylosis" names the levels once for the whole list, so the nearest-owner
    /// rule would give them to the first diagnosis only. The neighbour is the nearest mention of
    /// the same kind before this one (else after it) that owns values, with no value of the
    /// attribute between them; "L4-5 herniation and C5-6 spondylosis" keeps each level with its
    /// own diagnosis.
    static func listNeighbourValues(
        _ attributeIndex: Int, for mentionIndex: Int, rivals: [Int], scan: Scan, negated: Set<Int>
    ) -> [(hit: AttributeHit, index: Int)] {
        let mention = scan.mentions[mentionIndex]
        let hits = scan.attributesBySentence[mention.sentence].filter {
            scan.attributes[$0].attribute == attributeIndex && !negated.contains($0)
        }
        guard !hits.isEmpty else { return [] }
        let group = rivals + [mentionIndex]
        func owner(_ hit: Int) -> Int? {
            group.min { distance(scan.attributes[hit].range, scan.mentions[$0].range) < distance(scan.attributes[hit].range, scan.mentions[$1].range) }
        }
        func valueBetween(_ gap: Range<Int>) -> Bool {
            hits.contains { gap.contains(scan.attributes[$0].range.lowerBound) }
        }
        // Walk the list outwards from the mention, first backwards, then forwards; a value met on
        // the way belongs to a diagnosis of its own and ends the walk.
        let before = rivals.filter { scan.mentions[$0].range.upperBound <= mention.range.lowerBound }
            .sorted { scan.mentions[$0].range.lowerBound > scan.mentions[$1].range.lowerBound }
        let after = rivals.filter { scan.mentions[$0].range.lowerBound >= mention.range.upperBound }
            .sorted { scan.mentions[$0].range.lowerBound < scan.mentions[$1].range.lowerBound }
        for (neighbours, backwards) in [(before, true), (after, false)] {
            for neighbour in neighbours {
                // Only a value at the list's end (before its first diagnosis, after its last)
                // speaks for the list: "protrusion at C5-6 with multilevel disc disease" does not.
                // Forwards, the last diagnosis's words may hold the levels ("spondylolisthesis and
                // stenosis at L4-5 and L5-S1", where the stenosis is read with "at L4-5"): a value
                // past the neighbour's first word is at the list's end; one it opens with ("and
                // C5-6 stenosis") is its own.
                let range = scan.mentions[neighbour].range
                let owned = hits.filter {
                    owner($0) == neighbour
                        && (backwards ? scan.attributes[$0].range.upperBound <= range.lowerBound : scan.attributes[$0].range.lowerBound > range.lowerBound)
                }
                if !owned.isEmpty { return owned.map { (scan.attributes[$0], $0) } }
                if valueBetween(backwards ? range.upperBound..<mention.range.lowerBound : mention.range.upperBound..<range.lowerBound) { break }
            }
        }
        return []
    }

    /// The section a mention is in; for a procedure title, also the sections that tell that
    /// procedure (tag `procedure`): the title and its details are one procedure, so the level or
    /// side written only in the details belongs to the title's procedure. A note's opening lines
    /// before any heading ("CERVICAL FACET JOINT INJECTION WITH CONTRAST.") are its title.
    static func procedureSections(around section: Int, document: Document, lexicon: Lexicon, details: Set<Int>) -> Set<Int> {
        let opening = section == 0 && document.sections[section].definition == nil
        guard lexicon.section(document.sections[section], hasTag: "title") || opening else { return [section] }
        return details.union([section])
    }

    /// The side word right next to a site word, when the side attribute binds to that attribute.
    static func boundSide(of hit: AttributeHit, sideIndex: Int?, scan: Scan, lexicon: Lexicon, negated: Set<Int>) -> String? {
        guard let sideIndex, lexicon.attributes[sideIndex].binds.contains(lexicon.attributes[hit.attribute].id) else { return nil }
        // Side words never overlap one another, so those ending before the site come first and
        // the search stops once a side is out of reach.
        let sides = LinkIndex.hits(of: sideIndex, sentence: hit.sentence, scan: scan)
        // English puts the side before the site ("left knee"); a side after it binds only when it
        // follows at once ("knee, right"), not in "hips, left worse than right".
        let firstNotBefore = CueIndex.firstPosition(in: sides) { scan.attributes[$0].range.upperBound > hit.range.lowerBound }
        for side in sides[..<firstNotBefore].reversed() {
            if distance(scan.attributes[side].range, hit.range) > bindingReach { break }
            if !negated.contains(side) { return lexicon.attributes[sideIndex].values[scan.attributes[side].value].value }
        }
        let firstAfter = CueIndex.firstPosition(in: sides) { scan.attributes[$0].range.lowerBound >= hit.range.upperBound }
        for side in sides[firstAfter...] {
            if distance(scan.attributes[side].range, hit.range) > followingReach { break }
            if !negated.contains(side) { return lexicon.attributes[sideIndex].values[scan.attributes[side].value].value }
        }
        return nil
    }

    static func distance(_ a: Range<Int>, _ b: Range<Int>) -> Int {
        if a.overlaps(b) { return 0 }
        return a.upperBound <= b.lowerBound ? b.lowerBound - a.upperBound : a.lowerBound - b.upperBound
    }
}

/// A value as a finding holds it once: the same value from the same words.
struct HeldValue: Hashable {
    var value: Int
    var range: Range<Int>

    init(_ linked: LinkedValue) {
        value = linked.value
        range = linked.range
    }
}
