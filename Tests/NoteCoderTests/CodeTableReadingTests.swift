import Foundation
import Testing
@testable import NoteCoder

/// Every code table of a lexicon copy rewritten with `lineEnd` in place of LF.
private func convertTables(_ copy: LexiconCopy, to lineEnd: String) throws {
    for folder in ["codes/cms", "codes/icd10cm"] {
        for name in try FileManager.default.contentsOfDirectory(atPath: copy.url(folder).path) where name.hasSuffix(".tsv") {
            let relative = folder + "/" + name
            try copy.write(relative, try copy.read(relative).replacingOccurrences(of: "\n", with: lineEnd))
        }
    }
}

/// What the engine takes from the claim edit tables, row by row, with the line each came from.
private func editRows(_ lexicon: Lexicon) -> [String] {
    let tables = lexicon.claimEdits
    var rows: [String] = []
    for table in tables.ptp {
        rows += table.rows.map { "ptp \($0.column1) \($0.column2) \($0.deleted?.description ?? "-") \($0.modifierIndicator) \($0.rationale) \($0.edition.file):\($0.line)" }
    }
    for table in tables.mue {
        rows += table.limits.values.map { "mue \($0.code) \($0.units) \($0.adjudication) \($0.rationale) \($0.edition.file):\($0.line)" }.sorted()
    }
    for table in tables.addOns {
        rows += table.byAddOn.values.flatMap { $0 }.map { "add-on \($0.addOn) \($0.primary) \($0.editType) \($0.edition.file):\($0.line)" }.sorted()
    }
    rows += tables.bilateralIndicators.map { "bilateral \($0.key) \($0.value)" }.sorted()
    return rows
}

@Suite("Code tables: line ends, malformed rows and row counts")
struct CodeTableReadingTests {
    @Test("tables saved with CRLF or lone-CR line ends read exactly like LF: same rows, lookups and report",
          arguments: ["\r\n", "\r"])
    func lineEnds(lineEnd: String) throws {
        let copy = try LexiconCopy()
        try convertTables(copy, to: lineEnd)
        let converted = try Lexicon.load(from: copy.root)
        let original = try SharedLexicon.lexicon()

        #expect(editRows(converted) == editRows(original))
        #expect(!editRows(converted).isEmpty)
        #expect(converted.tableRows == original.tableRows)
        #expect(converted.icd10cm.editions.map { $0.entries.count } == original.icd10cm.editions.map { $0.entries.count })
        #expect(converted.icd10cm.editions.last?.entry("M54.50")?.title == original.icd10cm.editions.last?.entry("M54.50")?.title)

        let day = Day(year: 2024, month: 8, day: 1)
        let lookup = try #require(converted.facts(about: "20611", on: day))
        #expect(lookup.text() == original.facts(about: "20611", on: day)?.text())
        #expect(lookup.text().contains("Unit limit (MUE): 2"))

        // The sample note keeps its NCCI edit and the XS modifier it brings.
        let note = Note(id: "sample-note", bytes: [UInt8](try Data(contentsOf: TestRepository.root.appendingPathComponent("Examples/sample-note.txt"))))
        let report = try Engine(lexicon: converted).code(note)
        #expect(report.text() == (try Engine(lexicon: original).code(note)).text())
        #expect(report.procedures.contains { $0.modifiers.contains("XS") })
        #expect(!report.edits.isEmpty)
    }

    @Test("a malformed row in a CRLF or lone-CR table is an error naming the file and its line", arguments: ["\r\n", "\r"])
    func malformedRow(lineEnd: String) throws {
        let copy = try LexiconCopy()
        let relative = "codes/cms/ncci-mue-practitioner-2024q3.tsv"
        var text = try copy.read(relative)
        let rowLine = text.filter { $0 == "\n" }.count + 1
        text += "20611\t2\n"   // two fields where the header has more
        try copy.write(relative, text.replacingOccurrences(of: "\n", with: lineEnd))
        let problems = try copy.problems()
        #expect(problems.contains { $0.file == "Lexicons/" + relative && $0.line == rowLine && $0.message.contains("fields") }, "\(problems)")
    }

