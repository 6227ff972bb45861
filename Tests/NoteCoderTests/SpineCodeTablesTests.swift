import Foundation
import Testing
@testable import NoteCoder

/// The spine and interventional pain codes (issue 10) in the catalogue and the CMS tables shipped
/// in Lexicons/codes/cms/: facts read from the shipped files, checked against what the engine loads.
private enum SpineTables {
    static let ptpFile = "ncci-ptp-practitioner-2024q3-spine-codes.tsv"
    static let painPTPFile = "ncci-ptp-practitioner-2024q3-pain-codes.tsv"
    static let pfsFile = "pfs-indicators-2024-spine-codes.tsv"
    static let day = Day(year: 2024, month: 7, day: 1)

    /// The rows of a shipped CMS table as column name → field, with their line numbers.
    static func rows(_ file: String, in folder: URL = TestRepository.lexicons.appendingPathComponent("codes/cms")) throws -> [(line: Int, fields: [String: String])] {
        let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let header = lines.removeFirst().split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        return lines.enumerated().map { index, line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return (index + 2, Dictionary(uniqueKeysWithValues: zip(header, fields)))
        }
    }

    /// The row of the shipped spine NCCI file for a pair still in force, and its modifier
    /// indicator as written there.
    static func statedPair(_ column1: String, _ column2: String) throws -> (line: Int, indicator: Int) {
        let stated = try #require(try rows(ptpFile).first {
            $0.fields["column1"] == column1 && $0.fields["column2"] == column2 && $0.fields["deletion_date"] == "99991231"
        })
        return (stated.line, try #require(Int(stated.fields["modifier_indicator"] ?? "")))
    }

    /// The shared data's CMS folder (`$SHARED/data/cms`, else `../shared/data/cms` beside the
    /// checkout), when it is there.
    static var sharedCMS: URL? {
        let shared = ProcessInfo.processInfo.environment["SHARED"].map { URL(fileURLWithPath: $0) }
            ?? TestRepository.root.deletingLastPathComponent().appendingPathComponent("shared")
        let cms = shared.appendingPathComponent("data/cms")
        return FileManager.default.fileExists(atPath: cms.appendingPathComponent(ptpFile).path) ? cms : nil
    }
}

/// Runs the claim-edit checker on procedure lines for `codes` on 2024-07-01.
private func checkSpine(_ codes: [(String, [String])]) throws -> (procedures: [ProcedureSuggestion], edits: [EditFinding]) {
    let lexicon = try SharedLexicon.lexicon()
    var lines = codes.map { code, modifiers in
        ProcedureSuggestion(
            code: code, label: code, concept: "test", modifiers: modifiers, units: 1, diagnoses: [],
            status: "suggested", pendingQueries: [], attributes: [:],
            evidence: [Evidence(text: "\(code) documented", section: "Procedure", line: 1, start: 0, end: 10)], rule: "test")
    }
    var excluded: [ExcludedFinding] = []
    let edits = ClaimEditChecker(lexicon: lexicon, day: SpineTables.day).apply(procedures: &lines, diagnoses: [], excluded: &excluded)
    return (lines, edits)
}

@Suite("Spine codes: catalogue and CMS tables")
struct SpineCodeTablesTests {
    @Test("every spine and interventional code of issue 10 is in the catalogue, valid on 2024-07-01")
    func catalogue() throws {
        let lexicon = try SharedLexicon.lexicon()
        let codes = ["62320", "62321", "62322", "62323", "62324", "62325", "62326", "62327",
                     "64479", "64480", "64483", "64484", "64490", "64491", "64492", "64493", "64494", "64495",
                     "64633", "64634", "64635", "64636", "27096", "G0260", "64451", "64625",
                     "64505", "64510", "64517", "64520", "64530", "62273", "62280", "62281", "62282",
                     "64420", "64421", "77003"]
        for code in codes {
            let entry = try #require(lexicon.procedures.code(code), "\(code) is not in the catalogue")
            #expect(entry.validity.contains(SpineTables.day), "\(code) is not valid on 2024-07-01")
        }
        #expect(lexicon.procedures.code("62320")?.validity.from == Day(year: 2017, month: 1, day: 1))
        #expect(lexicon.procedures.code("64633")?.validity.from == Day(year: 2012, month: 1, day: 1))
        #expect(lexicon.procedures.code("64490")?.validity.from == Day(year: 2010, month: 1, day: 1))
        #expect(lexicon.procedures.code("64625")?.validity.from == Day(year: 2020, month: 1, day: 1))
        #expect(lexicon.procedures.code("62322")?.validity.contains(Day(year: 2016, month: 12, day: 31)) == false)
    }

    @Test("64483 carries the bilateral indicator the PFS spine file gives (1), which notecoder code shows")
    func bilateral64483() throws {
        let lexicon = try SharedLexicon.lexicon()
        let row = try #require(try SpineTables.rows(SpineTables.pfsFile).first { $0.fields["hcpcs_code"] == "64483" && $0.fields["mod"] == "" })
        let stated = try #require(Int(row.fields["bilat_surg"] ?? ""))
        #expect(stated == 1)
        #expect(lexicon.procedures.code("64483")?.bilateralIndicator == stated)
        let facts = try #require(lexicon.facts(about: "64483", on: SpineTables.day))
        #expect(facts.procedure?.bilateralIndicator == stated)
        #expect(facts.text().contains("Bilateral indicator: 1 — modifier 50 allowed"))
    }

