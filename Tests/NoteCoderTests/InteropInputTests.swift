import Foundation
import Testing
@testable import NoteCoder

/// Notes as EHR interfaces send them: HL7 v2 MDM^T02 and ORU^R01 messages built from our own
/// notes (Tests/NoteCoderTests/Fixtures/interop) code exactly like the same notes as text.
@Suite("Interoperability in: HL7 v2 messages")
struct HL7InputTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: TestRepository.fixtures.appendingPathComponent("interop/\(name)")))
    }

    /// Runs a batch over `bytes` saved as `name` in `folder` (outputs `out.*` beside it).
    @discardableResult
    static func batch(_ bytes: [UInt8], as name: String, in folder: TemporaryFolder,
                      inputFormat: BatchInputFormat = .auto) throws -> BatchRunResult {
        let input = try folder.write(name, Data(bytes))
        return try BatchFixture.run(input.path, in: folder, inputFormat: inputFormat)
    }

    static func plain(_ id: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: TestRepository.corpus.appendingPathComponent("notes/\(id).txt")))
    }

    static func notes(_ items: [HL7v2Messages.Item]) -> [Note] {
        items.compactMap { if case let .note(note, _, _) = $0 { note } else { nil } }
    }

    @Test("an MDM^T02 in MLLP framing: one OBX a line, the note's text and date as written")
    func mdm() throws {
        let bytes = try Self.fixture("mdm-t02.hl7")
        #expect(HL7v2Messages.looksLikeHL7(bytes))
        let items = HL7v2Messages.read(bytes)
        let notes = Self.notes(items)
        #expect(items.count == 1 && notes.count == 1)
        let note = try #require(notes.first)
        #expect(note.id == "nc-001")
        #expect(note.subject == "MRN123")
        #expect(note.bytes == (try Self.plain("nc-001")))
        #expect(note.dateOfService == Day(iso: "2024-11-05"))
        let engine = try SharedLexicon.engine()
        let fromMessage = try engine.code(note)
        var text = Note(id: "nc-001", bytes: try Self.plain("nc-001"), dateOfService: Day(iso: "2024-11-05"))
        text.subject = "MRN123"
        let fromText = try engine.code(text)
        #expect(try fromMessage.jsonData() == fromText.jsonData())
    }

    @Test("an ORU^R01 file of several messages: each report its note, a message of another type named and skipped")
    func oru() throws {
        let items = HL7v2Messages.read(try Self.fixture("oru-r01.hl7"))
        #expect(items.count == 3)
        let notes = Self.notes(items)
        #expect(notes.map(\.id) == ["nc-144", "nc-081"])
        #expect(notes[0].bytes == (try Self.plain("nc-144")))
        #expect(notes[1].bytes == (try Self.plain("nc-081")))
        #expect(notes[0].dateOfService == Day(iso: "2025-10-07"))
        guard case let .problem(id, message, line, detail) = items[1] else {
            Issue.record("the ADT message should be a problem")
            return
        }
        #expect(id == "MSG0102" && message == 2 && line == 5)
        #expect(detail.contains("ADT^A01"))
    }

    @Test("escape sequences, formatting commands and hex are decoded; an unclosed escape is kept")
    func escapes() {
        let separators = HL7v2Messages.Separators()
        func decode(_ text: String) -> String { String(decoding: HL7v2Messages.unescape(Array(text.utf8), separators), as: UTF8.self) }
        #expect(decode(#"L4\F\L5 \S\ \T\ \R\ \E\"#) == #"L4|L5 ^ & ~ \"#)
        #expect(decode(#"line one\.br\line two"#) == "line one\nline two")
        #expect(decode(#"\H\bold\N\ text"#) == "bold text")
        #expect(decode(#"caf\XC3A9\"#) == "café")
        #expect(decode(#"a \ b"#) == #"a \ b"#)
    }

    @Test("a broken message is named: no MSH, no id, a date that is not one, no text")
    func problems() {
        func problem(_ text: String) -> String? {
            if case let .problem(_, _, _, detail) = HL7v2Messages.read(Array(text.utf8)).first { return detail }
            return nil
        }
        #expect(problem("PID|1||X\r")?.contains("MSH") == true)
        #expect(problem("MSH|^~\\&|A|B|C|D|20250101||MDM^T02|||2.5\rTXA|1|PN|TX|20250101\rOBX|1|TX|N||text\r")?.contains("document id") == true)
        #expect(problem("MSH|^~\\&|A|B|C|D|20250101||MDM^T02|C1||2.5\rTXA|1|PN|TX|20250230||||||||D1\rOBX|1|TX|N||text\r")?.contains("not a date") == true)
        #expect(problem("MSH|^~\\&|A|B|C|D|20250101||ORU^R01|C1||2.5\rOBR|1||R1\rOBX|1|NM|HR||72\r")?.contains("no text") == true)
    }

    @Test("batch reads an HL7 file by its content, one record per message, the bad one an error that does not stop the rest")
    func batch() throws {
        let folder = try TemporaryFolder()
        let result = try Self.batch(try Self.fixture("oru-r01.hl7"), as: "feed.txt", in: folder)
        #expect(result.summary.coded == 2)
        #expect(result.summary.failed == 1)
        let reports = try BatchFixture.reports(folder.file("out.jsonl").path)
        #expect(reports.map(\.id) == ["nc-144", "nc-081"])
        let errors = try BatchFixture.csvRows(folder.file("out.errors.csv").path)
        #expect(errors.dropFirst().first?[0] == "MSG0102")
    }
}

