import Foundation
import Testing
@testable import NoteCoder

@Suite("Batch: input formats")
struct BatchInputTests {
    static let kneeNote = "ASSESSMENT: Primary osteoarthritis of the right knee.\nPROCEDURE: Right knee joint injection performed.\n"

    /// The errors file's rows after the header, as (id, record, line, kind).
    static func errors(_ folder: TemporaryFolder, stem: String = "out") throws -> [[String]] {
        let rows = try BatchFixture.csvRows(BatchFixture.outputs(folder, stem: stem).errors)
        #expect(rows.first == BatchFormats.errorsHeader)
        return Array(rows.dropFirst())
    }

    @Test("JSON Lines: ids, texts and dates; the same report as coding the note alone")
    func jsonLines() throws {
        let folder = try TemporaryFolder("batch-jsonl")
        let lines = [
            BatchFixture.jsonLine(id: "a", text: Self.kneeNote, date: "2024-07-01"),
            BatchFixture.jsonLine(id: "b", text: "Patient with low back pain.\n"),
            #"{"id": 17, "text": "Cervicalgia.", "extra": [1, 2]}"#,
        ]
        let input = try folder.write("in.jsonl", lines.joined(separator: "\n") + "\n")
        let result = try BatchFixture.run(input.path, in: folder)
        #expect(result.summary.coded == 3 && result.summary.failed == 0)
        let reports = try BatchFixture.reports(BatchFixture.outputs(folder, stem: "out").results)
        #expect(reports.map(\.id) == ["a", "b", "17"])
        #expect(reports[0].dateOfService == "2024-07-01" && reports[0].dateSource == "flag")
        // Each line is exactly the report `suggest --format json` gives, on one line.
        let alone = try SharedLexicon.engine().code(Note(id: "a", text: Self.kneeNote, dateOfService: Day(iso: "2024-07-01")))
        let firstLine = try BatchFixture.read(BatchFixture.outputs(folder, stem: "out").results).split(separator: "\n")[0]
        #expect(Array(firstLine.utf8) == [UInt8](try alone.jsonData(pretty: false)))
    }