    @Test("codes only in the spine PFS file get its indicators; a code's 26/TC rows do not override its global row")
    func bilateralFromSpineFileOnly() throws {
        let lexicon = try SharedLexicon.lexicon()
        // 62320-62327: 9, the bilateral concept does not apply; the add-on levels: 1, as the file states.
        for code in ["62320", "62323", "62327"] { #expect(lexicon.procedures.code(code)?.bilateralIndicator == 9) }
        for code in ["64484", "64495", "64636", "64421"] { #expect(lexicon.procedures.code(code)?.bilateralIndicator == 1) }
        #expect(lexicon.procedures.code("77003")?.bilateralIndicator == 0)
    }

    @Test("64484 is an add-on code whose primaries include 64483, from the CMS add-on table")
    func addOn64484() throws {
        let lexicon = try SharedLexicon.lexicon()
        let table = try #require(lexicon.claimEdits.addOns(on: SpineTables.day))
        #expect(table.table.edits(for: "64484").contains { $0.primary == "64483" && $0.editType == 1 })
        let facts = try #require(lexicon.facts(about: "64484", on: SpineTables.day))
        let addOn = try #require(facts.procedure?.addOn)
        #expect(addOn.primaries.contains("64483"))
        #expect(addOn.source.contains("ncci-add-on-codes-2024.tsv"))
        let primary = try #require(lexicon.facts(about: "64483", on: SpineTables.day))
        #expect(primary.procedure?.addOnCodes.contains("64484") == true)
        #expect(facts.text().contains("Add-on code: billed only with one of its primaries on the same claim: 64483"))
    }

    @Test("the new codes have their unit limits: 64484 4 (MAI 3), 64495 1 (MAI 2), 62273 2, 62280 1")
    func unitLimits() throws {
        let limits = try #require(try SharedLexicon.lexicon().claimEdits.mue(on: SpineTables.day)).table.limits
        #expect(limits["64484"]?.units == 4 && limits["64484"]?.adjudication == 3)
        #expect(limits["64495"]?.units == 1 && limits["64495"]?.adjudication == 2)
        #expect(limits["64480"]?.units == 4 && limits["64421"]?.units == 4)
        #expect(limits["62273"]?.units == 2)
        for code in ["62280", "62281", "62282"] { #expect(limits[code]?.units == 1) }
    }

    @Test("64451 (SI joint nerves) with 64493 (lumbar facet): the NCCI pair and indicator of the spine file")
    func siNervesWithFacet() throws {
        let (statedLine, indicator) = try SpineTables.statedPair("64451", "64493")
        #expect(indicator == 0)
        let chosen = try #require(try SharedLexicon.lexicon().claimEdits.ptp(on: SpineTables.day))
        let row = try #require(chosen.table.rows(column1: "64451", column2: "64493").first { $0.inForce(on: SpineTables.day) })
        #expect(row.modifierIndicator == indicator)
        #expect(row.edition.file == SpineTables.ptpFile && row.line == statedLine)

        // On a claim: 64493 is withdrawn, and the finding names the spine file.
        let result = try checkSpine([("64451", ["RT"]), ("64493", ["RT"])])
        #expect(result.procedures.map(\.code) == ["64451"])
        let edit = try #require(result.edits.first { $0.kind == .ptp })
        #expect(edit.status == .withdrawn && edit.codes == ["64451", "64493"])
        #expect(edit.source == "NCCI procedure-to-procedure edits, practitioner, spine and injection codes, 2024 Q3, effective 2024-07-01 (\(SpineTables.ptpFile))")
    }

    @Test("77003 with 64483: an NCCI pair (imaging is part of 64483) with the indicator the spine file gives")
    func fluoroscopyWithTransforaminal() throws {
        let (_, indicator) = try SpineTables.statedPair("64483", "77003")
        #expect(indicator == 1)
        let lexicon = try SharedLexicon.lexicon()
        let chosen = try #require(lexicon.claimEdits.ptp(on: SpineTables.day))
        #expect(chosen.table.rows(column1: "64483", column2: "77003").first?.modifierIndicator == indicator)
        let facts = try #require(lexicon.facts(about: "77003", on: SpineTables.day))
        let pairs = try #require(facts.procedure?.pairs)
        #expect(pairs.pairs.contains { $0.column1 == "64483" && $0.column2 == "77003" && $0.modifierIndicator == indicator && $0.inForce })
        #expect(pairs.source.contains(SpineTables.ptpFile))
    }

    @Test("both NCCI files of 2024 Q3 are one table: every row of each is there, a row in both once")
    func mergedTable() throws {
        let chosen = try #require(try SharedLexicon.lexicon().claimEdits.ptp(on: SpineTables.day))
        #expect(chosen.exact)
        #expect(chosen.table.editions.map(\.file) == [SpineTables.painPTPFile, SpineTables.ptpFile])
        func key(_ fields: [String: String]) -> String {
            ["column1", "column2", "deletion_date", "modifier_indicator"].map { fields[$0] ?? "" }.joined(separator: "|")
        }
        let pain = try SpineTables.rows(SpineTables.painPTPFile).map { key($0.fields) }
        let spine = try SpineTables.rows(SpineTables.ptpFile).map { key($0.fields) }
        let loaded = chosen.table.rows.map { row in
            [row.column1, row.column2, row.deleted.map { $0.description.replacingOccurrences(of: "-", with: "") } ?? "99991231", "\(row.modifierIndicator)"].joined(separator: "|")
        }
        #expect(Set(loaded) == Set(pain).union(spine))
        #expect(loaded.count == Set(pain).union(spine).count)
        // A row in both files cites the first one listed; a row only in the spine file cites it.
        #expect(chosen.table.rows(column1: "20553", column2: "20552").first?.edition.file == SpineTables.painPTPFile)
        #expect(chosen.table.rows(column1: "64451", column2: "64493").first?.edition.file == SpineTables.ptpFile)
    }

    @Test("notecoder code 64483 shows label, add-on codes, bilateral indicator, MUE and NCCI pairs among spine codes")
    func codeText() throws {
        let text = try #require(try SharedLexicon.lexicon().facts(about: "64483", on: SpineTables.day)).text()
        #expect(text.contains("Label: transforaminal epidural injection with imaging, lumbar or sacral, one level"))
        #expect(text.contains("Add-on codes that take it as primary: 64484"))
        #expect(text.contains("Unit limit (MUE): 1 per day of service — MAI 2"))
        #expect(text.contains("(\(SpineTables.ptpFile))"))
        #expect(text.contains("77003"))
    }

    @Test("the shipped spine NCCI file holds exactly the source rows whose two codes are in the catalogue",
          .enabled(if: SpineTables.sharedCMS != nil, "skipped: ../shared/data/cms/ncci-ptp-practitioner-2024q3-spine-codes.tsv is not here (set SHARED=DIR to point at the shared data)"))
    func rowCountMatchesSource() throws {
        let folder = try #require(SpineTables.sharedCMS)
        let catalogue = Set(try SharedLexicon.lexicon().procedures.allCodes)
        let source = try SpineTables.rows(SpineTables.ptpFile, in: folder)
        #expect(source.count == 333_661)
        let wanted = source.filter { catalogue.contains($0.fields["column1"] ?? "") && catalogue.contains($0.fields["column2"] ?? "") }
        let shipped = try SpineTables.rows(SpineTables.ptpFile)
        #expect(shipped.count == wanted.count)
        #expect(shipped.map(\.fields) == wanted.map(\.fields))
    }
}

@Suite("Spine codes: CMS tables are read whole or not at all")
struct SpineCodeTablesLoadingTests {
    @Test("a spine NCCI row with a field missing, and a file shorter than sources.yaml says, are problems with file and line")
    func shortRowAndShortFile() throws {
        let copy = try LexiconCopy()
        let relative = "codes/cms/" + SpineTables.ptpFile
        let line = try copy.append(relative, "64483\t64484\t99991231\n")
        var problems = try copy.problems()
        #expect(problems.contains { $0.file.hasSuffix(relative) && $0.line == line && $0.message.contains("fields") })

        // Cut the file short: the count in sources.yaml no longer matches.
        let text = try copy.read(relative).split(separator: "\n").prefix(100).joined(separator: "\n") + "\n"
        try copy.write(relative, text)
        problems = try copy.problems()
        #expect(problems.contains { $0.file.hasSuffix("codes/cms/sources.yaml") && $0.entry == SpineTables.ptpFile && $0.line != nil && $0.message.contains("99 data rows") })
    }

    @Test("invalid UTF-8 in a PFS file, and a bilateral indicator contradicting another PFS file, are problems with file and line")
    func badFeeSchedule() throws {
        let copy = try LexiconCopy()
        let relative = "codes/cms/" + SpineTables.pfsFile
        var text = try copy.read(relative)
        // 20610 is in both PFS files with indicator 1; the spine copy now says 0.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let index = try #require(lines.firstIndex { $0.hasPrefix("20610\t") })
        var fields = lines[index].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        let header = lines[0].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        fields[try #require(header.firstIndex(of: "bilat_surg"))] = "0"
        text = (lines[..<index] + [fields.joined(separator: "\t")] + lines[(index + 1)...]).joined(separator: "\n")
        try copy.write(relative, text)
        let problems = try copy.problems()
        #expect(problems.contains { $0.file.hasSuffix(relative) && $0.line == index + 1 && $0.entry == "20610" && $0.message.contains("contradicts") })

        var data = Data(text.utf8)
        data.append(contentsOf: [0x36, 0x34, 0xFF, 0x0A])
        try data.write(to: copy.url(relative))
        let utf8 = try copy.problems()
        #expect(utf8.contains { $0.file.hasSuffix(relative) && $0.line == lines.count + (lines.last == "" ? 0 : 1) && $0.message.contains("UTF-8") })
    }
}