/// A FHIR Bundle as a server returns it (a searchset over many lines): its DocumentReferences
/// are notes, an attachment may live in a Binary of the bundle, and HTML is read as its text.
@Suite("Interoperability in: FHIR Bundle documents and HTML attachments")
struct FHIRBundleInputTests {
    @Test("each DocumentReference of a bundle codes like its note as text, the Binary's HTML included")
    func bundle() throws {
        let folder = try TemporaryFolder()
        let result = try HL7InputTests.batch(try HL7InputTests.fixture("bundle-searchset.json"), as: "export.json", in: folder)
        #expect(result.summary.coded == 2)
        #expect(result.summary.failed == 1)
        let reports = try BatchFixture.reports(folder.file("out.jsonl").path)
        #expect(reports.map(\.id) == ["nc-001", "nc-144"])
        // Whose note it is travels with the report, and to the claim.
        #expect(reports.map(\.subject) == ["Patient/p1", "Patient/p1"])
        let engine = try SharedLexicon.engine()
        for (report, date) in zip(reports, ["2024-11-05", "2025-10-07"]) {
            let text = try engine.code(Note(id: report.id, bytes: try HL7InputTests.plain(report.id), dateOfService: Day(iso: date)))
            #expect(report.diagnoses.map(\.code) == text.diagnoses.map(\.code))
            #expect(report.procedures.map(\.code) == text.procedures.map(\.code))
            #expect(report.procedures.map(\.modifiers) == text.procedures.map(\.modifiers))
            #expect(report.queries.map(\.kind) == text.queries.map(\.kind))
        }
        let errors = try BatchFixture.csvRows(folder.file("out.errors.csv").path)
        #expect(errors.count == 2)
        #expect(errors[1][0] == "broken" && errors[1][4].contains("Binary/missing"))
    }

    @Test("a bulk-data export folder: DocumentReference.ndjson with its attachments in Binary.ndjson")
    func bulkExport() throws {
        let folder = try TemporaryFolder()
        let input = TestRepository.fixtures.appendingPathComponent("interop/bulk-export").path
        let result = try BatchFixture.run(input, in: folder)
        #expect(result.summary.coded == 2)
        #expect(result.summary.failed == 1)
        let reports = try BatchFixture.reports(folder.file("out.jsonl").path)
        #expect(reports.map(\.id) == ["nc-001", "nc-081"])
        #expect(reports.map(\.subject) == ["Patient/p1", "Patient/p2"])
        #expect(reports.map(\.encounter) == ["Encounter/e1", nil])
        let engine = try SharedLexicon.engine()
        for (report, date) in zip(reports, ["2024-11-05", "2025-05-01"]) {
            let text = try engine.code(Note(id: report.id, bytes: try HL7InputTests.plain(report.id), dateOfService: Day(iso: date)))
            #expect(report.diagnoses.map(\.code) == text.diagnoses.map(\.code))
            #expect(report.procedures.map(\.code) == text.procedures.map(\.code))
        }
        let errors = try BatchFixture.csvRows(folder.file("out.errors.csv").path)
        #expect(errors.count == 2 && errors[1][0] == "lost" && errors[1][4].contains("Binary/nowhere"))
    }

    @Test("HTML is read as the text a coder sees: tags dropped, blocks and breaks as lines, references decoded, scripts left out")
    func html() {
        func text(_ html: String) -> String { String(decoding: HTMLText.text(Array(html.utf8)), as: UTF8.self) }
        #expect(text("<p>ASSESSMENT:</p><p>Right knee OA &amp; pain.</p>") == "ASSESSMENT:\nRight knee OA & pain.\n")
        #expect(text("one<br>two<br><br>three") == "one\ntwo\n\nthree\n")
        #expect(text("<style>p{x}</style><script>var a = '<p>';</script><div>L4&#8211;5 &lt;3&gt;</div>") == "L4\u{2013}5 <3>\n")
        #expect(text("<b>Low</b>\n   back pain") == "Low back pain\n")
    }
}

