/// Checks a note's suggestions against the claim edits a payer's scrubber applies — NCCI
/// procedure-to-procedure pairs, medically unlikely edits, add-on codes without their primary,
/// ICD-10-CM Excludes1 pairs — using the tables in force on the date of service.
///
/// Every code fact comes from the tables (`Lexicon.claimEdits`) and the procedure catalogue;
/// the only words here are the modifiers the NCCI rules themselves name.
public struct ClaimEditChecker: Sendable {
    public let lexicon: Lexicon
    public let day: Day

    public init(lexicon: Lexicon, day: Day) {
        self.lexicon = lexicon
        self.day = day
    }

    /// Modifiers that tell a payer two services were distinct (59 and its X{EPSU} subsets).
    static let distinctModifiers: Set<String> = ["59", "XE", "XS", "XP", "XU"]
    /// The modifier NoteCoder adds for a separate organ or structure.
    static let separateStructure = "XS"
    /// Anatomic side modifiers; two lines on opposite sides are separate sites.
    static let sideModifiers: Set<String> = ["RT", "LT"]

    /// Applies the edits: withdraws column-two lines of never-together pairs (moving them to
    /// `excluded` with reason `edit`), adds XS where a pair is allowed for separate sites, marks
    /// flagged procedure lines, and returns every edit that applied, in the order found.
    public func apply(procedures: inout [ProcedureSuggestion], diagnoses: [DiagnosisSuggestion], excluded: inout [ExcludedFinding]) -> [EditFinding] {
        // Most notes of a batch suggest nothing: no table need be looked at.
        if procedures.isEmpty && diagnoses.isEmpty { return [] }
        var findings: [EditFinding] = []
        var withdrawn: Set<Int> = []
        var flagged: Set<Int> = []
        checkPairs(&procedures, withdrawn: &withdrawn, flagged: &flagged, excluded: &excluded, findings: &findings)
        checkUnits(procedures, withdrawn: withdrawn, flagged: &flagged, findings: &findings)
        checkAddOns(procedures, withdrawn: withdrawn, flagged: &flagged, findings: &findings)
        checkExcludes1(diagnoses, findings: &findings)
        for index in flagged where !withdrawn.contains(index) {
            procedures[index].status = ProcedureSuggestion.editFlaggedStatus
        }
        procedures = procedures.indices.filter { !withdrawn.contains($0) }.map { procedures[$0] }
        return findings
    }

    // MARK: procedure-to-procedure

    func checkPairs(_ lines: inout [ProcedureSuggestion], withdrawn: inout Set<Int>, flagged: inout Set<Int>,
                    excluded: inout [ExcludedFinding], findings: inout [EditFinding]) {
        guard let chosen = lexicon.claimEdits.ptp(on: day) else { return }
        func pairs(indicator: Int) -> [(Int, Int, PTPEdit)] {
            var result: [(Int, Int, PTPEdit)] = []
            for i in lines.indices {
                for j in lines.indices where i != j && lines[i].code != lines[j].code {
                    if let row = chosen.table.rows(column1: lines[i].code, column2: lines[j].code)
                        .first(where: { $0.inForce(on: day) && $0.modifierIndicator == indicator }) {
                        result.append((i, j, row))
                    }
                }
            }
            return result
        }

        // Indicator 0 first: a withdrawn line takes no part in the pairs that follow.
        var seen: Set<String> = []
        for (i, j, row) in pairs(indicator: 0) where !withdrawn.contains(i) && !withdrawn.contains(j) {
            withdrawn.insert(j)
            let one = lines[i], two = lines[j]
            let message = "\(two.code) is not billed with \(one.code) for the same patient on the same day: the NCCI pair "
                + "\(one.code)/\(two.code) has modifier indicator 0, so no modifier allows both. \(two.code) is withdrawn and \(one.code) stays."
                + rationale(row)
            excluded.append(ExcludedFinding(
                concept: two.concept, label: "\(lexicon.concept(two.concept)?.label ?? two.label) (\(two.code))", reason: "edit",
                cue: "NCCI PTP column two to \(one.code), modifier indicator 0" + (row.rationale.isEmpty ? "" : ": \(row.rationale)"),
                evidence: two.evidence.first ?? one.evidence.first ?? Evidence(text: "", section: nil, line: 0, start: 0, end: 0)))
            if seen.insert(one.code + "|" + two.code).inserted {
                findings.append(EditFinding(kind: .ptp, codes: [one.code, two.code], status: .withdrawn, message: message, source: chosen.source(of: row.edition)))
            }
        }

        var judged: Set<String> = []
        for (i, j, row) in pairs(indicator: 1) where !withdrawn.contains(i) && !withdrawn.contains(j) {
            let one = lines[i], two = lines[j]
            // Two lines of the column-one code (two joints) make one judgement about this line.
            guard judged.insert("\(one.code)|\(j)").inserted else { continue }
            let head = "\(one.code) and \(two.code) are an NCCI pair with modifier indicator 1: \(two.code) (column two) is billed with \(one.code) only for a separate site or session, shown by a modifier."
            let sides = (lines[i].modifiers.filter(ClaimEditChecker.sideModifiers.contains), lines[j].modifiers.filter(ClaimEditChecker.sideModifiers.contains))
            if let present = lines[j].modifiers.first(where: ClaimEditChecker.distinctModifiers.contains) {
                findings.append(EditFinding(kind: .ptp, codes: [one.code, two.code], status: .bypassed,
                                            message: head + " \(two.code) already carries \(present)." + rationale(row), source: chosen.source(of: row.edition)))
            } else if !sides.0.isEmpty && !sides.1.isEmpty && Set(sides.0).isDisjoint(with: sides.1) {
                findings.append(EditFinding(kind: .ptp, codes: [one.code, two.code], status: .bypassed,
                                            message: head + " The two are on opposite sides (\(sides.0.joined())/\(sides.1.joined())), which the side modifiers show." + rationale(row),
                                            source: chosen.source(of: row.edition)))
            } else if let why = separateSites(one, two) {
                lines[j].modifiers.append(ClaimEditChecker.separateStructure)
                findings.append(EditFinding(kind: .ptp, codes: [one.code, two.code], status: .bypassed,
                                            message: head + " Bypassed with \(ClaimEditChecker.separateStructure): separate structure (\(why)); \(two.code) now carries \(ClaimEditChecker.separateStructure)." + rationale(row),
                                            source: chosen.source(of: row.edition)))
            } else {
                flagged.insert(j)
                findings.append(EditFinding(kind: .ptp, codes: [one.code, two.code], status: .flagged,
                                            message: head + " The note does not show a separate site for the two (\(siteWords(one)); \(siteWords(two))), so only \(one.code) is billable unless the provider documents a separate site or session." + rationale(row),
                                            source: chosen.source(of: row.edition)))
            }
        }
    }

