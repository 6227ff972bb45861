import Foundation
import Testing
@testable import NoteCoder

@Suite("Batch: CSV cells a spreadsheet would run as formulas")
struct BatchFormulaGuardTests {
    static let evidence = BatchFormats.resultsHeader.firstIndex(of: "evidence")!

    /// Ids a spreadsheet takes for formulas, and notes whose evidence starts with a list dash.
    static func input(_ folder: TemporaryFolder) throws -> URL {
        let lines = [
            BatchFixture.jsonLine(id: "=HYPERLINK(\"http://example.invalid\",\"x\")", text: "ASSESSMENT:\n- Chronic low back pain.\n"),
            BatchFixture.jsonLine(id: "+1", text: "ASSESSMENT:\n- Cervicalgia.\n"),
            BatchFixture.jsonLine(id: "-2", text: "ASSESSMENT: Primary osteoarthritis of the knee.\nPROCEDURE: Knee joint injection performed.\n"),
            BatchFixture.jsonLine(id: "@SUM(A1)", text: "Nothing to code here.\n"),
            BatchFixture.jsonLine(id: "\tTAB", text: "ASSESSMENT: Low back pain.\n"),
            BatchFixture.jsonLine(id: "plain", text: "ASSESSMENT:\n- Low back pain.\n"),
            #"{"id": "=broken"}"#,
        ]
        return try folder.write("in.jsonl", lines.joined(separator: "\n") + "\n")
    }

    static let triggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// Every cell of a CSV file after its header.
    static func cells(_ path: String) throws -> [String] {
        try BatchFixture.csvRows(path).dropFirst().flatMap { $0 }
    }

    @Test("by default no cell of the results, queries or errors starts a formula; ids and quotes get a leading '")
    func guarded() throws {
        let folder = try TemporaryFolder("batch-formula")
        let result = try BatchFixture.run(try Self.input(folder).path, in: folder, format: .csv)
        #expect(result.summary.coded == 6 && result.summary.failed == 1)
        let files = BatchFixture.outputs(folder, stem: "out", format: .csv)
        for path in [files.results, files.queries, files.errors] {
            let bad = try Self.cells(path).filter { $0.first.map(Self.triggers.contains) == true }
            #expect(bad.isEmpty, "\(path): \(bad)")
        }
        let rows = try BatchFixture.csvRows(files.results).dropFirst()
        #expect(Set(rows.map { $0[0] }) == ["'=HYPERLINK(\"http://example.invalid\",\"x\")", "'+1", "'-2", "'@SUM(A1)", "'\tTAB", "plain"])
        #expect(rows.contains { $0[0] == "plain" && $0[Self.evidence].hasPrefix("'- Low back pain.") })
        #expect(try BatchFixture.csvRows(files.errors).dropFirst().map { $0[0] } == ["'=broken"])
        // JSON Lines are not for spreadsheets: the ids stay as given.
        let jsonFolder = try TemporaryFolder("batch-formula-jsonl")
        try BatchFixture.run(try Self.input(jsonFolder).path, in: jsonFolder)
        #expect(try BatchFixture.reports(BatchFixture.outputs(jsonFolder, stem: "out").results).map(\.id).first == "=HYPERLINK(\"http://example.invalid\",\"x\")")
    }

    @Test("with the guard off, cells are written as they are")
    func unguarded() throws {
        let folder = try TemporaryFolder("batch-formula-off")
        try BatchFixture.run(try Self.input(folder).path, in: folder, format: .csv, guardFormulas: false)
        let files = BatchFixture.outputs(folder, stem: "out", format: .csv)
        let rows = try BatchFixture.csvRows(files.results).dropFirst()
        #expect(rows.map { $0[0] }.contains("=HYPERLINK(\"http://example.invalid\",\"x\")"))
        #expect(rows.contains { $0[0] == "plain" && $0[Self.evidence].hasPrefix("- Low back pain.") })
        #expect(try BatchFixture.csvRows(files.errors).dropFirst().map { $0[0] } == ["=broken"])
    }

