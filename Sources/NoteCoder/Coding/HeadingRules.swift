/// What a note's headings say about which mentions are this encounter's codes. The headings'
/// roles are tags in `sections.yaml`: `diagnosis` (Assessment, Impression, Pre/Postoperative
/// diagnosis, Indication), `operative` (an operative report's diagnosis headings), `narrative`
/// (indications, which state diagnoses only where no operative heading does) and `title`
/// (the heading that lists the procedures done).
extension NoteRun {
    func sectionHasTag(_ section: Section, _ tag: String) -> Bool {
        lexicon.section(section, hasTag: tag)
    }

    func noteHasTag(_ tag: String) -> Bool {
        document.sections.contains { sectionHasTag($0, tag) }
    }

    func mentionUnderTag(_ mention: Int, _ tag: String) -> Bool {
        sectionHasTag(document.sections[document.sentences[scan.mentions[mention].sentence].section], tag)
    }

    /// Where a note states its diagnoses under a heading for them, a coder codes the conditions
    /// stated there; a symptom (concepts marked `symptom`) named only in the history, review of
    /// systems or exam is context, not a diagnosis of this encounter. A definitive diagnosis named
    /// elsewhere is still coded: notes often address one in the plan without restating it. A
    /// symptom named under a diagnosis heading keeps all its mentions, so a side given in the
    /// history still counts. A heading holding only words the lexicons do not know still says
    /// what the encounter was for.
    mutating func keepAssessed(_ affirmed: [Int]) -> [Int] {
        // What a study showed (a section tagged `results`) is the study's reading, not a diagnosis
        // the provider makes: a condition named only there ("CXR: ... Acromioclavicular
        // osteoarthritis bilaterally" in an admission note) is context, heading or no.
        let studied = Set(affirmed.filter { mentionUnderTag($0, "results") })
        let affirmed = setAside(affirmed, reason: "not-assessed", cue: "a study's finding, not a diagnosis the note states") { concept, _ in
            concept.kind == .condition
        } where: { studied.contains($0) }
        guard noteHasTag("diagnosis") else { return affirmed }
        // The plan says what the visit treats ("physical therapy ... as well as treatment for his
        // neck pain"): a condition named there is one of the encounter's. A heading tagged
        // `narrative` (the indications of a procedure) states diagnoses only where the note has no
        // operative diagnosis heading: beside one it tells the story that led to the operation
        // ("right C4 radiculopathy with neck and shoulder pain"), and the operative diagnosis says
        // what is coded — unless they name the cause of what it states ("pain in the lumbar spine
        // secondary to facet arthrosis" under "Low back pain").
        let operative = noteHasTag("operative")
        func namedAsCause(_ index: Int) -> Bool {
            let mention = scan.mentions[index]
            return scan.cuesBySentence[mention.sentence].contains {
                lexicon.cues[scan.cues[$0].cue].causal && scan.cues[$0].range.upperBound <= mention.range.lowerBound
            }
        }
        let assessed = Set(affirmed.filter {
            lexicon.concepts[scan.mentions[$0].concept].kind == .condition
                && ((mentionUnderTag($0, "diagnosis") && !(operative && mentionUnderTag($0, "narrative") && !namedAsCause($0)))
                    || mentionUnderTag($0, "treats"))
        }.map { scan.mentions[$0].concept }).union(establishedElsewhere(affirmed))
        // A test's report (a reading section, `results`; no plan, no operation) whose diagnosis
        // heading reads the study as normal and names no diagnosis of the families is coded by
        // the reason for the test: the symptoms it was done for (outpatient guideline IV.K
        // codes the interpretation's definitive diagnoses, and the signs and symptoms where it
        // gives none). A reading with findings ("meniscal degeneration") keeps them set aside.
        let testReport = noteHasTag("results") && !noteHasTag("treats") && !noteHasTag("operative") && !noteHasTag("title")
        let readNormal = testReport && assessed.allSatisfy { lexicon.concepts[$0].normalReading }
            && assessed.contains { lexicon.concepts[$0].normalReading }
        codedFromReason = readNormal
        let remaining = setAside(affirmed, reason: "not-assessed", cue: "not among the diagnoses the note states under its diagnosis headings") { concept, id in
            concept.kind == .condition && concept.symptom && !assessed.contains(id) && !readNormal
        }
        // A definitive diagnosis told only as background (the history, the exam, a study: sections
        // tagged `background`) beside a diagnosis heading that leaves it out is not this
        // encounter's either ("suffers from ... DJD" in a cardiology follow-up whose impression is
        // knee pain). One the plan or the procedure speaks of stays. In an operative report the
        // operation's details are background too: what the surgeon saw on the way ("a significant
        // degenerative joint disease" of the joint a hallux rigidus was operated on) is coded only
        // where the pre- or postoperative diagnosis states it.
        let told = Set(remaining.filter {
            mentionUnderTag($0, "background") || (operative && mentionUnderTag($0, "procedure") && !mentionUnderTag($0, "title"))
        })
        return setAside(remaining, reason: "not-assessed", cue: "named only in the history, exam or studies, not among the diagnoses the note states") { concept, id in
            concept.kind == .condition && !assessed.contains(id) && !(readNormal && concept.symptom)
        } where: { told.contains($0) }
    }

