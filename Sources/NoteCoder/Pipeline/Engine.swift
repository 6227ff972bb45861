public import PCRE2

/// The pipeline for one note: read → match → context → attributes → codes → pairs → queries → report.
///
/// `Engine` holds only the compiled lexicon, which is immutable, so one engine serves every
/// thread; each thread brings its own `Matcher`.
public struct Engine: Sendable {
    public let lexicon: Lexicon
    /// Notes larger than this are refused rather than read (batch exports sometimes carry blobs).
    public var maxNoteBytes: Int

    public init(lexicon: Lexicon, maxNoteBytes: Int = 4 << 20) {
        self.lexicon = lexicon
        self.maxNoteBytes = maxNoteBytes
    }

    public func code(_ note: Note) throws(NoteError) -> Report {
        try code(note, matcher: lexicon.makeMatcher())
    }

    public func code(_ note: Note, matcher: Matcher) throws(NoteError) -> Report {
        if note.bytes.count > maxNoteBytes { throw .tooLarge(note: note.id, bytes: note.bytes.count, limit: maxNoteBytes) }
        if let offset = UTF8Validation.firstInvalidByte(in: note.bytes) { throw .invalidUTF8(note: note.id, byteOffset: offset) }
        do {
            return try note.bytes.withUnsafeBufferPointer { buffer throws(PCRE2Error) in
                let document = try read(note, buffer: buffer, matcher: matcher)
                let scan = try Scanner.scan(document, bytes: buffer, lexicon: lexicon, matcher: matcher, skipWhenNoConcepts: true)
                let dated = try lexicon.datePatterns.find(in: buffer, matcher: matcher)
                var run = NoteRun(lexicon: lexicon, document: document, scan: scan, noteDate: dated?.0)
                return run.report()
            }
        } catch {
            throw .matchLimit(note: note.id, detail: error.description)
        }
    }

    /// Sections and sentences only, for callers that need the reading stage alone.
    public func read(_ note: Note, buffer: UnsafeBufferPointer<UInt8>, matcher: Matcher) throws(PCRE2Error) -> Document {
        let sections = try SectionReader.sections(in: buffer, lexicon: lexicon, matcher: matcher)
        let sentences = SentenceSplitter.sentences(in: note.bytes, sections: sections)
        var lineStarts = [0]
        for (i, b) in note.bytes.enumerated() where b == 0x0A { lineStarts.append(i + 1) }
        return Document(note: note, lineStarts: lineStarts, sections: sections, sentences: sentences)
    }
}

/// The state of one note's trip through the stages after matching.
struct NoteRun {
    let lexicon: Lexicon
    let document: Document
    let scan: Scan
    let day: Day
    let dateSource: String
    let icd: ICD10CMEdition
    var warnings: [String] = []
    var excluded: [ExcludedFinding] = []
    var queries: [(kind: String, about: String, indicators: [Evidence])] = []

    init(lexicon: Lexicon, document: Document, scan: Scan, noteDate: Day?) {
        self.lexicon = lexicon
        self.document = document
        self.scan = scan
        var day: Day
        if let given = document.note.dateOfService {
            day = given; dateSource = "flag"
        } else if let noteDate {
            day = noteDate; dateSource = "note"
        } else {
            // No date: the newest edition on hand, named in the report, so output never depends
            // on the clock of the machine that ran it.
            day = lexicon.icd10cm.editions.compactMap(\.validity.from).max() ?? Day(year: 2025, month: 10, day: 1)
            dateSource = "none"
        }
        self.day = day
        let chosen = lexicon.icd10cm.edition(on: day)
        icd = chosen.edition
        if dateSource == "none" {
            warnings.append("No date of service in the note or given; codes chosen as of \(day) (\(chosen.edition.name)).")
        } else if !chosen.exact {
            warnings.append("No ICD-10-CM edition on hand covers \(day); \(chosen.edition.name), the next edition on hand, was used.")
        }
    }

    // MARK: evidence

    func sectionName(_ sentence: Int) -> String? {
        let section = document.sections[document.sentences[sentence].section]
        return section.definition.map { lexicon.sections[$0].label }
    }

    func evidence(_ range: Range<Int>, sentence: Int) -> Evidence {
        Evidence(text: document.text(range), section: sectionName(sentence), line: document.line(of: range.lowerBound),
                 start: range.lowerBound, end: range.upperBound)
    }

    /// The whole sentence around a mention: a coder checks the words in their context.
    func sentenceEvidence(_ sentence: Int) -> Evidence {
        evidence(document.sentences[sentence].range, sentence: sentence)
    }

    // MARK: stages