    @Test("JSON Lines: malformed records fail alone, with their position, and the run goes on")
    func jsonLinesMalformed() throws {
        let folder = try TemporaryFolder("batch-jsonl-bad")
        var bytes = Array((BatchFixture.jsonLine(id: "good-1", text: "Low back pain.") + "\n").utf8)
        bytes += Array("{not json at all\n".utf8)                                             // record 2, line 2
        bytes += Array("\n   \n".utf8)                                                        // blank lines: skipped
        bytes += Array(#"{"id": "no-text"}"#.utf8) + [0x0A]                                   // record 3, line 5
        bytes += Array(#"{"id": "bad-date", "text": "x", "dateOfService": "07/01/2024"}"#.utf8) + [0x0A]
        bytes += Array(#"{"id": "not-string", "text": 42}"#.utf8) + [0x0A]
        bytes += Array(#"{"text": "SECRET NOTE TEXT without an id"}"#.utf8) + [0x0A]
        bytes += Array(#"{"id": "latin1", "text": "caf"#.utf8) + [0xE9] + Array(#"", "x": 1}"#.utf8) + [0x0A]  // invalid UTF-8
        bytes += Array((BatchFixture.jsonLine(id: "good-2", text: "Cervicalgia.") + "\n").utf8)
        let input = try folder.write("in.jsonl", Data(bytes))
        let result = try BatchFixture.run(input.path, in: folder)
        #expect(result.summary.records == 8 && result.summary.coded == 2 && result.summary.failed == 6)
        #expect(try BatchFixture.reports(BatchFixture.outputs(folder, stem: "out").results).map(\.id) == ["good-1", "good-2"])
        let errors = try Self.errors(folder)
        #expect(errors.map { Array($0.prefix(4)) } == [
            ["", "2", "2", "broken-record"],
            ["no-text", "3", "5", "broken-record"],
            ["bad-date", "4", "6", "broken-record"],
            ["not-string", "5", "7", "broken-record"],
            ["", "6", "8", "broken-record"],
            ["", "7", "9", "invalid-utf8"],
        ])
        let errorsText = try BatchFixture.read(BatchFixture.outputs(folder, stem: "out").errors)
        #expect(!errorsText.contains("SECRET") && !errorsText.contains("not json"))
    }

    @Test("JSON Lines: a text with a bad escape is called broken JSON, not a value of another type")
    func jsonLinesBadEscape() throws {
        let folder = try TemporaryFolder("batch-jsonl-escape")
        let input = try folder.write("in.jsonl", #"{"id": "esc", "text": "bad \q escape"}"# + "\n" + #"{"id": "num", "text": 7}"# + "\n")
        let result = try BatchFixture.run(input.path, in: folder)
        #expect(result.summary.failed == 2)
        let details = try Self.errors(folder).map { $0[4] }
        #expect(details == ["\"text\" is not a valid JSON string (a bad escape or character)", "\"text\" is not a string"])
    }

    @Test("FHIR DocumentReference: base64 text/plain, date from context.period.start, else date")
    func fhir() throws {
        let folder = try TemporaryFolder("batch-fhir")
        let lines = [
            BatchFixture.documentReference(id: "doc-1", text: Array(Self.kneeNote.utf8), periodStart: "2024-07-01T09:30:00-05:00",
                                           date: "2024-08-15T00:00:00Z"),
            BatchFixture.documentReference(id: "doc-2", text: Array("Low back pain.".utf8), date: "2023-03-02T10:00:00Z"),
            BatchFixture.documentReference(id: "doc-3", text: Array("%PDF".utf8), contentType: "application/pdf"),
            #"{"resourceType": "Patient", "id": "p1"}"#,
            #"{"resourceType": "DocumentReference", "id": "doc-5", "content": [{"attachment": {"contentType": "text/plain", "url": "Binary/1"}}]}"#,
            #"{"resourceType": "DocumentReference", "id": "doc-6", "content": [{"attachment": {"contentType": "text/plain", "data": "@@@not base64@@@"}}]}"#,
            BatchFixture.documentReference(id: "doc-7", text: [0x4B, 0x6E, 0x65, 0x65, 0xFF, 0x20, 0x70]),
        ]
        let input = try folder.write("DocumentReference.ndjson", lines.joined(separator: "\n") + "\n")
        let result = try BatchFixture.run(input.path, in: folder)
        #expect(result.summary.coded == 2 && result.summary.failed == 5)
        let reports = try BatchFixture.reports(BatchFixture.outputs(folder, stem: "out").results)
        #expect(reports.map(\.id) == ["doc-1", "doc-2"])
        #expect(reports.map(\.dateOfService) == ["2024-07-01", "2023-03-02"])
        #expect(reports[0].diagnoses.contains { $0.code.hasPrefix("M17") })
        let errors = try Self.errors(folder)
        #expect(errors.map { [$0[0], $0[1], $0[3]] } == [
            ["doc-3", "3", "broken-record"], ["p1", "4", "broken-record"], ["doc-5", "5", "broken-record"],
            ["doc-6", "6", "broken-record"], ["doc-7", "7", "invalid-utf8"],
        ])
        #expect(errors[0][4].contains("no text/plain or text/html attachment"))
        #expect(errors[4][4] == "invalid UTF-8 at byte offset 4 of the note")
    }

    @Test("--input-format fhir refuses plain JSON lines")
    func fhirStrict() throws {
        let folder = try TemporaryFolder("batch-fhir-strict")
        let input = try folder.write("in.ndjson", BatchFixture.jsonLine(id: "plain", text: "Low back pain.") + "\n")
        let result = try BatchFixture.run(input.path, in: folder, inputFormat: .fhir)
        #expect(result.summary.failed == 1)
        #expect(try Self.errors(folder).first?[4] == "not a FHIR resource")
    }

    @Test("CSV: configurable columns, quoted fields with embedded newlines, quotes and commas")
    func csv() throws {
        let folder = try TemporaryFolder("batch-csv")
        let multiLine = "CHIEF COMPLAINT: \"knee\" pain, right.\r\nASSESSMENT: Primary osteoarthritis of the right knee.\nPROCEDURE: Right knee joint injection performed."
        var csv = "MRN_VISIT,CLINIC,NOTE,DOS\n"
        csv += "v-1,pain," + BatchFixture.csvField(multiLine) + ",2024-07-01\n"
        csv += "v-2,pain,Low back pain.,\n"
        csv += "v-3,spine," + BatchFixture.csvField("Cervicalgia,\nneck pain") + ",2024-02-29\n"
        let input = try folder.write("export.csv", csv)
        let columns = CSVColumns(id: "MRN_VISIT", text: "NOTE", date: "DOS")
        let result = try BatchFixture.run(input.path, in: folder, columns: columns)
        #expect(result.summary.coded == 3 && result.summary.failed == 0)
        let reports = try BatchFixture.reports(BatchFixture.outputs(folder, stem: "out").results)
        #expect(reports.map(\.id) == ["v-1", "v-2", "v-3"])
        #expect(reports.map(\.dateOfService) == ["2024-07-01", nil, "2024-02-29"])
        #expect(reports[0].diagnoses.contains { $0.code.hasPrefix("M17") })
        // The note's bytes arrive unchanged: evidence offsets point into the original field.
        let evidence = try #require(reports[0].diagnoses.first?.evidence.first)
        let bytes = Array(multiLine.utf8)
        #expect(String(decoding: bytes[evidence.start..<evidence.end], as: UTF8.self) == evidence.text)
    }

    @Test("CSV: a short row, an empty id, a bad date and invalid UTF-8 fail alone; line numbers count embedded newlines")
    func csvMalformed() throws {
        let folder = try TemporaryFolder("batch-csv-bad")
        var bytes = Array("id,text,dateOfService\n".utf8)
        bytes += Array(("a," + BatchFixture.csvField("line one\nline two\nLow back pain.") + ",\n").utf8)   // lines 2-4
        bytes += Array("b-short\n".utf8)                                                                  // line 5
        bytes += Array(",Cervicalgia.,\n".utf8)                                                           // line 6
        bytes += Array("c,Cervicalgia.,2024-13-01\n".utf8)                                                // line 7
        bytes += Array("d,Knee pain ".utf8) + [0xC3, 0x28] + Array(" here.,\n".utf8)                      // line 8
        bytes += Array("\n".utf8)                                                                         // blank line 9
        bytes += Array("e,Low back pain.,2024-07-01\n".utf8)                                              // line 10
        let input = try folder.write("export.csv", Data(bytes))
        let result = try BatchFixture.run(input.path, in: folder)
        #expect(result.summary.coded == 2 && result.summary.failed == 4)
        #expect(try BatchFixture.reports(BatchFixture.outputs(folder, stem: "out").results).map(\.id) == ["a", "e"])
        #expect(try Self.errors(folder).map { Array($0.prefix(4)) } == [
            ["b-short", "2", "5", "broken-record"],
            ["", "3", "6", "broken-record"],
            ["c", "4", "7", "broken-record"],
            ["d", "5", "8", "invalid-utf8"],
        ])
    }

