/// Ties attribute values to the mentions they describe, then merges mentions into findings.
enum AttributeLinker {
    /// Side words further than this from a site word are not read as that site's side.
    static let bindingReach = 24
    /// A side written after the site binds only when it follows directly ("knee, right").
    static let followingReach = 3

    static func findings(
        affirmed: [Int], document: Document, scan: Scan, lexicon: Lexicon, negatedAttributes: Set<Int>,
        stated: (Int) -> Bool = { _ in false }
    ) -> [Finding] {
        let sideIndex = lexicon.attributeIndex["side"]
        var grouped: [String: Finding] = [:]
        var order: [String] = []
        // The sections that tell a procedure (tag `procedure`, not a title), found once per note.
        let details = Set(document.sections.indices.filter {
            lexicon.section(document.sections[$0], hasTag: "procedure") && !lexicon.section(document.sections[$0], hasTag: "title")
        })

        for mentionIndex in affirmed {
            let mention = scan.mentions[mentionIndex]
            let concept = lexicon.concepts[mention.concept]
            var values: [String: [LinkedValue]] = [:]
            for name in concept.attributes {
                guard let attributeIndex = lexicon.attributeIndex[name] else { continue }
                let linked = link(attributeIndex, to: mentionIndex, document: document, scan: scan, lexicon: lexicon,
                                  negated: negatedAttributes, details: details)
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
                if var existing = grouped[key] {
                    existing.mentions.append(mentionIndex)
                    for (name, list) in values {
                        for value in list where !(existing.values[name] ?? []).contains(where: { $0.value == value.value && $0.range == value.range }) {
                            existing.values[name, default: []].append(value)
                        }
                    }
                    merge(side: side, into: &existing, kind: concept.kind)
                    grouped[key] = existing
                } else {
                    grouped[key] = Finding(concept: mention.concept, mentions: [mentionIndex], site: site, values: values, side: side, conflictingSides: [])
                    order.append(key)
                }
            }
        }
        let findings = order.compactMap { grouped[$0] }
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
        // way only to a precise one stated there too, not to one read from the history.
        func isStated(_ finding: Finding) -> Bool { finding.mentions.contains(where: stated) }
        return findings.filter { finding in
            lexicon.concepts[finding.concept].per == nil || !isVague(finding)
                || !findings.contains { $0.concept == finding.concept && !isVague($0) && (isStated($0) || !isStated(finding)) }
        }
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
        details: Set<Int>
    ) -> [AttributeHit] {
        let mention = scan.mentions[mentionIndex]
        let attribute = lexicon.attributes[attributeIndex]
        let reach = lexicon.concepts[mention.concept].reach[attribute.id] ?? attribute.reach
        let kind = lexicon.concepts[mention.concept].kind
        // A mention that spans this one ("chronic left leg pain" around "leg pain") reads the same
        // words more widely; it does not take their side or site away.
        let rivals = scan.mentionsBySentence[mention.sentence].filter {
            $0 != mentionIndex && lexicon.concepts[scan.mentions[$0].concept].kind == kind
                && scan.mentions[$0].concept != mention.concept
                && !(scan.mentions[$0].range.lowerBound <= mention.range.lowerBound && scan.mentions[$0].range.upperBound >= mention.range.upperBound)
        }
        var candidates: [(hit: AttributeHit, index: Int)] = scan.attributesBySentence[mention.sentence].compactMap { i in
            let hit = scan.attributes[i]
            guard hit.attribute == attributeIndex, !negated.contains(i) else { return nil }
            let mine = distance(hit.range, mention.range)
            if rivals.contains(where: { distance(hit.range, scan.mentions[$0].range) < mine }) { return nil }
            return (hit, i)
        }
        if candidates.isEmpty && attribute.distributes {
            candidates = listNeighbourValues(attributeIndex, for: mentionIndex, rivals: rivals, scan: scan, negated: negated)
        }
        if candidates.isEmpty && (reach == .section || reach == .note) {
            let sections = procedureSections(around: document.sentences[mention.sentence].section, document: document, lexicon: lexicon, details: details)
            candidates = scan.attributes.enumerated().compactMap { i, hit in
                guard hit.attribute == attributeIndex, !negated.contains(i),
                      sections.contains(document.sentences[hit.sentence].section),
                      !claimedElsewhere(hit, attributeId: attribute.id, from: mention, document: document, scan: scan, lexicon: lexicon) else { return nil }
                return (hit, i)
            }
        }
        if candidates.isEmpty && reach == .note {
            candidates = scan.attributes.enumerated().compactMap { i, hit in
                guard hit.attribute == attributeIndex, !negated.contains(i),
                      !claimedElsewhere(hit, attributeId: attribute.id, from: mention, document: document, scan: scan, lexicon: lexicon) else { return nil }
                return (hit, i)
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
        return candidates.first.map { [$0.hit] } ?? []
    }

    /// Whether a value read beyond the mention's own words (the section, the note) belongs to a
    /// different diagnosis: the nearest mention in its sentence that takes the same attribute is
    /// of another concept. "Lumbar spinal stenosis ... with intermittent lower extremity
    /// radiculopathy" ties the radiculopathy to the stenosis, so the disc degeneration of another
    /// impression line, or of the same list ("lumbar degenerative disc disease, lumbar
    /// spondylosis, ... lumbar spinal stenosis primarily bilateral recess, intermittent lower
    /// extremity radiculopathy"), is not "with radiculopathy" by it; in "lumbar radiculopathy,
    /// degenerative disc disease, lumbar spinal stenosis" the disc is nearest and takes it.
    static func claimedElsewhere(_ hit: AttributeHit, attributeId: String, from mention: Mention, document: Document, scan: Scan, lexicon: Lexicon) -> Bool {
        let kind = lexicon.concepts[mention.concept].kind
        let takers = scan.mentionsBySentence[hit.sentence].filter { other in
            let candidate = scan.mentions[other]
            let concept = lexicon.concepts[candidate.concept]
            return concept.kind == kind && !candidate.range.overlaps(hit.range) && concept.attributes.contains(attributeId)
        }
        guard let nearest = takers.min(by: { distance(hit.range, scan.mentions[$0].range) < distance(hit.range, scan.mentions[$1].range) })
        else { return false }
        guard scan.mentions[nearest].concept != mention.concept else { return false }
        guard hit.sentence == mention.sentence else { return true }
        // In its own sentence, only a separate list item claims it: "degenerative disk
        // disease/disk protrusions/spondylosis with radiculopathy" is one compound diagnosis with
        // its radiculopathy, items parted by commas or semicolons are not.
        let other = scan.mentions[nearest].range
        let gap = min(other.lowerBound, mention.range.lowerBound)..<max(other.upperBound, mention.range.upperBound)
        return document.bytes[gap].contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ";") }
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
                let range = scan.mentions[neighbour].range
                let owned = hits.filter {
                    owner($0) == neighbour
                        && (backwards ? scan.attributes[$0].range.upperBound <= range.lowerBound : scan.attributes[$0].range.lowerBound >= range.upperBound)
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
        let sides = scan.attributesBySentence[hit.sentence].filter { scan.attributes[$0].attribute == sideIndex && !negated.contains($0) }
        // English puts the side before the site ("left knee"); a side after it binds only when it
        // follows at once ("knee, right"), not in "hips, left worse than right".
        let before = sides.filter { scan.attributes[$0].range.upperBound <= hit.range.lowerBound }
            .max { scan.attributes[$0].range.lowerBound < scan.attributes[$1].range.lowerBound }
        if let before, distance(scan.attributes[before].range, hit.range) <= bindingReach {
            return lexicon.attributes[sideIndex].values[scan.attributes[before].value].value
        }
        let after = sides.filter { scan.attributes[$0].range.lowerBound >= hit.range.upperBound }
            .min { scan.attributes[$0].range.lowerBound < scan.attributes[$1].range.lowerBound }
        if let after, distance(scan.attributes[after].range, hit.range) <= followingReach {
            return lexicon.attributes[sideIndex].values[scan.attributes[after].value].value
        }
        return nil
    }

    static func distance(_ a: Range<Int>, _ b: Range<Int>) -> Int {
        if a.overlaps(b) { return 0 }
        return a.upperBound <= b.lowerBound ? b.lowerBound - a.upperBound : a.lowerBound - b.upperBound
    }
}
