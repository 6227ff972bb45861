import Foundation
import Testing
@testable import NoteCoder

/// A procedure line as the engine builds it, for calling the checker with a list of suggestions.
private func line(_ code: String, concept: String, modifiers: [String] = [], units: Int = 1,
                  attributes: [String: [String]] = [:]) -> ProcedureSuggestion {
    ProcedureSuggestion(
        code: code, label: code, concept: concept, modifiers: modifiers, units: units, diagnoses: [],
        status: "suggested", pendingQueries: [], attributes: attributes,
        evidence: [Evidence(text: "\(code) documented", section: "Procedure", line: 1, start: 0, end: 10)], rule: "test")
}

private func diagnosis(_ code: String) -> DiagnosisSuggestion {
    DiagnosisSuggestion(code: code, label: code, concept: "test", status: "suggested", pendingQueries: [], attributes: [:],
                        evidence: [], rule: "test")
}

/// Runs the checker on `procedures` and `diagnoses` as of `date`.
private func check(_ procedures: [ProcedureSuggestion], diagnoses: [String] = [], date: String = "2024-08-01") throws
    -> (procedures: [ProcedureSuggestion], excluded: [ExcludedFinding], edits: [EditFinding]) {
    let lexicon = try SharedLexicon.lexicon()
    var lines = procedures
    var excluded: [ExcludedFinding] = []
    let day = try #require(Day(iso: date))
    let edits = ClaimEditChecker(lexicon: lexicon, day: day).apply(procedures: &lines, diagnoses: diagnoses.map(diagnosis), excluded: &excluded)
    return (lines, excluded, edits)
}

@Suite("Claim edits: tables loaded as dated data")
struct EditTablesTests {
    @Test("the CMS tables of codes/cms/sources.yaml load with their edition and effective date")
    func tablesLoad() throws {
        let tables = try SharedLexicon.lexicon().claimEdits
        let ptp = try #require(tables.ptp.first)
        #expect(ptp.edition.file == "ncci-ptp-practitioner-2024q3-pain-codes.tsv")
        #expect(ptp.edition.effective == Day(year: 2024, month: 7, day: 1))
        #expect(ptp.rows.count > 900)
        #expect(ptp.rows(column1: "20553", column2: "20552").first?.modifierIndicator == 0)
        let mue = try #require(tables.mue.first)
        #expect(mue.limits["20610"]?.units == 2)
        #expect(mue.limits["20610"]?.adjudication == 3)
        let addOns = try #require(tables.addOns.first)
        #expect(addOns.edition.effective == nil)
        #expect(addOns.edits(for: "99439").map(\.primary) == ["99490"])
        #expect(tables.excludes1.notes.contains { $0.at == "G89.2" })
    }

    @Test("a deleted pair applies up to its deletion date only")
    func deletedRows() throws {
        let ptp = try #require(try SharedLexicon.lexicon().claimEdits.ptp.first)
        let row = try #require(ptp.rows(column1: "20611", column2: "64402").first)
        #expect(row.deleted == Day(year: 2019, month: 12, day: 31))
        #expect(row.inForce(on: Day(year: 2019, month: 12, day: 31)))
        #expect(!row.inForce(on: Day(year: 2020, month: 1, day: 1)))
        #expect(ptp.rows(column1: "20553", column2: "20552").first?.deleted == nil)
    }

    @Test("a date before the edition's effective date uses it and says it is the nearest on hand")
    func nearestEdition() throws {
        let tables = try SharedLexicon.lexicon().claimEdits
        let before = try #require(tables.ptp(on: Day(year: 2023, month: 3, day: 1)))
        #expect(!before.exact)
        #expect(before.source.contains("nearest edition on hand to 2023-03-01"))
        let after = try #require(tables.ptp(on: Day(year: 2024, month: 7, day: 1)))
        #expect(after.exact)
        #expect(after.source == "NCCI procedure-to-procedure edits, practitioner, 2024 Q3, effective 2024-07-01 (ncci-ptp-practitioner-2024q3-pain-codes.tsv)")
    }

