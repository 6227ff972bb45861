/// Turning findings into claim lines: sides shared between a procedure and the condition it
/// treats, symptoms set aside for the diagnosis that explains them, diagnosis codes, procedure
/// lines with modifiers, units and pointers. These are stages of `NoteRun`, kept here with the
/// other coding code so the pipeline's folders show where each decision is made.
extension NoteRun {
    /// A side documented for a procedure tells the side of the condition it treats at the same
    /// site, and the other way round — but only when exactly one side is on offer.
    func shareSides(_ findings: inout [Finding]) {
        // A service with no side of its own (care management) neither takes nor gives one.
        for p in findings.indices where lexicon.concepts[findings[p].concept].kind == .procedure
            && lexicon.concepts[findings[p].concept].attributes.contains("side") {
            let supports = Set(lexicon.concepts[findings[p].concept].supports)
            let partners = findings.indices.filter {
                supports.contains(lexicon.concepts[findings[$0].concept].id) && sameSite(findings[p], findings[$0])
            }
            if findings[p].side == nil && findings[p].conflictingSides.isEmpty {
                let sides = Set(partners.compactMap { findings[$0].side })
                if sides.count == 1 { findings[p].side = sides.first }
            }
            if let side = findings[p].side {
                for d in partners where findings[d].side == nil { findings[d].side = side }
                // Treated on one side, diagnosed only on the other: the note contradicts itself,
                // and neither side can be coded until the provider says which.
                let sided = partners.filter { findings[$0].side != nil }
                if !sided.isEmpty && !sided.contains(where: { sidesAgree(findings[$0].side, side) }) {
                    let sides = Set([side] + sided.compactMap { findings[$0].side }).sorted()
                    findings[p].side = nil
                    findings[p].conflictingSides = sides
                    for d in sided {
                        findings[d].side = nil
                        findings[d].conflictingSides = sides
                    }
                }
            }
        }
    }

    /// In an operative report, the side the operation's title gives a site ("PROCEDURE PERFORMED:
    /// Right shoulder hemiarthroplasty") holds for a diagnosis of that site written without one
    /// ("3. Degenerative joint disease." beside "Glenohumeral ..."): the surgeon names the side
    /// once, with the operation. Only where the title gives that site one side.
    func sideFromOperation(_ findings: inout [Finding]) {
        guard noteHasTag("operative"), let sideIndex = lexicon.attributeIndex["side"] else { return }
        let titles = listingSections()
        var titled: [(hit: AttributeHit, side: String)] = []
        for hit in scan.attributes where titles.contains(document.sentences[hit.sentence].section) {
            if let side = AttributeLinker.boundSide(of: hit, sideIndex: sideIndex, scan: scan, lexicon: lexicon, negated: []) {
                titled.append((hit, side))
            }
        }
        guard !titled.isEmpty else { return }
        for f in findings.indices where findings[f].side == nil && findings[f].conflictingSides.isEmpty {
            let concept = lexicon.concepts[findings[f].concept]
            guard concept.kind == .condition, concept.attributes.contains("side"), let site = findings[f].site,
                  let per = concept.per, let attributeIndex = lexicon.attributeIndex[per] else { continue }
            let attribute = lexicon.attributes[attributeIndex]
            let sides = Set(titled.filter { $0.hit.attribute == attributeIndex && attribute.sameSite($0.hit.value, site.value) }.map(\.side))
            if sides.count == 1 { findings[f].side = sides.first }
        }
    }