    mutating func report() -> Report {
        // Context: which mentions are affirmed, and which attribute words are denied.
        var affirmed: [Int] = []
        var seenExclusions: Set<String> = []
        for (index, mention) in scan.mentions.enumerated() {
            let assertions = ContextRules.assertions(for: mention.range, sentence: mention.sentence, document: document, scan: scan, lexicon: lexicon,
                                                     kind: lexicon.concepts[mention.concept].kind)
            guard let deciding = assertions.deciding else { affirmed.append(index); continue }
            let concept = lexicon.concepts[mention.concept]
            let key = "\(concept.id)|\(deciding.category.rawValue)|\(mention.sentence)"
            guard seenExclusions.insert(key).inserted else { continue }
            let cue: String
            switch deciding.source {
            case let .cue(_, range): cue = document.text(range)
            case let .section(index): cue = lexicon.sections[index].label + " section"
            }
            excluded.append(ExcludedFinding(concept: concept.id, label: concept.label, reason: deciding.category.rawValue, cue: cue,
                                            evidence: sentenceEvidence(mention.sentence)))
        }
        var deniedAttributes: Set<Int> = []
        for (index, hit) in scan.attributes.enumerated() {
            let assertions = ContextRules.assertions(for: hit.range, sentence: hit.sentence, document: document, scan: scan, lexicon: lexicon)
            if assertions.contains(where: { $0.category == .negated && { if case .cue = $0.source { true } else { false } }($0) }) {
                deniedAttributes.insert(index)
            }
        }

        // A procedure told only in uncertain terms ("injection today vs next visit") leaves the
        // coder unable to say whether it was done: that is a question for the provider.
        let affirmedConcepts = Set(affirmed.map { scan.mentions[$0].concept })
        var askedPerformed: Set<Int> = []
        for mention in scan.mentions where lexicon.concepts[mention.concept].kind == .procedure
            && !affirmedConcepts.contains(mention.concept) && !askedPerformed.contains(mention.concept) {
            let assertions = ContextRules.assertions(for: mention.range, sentence: mention.sentence, document: document, scan: scan, lexicon: lexicon, kind: .procedure)
            guard assertions.contains(where: { $0.category == .uncertain }) else { continue }
            askedPerformed.insert(mention.concept)
            queries.append(("performed", lexicon.concepts[mention.concept].label, [sentenceEvidence(mention.sentence)]))
        }

        var findings = AttributeLinker.findings(affirmed: affirmed, document: document, scan: scan, lexicon: lexicon, negatedAttributes: deniedAttributes)
        shareSides(&findings)

        // Codes per finding.
        var outcomes: [RuleOutcome?] = findings.map { CodeSelector.select(for: $0, lexicon: lexicon, day: day, icd: icd) }
        for (i, finding) in findings.enumerated() where outcomes[i] == nil {
            let concept = lexicon.concepts[finding.concept]
            excluded.append(ExcludedFinding(concept: concept.id, label: concept.label, reason: "no-code",
                                            cue: "no code rule fits the documented attributes on \(day)",
                                            evidence: sentenceEvidence(scan.mentions[finding.mentions[0]].sentence)))
        }
        suppress(findings, &outcomes)
        // A rule that names no code and asks no question says why in its note; the coder sees it.
        for (i, finding) in findings.enumerated() {
            guard let outcome = outcomes[i], outcome.codes.isEmpty, outcome.query == nil else { continue }
            let concept = lexicon.concepts[finding.concept]
            excluded.append(ExcludedFinding(concept: concept.id, label: concept.label, reason: "no-code",
                                            cue: outcome.rule.note ?? "no code in this release",
                                            evidence: sentenceEvidence(scan.mentions[finding.mentions[0]].sentence)))
        }

        let diagnoses = buildDiagnoses(findings, outcomes)
        var procedures = buildProcedures(findings, outcomes)

        let catalogueNote = "procedure catalogue as of \(day)"
        var rendered: [ProviderQuery] = []
        var seenQueries: Set<String> = []
        for query in queries where seenQueries.insert(query.kind + "|" + query.about).inserted {
            rendered.append(QueryWriter.write(kind: query.kind, about: query.about, indicators: query.indicators, lexicon: lexicon))
        }
        let edits = ClaimEditChecker(lexicon: lexicon, day: day).apply(procedures: &procedures, diagnoses: diagnoses, excluded: &excluded)
        return Report(
            id: document.note.id, dateOfService: dateSource == "none" ? nil : day.description, dateSource: dateSource,
            codeSets: CodeSetsUsed(icd10cm: icd.name, icd10cmNote: icd.validity.contains(day) ? nil : "no edition on hand covers \(day); the next one is used", procedures: catalogueNote),
            diagnoses: diagnoses, procedures: procedures, queries: rendered, excluded: excluded, warnings: warnings, edits: edits)
    }