    /// A stray quote used to open a field that swallowed the rows after it (issue 12 item 11):
    /// now the row is an error naming its line, and reading goes on at the next line, so every
    /// input row is a report or an error exactly once.
    @Test("CSV: a stray quote breaks its own row only; reading goes on at the next line")
    func csvStrayQuote() throws {
        let folder = try TemporaryFolder("batch-csv-quote")
        let input = try folder.write("export.csv", "id,text\na1,Low back pain.\n\"a2\",\"x\" junk\n\"a3\",\"knee pain\"\n")
        let result = try BatchFixture.run(input.path, in: folder)
        #expect(result.summary.records == 3 && result.summary.coded == 2 && result.summary.failed == 1)
        #expect(try BatchFixture.reports(BatchFixture.outputs(folder, stem: "out").results).map(\.id) == ["a1", "a3"])
        let errors = try Self.errors(folder)
        #expect(errors.map { Array($0.prefix(4)) } == [["a2", "2", "3", "broken-record"]])
        #expect(errors.first?.last?.contains("followed by ' '") == true, "\(errors)")
    }

    /// A quote that never closes would take every row to the end of the input: its row is the
    /// error, and the rows after its first line are read again.
    @Test("CSV: a quote left open to the end of the input costs its own row only")
    func csvUnclosedQuote() throws {
        let folder = try TemporaryFolder("batch-csv-open")
        let csv = "id,text\nb1,\"Low back pain, never closed\nb2,Cervicalgia.\nb3,\"Knee pain,\nright\"\n"
        let open = try folder.write("open.csv", "id,text\nb1,\"Low back pain, never closed\nb2,Cervicalgia.\nb3,Knee pain.\n")
        let result = try BatchFixture.run(open.path, in: folder)
        #expect(result.summary.records == 3)
        #expect(try BatchFixture.reports(BatchFixture.outputs(folder, stem: "out").results).map(\.id) == ["b2", "b3"])
        #expect(try Self.errors(folder).map { Array($0.prefix(4)) } == [["b1", "1", "2", "broken-record"]])
        // Closed by a later quote on another line: the lines it took are named, not re-read as rows.
        let closedLater = try folder.write("later.csv", csv)
        let later = try BatchFixture.run(closedLater.path, in: folder, stem: "later")
        #expect(later.summary.coded == 0)
        let errors = try Self.errors(folder, stem: "later")
        #expect(errors.map { Array($0.prefix(4)) } == [["b1", "1", "2", "broken-record"], ["right\"", "2", "5", "broken-record"]])
        #expect(errors.first?.last?.contains("any rows on lines 3-4 were read into its quoted field") == true, "\(errors)")
        // A row whose first field crosses a line and whose next field never closes: what follows its
        // first line is read again as it was written, the rows it took come back, no row is invented.
        let twoFields = try folder.write("two.csv", "id,text,extra\nb1,\"two\nlines\",\"never closed\nb2,Cervicalgia.,x\n")
        let again = try BatchFixture.run(twoFields.path, in: folder, stem: "two")
        #expect(try BatchFixture.reports(BatchFixture.outputs(folder, stem: "two").results).map(\.id) == ["b2"])
        #expect(again.summary.coded == 1)
        #expect(try Self.errors(folder, stem: "two").map { Array($0.prefix(4)) } == [["b1", "1", "2", "broken-record"], ["lines\"", "2", "3", "broken-record"]])
    }