    /// An operative report whose diagnosis headings and operation titles name one side only
    /// ("PREOPERATIVE DIAGNOSIS: Rotator cuff tear, left." over a postoperative "2. Impingement
    /// syndrome.", mts-1008) is one operation on that side: a diagnosis listed there without a
    /// side of its own takes it, where no site word carried the side for `sideFromNote` to read.
    /// Where the headings or the rest of the note name the other side too, nothing is given.
    func sideFromOneSidedOperation(_ findings: inout [Finding], denied: Set<Int>) {
        guard noteHasTag("operative"), let sideIndex = lexicon.attributeIndex["side"] else { return }
        func listed(_ section: Int) -> Bool {
            sectionHasTag(document.sections[section], "diagnosis") || sectionHasTag(document.sections[section], "title")
        }
        // The headings' side, and every side the rest of the note gives (a relative's aside):
        // "Right shoulder pain" in the history against a left operation is for the surgeon to settle.
        var sides: Set<String> = [], elsewhere: Set<String> = []
        for (index, hit) in scan.attributes.enumerated() where hit.attribute == sideIndex && !denied.contains(index) {
            let section = document.sections[document.sentences[hit.sentence].section]
            if let definition = section.definition, lexicon.sections[definition].implies == .other { continue }
            let value = lexicon.attributes[sideIndex].values[hit.value].value
            if listed(document.sentences[hit.sentence].section) { sides.insert(value) } else { elsewhere.insert(value) }
        }
        guard sides.count == 1, let side = sides.first, side == "right" || side == "left", elsewhere.isSubset(of: sides) else { return }
        for f in findings.indices where findings[f].side == nil && findings[f].conflictingSides.isEmpty {
            let concept = lexicon.concepts[findings[f].concept]
            guard concept.kind == .condition, concept.attributes.contains("side"),
                  findings[f].mentions.contains(where: { listed(document.sentences[scan.mentions[$0].sentence].section) }) else { continue }
            findings[f].side = side
        }
    }

    /// A finding whose site the note names with one side only, wherever it names it ("left
    /// shoulder pain" in the history, "2. Degenerative arthritis of the AC joint, left shoulder"),
    /// takes that side when its own words give none ("1. Partial rotator cuff tear with
    /// impingement syndrome."): a coder reads the note as one patient's one shoulder, and a
    /// laterality query there would ask what the note already says. Only where every side the
    /// note gives that site agrees; a site told as someone else's or denied does not count.
    func sideFromNote(_ findings: inout [Finding], denied: Set<Int>) {
        guard let sideIndex = lexicon.attributeIndex["side"] else { return }
        var sidesBySite: [Int: [(value: Int, side: String)]] = [:]
        for (index, hit) in scan.attributes.enumerated() where !denied.contains(index) {
            if let definition = document.sections[document.sentences[hit.sentence].section].definition,
               lexicon.sections[definition].implies == .other { continue }
            if let side = AttributeLinker.boundSide(of: hit, sideIndex: sideIndex, scan: scan, lexicon: lexicon, negated: denied) {
                sidesBySite[hit.attribute, default: []].append((hit.value, side))
            }
        }
        guard !sidesBySite.isEmpty else { return }
        for f in findings.indices where findings[f].side == nil && findings[f].conflictingSides.isEmpty {
            let concept = lexicon.concepts[findings[f].concept]
            guard concept.attributes.contains("side"), let per = concept.per, let attributeIndex = lexicon.attributeIndex[per],
                  let site = findings[f].site?.value ?? concept.site, let told = sidesBySite[attributeIndex] else { continue }
            let attribute = lexicon.attributes[attributeIndex]
            guard attribute.values[site].properties["paired"] != "no" else { continue }
            let sides = Set(told.filter { attribute.sameSite($0.value, site) }.map(\.side))
            if sides.count == 1 { findings[f].side = sides.first }
        }
    }

    /// Whether a sentence names the symptom, then a causal cue, then the diagnosis.
    func saysDueTo(_ symptom: Finding, _ cause: Finding) -> Bool {
        for s in symptom.mentions.map({ scan.mentions[$0] }) {
            for c in cause.mentions.map({ scan.mentions[$0] }) where c.sentence == s.sentence && c.range.lowerBound >= s.range.upperBound {
                if scan.cuesBySentence[s.sentence].contains(where: { index in
                    let hit = scan.cues[index]
                    return lexicon.cues[hit.cue].causal && hit.range.lowerBound >= s.range.upperBound && hit.range.upperBound <= c.range.lowerBound
                }) { return true }
            }
        }
        return false
    }

