import Foundation
import Testing
@testable import NoteCoder

@Suite("Batch: an empty input is an empty run")
struct BatchEmptyInputTests {
    @Test("empty or blank standard input: exit 0 and a summary of 0 notes, for every stream input format",
          arguments: ["auto", "csv", "jsonl", "fhir"], ["", " \r\n\t\n", "\u{FEFF}\n"])
    func standardInput(format: String, content: String) throws {
        let folder = try TemporaryFolder("batch-empty-stdin")
        let stdin = try folder.write("stdin", content)
        let result = try BatchCLI.run(["batch", "-", "--input-format", format], stdin: stdin, in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("notecoder batch: notes: 0 read, 0 coded, 0 failed"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("with CSV output an empty run writes the header and nothing else")
    func csvOutput() throws {
        let folder = try TemporaryFolder("batch-empty-csv-out")
        let stdin = try folder.write("stdin", "")
        let result = try BatchCLI.run(["batch", "-", "--format", "csv", "--summary", folder.file("summary.json").path], stdin: stdin, in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == BatchFormats.csvRow(BatchFormats.resultsHeader))
        let summary = try JSONDecoder().decode(BatchSummary.self, from: Data(contentsOf: folder.file("summary.json")))
        #expect(summary.records == 0 && summary.coded == 0 && summary.failed == 0)
    }

    @Test("an empty CSV file is an empty run too, not a CSV without a header")
    func emptyCSVFile() throws {
        let folder = try TemporaryFolder("batch-empty-csv-file")
        let input = try folder.write("export.csv", "")
        let result = try BatchFixture.run(input.path, in: folder)
        #expect(result.summary.records == 0 && result.summary.coded == 0 && result.summary.failed == 0)
        #expect(try BatchFixture.read(BatchFixture.outputs(folder, stem: "out").results).isEmpty)
    }

    @Test("- with --input-format folder is a usage error, not a run")
    func standardInputIsNoFolder() throws {
        let folder = try TemporaryFolder("batch-empty-folder")
        let result = try BatchCLI.run(["batch", "-", "--input-format", "folder"], in: folder)
        #expect(result.status == 64)
        #expect(result.stderr.contains("not a folder"))
    }
}