    @Test("Excludes1 prefixes cover the codes under them, and only those")
    func prefixes() {
        #expect(Excludes1Note.covers("G89.2", "G89.29"))
        #expect(Excludes1Note.covers("M54.5", "M54.5"))
        #expect(Excludes1Note.covers("M15", "M15.0"))
        #expect(!Excludes1Note.covers("M15", "M150.0"))
        #expect(!Excludes1Note.covers("M54.5", "M54.4"))
        #expect(!Excludes1Note.covers("M51.360", "M51.36"))
    }

    @Test("a bad modifier indicator is reported with the file and line")
    func badIndicator() throws {
        let copy = try LexiconCopy()
        let relative = "codes/cms/ncci-ptp-practitioner-2024q3-pain-codes.tsv"
        let line = try copy.append(relative, "20610\t20552\t99991231\tX\tbroken row\n")
        let problems = try copy.problems()
        #expect(problems.contains { $0.file.hasSuffix(relative) && $0.line == line && $0.message.contains("modifier_indicator") })
    }

    @Test("a table listed in sources.yaml but missing, and an unknown Excludes1 code, are problems")
    func missingTableAndUnknownCode() throws {
        let copy = try LexiconCopy()
        try FileManager.default.removeItem(at: copy.url("codes/cms/ncci-mue-practitioner-2024q3.tsv"))
        try copy.append("codes/excludes1.yaml", """
              - at: M99.99
                title: Not a code
                excludes:
                  - {codes: [G89.4], text: nothing}
            """)
        let problems = try copy.problems()
        #expect(problems.contains { $0.file.hasSuffix("codes/cms/sources.yaml") && $0.entry == "ncci-mue-practitioner-2024q3.tsv" && $0.line != nil })
        #expect(problems.contains { $0.file.hasSuffix("codes/excludes1.yaml") && $0.message.contains("M99.99") && $0.line != nil })
    }
}

@Suite("Claim edits: NCCI procedure-to-procedure pairs")
struct EditsPTPTests {
    @Test("20553 with 20552 on one note: indicator 0, 20552 is withdrawn with the reason")
    func neverTogether() throws {
        let result = try check([
            line("20553", concept: "trigger-point-injection", attributes: ["muscle": ["trapezius", "rhomboid", "splenius"]]),
            line("20552", concept: "trigger-point-injection", attributes: ["muscle": ["gluteus-medius"]]),
        ])
        #expect(result.procedures.map(\.code) == ["20553"])
        let edit = try #require(result.edits.first)
        #expect(edit.kind == .ptp && edit.status == .withdrawn && edit.codes == ["20553", "20552"])
        #expect(edit.message.contains("modifier indicator 0"))
        #expect(edit.source.contains("2024 Q3") && edit.source.contains("effective 2024-07-01"))
        let excluded = try #require(result.excluded.first)
        #expect(excluded.reason == "edit")
        #expect(excluded.label.contains("20552"))
        #expect(excluded.cue?.contains("More extensive procedure") == true)
    }

    @Test("20610 knee with 20552 trapezius: indicator 1, separate structures, 20552 gets XS")
    func separateStructureGetsXS() throws {
        let result = try check([
            line("20610", concept: "joint-injection", modifiers: ["RT"], attributes: ["joint": ["knee"], "side": ["right"]]),
            line("20552", concept: "trigger-point-injection", attributes: ["muscle": ["trapezius"]]),
        ])
        #expect(result.procedures.map(\.code) == ["20610", "20552"])
        #expect(result.procedures[1].modifiers == ["XS"])
        #expect(result.procedures[0].modifiers == ["RT"])
        let edit = try #require(result.edits.first)
        #expect(edit.status == .bypassed && edit.codes == ["20610", "20552"])
        #expect(edit.message.contains("XS: separate structure"))
    }