    @Test("CSV: rows ended by CR alone, as old exports write them")
    func csvCarriageReturns() throws {
        let folder = try TemporaryFolder("batch-csv-cr")
        let input = try folder.write("export.csv", "id,text\rc1,Low back pain.\rc2,\"Cervicalgia,\rneck\"\r")
        let result = try BatchFixture.run(input.path, in: folder)
        #expect(result.summary.coded == 2 && result.summary.failed == 0)
        #expect(try BatchFixture.reports(BatchFixture.outputs(folder, stem: "out").results).map(\.id) == ["c1", "c2"])
    }

    @Test("CSV: a header without the named columns stops the run before it starts")
    func csvHeader() throws {
        let folder = try TemporaryFolder("batch-csv-header")
        let input = try folder.write("export.csv", "MRN,NOTE\n1,Low back pain.\n")
        // An earlier run's results, which a mistyped command must leave alone.
        let earlier = try folder.write("out.jsonl", "{\"id\": \"kept\"}\n")
        #expect(throws: BatchError.csvHeader("no column named 'id' (--id-column); the header has: MRN, NOTE")) {
            try BatchFixture.run(input.path, in: folder)
        }
        #expect(throws: BatchError.inputMissing(path: folder.file("missing.csv").path)) {
            try BatchFixture.run(folder.file("missing.csv").path, in: folder)
        }
        #expect(try BatchFixture.read(earlier.path) == "{\"id\": \"kept\"}\n")
    }

    @Test("a file whose extension is written .TXT is a note too, its id the name without it")
    func upperCaseExtension() throws {
        let folder = try TemporaryFolder("batch-folder-case")
        try folder.write("notes/A-1.TXT", Self.kneeNote)
        try folder.write("notes/b-2.txt", "Cervicalgia.\n")
        try folder.write("notes/c-3.Txt.bak", "not a note")
        let result = try BatchFixture.run(folder.file("notes").path, in: folder, maxNoteBytes: 100_000)
        #expect(result.summary.records == 2 && result.summary.coded == 2)
        #expect(try BatchFixture.reports(BatchFixture.outputs(folder, stem: "out").results).map(\.id) == ["A-1", "b-2"])
    }

    @Test("a folder of .txt files: file-name order, id = name, other files ignored, oversized files refused unread")
    func folder() throws {
        let folder = try TemporaryFolder("batch-folder")
        try folder.write("notes/b-2.txt", "Cervicalgia.\n")
        try folder.write("notes/a-1.txt", Self.kneeNote)
        try folder.write("notes/c-3.txt", String(repeating: "Low back pain. ", count: 100))
        try folder.write("notes/readme.md", "not a note")
        try folder.write("notes/d-4.txt", Data([0x4C, 0x42, 0x50, 0xC0, 0x80]))
        let result = try BatchFixture.run(folder.file("notes").path, in: folder, maxNoteBytes: 1000)
        #expect(result.summary.records == 4 && result.summary.coded == 2 && result.summary.failed == 2)
        #expect(try BatchFixture.reports(BatchFixture.outputs(folder, stem: "out").results).map(\.id) == ["a-1", "b-2"])
        #expect(try Self.errors(folder).map { [$0[0], $0[1], $0[2], $0[3]] } == [
            ["c-3", "3", "", "too-large"], ["d-4", "4", "", "invalid-utf8"],
        ])
    }

    @Test("JSON Lines: a line too long to be a note is skipped without being held")
    func overlongLine() throws {
        let folder = try TemporaryFolder("batch-long")
        let big = BatchFixture.jsonLine(id: "huge", text: String(repeating: "x", count: 3_000_000))
        let input = try folder.write("in.jsonl", [BatchFixture.jsonLine(id: "a", text: "Low back pain."), big,
                                                   BatchFixture.jsonLine(id: "b", text: "Cervicalgia.")].joined(separator: "\n"))
        let result = try BatchFixture.run(input.path, in: folder, maxNoteBytes: 10_000)
        #expect(result.summary.coded == 2 && result.summary.failed == 1)
        #expect(try Self.errors(folder).map { Array($0.prefix(4)) } == [["", "2", "2", "too-large"]])
        // One 1 MiB chunk plus the longest line allowed, never the 3 MB line.
        #expect(result.peakReaderBuffer < (1 << 20) + 10_000 * 4 + (64 << 10) + (1 << 20))
    }
}