    func rationale(_ row: PTPEdit) -> String {
        row.rationale.isEmpty ? "" : " CMS rationale: \(row.rationale)."
    }

    /// Attributes that name a site: those the side binds to (joint, nerve, muscle in the
    /// lexicon), each concept's `per` attribute, and attributes with a site key.
    var siteAttributes: [String] {
        var names: [String] = []
        for name in lexicon.attributes.flatMap(\.binds) + lexicon.concepts.compactMap(\.per) + lexicon.attributes.filter({ $0.siteKey != nil }).map(\.id)
        where !names.contains(name) {
            names.append(name)
        }
        return names
    }

    /// Why two lines are at separate sites, or nil when the note does not show it: different
    /// values of a site attribute both name, or different procedures with no site in common.
    func separateSites(_ a: ProcedureSuggestion, _ b: ProcedureSuggestion) -> String? {
        var shared = false
        var differing: [String] = []
        for name in siteAttributes {
            guard let valuesA = a.attributes[name], let valuesB = b.attributes[name], !valuesA.isEmpty, !valuesB.isEmpty else { continue }
            if Set(valuesA).isDisjoint(with: valuesB) {
                let label = lexicon.attribute(name)?.label ?? name
                differing.append("\(label) \(valuesA.joined(separator: ", ")) vs \(valuesB.joined(separator: ", "))")
            } else {
                shared = true
            }
        }
        if shared { return nil }
        if !differing.isEmpty { return differing.joined(separator: "; ") }
        if a.concept != b.concept { return "\(siteWords(a)) vs \(siteWords(b))" }
        return nil
    }

    /// "knee" / "trapezius, rhomboid" / the procedure's own words when no site is named.
    func siteWords(_ line: ProcedureSuggestion) -> String {
        let values = siteAttributes.flatMap { line.attributes[$0] ?? [] }
        var unique: [String] = []
        for value in values where !unique.contains(value) { unique.append(value) }
        let what = lexicon.concept(line.concept)?.label ?? line.label
        return unique.isEmpty ? "\(line.code) \(what), no site named" : "\(line.code) \(unique.joined(separator: ", "))"
    }

    // MARK: medically unlikely edits