    @Test("the same from a note: right knee injection and trapezius trigger points")
    func separateStructureFromNote() throws {
        let report = try SharedLexicon.code("""
            Assessment:
            1. Primary osteoarthritis of the right knee.
            2. Myofascial pain of the upper trapezius.

            Procedure:
            Right knee intra-articular injection with 40 mg triamcinolone, landmark guided, no imaging.
            Trigger point injections to the right upper trapezius and right levator scapulae (two muscles).
            """, date: "2024-08-01")
        let tpi = try #require(report.procedures.first { $0.code == "20552" })
        #expect(tpi.modifiers.contains("XS"))
        #expect(report.edits.contains { $0.kind == .ptp && $0.status == .bypassed && $0.codes == ["20610", "20552"] })
        #expect(report.text().contains("CLAIM EDITS\n  [bypassed] ptp 20610 + 20552"))
        let json = String(decoding: try report.jsonData(), as: UTF8.self)
        #expect(json.contains("\"edits\""))
        #expect(json.contains("\"status\" : \"bypassed\""))
    }

    @Test("the same joint twice (20611 and 20610, right knee): flagged, no XS added")
    func sameSiteFlagged() throws {
        let result = try check([
            line("20611", concept: "joint-injection", modifiers: ["RT"], attributes: ["joint": ["knee"]]),
            line("20610", concept: "joint-injection", modifiers: ["RT"], attributes: ["joint": ["knee"]]),
        ])
        #expect(result.procedures.count == 2)
        #expect(result.procedures[1].modifiers == ["RT"])
        #expect(result.procedures[1].status == ProcedureSuggestion.editFlaggedStatus)
        let edit = try #require(result.edits.first)
        #expect(edit.status == .flagged && edit.codes == ["20611", "20610"])
    }

    @Test("opposite sides or a 59 already on the line bypass the edit without adding XS")
    func alreadyBypassed() throws {
        let sides = try check([
            line("20611", concept: "joint-injection", modifiers: ["RT"], attributes: ["joint": ["knee"]]),
            line("20610", concept: "joint-injection", modifiers: ["LT"], attributes: ["joint": ["knee"]]),
        ])
        #expect(sides.procedures[1].modifiers == ["LT"])
        #expect(sides.edits.map(\.status) == [.bypassed])
        let fiftyNine = try check([
            line("20610", concept: "joint-injection", attributes: ["joint": ["knee"]]),
            line("20552", concept: "trigger-point-injection", modifiers: ["59"], attributes: ["muscle": ["trapezius"]]),
        ])
        #expect(fiftyNine.procedures[1].modifiers == ["59"])
        #expect(fiftyNine.edits.first?.message.contains("already carries 59") == true)
    }

    @Test("before the table's effective date the edit still applies and names the nearest edition")
    func earlierDate() throws {
        let result = try check([
            line("20553", concept: "trigger-point-injection"),
            line("20552", concept: "trigger-point-injection"),
        ], date: "2023-05-01")
        #expect(result.edits.first?.source.contains("nearest edition on hand to 2023-05-01") == true)
    }

    @Test("codes with no pair between them give no edit")
    func noPair() throws {
        let result = try check([
            line("64405", concept: "nerve-block", modifiers: ["RT"], attributes: ["nerve": ["greater-occipital"]]),
            line("64450", concept: "nerve-block", modifiers: ["RT"], attributes: ["nerve": ["lesser-occipital"]]),
        ])
        #expect(result.edits.isEmpty)
        #expect(result.procedures.allSatisfy { $0.status == "suggested" })
    }
}

@Suite("Claim edits: unit limits and add-on codes")
struct EditsUnitsAndAddOnsTests {
    @Test("three major joints on one day: 20610 above its MUE of 2, flagged with the MAI in words")
    func unitsOverLimit() throws {
        let result = try check([
            line("20610", concept: "joint-injection", modifiers: ["RT"], attributes: ["joint": ["knee"]]),
            line("20610", concept: "joint-injection", modifiers: ["LT", "XS"], attributes: ["joint": ["shoulder"]]),
            line("20610", concept: "joint-injection", modifiers: ["RT", "XS"], attributes: ["joint": ["hip"]]),
        ])
        let edit = try #require(result.edits.first { $0.kind == .mue })
        #expect(edit.status == .flagged && edit.codes == ["20610"])
        #expect(edit.message.contains("3 units") && edit.message.contains("of 2 per day"))
        #expect(edit.message.contains("MAI 3") && edit.message.contains("appeal"))
        #expect(edit.source.contains("ncci-mue-practitioner-2024q3.tsv"))
        #expect(result.procedures.allSatisfy { $0.status == ProcedureSuggestion.editFlaggedStatus })
    }