/// A C-CDA progress note built from a Corpus note: its sections, named by LOINC code, read as
/// the headings the engine knows, and it codes like the note as text.
@Suite("Interoperability in: C-CDA documents")
struct CCDAInputTests {
    @Test("a C-CDA progress note codes like the same note as text; id and encounter date from the header")
    func progressNote() throws {
        let bytes = try HL7InputTests.fixture("ccda-progress-note.xml")
        #expect(CCDADocument.looksLikeCCDA(bytes))
        let note = try CCDADocument.note(bytes, fallbackID: "file").get()
        #expect(note.id == "nc-009")
        #expect(note.subject == "MRN-9")
        #expect(note.dateOfService == Day(iso: "2024-10-03"))
        let text = String(decoding: note.bytes, as: UTF8.self)
        #expect(text.hasPrefix("CHIEF COMPLAINT:\nRight knee pain.\n"))
        #expect(text.contains("ASSESSMENT:\nPrimary osteoarthritis, right knee.\n"))
        let engine = try SharedLexicon.engine()
        let fromDocument = try engine.code(note)
        let fromText = try engine.code(Note(id: "nc-009", bytes: try HL7InputTests.plain("nc-009")))
        #expect(fromDocument.diagnoses.map(\.code) == fromText.diagnoses.map(\.code))
        #expect(fromDocument.procedures.map(\.code) == fromText.procedures.map(\.code))
        #expect(fromDocument.procedures.map(\.modifiers) == fromText.procedures.map(\.modifiers))
        #expect(fromDocument.queries.map(\.kind) == fromText.queries.map(\.kind))
    }

    @Test("a broken document is named, never coded as nothing")
    func broken() {
        func failure(_ text: String) -> CCDADocument.Failure? {
            if case let .failure(failure) = CCDADocument.note(Array(text.utf8), fallbackID: "x") { return failure }
            return nil
        }
        #expect(failure("<ClinicalDocument><component><structuredBody>") != nil)
        #expect(failure("<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><id root=\"1\"/></ClinicalDocument>") == .noSections)
        #expect(failure("<Bundle/>") == .notClinicalDocument)
        let badDate = "<ClinicalDocument><effectiveTime value=\"2024\"/><component><structuredBody><component><section><title>A</title><text>Knee pain.</text></section></component></structuredBody></component></ClinicalDocument>"
        #expect(failure(badDate) == .badDate("2024"))
    }

    @Test("bytes that are not UTF-8 in an attribute of a UTF-8 document are named by position (found by make fuzz: XMLParser trapped on them)")
    func invalidUTF8Attribute() throws {
        var bytes = try HL7InputTests.fixture("ccda-progress-note.xml")
        let marker = Array("<effectiveTime value=\"".utf8)
        let start = try #require(bytes.indices.first { bytes[$0...].starts(with: marker) }) + marker.count
        bytes.insert(contentsOf: [UInt8](repeating: 0x8C, count: 17), at: start + 8)
        guard case let .failure(failure) = CCDADocument.note(bytes, fallbackID: "x") else {
            Issue.record("a document with invalid UTF-8 was read")
            return
        }
        #expect(failure == .invalidUTF8(byteOffset: start + 8))
        // Declared in another encoding, the same bytes are libxml2's to transcode.
        #expect(CCDADocument.declaresUTF8(Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><ClinicalDocument/>".utf8)) == false)
        #expect(CCDADocument.declaresUTF8(Array("<?xml version=\"1.0\" encoding='utf-8'?><ClinicalDocument/>".utf8)))
        #expect(CCDADocument.declaresUTF8(Array("<ClinicalDocument/>".utf8)))
    }

    @Test("the fuzzer's C-CDA finding, as it found it, is one named error in a batch, not a crash")
    func fuzzFinding() throws {
        let folder = try TemporaryFolder()
        // The fuzz artifact: a selector byte, then the document.
        let artifact = try Data(contentsOf: TestRepository.root.appendingPathComponent("Tests/NoteCoderTests/Fixtures/fuzz/ccda-invalid-utf8-attribute.bin"))
        let result = try HL7InputTests.batch([UInt8](artifact.dropFirst()), as: "document.xml", in: folder, inputFormat: .ccda)
        #expect(result.summary.failed == 1 && result.summary.coded == 0)
        #expect(try BatchFixture.read(folder.file("out.errors.csv").path).contains("not UTF-8 at byte"))
    }

    @Test("batch tells a C-CDA file by its content and codes it as one note")
    func batch() throws {
        let folder = try TemporaryFolder()
        let result = try HL7InputTests.batch(try HL7InputTests.fixture("ccda-progress-note.xml"), as: "document.xml", in: folder)
        #expect(result.summary.coded == 1)
        let reports = try BatchFixture.reports(folder.file("out.jsonl").path)
        #expect(reports.map(\.id) == ["nc-009"])
        #expect(reports.first?.procedures.map(\.code) == ["20610"])
    }
}