    /// A side documented for a procedure tells the side of the condition it treats at the same
    /// site, and the other way round — but only when exactly one side is on offer.
    func shareSides(_ findings: inout [Finding]) {
        for p in findings.indices where lexicon.concepts[findings[p].concept].kind == .procedure {
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

    /// Same site when both name a value of the same attribute and the values agree; a finding
    /// with no site is compatible with any.
    func sameSite(_ a: Finding, _ b: Finding) -> Bool {
        guard let siteA = a.site, let siteB = b.site else { return true }
        let attributeA = lexicon.concepts[a.concept].per, attributeB = lexicon.concepts[b.concept].per
        guard attributeA == attributeB, let name = attributeA, let attribute = lexicon.attribute(name) else { return true }
        if siteA.value == siteB.value { return true }
        guard let key = attribute.siteKey,
              let keyA = attribute.values[siteA.value].properties[key],
              let keyB = attribute.values[siteB.value].properties[key] else { return false }
        return keyA == keyB
    }

    func sidesAgree(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b else { return true }
        return a == b || a == "bilateral" || b == "bilateral"
    }

    /// A condition the lexicon says gives way to another at the same site (a symptom to the
    /// diagnosis that explains it) is set aside and listed as such.
    mutating func suppress(_ findings: [Finding], _ outcomes: inout [RuleOutcome?]) {
        for (i, finding) in findings.enumerated() where outcomes[i] != nil {
            let concept = lexicon.concepts[finding.concept]
            guard !concept.suppressedBy.isEmpty else { continue }
            let by = findings.indices.first { j in
                j != i && outcomes[j] != nil && concept.suppressedBy.contains(lexicon.concepts[findings[j].concept].id)
                    && sameSite(finding, findings[j])
            }
            guard let by else { continue }
            outcomes[i] = nil
            excluded.append(ExcludedFinding(concept: concept.id, label: concept.label, reason: "suppressed",
                                            cue: "coded as \(lexicon.concepts[findings[by].concept].label) instead",
                                            evidence: sentenceEvidence(scan.mentions[finding.mentions[0]].sentence)))
        }
    }

    func attributeSummary(_ finding: Finding) -> [String: [String]] {
        var result: [String: [String]] = [:]
        if let side = finding.side { result["side"] = [side] }
        let concept = lexicon.concepts[finding.concept]
        for name in concept.attributes where name != "side" {
            var seen: Set<String> = []
            let values = CodeSelector.values(name, of: finding, lexicon: lexicon).filter { seen.insert($0).inserted }
            if !values.isEmpty { result[name] = values }
        }
        return result
    }

    /// The sentences that name the finding, then those holding the attribute words the chosen
    /// rule tested (the minutes behind a care-management code, the image behind 20611), so the
    /// evidence shows why this code and not its neighbour.
    func findingEvidence(_ finding: Finding, rule: CodeRule? = nil) -> [Evidence] {
        var seen: Set<Int> = []
        var sentences = finding.mentions.map { scan.mentions[$0].sentence }
        for condition in rule?.conditions ?? [] {
            let attribute: String
            switch condition {
            case let .value(name, _), let .present(name), let .property(name, _, _), let .count(name, _), let .amount(name, _):
                attribute = name
            case .absent, .notProperty:
                continue
            }
            var values = attribute == "side" ? [] : CodeSelector.linked(attribute, of: finding, lexicon: lexicon)
            if case .amount = condition, let definition = lexicon.attribute(attribute) {
                // A stated total is what the rule used; the log lines behind it add nothing.
                let totals = values.filter { definition.values[$0.value].properties["total"] == "yes" }
                if !totals.isEmpty { values = totals }
            }
            sentences += values.map { document.sentenceIndex(containing: $0.range.lowerBound) }
        }
        return sentences.compactMap { seen.insert($0).inserted ? sentenceEvidence($0) : nil }
    }

    func describe(_ finding: Finding) -> String {
        let concept = lexicon.concepts[finding.concept]
        var words: [String] = []
        if let side = finding.side { words.append(side) }
        if let site = finding.site, let per = concept.per, let attribute = lexicon.attribute(per) {
            words.append(attribute.values[site.value].value)
        }
        words.append(concept.label)
        return words.joined(separator: " ")
    }

    mutating func buildDiagnoses(_ findings: [Finding], _ outcomes: [RuleOutcome?]) -> [DiagnosisSuggestion] {
        var result: [DiagnosisSuggestion] = []
        for (i, finding) in findings.enumerated() {
            guard let outcome = outcomes[i], lexicon.concepts[finding.concept].kind == .condition else { continue }
            let concept = lexicon.concepts[finding.concept]
            var pending: [String] = []
            if !finding.conflictingSides.isEmpty {
                pending.append("conflict")
                queries.append(("conflict", describe(finding) + " (documented as " + finding.conflictingSides.joined(separator: " and ") + ")", findingEvidence(finding)))
            } else if let query = outcome.query {
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
        for (i, finding) in findings.enumerated() {
            guard let outcome = outcomes[i], lexicon.concepts[finding.concept].kind == .procedure else { continue }
            rules[i] = outcome
            var pending: [String] = []
            let about = describe(finding)
            if let query = outcome.query, !(query == "laterality" && !finding.conflictingSides.isEmpty) {
                pending.append(query)
                queries.append((query, about, findingEvidence(finding)))
            }
            if !finding.conflictingSides.isEmpty {
                pending.append("conflict")
                queries.append(("conflict", about + " (documented as " + finding.conflictingSides.joined(separator: " and ") + ")", findingEvidence(finding)))
            }
            let needsSide = outcome.codes.contains { lexicon.procedures.code($0)?.sideModifiers == true }
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
            } else if pointers.isEmpty && lexicon.concepts[finding.concept].indicationQuery {
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
                for code in rule.codes where lexicon.procedures.code(code)?.validity.contains(day) == true
                    && alsoDone.insert(concept.id + "|" + code).inserted {
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
