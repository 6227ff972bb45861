internal import Foundation

/// What a coder asks of one code on a date of service (`notecoder code`): for a diagnosis, its
/// title and billable status by edition and its Excludes1 notes; for a procedure, our label,
/// its dates, bilateral indicator, unit limit, add-on primaries and the NCCI pairs naming it.
public struct CodeFacts: Codable, Sendable {
    public var code: String
    /// The date of service asked about (YYYY-MM-DD).
    public var date: String
    /// Set when no date was given: which default was used.
    public var dateNote: String?
    /// `ICD-10-CM`, or the procedure's system (`CPT`, `CPT-II`, `HCPCS`).
    public var system: String
    public var diagnosis: DiagnosisFacts?
    public var procedure: ProcedureFacts?
}

public struct DiagnosisFacts: Codable, Sendable {
    public struct EditionStatus: Codable, Sendable {
        public var edition: String
        public var from: String?
        public var until: String?
        /// Whether the edition has the code at all (as a billable code or a header).
        public var present: Bool
        public var billable: Bool
        public var title: String?
    }

    public struct Excludes1: Codable, Sendable {
        /// The code whose tabular note it is.
        public var at: String
        public var title: String
        /// What the note excludes, in its own words, and the codes (each with the codes under it).
        public var text: String
        public var codes: [String]
        /// `excludes` when the note belongs to this code (or a code above it), `excluded-by` when
        /// another code's note names this one.
        public var direction: String
        public var source: String
    }

    /// The edition in force on the date (or the nearest on hand).
    public var edition: String
    public var editionNote: String?
    public var title: String?
    public var inEdition: Bool
    public var billable: Bool
    /// For a header: the billable codes under it in that edition.
    public var billableCodesUnder: [String]
    public var editions: [EditionStatus]
    public var excludes1: [Excludes1]
    /// The file the Excludes1 notes come from, with its edition.
    public var excludes1Source: String
}

public struct ProcedureFacts: Codable, Sendable {
    public struct DatedLabel: Codable, Sendable {
        public var from: String?
        public var label: String
    }

    public struct UnitLimit: Codable, Sendable {
        public var units: Int
        public var adjudicationIndicator: Int
        public var meaning: String
        public var rationale: String
        public var source: String
    }

    public struct AddOn: Codable, Sendable {
        public var primaries: [String]
        /// Edit type 3 (or a CCCCC row): the MAC may accept other primaries too.
        public var othersAllowed: Bool
        public var source: String
    }

    public struct Pair: Codable, Sendable {
        public var column1: String
        public var column2: String
        public var modifierIndicator: Int
        public var meaning: String
        public var rationale: String
        /// Last date of service the row applied to; nil while active.
        public var deleted: String?
        public var inForce: Bool
    }

    public struct Pairs: Codable, Sendable {
        public var source: String
        /// Rows of the table naming this code, in force on the date or not.
        public var rows: Int
        public var inForce: Int
        /// The rows whose other code is in NoteCoder's procedure catalogue, listed below.
        public var withCatalogueCodes: Int
        public var pairs: [Pair]
    }

    public var system: String
    /// Our label in force on the date.
    public var label: String
    public var labels: [DatedLabel]
    public var valid: Bool
    public var from: String?
    public var until: String?
    public var sideModifiers: Bool
    public var bilateralIndicator: Int?
    public var bilateralMeaning: String
    public var unitLimit: UnitLimit?
    /// Set when the code is an add-on: the primaries it needs.
    public var addOn: AddOn?
    /// Add-on codes in the catalogue that take this code as a primary.
    public var addOnCodes: [String]
    public var pairs: Pairs?
}

extension Lexicon {
    /// The date NoteCoder assumes when none is given: the start of the newest ICD-10-CM edition
    /// on hand, the engine's rule for a note without a date, so answers never depend on the clock.
    public var defaultDateOfService: Day {
        icd10cm.editions.compactMap(\.validity.from).max() ?? Day(year: 2025, month: 10, day: 1)
    }