    /// A diagnosis stated at a site under a diagnosis heading ("Lumbar spondylosis with
    /// radiculopathy (left L3, L4 and L5 roots)") is coded at the sites stated there: the same
    /// diagnosis at another site told only elsewhere (an MRI read in the history: "foraminal
    /// narrowing ... L5-S1") is not a second diagnosis of the encounter. Where the stated one
    /// names no site, the rest of the note still says where it is.
    mutating func keepAssessedSites(_ findings: [Finding], underDiagnosis: Set<Int>) -> [Finding] {
        guard !underDiagnosis.isEmpty else { return findings }
        func assessed(_ finding: Finding) -> Bool { finding.mentions.contains(where: underDiagnosis.contains) }
        let stated = findings.filter { $0.site != nil && assessed($0) }
        // Concepts one of which gives way to the other (`suppressedBy` either way) count as one
        // diagnosis here: the cervical and the lumbar reading of "herniated discs at C4-5", but
        // also a radiculopathy beside the disc disorder that would absorb it.
        func sameDiagnosis(_ a: Int, _ b: Int) -> Bool {
            a == b || lexicon.concepts[a].suppressedBy.contains(lexicon.concepts[b].id) || lexicon.concepts[b].suppressedBy.contains(lexicon.concepts[a].id)
        }
        var kept: [Finding] = []
        for finding in findings {
            let concept = lexicon.concepts[finding.concept]
            if concept.kind == .condition, concept.per != nil, let site = finding.site, !assessed(finding),
               stated.contains(where: { sameDiagnosis($0.concept, finding.concept) }),
               !stated.contains(where: { sameDiagnosis($0.concept, finding.concept) && $0.site?.value == site.value }) {
                excluded.append(ExcludedFinding(concept: concept.id, label: concept.label, reason: "not-assessed",
                                                cue: "a site named only outside the diagnosis headings, which state the diagnosis at other sites",
                                                evidence: sentenceEvidence(scan.mentions[finding.mentions[0]].sentence)))
                continue
            }
            kept.append(finding)
        }
        return kept
    }

    /// A diagnosis heading that names a condition only with a hedge ("findings are compatible
    /// with C4-5, C5-6 cervical spinal stenosis", mts-2601) hedges this reading, not a diagnosis
    /// the note states as established where it gives the visit's reason ("REASON FOR VISIT:
    /// Followup cervical spinal stenosis"): that condition is the encounter's.
    func establishedElsewhere(_ affirmed: [Int]) -> Set<Int> {
        guard !hedgedUnderDiagnosis.isEmpty else { return [] }
        return Set(affirmed.filter {
            hedgedUnderDiagnosis.contains(scan.mentions[$0].concept) && (mentionInSection($0, "chief-complaint") || mentionInSection($0, "history-present-illness"))
        }.map { scan.mentions[$0].concept })
    }

    func mentionInSection(_ mention: Int, _ id: String) -> Bool {
        guard let definition = document.sections[document.sentences[scan.mentions[mention].sentence].section].definition else { return false }
        return lexicon.sections[definition].id == id
    }