    @Test("units within the limit give no edit; units on one line above an absolute limit are flagged")
    func unitsWithinAndAbsolute() throws {
        let within = try check([line("99490", concept: "chronic-care-management"), line("99439", concept: "chronic-care-management", units: 2)])
        #expect(within.edits.isEmpty)
        let over = try check([line("99490", concept: "chronic-care-management"), line("99439", concept: "chronic-care-management", units: 3)])
        let edit = try #require(over.edits.first)
        #expect(edit.kind == .mue && edit.message.contains("MAI 2"))
        #expect(over.procedures[0].status == "suggested")
    }

    @Test("99439 without 99490: add-on without its primary, flagged and the line marked")
    func addOnWithoutPrimary() throws {
        let result = try check([line("99439", concept: "chronic-care-management")])
        let edit = try #require(result.edits.first)
        #expect(edit.kind == .addOn && edit.status == .flagged && edit.codes == ["99439"])
        #expect(edit.message.contains("99490"))
        #expect(edit.source.contains("ncci-add-on-codes-2024.tsv") && edit.source.contains("effective date not stated"))
        #expect(result.procedures[0].status == ProcedureSuggestion.editFlaggedStatus)
    }

    @Test("G3003 needs G3002 from the catalogue's addOnTo (not in the CMS add-on file)")
    func addOnFromCatalogue() throws {
        let alone = try check([line("G3003", concept: "chronic-pain-management")], date: "2024-03-01")
        let edit = try #require(alone.edits.first)
        #expect(edit.message.contains("G3002"))
        #expect(edit.source.contains("procedures.yaml"))
        let together = try check([line("G3002", concept: "chronic-pain-management"), line("G3003", concept: "chronic-pain-management", units: 2)], date: "2024-03-01")
        #expect(together.edits.isEmpty)
    }

    @Test("a withdrawn line does not count as a primary or toward units")
    func withdrawnLinesDoNotCount() throws {
        let result = try check([
            line("20553", concept: "trigger-point-injection"),
            line("20552", concept: "trigger-point-injection"),
            line("20552", concept: "trigger-point-injection"),
        ])
        #expect(result.procedures.map(\.code) == ["20553"])
        #expect(!result.edits.contains { $0.kind == .mue })
    }
}

@Suite("Claim edits: ICD-10-CM Excludes1 pairs")
struct EditsExcludes1Tests {
    @Test("G89.29 with G89.4 is flagged, naming both codes and the note", arguments: [
        (["G89.29", "G89.4"], ["G89.29", "G89.4"]),
        (["M79.12", "M79.7"], ["M79.12", "M79.7"]),
        (["M54.50", "M54.41"], ["M54.50", "M54.41"]),
        (["M54.59", "M51.370"], ["M54.59", "M51.370"]),
        (["M15.0", "M17.0"], ["M15.0", "M17.0"]),
        (["M19.011", "M15.0"], ["M19.011", "M15.0"]),
    ])
    func flagged(codes: [String], expected: [String]) throws {
        let result = try check([], diagnoses: codes)
        #expect(result.edits.count == 1)
        let edit = try #require(result.edits.first)
        #expect(edit.kind == .excludes1 && edit.status == .flagged)
        #expect(edit.codes == expected)
        #expect(edit.source.contains("FY2026") && edit.source.contains("excludes1.yaml:"))
    }

    @Test("Excludes2 and unrelated pairs are not flagged", arguments: [
        ["G89.29", "M54.50"], ["G89.4", "M79.12"], ["M17.11", "M17.12"], ["M54.2", "M54.81"], ["M54.50", "M51.369"],
    ])
    func notFlagged(codes: [String]) throws {
        #expect(try check([], diagnoses: codes).edits.isEmpty)
    }

    @Test("the message names both codes and what the note excludes")
    func message() throws {
        let edit = try #require(try check([], diagnoses: ["G89.29", "G89.4"]).edits.first)
        #expect(edit.message.contains("G89.29") && edit.message.contains("G89.4") && edit.message.contains("chronic pain syndrome"))
    }
}