    /// Same site when both name a value of the same attribute and the values agree; a finding
    /// with no site is compatible with any.
    func sameSite(_ a: Finding, _ b: Finding) -> Bool {
        // The spine's two code groups (cervical/thoracic, lumbar/sacral): a cervical facet block
        // never points to lumbar spondylosis, whatever else the two share.
        let groupsA = groups(a), groupsB = groups(b)
        if !groupsA.isEmpty && !groupsB.isEmpty && groupsA.isDisjoint(with: groupsB) { return false }
        guard let siteA = a.site, let siteB = b.site else { return true }
        let attributeA = lexicon.concepts[a.concept].per, attributeB = lexicon.concepts[b.concept].per
        guard attributeA == attributeB, let name = attributeA, let attribute = lexicon.attribute(name) else { return true }
        return attribute.sameSite(siteA.value, siteB.value)
    }

    /// Levels named in the procedure's title that the procedure details never name, where the
    /// details name levels of their own (title "L4-5", details "L5-S1"): a level decides units and
    /// the diagnosis's region, so the provider must say which. A level counts as the same when
    /// written as a segment or as the root that leaves below it (L5-S1 and L5).
    func levelConflict(_ finding: Finding) -> (String, String, [Evidence])? {
        let concept = lexicon.concepts[finding.concept]
        guard let name = concept.attributes.first(where: { lexicon.attribute($0)?.levels == true }),
              let attributeIndex = lexicon.attributeIndex[name] else { return nil }
        var title = SpinalLevels(), details = SpinalLevels()
        var titleSentences: [Int] = [], detailSentences: [Int] = []
        for value in finding.values[name] ?? [] {
            let sentence = document.sentenceIndex(containing: value.range.lowerBound)
            if sectionHasTag(document.sections[document.sentences[sentence].section], "title"), let levels = value.levels {
                title.formUnion(levels); titleSentences.append(sentence)
            }
        }
        guard !title.isEmpty else { return nil }
        for hit in scan.attributes where hit.attribute == attributeIndex {
            let section = document.sections[document.sentences[hit.sentence].section]
            guard sectionHasTag(section, "procedure"), !sectionHasTag(section, "title"), let levels = hit.levels else { continue }
            details.formUnion(levels); detailSentences.append(hit.sentence)
        }
        let titleAt = title.vertebrae.union(title.segments), detailAt = details.vertebrae.union(details.segments)
        guard !detailAt.isEmpty, titleAt.isDisjoint(with: detailAt) else { return nil }
        let sentences = Array(Set(titleSentences + detailSentences)).sorted()
        return (title.names.joined(separator: ", "), details.names.joined(separator: ", "), sentences.map { sentenceEvidence($0) })
    }

    /// The `group` property of every value the finding holds (its site included).
    func groups(_ finding: Finding) -> Set<String> {
        let concept = lexicon.concepts[finding.concept]
        var result: Set<String> = []
        func add(_ value: LinkedValue, of name: String) {
            if let group = lexicon.attribute(name)?.values[value.value].properties["group"] { result.insert(group) }
        }
        if let site = finding.site, let per = concept.per { add(site, of: per) }
        for (name, values) in finding.values { for value in values { add(value, of: name) } }
        return result
    }

    func sidesAgree(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b else { return true }
        return a == b || a == "bilateral" || b == "bilateral"
    }

