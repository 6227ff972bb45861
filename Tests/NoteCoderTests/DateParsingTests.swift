import Foundation
import Testing
@testable import NoteCoder

@Suite("Dates: one strict parser for flags, records, the API and lexicon files")
struct DateParsingTests {
    @Test("only YYYY-MM-DD in ASCII digits is a date: signs, spaces and short parts are refused", arguments: [
        "2024-+1-15", "+024-01-15", "2024-01-+5", "2024-1-15", "2024-01-5", " 2024-01-15", "2024-01-15 ", "2024/01/15",
        "2024-01-15T00:00", "20240115", "", "２０２４-01-15", "2024--1-15", "-024-01-15",
    ])
    func notISO(text: String) {
        #expect(throws: DayError.notISO) { try Day(parsing: text) }
        #expect(Day(iso: text) == nil)
    }

    @Test("a date of the right form that is no day says which part does not exist", arguments: [
        ("2025-02-30", DayError.noSuchDay(year: 2025, month: 2, day: 30), "no such day: February 2025 has 28 days, not 30"),
        ("2023-02-29", .noSuchDay(year: 2023, month: 2, day: 29), "no such day: February 2023 has 28 days, not 29"),
        ("2024-04-31", .noSuchDay(year: 2024, month: 4, day: 31), "no such day: April 2024 has 30 days, not 31"),
        ("2024-06-00", .noSuchDay(year: 2024, month: 6, day: 0), "no such day: June 2024 has 30 days, not 0"),
        ("2024-13-01", .noSuchMonth(13), "no such month: 13 (months are 01 to 12)"),
        ("1850-01-01", .yearOutOfRange(1850), "year 1850 is outside 1900–2200"),
    ])
    func noSuchDay(text: String, error: DayError, message: String) {
        #expect(throws: error) { try Day(parsing: text) }
        #expect(error.description == message)
    }

    @Test("real days parse, leap days included")
    func realDays() throws {
        #expect(try Day(parsing: "2024-02-29") == Day(year: 2024, month: 2, day: 29))
        #expect(try Day(parsing: "2000-02-29") == Day(year: 2000, month: 2, day: 29))
        #expect(try Day(parsing: "2025-12-31").description == "2025-12-31")
    }

    @Test("a CMS deletion date is read by the same rules: 2024+101 is no date")
    func compact() throws {
        #expect(try Day(compact: "20240101") == Day(year: 2024, month: 1, day: 1))
        #expect(throws: DayError.notISO) { try Day(compact: "2024+101") }
        #expect(throws: DayError.noSuchDay(year: 2025, month: 2, day: 30)) { try Day(compact: "20250230") }
    }

    @Test("batch records: a signed or impossible date fails its record with the reason")
    func records() throws {
        let folder = try TemporaryFolder("batch-dates")
        let jsonl = [
            BatchFixture.jsonLine(id: "signed", text: "Low back pain.", date: "2024-+1-15"),
            BatchFixture.jsonLine(id: "no-day", text: "Low back pain.", date: "2025-02-30"),
            BatchFixture.documentReference(id: "fhir-no-day", text: Array("Low back pain.".utf8), periodStart: "2025-02-30T09:00:00Z"),
            BatchFixture.jsonLine(id: "good", text: "Low back pain.", date: "2024-02-29"),
        ]
        let input = try folder.write("in.jsonl", jsonl.joined(separator: "\n") + "\n")
        let result = try BatchFixture.run(input.path, in: folder)
        #expect(result.summary.coded == 1 && result.summary.failed == 3)
        let errors = try BatchFixture.csvRows(BatchFixture.outputs(folder, stem: "out").errors).dropFirst()
        #expect(errors.map { [$0[0], $0[4]] } == [
            ["signed", "\"dateOfService\" is not a date: not of the form YYYY-MM-DD"],
            ["no-day", "\"dateOfService\" is not a date: no such day: February 2025 has 28 days, not 30"],
            ["fhir-no-day", "context.period.start is not a full date: no such day: February 2025 has 28 days, not 30"],
        ])

        let csvFolder = try TemporaryFolder("batch-dates-csv")
        let csv = try csvFolder.write("in.csv", "id,text,dateOfService\na,Low back pain.,2024-+1-15\nb,Low back pain.,2025-02-30\n")
        let csvResult = try BatchFixture.run(csv.path, in: csvFolder)
        #expect(csvResult.summary.coded == 0 && csvResult.summary.failed == 2)
        let csvErrors = try BatchFixture.csvRows(BatchFixture.outputs(csvFolder, stem: "out").errors).dropFirst()
        #expect(csvErrors.map(\.last) == [
            "the date column is not a date: not of the form YYYY-MM-DD",
            "the date column is not a date: no such day: February 2025 has 28 days, not 30",
        ])
    }

    @Test("a bad --date is a usage error of the subcommand: its own usage, the reason, exit 64", arguments: [
        (["suggest", "Corpus/notes/nc-009.txt"], "2024-+1-15", "not of the form YYYY-MM-DD"),
        (["suggest", "Corpus/notes/nc-009.txt"], "2025-02-30", "no such day: February 2025 has 28 days, not 30"),
        (["code", "20611"], "2024-+1-15", "not of the form YYYY-MM-DD"),
        (["code", "20611"], "2025-02-30", "no such day: February 2025 has 28 days, not 30"),
    ])
    func flag(command: [String], date: String, reason: String) throws {
        let result = try NoteCoderCLI.run(command + ["--date", date])
        #expect(result.status == 64)
        #expect(result.stderr.contains(reason), "\(result.stderr)")
        #expect(result.stderr.contains("Usage: notecoder \(command[0]) "), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}
