public import PCRE2

/// The pipeline for one note: read → match → context → attributes → codes → pairs → queries → report.
///
/// `Engine` holds only the compiled lexicon, which is immutable, so one engine serves every
/// thread; each thread brings its own `Matcher`.
public struct Engine: Sendable {
    public let lexicon: Lexicon
    /// Notes larger than this are refused rather than read (batch exports sometimes carry blobs).
    public var maxNoteBytes: Int
    /// Notes that take longer are given up and reported (nil: no limit).
    public var timeLimit: NoteTimeLimit?
    /// What the context rules ask of each cue, read once for every note this engine codes.
    let cueTraits: [CueTraits]

    public init(lexicon: Lexicon, maxNoteBytes: Int = 4 << 20, timeLimit: NoteTimeLimit? = NoteTimeLimit(seconds: NoteTimeLimit.defaultSeconds)) {
        self.lexicon = lexicon
        self.maxNoteBytes = maxNoteBytes
        self.timeLimit = timeLimit
        cueTraits = CueTraits.table(lexicon)
    }

    public func code(_ note: Note) throws(NoteError) -> Report {
        try code(note, matcher: lexicon.makeMatcher())
    }

    public func code(_ note: Note, matcher: Matcher) throws(NoteError) -> Report {
        if note.bytes.count > maxNoteBytes { throw .tooLarge(note: note.id, bytes: note.bytes.count, limit: maxNoteBytes) }
        if let offset = UTF8Validation.firstInvalidByte(in: note.bytes) { throw .invalidUTF8(note: note.id, byteOffset: offset) }
        let note = LineBreaks.normalized(note)
        let deadline = timeLimit?.start()
        do throws(Interruption) {
            return try note.bytes.withUnsafeBufferPointer { buffer throws(Interruption) in
                let document: Document
                let scan: Scan
                let dated: (Day, Range<Int>)?
                do throws(PCRE2Error) {
                    let concepts = try Scanner.concepts(in: buffer, lexicon: lexicon, matcher: matcher)
                    if concepts.hits.isEmpty {
                        // Nothing to code: cues and attributes only ever describe concepts, and
                        // sections and sentences only place them.
                        document = Document(note: note, lineStarts: [0], sections: [], sentences: [])
                        scan = Scan(mentions: [], cues: [], attributes: [], cuesBySentence: [], attributesBySentence: [], mentionsBySentence: [])
                    } else {
                        document = try read(note, buffer: buffer, matcher: matcher)
                        scan = try Scanner.scan(document, bytes: buffer, concepts: concepts, lexicon: lexicon, matcher: matcher)
                    }
                    dated = try lexicon.datePatterns.find(in: buffer, matcher: matcher, starts: concepts.starts)
                } catch {
                    throw .pattern(error)
                }
                try deadline?.check()
                var run = NoteRun(lexicon: lexicon, document: document, scan: scan, noteDate: dated?.0, deadline: deadline,
                                  cueTraits: cueTraits)
                return try run.report()
            }
        } catch {
            switch error {
            case let .pattern(error): throw .matchLimit(note: note.id, detail: error.description)
            case .outOfTime: throw .timeLimit(note: note.id, seconds: timeLimit?.seconds ?? 0)
            }
        }
    }

    /// Sections and sentences only, for callers that need the reading stage alone. `note` and
    /// `buffer` break lines at LF or CRLF; `code` makes a lone CR one first (`LineBreaks`).
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
    let cues: CueIndex
    let deadline: Deadline?
    let day: Day
    let dateSource: String
    let icd: ICD10CMEdition
    var warnings: [String] = []
    var excluded: [ExcludedFinding] = []
    var queries: [(kind: String, about: String, indicators: [Evidence])] = []
    /// The note is a test's report read as normal, so its symptoms are coded from the reason the
    /// test was ordered (`keepAssessed`): words the ordering provider wrote, not the reader's.
    var codedFromReason = false
    /// Conditions a diagnosis heading names only with a hedge of the reading ("findings
    /// compatible with cervical spinal stenosis"; cues marked `yieldsToEstablished`).
    var hedgedUnderDiagnosis: Set<Int> = []