    func checkUnits(_ lines: [ProcedureSuggestion], withdrawn: Set<Int>, flagged: inout Set<Int>, findings: inout [EditFinding]) {
        guard let chosen = lexicon.claimEdits.mue(on: day) else { return }
        var codes: [String] = []
        for (index, line) in lines.enumerated() where !withdrawn.contains(index) && !codes.contains(line.code) { codes.append(line.code) }
        for code in codes {
            guard let limit = chosen.table.limits[code] else { continue }
            let indices = lines.indices.filter { !withdrawn.contains($0) && lines[$0].code == code }
            let over: [Int]
            let units: Int
            if limit.adjudication == 1 {
                // A line edit: each line is judged on its own units.
                over = indices.filter { lines[$0].units > limit.units }
                units = over.map { lines[$0].units }.max() ?? 0
            } else {
                units = indices.reduce(0) { $0 + lines[$1].units }
                over = units > limit.units ? indices : []
            }
            guard !over.isEmpty else { continue }
            flagged.formUnion(over)
            let counted = limit.adjudication == 1 ? "on one line" : "on this day" + (indices.count > 1 ? " (\(indices.count) lines)" : "")
            let message = "\(code): \(units) unit\(units == 1 ? "" : "s") \(counted), above the medically unlikely edit of \(limit.units) per day of service "
                + "(\(MUELimit.meaning(of: limit.adjudication)))."
                + (limit.rationale.isEmpty ? "" : " CMS rationale: \(limit.rationale).")
            findings.append(EditFinding(kind: .mue, codes: [code], status: .flagged, message: message, source: chosen.source(of: limit.edition)))
        }
    }

    // MARK: add-on codes

    func checkAddOns(_ lines: [ProcedureSuggestion], withdrawn: Set<Int>, flagged: inout Set<Int>, findings: inout [EditFinding]) {
        let chosen = lexicon.claimEdits.addOns(on: day)
        let present = Set(lines.indices.filter { !withdrawn.contains($0) }.map { lines[$0].code })
        var done: Set<String> = []
        for (index, line) in lines.enumerated() where !withdrawn.contains(index) {
            let requirement = primaries(of: line.code, table: chosen)
            guard !requirement.codes.isEmpty else { continue }
            guard requirement.codes.isDisjoint(with: present) else { continue }
            flagged.insert(index)
            guard done.insert(line.code).inserted else { continue }
            let listed = requirement.ordered
            let named = listed.count <= 6 ? listed.joined(separator: ", ") : listed.prefix(6).joined(separator: ", ") + " and \(listed.count - 6) more"
            var message = "\(line.code) is an add-on code: it is billed only with its primary code on the same claim (\(listed.count == 1 ? "" : "one of ")\(named)), and no such line is among the suggestions."
            if requirement.othersAllowed { message += " The add-on table's edit type 3 also lets the MAC accept other primaries." }
            if !listed.contains(where: { lexicon.procedures.code($0) != nil }) {
                message += " Its primaries are codes NoteCoder does not suggest (such as a visit code): check that one is on the claim."
            } else {
                message += " Check the note for the primary service, or drop \(line.code)."
            }
            findings.append(EditFinding(kind: .addOn, codes: [line.code], status: .flagged, message: message, source: requirement.source))
        }
    }

    struct Primaries {
        var codes: Set<String> = []
        var ordered: [String] = []
        var othersAllowed = false
        var source = ""
    }

    /// The primary codes an add-on needs: the CMS add-on table's rows and, for codes it lacks
    /// (terminated or HCPCS-only add-ons), the catalogue's `addOnTo`.
    func primaries(of code: String, table: ChosenTable<AddOnTable>?) -> Primaries {
        var result = Primaries()
        var sources: [String] = []
        if let table {
            let edits = table.table.edits(for: code)
            let listed = edits.filter { !$0.anyPrimary }
            if !listed.isEmpty {
                for edit in listed where result.codes.insert(edit.primary).inserted { result.ordered.append(edit.primary) }
                result.othersAllowed = edits.contains { $0.editType == 3 || $0.anyPrimary }
                for edition in edits.map(\.edition) where !sources.contains(table.source(of: edition)) { sources.append(table.source(of: edition)) }
            }
        }
        if let catalogue = lexicon.procedures.code(code), !catalogue.addOnTo.isEmpty {
            let added = catalogue.addOnTo.filter { result.codes.insert($0).inserted }
            result.ordered += added
            if sources.isEmpty || !added.isEmpty { sources.append("procedure catalogue (codes/procedures.yaml, addOnTo)") }
        }
        result.source = sources.joined(separator: "; ")
        return result
    }

    // MARK: Excludes1

    func checkExcludes1(_ diagnoses: [DiagnosisSuggestion], findings: inout [EditFinding]) {
        let notes = lexicon.claimEdits.excludes1
        var seen: Set<String> = []
        for a in diagnoses {
            for b in diagnoses where a.code != b.code {
                for note in notes.notes {
                    guard let excluded = note.excluded(a.code, with: b.code) else { continue }
                    let key = [a.code, b.code].sorted().joined(separator: "|")
                    guard seen.insert(key).inserted else { break }
                    let message = "\(a.code) and \(b.code) are not reported together: the Excludes1 note at \(note.at) (\(note.title)) excludes "
                        + "\(excluded.text) (\(excluded.codes.joined(separator: ", "))). Keep the one the documentation supports, unless the two conditions are unrelated."
                    findings.append(EditFinding(kind: .excludes1, codes: [a.code, b.code], status: .flagged, message: message,
                                                source: "\(notes.source) (\(note.location))"))
                    break
                }
            }
        }
    }
}
