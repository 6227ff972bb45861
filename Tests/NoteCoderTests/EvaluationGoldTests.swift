import Foundation
import Testing
@testable import NoteCoder

@Suite("Evaluation: gold files")
struct EvaluationGoldTests {
    static let good = #"""
    {
      "id": "mts-1950",
      "dateOfService": "2024-07-01",
      "diagnoses": ["M79.18", "M54.2"],
      "procedures": [
        {"code": "20553", "modifiers": [], "units": 1, "diagnoses": ["M79.18"]}
      ],
      "queries": ["laterality"],
      "comment": "free text: why the coder chose this"
    }
    """#

    static func decode(_ json: String, stem: String? = "mts-1950") throws(GoldError) -> CodedNote {
        try CodedNote.decodeGold(Data(json.utf8), file: "gold/mts-1950.json", stem: stem)
    }

    @Test("the FORMAT.md example decodes")
    func decodesExample() throws {
        let note = try Self.decode(Self.good)
        #expect(note == CodedNote(
            id: "mts-1950", dateOfService: "2024-07-01", diagnoses: ["M79.18", "M54.2"],
            procedures: [CodedLine(code: "20553", modifiers: [], units: 1, diagnoses: ["M79.18"])],
            queries: ["laterality"], comment: "free text: why the coder chose this"))
    }

    @Test("optional fields may be absent")
    func optionalFields() throws {
        let note = try Self.decode(#"{"id": "mts-1950", "diagnoses": [], "procedures": [], "queries": []}"#)
        #expect(note.dateOfService == nil && note.comment == nil)
    }

    @Test(
        "errors name the file and what is wrong",
        arguments: [
            (#"{"id": "mts-1950", "diagnoses": [], "procedures": []}"#,
             "gold/mts-1950.json: missing field 'queries'"),
            (#"{"id": "mts-1950", "diagnoses": [], "procedures": [{"code": "20553", "modifiers": [], "diagnoses": []}], "queries": []}"#,
             "gold/mts-1950.json: missing field 'procedures[0].units'"),
            (#"{"id": "mts-1950", "diagnoses": "M54.2", "procedures": [], "queries": []}"#,
             "gold/mts-1950.json: field 'diagnoses' has the wrong type: expected a list"),
            (#"{"id": "mts-1950", "dateOfService": "07/01/2024", "diagnoses": [], "procedures": [], "queries": []}"#,
             "gold/mts-1950.json: dateOfService '07/01/2024' is not a date: not of the form YYYY-MM-DD"),
            (#"{"id": "mts-1950", "dateOfService": "2023-02-29", "diagnoses": [], "procedures": [], "queries": []}"#,
             "gold/mts-1950.json: dateOfService '2023-02-29' is not a date: no such day: February 2023 has 28 days, not 29"),
            (#"{"id": "mts-1951", "diagnoses": [], "procedures": [], "queries": []}"#,
             "gold/mts-1950.json: id 'mts-1951' does not match the file name 'mts-1950'"),
            (#"{"id": "mts-1950", "diagnoses": [], "procedures": [{"code": "20553", "modifiers": [], "units": 0, "diagnoses": []}], "queries": []}"#,
             "gold/mts-1950.json: procedures[0].units is 0; units must be 1 or more"),
        ])
    func errors(json: String, message: String) {
        #expect {
            _ = try Self.decode(json)
        } throws: { error in
            String(describing: error) == message
        }
    }

    @Test("text that is not JSON is reported as such")
    func notJSON() {
        #expect {
            _ = try Self.decode(#"{"id": "mts-1950","#)
        } throws: { error in
            String(describing: error).hasPrefix("gold/mts-1950.json: not valid JSON")
        }
    }

    @Test("dates", arguments: [
        ("2024-07-01", true), ("2024-02-29", true), ("2000-02-29", true), ("1900-02-29", false),
        ("2024-13-01", false), ("2024-00-10", false), ("2024-04-31", false), ("2024-7-01", false), ("2024-07-01T00", false),
    ])
    func dates(text: String, valid: Bool) {
        #expect((Day(iso: text) != nil) == valid)
    }

    @Test("loading from a file checks the id against the stem")
    func loadFromFile() throws {
        let set = try EvaluationTempSet()
        defer { set.remove() }
        try set.rawGold("mts-1950", Self.good)
        let note = try CodedNote.loadGold(from: set.url.appendingPathComponent("gold/mts-1950.json"))
        #expect(note.id == "mts-1950")
        try set.rawGold("copy", Self.good)
        #expect(throws: GoldError(file: "gold/copy.json", problem: .idMismatch(id: "mts-1950", stem: "copy"))) {
            _ = try CodedNote.loadGold(from: set.url.appendingPathComponent("gold/copy.json"))
        }
    }
}