    /// A condition the lexicon says gives way to another at the same site (a symptom to the
    /// diagnosis that explains it) is set aside and listed as such. The same site is also the
    /// same side: right knee osteoarthritis does not explain left knee pain.
    mutating func suppress(_ findings: [Finding], _ outcomes: inout [RuleOutcome?]) {
        for (i, finding) in findings.enumerated() where outcomes[i] != nil {
            let concept = lexicon.concepts[finding.concept]
            guard !concept.suppressedBy.isEmpty || !concept.explainedBy.isEmpty else { continue }
            let by = findings.indices.first { j in
                guard j != i, outcomes[j] != nil, sameSite(finding, findings[j]), sidesAgree(finding.side, findings[j].side) else { return false }
                let suppressor = lexicon.concepts[findings[j].concept]
                let other = suppressor.id
                if concept.suppressedBy.contains(other), let held = concept.suppressedWhenHolding, suppressor.attributes.contains(held),
                   (findings[j].values[held] ?? []).isEmpty { return false }
                return concept.suppressedBy.contains(other) || (concept.explainedBy.contains(other) && saysDueTo(finding, findings[j]))
            }
            guard let by else { continue }
            outcomes[i] = nil
            excluded.append(ExcludedFinding(concept: concept.id, label: concept.label, reason: "suppressed",
                                            cue: "coded as \(lexicon.concepts[findings[by].concept].label) instead",
                                            evidence: sentenceEvidence(scan.mentions[finding.mentions[0]].sentence)))
        }
    }

    mutating func buildDiagnoses(_ findings: [Finding], _ outcomes: [RuleOutcome?]) -> [DiagnosisSuggestion] {
        var result: [DiagnosisSuggestion] = []
        // The conditions a procedure of this note is done for (its `supports`): a query kind that
        // does not ask for untreated diagnoses (`asksForUntreated: false`) is raised only for those.
        let treated = Set(findings.filter { lexicon.concepts[$0.concept].kind == .procedure }.flatMap { lexicon.concepts[$0.concept].supports })
        for (i, finding) in findings.enumerated() {
            guard let outcome = outcomes[i], lexicon.concepts[finding.concept].kind == .condition else { continue }
            let concept = lexicon.concepts[finding.concept]
            var pending: [String] = []
            if !finding.conflictingSides.isEmpty {
                pending.append("conflict")
                queries.append(("conflict", describe(finding) + " (documented as " + finding.conflictingSides.joined(separator: " and ") + ")", findingEvidence(finding)))
            } else if let query = outcome.query, lexicon.queries[query]?.asksForUntreated ?? true || treated.contains(concept.id), askable(finding) {
                pending.append(query)
                queries.append((query, describe(finding), findingEvidence(finding)))
            }
            for code in outcome.codes {
                if let existing = result.firstIndex(where: { $0.code == code }) {
                    result[existing].evidence += findingEvidence(finding).filter { !result[existing].evidence.contains($0) }
                    continue
                }
                result.append(DiagnosisSuggestion(
                    code: code, label: icd.entry(code)?.title ?? concept.label, concept: concept.id,
                    status: pending.isEmpty ? "suggested" : "pending-query", pendingQueries: pending,
                    attributes: attributeSummary(finding), evidence: findingEvidence(finding, rule: outcome.rule), rule: outcome.rule.location.description))
            }
        }
        return result
    }