    @Test("the guard leaves other cells alone and quotes what RFC 4180 quotes")
    func cellRule() {
        #expect(BatchFormats.formulaGuarded("M54.50") == "M54.50")
        #expect(BatchFormats.formulaGuarded("") == "")
        #expect(BatchFormats.formulaGuarded("a=b") == "a=b")
        #expect(BatchFormats.formulaGuarded("\rx") == "'\rx")
        #expect(BatchFormats.csvRow(["=1,2", "ok"], guardFormulas: true) == "\"'=1,2\",ok\n")
        #expect(BatchFormats.csvRow(["=1,2", "ok"]) == "\"=1,2\",ok\n")
    }

    @Test("--resume finds guarded ids, with the guard on or off, and writes no row twice", arguments: [true, false])
    func resume(guardOnResume: Bool) throws {
        let folder = try TemporaryFolder("batch-formula-resume")
        let input = try Self.input(folder)
        try BatchFixture.run(input.path, in: folder, stem: "full", format: .csv)
        let full = BatchFixture.outputs(folder, stem: "full", format: .csv)

        // An earlier run cut after its first three records, then resumed over the whole input.
        let lines = try BatchFixture.read(input.path).split(separator: "\n")
        let part = try folder.write("part.jsonl", lines.prefix(3).joined(separator: "\n") + "\n")
        try BatchFixture.run(part.path, in: folder, stem: "cut", format: .csv)
        let resumed = try BatchFixture.run(input.path, in: folder, stem: "cut", format: .csv, resume: true, guardFormulas: guardOnResume)
        #expect(resumed.summary.skipped >= 2)
        let cut = BatchFixture.outputs(folder, stem: "cut", format: .csv)
        // Each note's rows once, whichever way its id was written.
        func ids(_ path: String) throws -> [String] {
            try BatchFixture.csvRows(path).dropFirst().map { row in
                let id = row[0]
                return id.hasPrefix("'") && id.dropFirst().first.map(Self.triggers.contains) == true ? String(id.dropFirst()) : id
            }
        }
        #expect(try ids(cut.results) == ids(full.results))
        #expect(try ids(cut.queries) == ids(full.queries))
        #expect(try ids(cut.errors) == ids(full.errors))
        if guardOnResume {
            for (x, y) in [(cut.results, full.results), (cut.queries, full.queries), (cut.errors, full.errors)] {
                #expect(try BatchFixture.read(x) == BatchFixture.read(y), "\(x)")
            }
        }

        // Resuming a finished run adds no note (CSV results redo their last note, which may
        // have been cut short; with the guard on, it is written again byte for byte).
        let before = try [full.results, full.queries, full.errors].map(BatchFixture.read)
        let idsBefore = try [full.results, full.queries, full.errors].map(ids)
        let again = try BatchFixture.run(input.path, in: folder, stem: "full", format: .csv, resume: true, guardFormulas: guardOnResume)
        #expect(again.summary.failed == 0 && again.summary.skipped >= 6 && again.summary.coded <= 1)
        #expect(try [full.results, full.queries, full.errors].map(ids) == idsBefore)
        if guardOnResume {
            #expect(try [full.results, full.queries, full.errors].map(BatchFixture.read) == before)
        }
    }

    @Test("the command line guards by default and --no-csv-formula-guard turns it off")
    func commandLine() throws {
        let folder = try TemporaryFolder("batch-formula-cli")
        let input = try Self.input(folder)
        let on = try BatchCLI.run(["batch", input.path, "--format", "csv", "--quiet", "--no-queries", "--errors", folder.file("e1.csv").path], in: folder)
        #expect(on.status == 1, "\(on.stderr)")
        #expect(on.stdout.contains("\n'+1,"))
        let off = try BatchCLI.run(["batch", input.path, "--format", "csv", "--quiet", "--no-queries", "--errors", folder.file("e2.csv").path,
                                    "--no-csv-formula-guard"], in: folder)
        #expect(off.status == 1, "\(off.stderr)")
        #expect(off.stdout.contains("\n+1,"))
        #expect(!off.stdout.contains("'+1"))
    }
}