    @Test("a CMS table that gives no rows is a problem even when sources.yaml says so")
    func emptyCMSTable() throws {
        let copy = try LexiconCopy()
        let relative = "codes/cms/ncci-mue-practitioner-2024q3.tsv"
        try copy.emptyCMSTable(relative, declaredRows: 121)
        let problem = try copy.onlyProblem()
        #expect(problem.file == "Lexicons/" + relative)
        #expect(problem.message.contains("no rows"))
    }

    @Test("an ICD-10-CM edition table that gives no codes is a problem")
    func emptyICDTable() throws {
        let copy = try LexiconCopy()
        let relative = "codes/icd10cm/icd10cm-fy2021.tsv"
        try copy.write(relative, "code\tbillable\ttitle\n")
        let problems = try copy.problems()
        #expect(problems.contains { $0.file == "Lexicons/" + relative && $0.message.contains("no codes") }, "\(problems)")
    }

    @Test("the table line reader: LF, CRLF and a lone CR end a line; a blank line inside is kept")
    func tableLines() {
        let lines = TableLines(Array("a\r\nb\rc\n\nd".utf8)).map { "\($0.number):" + String(decoding: $0.bytes, as: UTF8.self) }
        #expect(lines == ["1:a", "2:b", "3:c", "4:", "5:d"])
        #expect(TableLines(Array("a\r\n".utf8)).map(\.number) == [1])
        #expect(TableLines([]).map(\.number).isEmpty)
    }
}

@Suite("CLI: lexicon check counts the rows of every table")
struct LexiconCheckTableCountTests {
    @Test("lexicon check prints each table with the rows it gave")
    func rowCounts() throws {
        let result = try NoteCoderCLI.run(["lexicon", "check"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("lexicon check: OK") == true)
        for expected in [
            "  Lexicons/codes/cms/ncci-ptp-practitioner-2024q3-pain-codes.tsv: 934 rows",
            "  Lexicons/codes/cms/ncci-ptp-practitioner-2024q3-spine-codes.tsv: 2960 rows",
            "  Lexicons/codes/cms/ncci-mue-practitioner-2024q3.tsv: 121 rows",
            "  Lexicons/codes/cms/ncci-add-on-codes-2024.tsv: 194 rows",
            "  Lexicons/codes/cms/pfs-indicators-2024-pain-codes.tsv: 22 rows",
            "  Lexicons/codes/cms/pfs-indicators-2024-spine-codes.tsv: 75 rows",
        ] {
            #expect(lines.contains(expected), "\(expected) not in:\n\(result.stdout)")
        }
        #expect(lines.contains { $0.hasPrefix("  Lexicons/codes/cms/hcpcs-level2-2024jul.tsv: ") })
        #expect(lines.filter { $0.hasPrefix("  Lexicons/codes/icd10cm/") }.count == 3)
    }

    @Test("lexicon check fails on a table that gives no rows, naming it")
    func emptyTableFails() throws {
        let copy = try LexiconCopy()
        let relative = "codes/cms/pfs-indicators-2024-pain-codes.tsv"
        try copy.emptyCMSTable(relative, declaredRows: 22)
        let result = try NoteCoderCLI.run(["lexicon", "check", copy.root.path])
        #expect(result.status == 78)
        #expect(result.stderr.contains("Lexicons/\(relative): gave no rows"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}

extension LexiconCopy {
    /// Leaves a CMS table its header only, and its provenance entry saying so (rows: 0), so the
    /// only fault left is a table that gives no rows.
    func emptyCMSTable(_ relative: String, declaredRows: Int) throws {
        let header = try #require(try read(relative).split(separator: "\n").first)
        try write(relative, header + "\n")
        let sources = try read("codes/cms/sources.yaml")
        #expect(sources.contains("rows: \(declaredRows)\n"), "sources.yaml no longer declares \(declaredRows) rows for \(relative)")
        try write("codes/cms/sources.yaml", sources.replacingOccurrences(of: "rows: \(declaredRows)\n", with: "rows: 0\n"))
    }
}