    mutating func buildProcedures(_ findings: [Finding], _ outcomes: [RuleOutcome?]) -> [ProcedureSuggestion] {
        var lines: [ClaimLine] = []
        var rules: [Int: RuleOutcome] = [:]
        let hasReason = documentsReason(findings)
        for (i, finding) in findings.enumerated() {
            guard let outcome = outcomes[i], lexicon.concepts[finding.concept].kind == .procedure else { continue }
            rules[i] = outcome
            // A rule that codes nothing and asks nothing (a family routed elsewhere, "spinal
            // injections are not joint codes") leaves nothing to query about.
            if outcome.codes.isEmpty && outcome.query == nil { continue }
            var pending: [String] = []
            let about = describe(finding)
            if let query = outcome.query, !(query == "laterality" && !finding.conflictingSides.isEmpty) {
                pending.append(query)
                queries.append((query, about, findingEvidence(finding)))
            }
            if !finding.conflictingSides.isEmpty {
                pending.append("conflict")
                queries.append(("conflict", about + " (documented as " + finding.conflictingSides.joined(separator: " and ") + ")", findingEvidence(finding)))
            } else if let (title, details, evidence) = levelConflict(finding) {
                pending.append("conflict")
                queries.append(("conflict", about + " (levels documented as " + title + " in the title and " + details + " in the details)", evidence))
            }
            // A midline site (the sacrococcygeal joint, `paired: 'no'`) has no side to ask for.
            let midline = finding.site.flatMap { site in
                lexicon.concepts[finding.concept].per.flatMap { lexicon.attribute($0)?.values[site.value].properties["paired"] }
            } == "no"
            let needsSide = !midline && outcome.codes.contains { lexicon.procedures.code($0)?.sideModifiers == true }
            if needsSide && finding.side == nil && finding.conflictingSides.isEmpty {
                pending.append("laterality")
                queries.append(("laterality", about, findingEvidence(finding)))
            }
            // Diagnoses this line points to: supporting conditions at the same site and side.
            let supports = Set(lexicon.concepts[finding.concept].supports)
            var pointers: [String] = []
            var sideConflict: [Evidence] = []
            for (j, other) in findings.enumerated() {
                guard let dx = outcomes[j], lexicon.concepts[other.concept].kind == .condition,
                      supports.contains(lexicon.concepts[other.concept].id), sameSite(finding, other) else { continue }
                if sidesAgree(finding.side, other.side) {
                    for code in dx.codes where !pointers.contains(code) { pointers.append(code) }
                } else {
                    sideConflict += findingEvidence(other)
                }
            }
            if pointers.isEmpty && !sideConflict.isEmpty {
                pending.append("conflict")
                queries.append(("conflict", about + " and the side of its diagnosis", findingEvidence(finding) + sideConflict))
            } else if pointers.isEmpty && lexicon.concepts[finding.concept].indicationQuery && !hasReason {
                pending.append("indication")
                queries.append(("indication", about, findingEvidence(finding)))
            }
            for code in outcome.codes {
                for var line in ClaimLines.lines(for: code, side: finding.side, finding: i, queries: pending, lexicon: lexicon) {
                    line.diagnoses = pointers
                    line.units = outcome.rule.units[code] ?? line.units
                    lines.append(line)
                }
            }
        }
        // Separately reported add-ons (imaging guidance), once per concept however many sites.
        var alsoDone: Set<String> = []
        for (i, finding) in findings.enumerated() where !(rules[i]?.codes.isEmpty ?? true) {
            let concept = lexicon.concepts[finding.concept]
            for rule in concept.alsoRules where rule.conditions.allSatisfy({ CodeSelector.holds($0, finding: finding, lexicon: lexicon) }) {
                if let query = rule.query { queries.append((query, describe(finding), findingEvidence(finding))) }
                // An add-on goes only with the primaries the CMS add-on table lists for it, so a
                // rule may offer 77002 and 77003 and the finding's own code picks one.
                let primaries = Set(lines.filter { $0.finding == i }.map(\.code))
                for code in rule.codes {
                    guard let facts = lexicon.procedures.code(code), facts.validity.contains(day),
                          facts.addOnTo.isEmpty || !primaries.isDisjoint(with: facts.addOnTo),
                          alsoDone.insert(concept.id + "|" + code).inserted else { continue }
                    let pointers = lines.first { $0.finding == i }?.diagnoses ?? []
                    lines.append(ClaimLine(code: code, modifiers: [], units: 1, finding: i, queries: [], diagnoses: pointers))
                }
            }
        }
        ClaimLines.markDistinct(&lines)
        return lines.map { line in
            let finding = findings[line.finding]
            let concept = lexicon.concepts[finding.concept]
            return ProcedureSuggestion(
                code: line.code, label: lexicon.procedures.code(line.code)?.label(on: day) ?? concept.label, concept: concept.id,
                modifiers: line.modifiers, units: line.units, diagnoses: line.diagnoses,
                status: line.queries.isEmpty ? "suggested" : "pending-query", pendingQueries: line.queries,
                attributes: attributeSummary(finding), evidence: findingEvidence(finding, rule: rules[line.finding]?.rule),
                rule: rules[line.finding]?.rule.location.description ?? concept.location.description)
        }
    }
}