    init(lexicon: Lexicon, document: Document, scan: Scan, noteDate: Day?, deadline: Deadline? = nil, cueTraits: [CueTraits]? = nil) {
        self.lexicon = lexicon
        self.document = document
        self.scan = scan
        self.deadline = deadline
        cues = CueIndex(document: document, scan: scan, lexicon: lexicon, traits: cueTraits)
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
        guard let definition = section.definition else { return nil }
        if lexicon.sections[definition].namedByHeader, let header = section.header {
            var words = document.text(header)
            while let last = words.last, last == ":" || last == " " || last == "\t" || last == "-" { words.removeLast() }
            return words
        }
        return lexicon.sections[definition].label
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

    mutating func report() throws(Interruption) -> Report {
        // Context: which mentions are affirmed, and which attribute words are denied.
        var affirmed: [Int] = []
        var seenExclusions: Set<String> = []
        var uncertainProcedures: [Int] = []
        for (index, mention) in scan.mentions.enumerated() {
            try deadline?.check()
            let kind = lexicon.concepts[mention.concept].kind
            let assertions = ContextRules.assertions(for: mention.range, sentence: mention.sentence, document: document, scan: scan, cues: cues,
                                                     lexicon: lexicon, kind: kind)
            guard let deciding = assertions.deciding else { affirmed.append(index); continue }
            if deciding.category == .uncertain, kind == .condition, case let .cue(cue, _) = deciding.source,
               lexicon.cues[cue].yieldsToEstablished, mentionUnderTag(index, "diagnosis") { hedgedUnderDiagnosis.insert(mention.concept) }
            // Only the doubt about whether it was done asks: "plan on ... possible injections" is
            // a plan in its own words, already set aside as one; "P: injection today vs next
            // visit" is planned only by its section, and the doubt stands.
            if kind == .procedure && assertions.contains(where: { $0.category == .uncertain })
                && !assertions.contains(where: { $0.category != .uncertain && $0.fromCue }) { uncertainProcedures.append(index) }
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
        affirmed = keepAssessed(affirmed)
        affirmed = keepListed(affirmed)
        var deniedAttributes: Set<Int> = []
        for (index, hit) in scan.attributes.enumerated() {
            try deadline?.check()
            let assertions = ContextRules.assertions(for: hit.range, sentence: hit.sentence, document: document, scan: scan, cues: cues,
                                                     lexicon: lexicon)
            let denying = lexicon.attributes[hit.attribute].deniedBy
            if assertions.contains(where: { denying.contains($0.category) && $0.fromCue }) {
                deniedAttributes.insert(index)
            }
        }

        // A procedure told only in uncertain terms ("injection today vs next visit") leaves the
        // coder unable to say whether it was done: that is a question for the provider.
        let affirmedConcepts = Set(affirmed.map { scan.mentions[$0].concept })
        var askedPerformed: Set<Int> = []
        for index in uncertainProcedures {
            let mention = scan.mentions[index]
            guard !affirmedConcepts.contains(mention.concept), askedPerformed.insert(mention.concept).inserted else { continue }
            queries.append(("performed", lexicon.concepts[mention.concept].label, [sentenceEvidence(mention.sentence)]))
        }

        let underDiagnosis = Set(affirmed.filter { mentionUnderTag($0, "diagnosis") })
        var findings = try AttributeLinker.findings(affirmed: affirmed, document: document, scan: scan, lexicon: lexicon, negatedAttributes: deniedAttributes,
                                                    deadline: deadline, stated: { underDiagnosis.contains($0) })
        try deadline?.check()
        findings = keepAssessedSites(findings, underDiagnosis: underDiagnosis)
        shareSides(&findings)
        sideFromOperation(&findings)
        sideFromNote(&findings, denied: deniedAttributes)
        sideFromOneSidedOperation(&findings, denied: deniedAttributes)

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
            diagnoses: diagnoses, procedures: procedures, queries: rendered, excluded: excluded, warnings: warnings, edits: edits,
            subject: document.note.subject, encounter: document.note.encounter)
    }

    // MARK: describing findings

    func attributeSummary(_ finding: Finding) -> [String: [String]] {
        var result: [String: [String]] = [:]
        if let side = finding.side { result["side"] = [side] }
        let concept = lexicon.concepts[finding.concept]
        for name in concept.attributes where name != "side" {
            if lexicon.attribute(name)?.levels == true {
                let levels = CodeSelector.levels(name, of: finding, lexicon: lexicon)
                if !levels.isEmpty { result[name] = levels.names }
                continue
            }
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
            case let .value(name, _), let .present(name), let .property(name, _, _), let .count(name, _), let .amount(name, _), let .spinalCount(name, _, _):
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

}