    /// What to tell a coder who asked about a code NoteCoder does not know. A code shaped like
    /// ICD-10-CM (a letter, two characters, maybe a dot and more) from a chapter the tables do
    /// not carry is not called "not ICD-10-CM": NoteCoder says which chapters it has instead.
    public func unknownCodeMessage(_ code: String) -> String {
        let asked = code.trimmingCharacters(in: .whitespaces).uppercased()
        let icdShaped = asked.range(of: #"^[A-Z][0-9][0-9A-Z](?:\.?[0-9A-Z]{1,4})?$"#, options: .regularExpression) != nil
        if icdShaped && !icd10cm.covers(asked) {
            return "\(code) cannot be looked up: NoteCoder carries \(icd10cm.reach), so it cannot say whether \(code) is an ICD-10-CM code or what it means"
        }
        return "\(code) is not an ICD-10-CM code in \(icd10cm.reach) nor a CPT/HCPCS code in NoteCoder's procedure catalogue"
    }

    /// The facts about `code` on `day` (the default date when nil), or nil when the code is
    /// neither an ICD-10-CM code in an edition on hand nor a procedure code in the catalogue.
    /// ICD-10-CM codes may be written without the dot (M545).
    public func facts(about code: String, on day: Day?) -> CodeFacts? {
        let asked = code.trimmingCharacters(in: .whitespaces).uppercased()
        let date = day ?? defaultDateOfService
        let dateNote = day == nil ? "no date given: the start of the newest ICD-10-CM edition on hand" : nil
        for candidate in [asked] + Lexicon.dotted(asked) where icd10cm.editions.contains(where: { $0.entry(candidate) != nil }) {
            return CodeFacts(code: candidate, date: date.description, dateNote: dateNote, system: "ICD-10-CM",
                             diagnosis: diagnosisFacts(candidate, on: date), procedure: nil)
        }
        if let procedure = procedures.code(asked) {
            return CodeFacts(code: asked, date: date.description, dateNote: dateNote, system: procedure.system,
                             diagnosis: nil, procedure: procedureFacts(procedure, on: date))
        }
        return nil
    }

    /// "M545" → ["M54.5"]; codes that already have a dot or are categories give nothing.
    static func dotted(_ code: String) -> [String] {
        guard code.count > 3, !code.contains("."), code.first?.isLetter == true else { return [] }
        let cut = code.index(code.startIndex, offsetBy: 3)
        return [String(code[..<cut]) + "." + String(code[cut...])]
    }

    func diagnosisFacts(_ code: String, on day: Day) -> DiagnosisFacts {
        let chosen = icd10cm.edition(on: day)
        let entry = chosen.edition.entry(code)
        var under: [String] = []
        if let entry, !entry.billable {
            under = chosen.edition.entries.filter { $0.value.billable && Excludes1Note.covers(code, $0.key) && $0.key != code }.keys.sorted()
        }
        let editions = icd10cm.editions.map { edition in
            DiagnosisFacts.EditionStatus(
                edition: edition.name, from: edition.validity.from?.description, until: edition.validity.until?.description,
                present: edition.entry(code) != nil, billable: edition.isBillable(code), title: edition.entry(code)?.title)
        }
        var excludes: [DiagnosisFacts.Excludes1] = []
        let notes = claimEdits.excludes1
        for note in notes.notes {
            let source = "\(notes.source) (\(note.location))"
            if Excludes1Note.covers(note.at, code) {
                for item in note.excludes {
                    excludes.append(.init(at: note.at, title: note.title, text: item.text, codes: item.codes, direction: "excludes", source: source))
                }
            }
            for item in note.excludes where item.codes.contains(where: { Excludes1Note.covers($0, code) || Excludes1Note.covers(code, $0) }) {
                excludes.append(.init(at: note.at, title: note.title, text: item.text, codes: item.codes, direction: "excluded-by", source: source))
            }
        }
        return DiagnosisFacts(
            edition: chosen.edition.name, editionNote: chosen.exact ? nil : "no edition on hand covers \(day); the nearest, \(chosen.edition.name), is used",
            title: entry?.title, inEdition: entry != nil, billable: entry?.billable == true, billableCodesUnder: under,
            editions: editions, excludes1: excludes, excludes1Source: notes.description)
    }

    func procedureFacts(_ procedure: ProcedureCode, on day: Day) -> ProcedureFacts {
        var unitLimit: ProcedureFacts.UnitLimit?
        if let chosen = claimEdits.mue(on: day), let limit = chosen.table.limits[procedure.code] {
            unitLimit = .init(units: limit.units, adjudicationIndicator: limit.adjudication, meaning: MUELimit.meaning(of: limit.adjudication),
                              rationale: limit.rationale, source: chosen.source(of: limit.edition))
        }
        let checker = ClaimEditChecker(lexicon: self, day: day)
        let needs = checker.primaries(of: procedure.code, table: claimEdits.addOns(on: day))
        let addOn = needs.ordered.isEmpty ? nil : ProcedureFacts.AddOn(primaries: needs.ordered, othersAllowed: needs.othersAllowed, source: needs.source)
        var addOnCodes = Set(claimEdits.addOns(on: day)?.table.addOns(withPrimary: procedure.code) ?? [])
        for other in procedures.allCodes where procedures.code(other)?.addOnTo.contains(procedure.code) == true { addOnCodes.insert(other) }
        var pairs: ProcedureFacts.Pairs?
        if let chosen = claimEdits.ptp(on: day) {
            let rows = chosen.table.rows(involving: procedure.code)
            let listed = rows.filter { procedures.code($0.column1 == procedure.code ? $0.column2 : $0.column1) != nil }
            // The files the rows come from (one edition may be read from several), in table order.
            let files = chosen.table.editions.filter { edition in rows.contains { $0.edition.file == edition.file } }
            pairs = .init(
                source: files.isEmpty ? chosen.source : files.map(chosen.source(of:)).joined(separator: "; "), rows: rows.count, inForce: rows.filter { $0.inForce(on: day) }.count, withCatalogueCodes: listed.count,
                pairs: listed.map {
                    .init(column1: $0.column1, column2: $0.column2, modifierIndicator: $0.modifierIndicator,
                          meaning: Lexicon.modifierIndicatorMeaning($0.modifierIndicator), rationale: $0.rationale,
                          deleted: $0.deleted?.description, inForce: $0.inForce(on: day))
                })
        }
        return ProcedureFacts(
            system: procedure.system, label: procedure.label(on: day),
            labels: procedure.labels.map { .init(from: $0.from?.description, label: $0.label) },
            valid: procedure.validity.contains(day), from: procedure.validity.from?.description, until: procedure.validity.until?.description,
            sideModifiers: procedure.sideModifiers, bilateralIndicator: procedure.bilateralIndicator,
            bilateralMeaning: Lexicon.bilateralMeaning(procedure.bilateralIndicator),
            unitLimit: unitLimit, addOn: addOn, addOnCodes: addOnCodes.filter { procedures.code($0) != nil }.sorted(), pairs: pairs)
    }

    static func modifierIndicatorMeaning(_ indicator: Int) -> String {
        switch indicator {
        case 0: "never together: no modifier allows both"
        case 1: "a modifier (59, XE, XS, XP, XU, or an anatomic one) may allow both when the services are distinct"
        case 9: "not applicable (the edit does not apply)"
        default: "indicator \(indicator), not defined by CMS"
        }
    }

    /// The CMS physician fee schedule bilateral surgery indicator in words.
    static func bilateralMeaning(_ indicator: Int?) -> String {
        switch indicator {
        case nil: "not in the fee schedule indicator file on hand"
        case 0: "modifier 50 does not apply; done on both sides, it is one unit"
        case 1: "modifier 50 allowed: both sides on one line with 50, 1 unit"
        case 2: "modifier 50 does not apply: the code already covers both sides"
        case 3: "modifier 50 allowed, each side paid in full"
        case 9: "the bilateral concept does not apply"
        default: "indicator \(indicator!), not defined by CMS"
        }
    }
}

extension CodeFacts {
    /// The answer for people.
    public func text() -> String {
        var out: [String] = []
        out.append("\(code) — \(system), as of \(date)" + (dateNote.map { " (\($0))" } ?? ""))
        if let d = diagnosis {
            out.append("  Edition in force: \(d.edition)" + (d.editionNote.map { " (\($0))" } ?? ""))
            if d.inEdition {
                out.append("  Title: \(d.title ?? "")")
                if d.billable {
                    out.append("  Billable on \(date): yes")
                } else {
                    let under = d.billableCodesUnder.isEmpty ? "" : "; billable codes under it: " + d.billableCodesUnder.joined(separator: ", ")
                    out.append("  Billable on \(date): no — a header, never on a claim\(under)")
                }
            } else {
                out.append("  Not in \(d.edition): not billable on \(date)")
            }
            out.append("  Editions on hand:")
            for e in d.editions {
                let span = "\(e.from ?? "…")–\(e.until ?? "…")"
                let status = !e.present ? "not in this edition" : e.billable ? "billable — \(e.title ?? "")" : "header, not billable — \(e.title ?? "")"
                out.append("    \(e.edition) (\(span)): \(status)")
            }
            if d.excludes1.isEmpty {
                out.append("  Excludes1 notes on hand: none")
            } else {
                out.append("  Excludes1 (never reported together, unless the conditions are unrelated):")
                for x in d.excludes1 {
                    let codes = x.codes.joined(separator: ", ")
                    switch x.direction {
                    case "excludes": out.append("    at \(x.at) (\(x.title)): excludes \(x.text) — \(codes)")
                    default: out.append("    excluded by the note at \(x.at) (\(x.title)): \(x.text) — \(codes)")
                    }
                }
                out.append("    source: \(d.excludes1Source)")
            }
        }
        if let p = procedure {
            out.append("  Label: \(p.label)")
            if p.labels.count > 1 {
                out.append("  Labels by date:")
                for l in p.labels { out.append("    from \(l.from ?? "the start"): \(l.label)") }
            }
            let span = "from \(p.from ?? "before 2020-10-01, the oldest date NoteCoder handles")" + (p.until.map { " until \($0)" } ?? ", no end date")
            out.append("  Valid on \(date): \(p.valid ? "yes" : "no") (\(span))")
            out.append("  Side modifiers: \(p.sideModifiers ? "RT/LT apply" : "none (RT/LT do not apply)")")
            out.append("  Bilateral indicator: " + (p.bilateralIndicator.map { "\($0) — \(p.bilateralMeaning)" } ?? p.bilateralMeaning))
            if let u = p.unitLimit {
                out.append("  Unit limit (MUE): \(u.units) per day of service — \(u.meaning)" + (u.rationale.isEmpty ? "" : "; CMS rationale: \(u.rationale)"))
                out.append("    source: \(u.source)")
            } else {
                out.append("  Unit limit (MUE): none in the table on hand")
            }
            if let a = p.addOn {
                out.append("  Add-on code: billed only with one of its primaries on the same claim: \(a.primaries.joined(separator: ", "))"
                    + (a.othersAllowed ? " (the MAC may accept others)" : ""))
                out.append("    source: \(a.source)")
            } else {
                out.append("  Add-on code: no")
            }
            if !p.addOnCodes.isEmpty { out.append("  Add-on codes that take it as primary: \(p.addOnCodes.joined(separator: ", "))") }
            if let pairs = p.pairs, pairs.rows == 0 {
                out.append("  NCCI procedure-to-procedure pairs: none name \(code)")
                out.append("    source: \(pairs.source)")
            } else if let pairs = p.pairs {
                out.append("  NCCI procedure-to-procedure pairs: \(pairs.rows) row\(pairs.rows == 1 ? "" : "s") name \(code), \(pairs.inForce) in force on \(date); \(pairs.withCatalogueCodes) with a code in NoteCoder's catalogue:")
                out.append("    source: \(pairs.source)")
                let live = pairs.pairs.filter(\.inForce)
                for (role, rows, other) in [
                    ("\(code) in column one (the other code is the one denied)", live.filter { $0.column1 == code }, \ProcedureFacts.Pair.column2),
                    ("\(code) in column two (\(code) is the one denied)", live.filter { $0.column2 == code }, \ProcedureFacts.Pair.column1),
                ] where !rows.isEmpty {
                    out.append("    \(role):")
                    for indicator in Set(rows.map(\.modifierIndicator)).sorted() {
                        let codes = rows.filter { $0.modifierIndicator == indicator }.map { $0[keyPath: other] }
                        out.append("      indicator \(indicator), \(Lexicon.modifierIndicatorMeaning(indicator)):")
                        out.append(contentsOf: CodeFacts.wrap(codes, indent: "        "))
                    }
                }
                let gone = pairs.pairs.filter { !$0.inForce }
                if !gone.isEmpty {
                    out.append("    no longer in force on \(date):")
                    out.append(contentsOf: CodeFacts.wrap(gone.map { "\($0.column1)/\($0.column2) (until \($0.deleted ?? "?"))" }, indent: "      "))
                }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func wrap(_ items: [String], indent: String, width: Int = 100) -> [String] {
        var lines: [String] = []
        var current = indent
        for item in items {
            if current.count > indent.count && current.count + item.count + 2 > width {
                lines.append(current)
                current = indent
            }
            current += (current.count > indent.count ? ", " : "") + item
        }
        if current.count > indent.count { lines.append(current) }
        return lines
    }
}