    /// Whether a question about a finding (its side, its site) can go to this note's author. Not
    /// where the author only lists it beside the note's own subject (a heading tagged
    /// `comorbidities`: Axis III of a psychiatric evaluation), nor where it is a symptom a normal
    /// test report is coded by: the reason for the test came from whoever ordered it, and the
    /// reader of a cervical spine CT cannot say which shoulder hurts. A diagnosis the reader
    /// states ("lateral epicondylitis" on an elbow MRI) is still asked about.
    func askable(_ finding: Finding) -> Bool {
        if finding.mentions.allSatisfy({ mentionUnderTag($0, "comorbidities") }) { return false }
        if codedFromReason && !finding.mentions.contains(where: { mentionUnderTag($0, "diagnosis") }) { return false }
        return true
    }

    /// In an operative report that lists what was done under a heading for it, the procedures
    /// coded are those listed; one told only in the details is part of a listed operation (a
    /// surgeon's block, or an injection at the end of a case).
    mutating func keepListed(_ affirmed: [Int]) -> [Int] {
        guard noteHasTag("operative"), noteHasTag("title") else { return affirmed }
        let titles = listingSections()
        let listed = Set(affirmed.filter {
            lexicon.concepts[scan.mentions[$0].concept].kind == .procedure
                && titles.contains(document.sentences[scan.mentions[$0].sentence].section)
        }.map { scan.mentions[$0].concept })
        return setAside(affirmed, reason: "bundled", cue: "not among the procedures the note lists as performed; part of a listed operation") { concept, id in
            concept.kind == .procedure && !listed.contains(id)
        }
    }

    /// The sections that list the procedures done. The first heading for them does; a later one
    /// does only when numbered ("PROCEDURE 2:"): a plain "PROCEDURE:" after "TITLE OF
    /// OPERATION:" is where the operation is told, not a second list.
    func listingSections() -> Set<Int> {
        var result: Set<Int> = []
        for (index, section) in document.sections.enumerated() where sectionHasTag(section, "title") {
            let numbered = section.header.map { document.bytes[$0].contains { $0 >= 0x30 && $0 <= 0x39 } } ?? false
            if result.isEmpty || numbered { result.insert(index) }
        }
        return result
    }

    /// Drops the mentions `drop` picks, and lists each concept dropped once under "seen, not
    /// coded" with the sentence that named it.
    mutating func setAside(
        _ affirmed: [Int], reason: String, cue: String, drop: (ConceptDefinition, Int) -> Bool, where place: (Int) -> Bool = { _ in true }
    ) -> [Int] {
        var reported: Set<Int> = []
        return affirmed.filter { index in
            let mention = scan.mentions[index]
            let concept = lexicon.concepts[mention.concept]
            guard place(index), drop(concept, mention.concept) else { return true }
            if reported.insert(mention.concept).inserted {
                excluded.append(ExcludedFinding(concept: concept.id, label: concept.label, reason: reason, cue: cue,
                                                evidence: sentenceEvidence(mention.sentence)))
            }
            return false
        }
    }

    /// Whether the note gives any reason for its procedures, coded or not: a condition the
    /// lexicons recognise (a finding, or one set aside as not assessed), or words under a
    /// diagnosis heading. An indication query asks only where there is none: "herniated disc" or
    /// "dental abscess" is a reason even where no code in the families follows from it.
    func documentsReason(_ findings: [Finding]) -> Bool {
        if findings.contains(where: { lexicon.concepts[$0.concept].kind == .condition }) { return true }
        // A condition seen but not coded is still a reason: "suspected facet arthropathy", a
        // history of disc herniation, a symptom coded as its diagnosis.
        let reasons: Set<String> = ["not-assessed", "uncertain", "historical", "suppressed"]
        if excluded.contains(where: { reasons.contains($0.reason) && lexicon.concept($0.concept)?.kind == .condition }) { return true }
        return document.sections.contains { section in
            guard sectionHasTag(section, "diagnosis") else { return false }
            let body = (section.header?.upperBound ?? section.range.lowerBound)..<section.range.upperBound
            return document.bytes[body].contains { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }
        }
    }
}
