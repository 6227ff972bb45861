import Foundation
import Testing
@testable import NoteCoder

/// A note as the reading stage sees it: section ids with their headers, and sentences.
private struct Reading {
    var document: Document
    var lexicon: Lexicon

    init(_ text: String) throws {
        let engine = try SharedLexicon.engine()
        let note = Note(id: "reading", text: text)
        document = try note.bytes.withUnsafeBufferPointer { buffer in
            try engine.read(note, buffer: buffer, matcher: engine.lexicon.makeMatcher())
        }
        lexicon = engine.lexicon
    }

    /// Section id (or "-" for text before the first header) and the header as written.
    var sections: [String] {
        document.sections.map { section in
            let id = section.definition.map { lexicon.sections[$0].id } ?? "-"
            return section.header.map { "\(id) \(document.text($0))" } ?? id
        }
    }

    var sentences: [String] { document.sentences.map { document.text($0.range) } }

    /// The id of the section each sentence is in.
    var sentenceSections: [String] {
        document.sentences.map { sentence in
            document.sections[sentence.section].definition.map { lexicon.sections[$0].id } ?? "-"
        }
    }
}

@Suite("Reading: sections and sentences")
struct SectionReadingTests {
    @Test("capitalised headers with colons start sections; text before the first header is its own")
    func capsHeaders() throws {
        let reading = try Reading("""
            Patient: José Müller   MRN 12345
            CHIEF COMPLAINT: Neck pain.
            HISTORY OF PRESENT ILLNESS: 54-year-old woman with neck pain for 3 months. She denies numbness.
            PAST MEDICAL HISTORY: Hypertension.
            ASSESSMENT: Cervicalgia.
            """)
        #expect(reading.sections == [
            "-", "chief-complaint CHIEF COMPLAINT:", "history-present-illness HISTORY OF PRESENT ILLNESS:",
            "past-medical-history PAST MEDICAL HISTORY:", "assessment ASSESSMENT:",
        ])
        #expect(reading.sentences == [
            "Patient: José Müller   MRN 12345", "Neck pain.", "54-year-old woman with neck pain for 3 months.",
            "She denies numbness.", "Hypertension.", "Cervicalgia.",
        ])
    }

    @Test("a header alone on its line, without a colon, starts a section")
    func headerWithoutColon() throws {
        let reading = try Reading("""
            PHYSICAL EXAM
            Right knee: crepitus, no effusion.
            Assessment
            Right knee osteoarthritis.
            """)
        #expect(reading.sections == ["physical-exam PHYSICAL EXAM", "assessment Assessment"])
        #expect(reading.sentenceSections == ["physical-exam", "assessment"])
    }

    @Test("run-on 'ASSESSMENT: … PLAN: …' on one line is two sections")
    func runOnHeaders() throws {
        let reading = try Reading("ASSESSMENT: Right occipital neuralgia. PLAN: Greater occipital nerve block next visit.\n")
        #expect(reading.sections == ["assessment ASSESSMENT:", "plan PLAN:"])
        #expect(reading.sentences == ["Right occipital neuralgia.", "Greater occipital nerve block next visit."])
        #expect(reading.sentenceSections == ["assessment", "plan"])
    }

    @Test("a header after two spaces on the same line starts a section")
    func headerAfterTwoSpaces() throws {
        let reading = try Reading("Assessment: right knee OA  Plan: home exercise program\n")
        #expect(reading.sections == ["assessment Assessment:", "plan Plan:"])
    }

    @Test("a section word inside a sentence is not a header")
    func headerWordInProse() throws {
        let reading = try Reading("HPI: We discussed the plan with her and she agrees. Her past medical history is unchanged.\n")
        #expect(reading.sections == ["history-present-illness HPI:"])
        #expect(reading.sentences.count == 2)
    }

    @Test("bullets: each item is its own sentence in the section above it")
    func bullets() throws {
        let reading = try Reading("""
            ASSESSMENT:
            - Right knee osteoarthritis
            - Left shoulder pain
            * Myofascial pain of the trapezius
            • Occipital neuralgia
            PLAN: Return in 4 weeks.
            """)
        #expect(reading.sections == ["assessment ASSESSMENT:", "plan PLAN:"])
        #expect(reading.sentences == [
            "- Right knee osteoarthritis", "- Left shoulder pain", "* Myofascial pain of the trapezius",
            "• Occipital neuralgia", "Return in 4 weeks.",
        ])
        #expect(reading.sentenceSections == ["assessment", "assessment", "assessment", "assessment", "plan"])
    }

    @Test("a numbered item keeps its number: '1. Occipital neuralgia' is one sentence")
    func numberedList() throws {
        let reading = try Reading("""
            ASSESSMENT:
            1. Occipital neuralgia
            2. Neck pain
            """)
        #expect(reading.sentences == ["1. Occipital neuralgia", "2. Neck pain"])
    }

    @Test("checkbox lines are single sentences and their labels are not headers")
    func checkboxLines() throws {
        let reading = try Reading("""
            PROCEDURE: Right knee intra-articular injection.
            Consent: [x] obtained
            Time-out: [x] done
            Ultrasound guidance: [ ] yes [x] no
            Tolerated well.
            """)
        #expect(reading.sections == ["procedure-title PROCEDURE:"])
        #expect(reading.sentences == [
            "Right knee intra-articular injection.", "Consent: [x] obtained", "Time-out: [x] done",
            "Ultrasound guidance: [ ] yes [x] no", "Tolerated well.",
        ])
    }

    @Test("family history is its own section and its findings belong to someone else")
    func familyHistory() throws {
        let text = """
            FAMILY HISTORY: Mother has carpal tunnel syndrome. Father had osteoarthritis of both knees.
            ASSESSMENT: Neck pain.
            """
        let reading = try Reading(text)
        #expect(reading.sections == ["family-history FAMILY HISTORY:", "assessment ASSESSMENT:"])
        #expect(reading.sentenceSections == ["family-history", "family-history", "assessment"])

        let report = try SharedLexicon.code(text, date: "2025-02-11")
        #expect(report.diagnoses.map(\.code) == ["M54.2"])
        #expect(Set(report.excluded.map(\.concept)) == ["carpal-tunnel-syndrome", "osteoarthritis"])
        #expect(report.excluded.allSatisfy { $0.reason == "other" })
    }

    @Test("a family history header without a colon on its own line")
    func familyHistoryOwnLine() throws {
        let reading = try Reading("""
            Family History
            Mother: carpal tunnel syndrome.
            Father: osteoarthritis of the knees.

            Assessment
            Right knee pain.
            """)
        #expect(reading.sections == ["family-history Family History", "assessment Assessment"])
        #expect(reading.sentenceSections == ["family-history", "family-history", "assessment"])
    }

    @Test("SOAP letters are headers")
    func soapHeaders() throws {
        let reading = try Reading("S: knee pain. O: crepitus. A: knee OA. P: injection.")
        #expect(reading.sentenceSections == ["history-present-illness", "physical-exam", "assessment", "plan"])
    }

    @Test("a combined 'ASSESSMENT/IMPRESSION:' header starts the assessment section")
    func slashCombinedHeader() throws {
        let reading = try Reading("IMAGING: XR right knee: narrowing.\n\nASSESSMENT/IMPRESSION:\nPrimary osteoarthritis, right knee.\n")
        #expect(reading.sections == ["imaging IMAGING:", "assessment ASSESSMENT/IMPRESSION:"])
        #expect(reading.sentenceSections == ["imaging", "assessment"])
    }

    @Test("abbreviations with periods do not end a sentence")
    func abbreviations() throws {
        let reading = try Reading("HPI: Referred by Dr. Smith for knee pain, approx. 3 months. Takes 300 mg b.i.d. with food.\n")
        #expect(reading.sentences == ["Referred by Dr. Smith for knee pain, approx. 3 months.", "Takes 300 mg b.i.d. with food."])
    }

    @Test("a wrapped line continued in lower case stays one sentence")
    func wrappedProse() throws {
        let reading = try Reading("HPI: The patient reports pain in the right\nknee for three months.\nShe denies swelling.\n")
        #expect(reading.sentences == ["The patient reports pain in the right\nknee for three months.", "She denies swelling."])
    }

    @Test("Windows line endings read like Unix ones")
    func crlf() throws {
        let reading = try Reading("ASSESSMENT: Right knee osteoarthritis.\r\nPLAN: Right knee injection next visit.\r\n")
        #expect(reading.sections == ["assessment ASSESSMENT:", "plan PLAN:"])
        #expect(reading.sentences == ["Right knee osteoarthritis.", "Right knee injection next visit."])
    }

    @Test("sentences are byte ranges that tile the note in order, and lines are counted from 1")
    func spansAndLines() throws {
        let text = "Patient: Zoë\nASSESSMENT: Right knee osteoarthritis.\nPLAN: Ice.\n"
        let reading = try Reading(text)
        let ranges = reading.document.sentences.map(\.range)
        #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound <= $1.lowerBound })
        let knee = try #require(reading.document.sentences.first { reading.document.text($0.range).hasPrefix("Right knee") })
        // "Zoë" has a two-byte letter, so the byte offset is one more than the character offset.
        #expect(knee.range.lowerBound == "Patient: Zoë\nASSESSMENT: ".utf8.count)
        #expect(reading.document.line(of: knee.range.lowerBound) == 2)
        #expect(reading.document.line(of: 0) == 1)
        #expect(reading.document.line(of: text.utf8.count - 1) == 3)
    }

    @Test("report evidence points at the words with section, line and byte offsets")
    func evidencePlacement() throws {
        let text = """
            DATE OF SERVICE: 02/11/2025
            CHIEF COMPLAINT: Knee pain. Patient: Zoë.
            ASSESSMENT:
            Primary osteoarthritis, right knee.
            """
        let report = try SharedLexicon.code(text)
        let diagnosis = try #require(report.diagnoses.first { $0.code == "M17.11" })
        let evidence = try #require(diagnosis.evidence.first)
        #expect(evidence.text == "Primary osteoarthritis, right knee.")
        #expect(evidence.section == "Assessment")
        #expect(evidence.line == 4)
        let bytes = Array(text.utf8)
        #expect(String(decoding: bytes[evidence.start..<evidence.end], as: UTF8.self) == evidence.text)
    }
}

@Suite("Reading: what a note may be")
struct NoteInputTests {
    @Test("invalid UTF-8 is refused, naming the note and the byte offset")
    func invalidUTF8() throws {
        let engine = try SharedLexicon.engine()
        #expect(throws: NoteError.invalidUTF8(note: "bad-note", byteOffset: 1)) {
            _ = try engine.code(Note(id: "bad-note", bytes: [0x41, 0xC3, 0x28]))
        }
        let error = NoteError.invalidUTF8(note: "bad-note", byteOffset: 1)
        #expect(error.description.contains("bad-note"))
        #expect(error.description.contains("byte offset 1"))
    }

    @Test("the first bad byte is found wherever it is", arguments: [
        ([0xFF], 0),
        (Array("Right knee pain".utf8) + [0xE2, 0x82], 15),
        (Array("é ".utf8) + [0xED, 0xA0, 0x80], 3),
        (Array("ok".utf8) + [0xC0, 0xAF], 2),
        (Array("knee ".utf8) + [0xF4, 0x90, 0x80, 0x80], 5),
        // ASCII is read eight bytes at a time: bad bytes right after, inside and past such runs.
        (Array("abcdefgh".utf8) + [0xFF], 8),
        (Array("abcdefghijklmnop".utf8) + Array("é".utf8) + Array("12345678".utf8) + [0x80], 26),
        (Array("1234567".utf8) + [0xC3], 7),
        (Array("right knee pain, ".utf8) + [0xFE] + Array("and more text after it".utf8), 17),
    ] as [([UInt8], Int)])
    func invalidUTF8Offsets(bytes: [UInt8], offset: Int) throws {
        let engine = try SharedLexicon.engine()
        #expect(throws: NoteError.invalidUTF8(note: "n", byteOffset: offset)) {
            _ = try engine.code(Note(id: "n", bytes: bytes))
        }
    }

    @Test("valid multi-byte text is accepted")
    func validUTF8() throws {
        let report = try SharedLexicon.code("ASSESSMENT: Ärger — right knee osteoarthritis 😀.\n", date: "2025-02-11")
        #expect(report.diagnoses.map(\.code) == ["M17.11"])
    }

    @Test("an empty or blank note gives an empty report, not a crash", arguments: ["", "\n\n", "   \t  \r\n"])
    func emptyNote(text: String) throws {
        let report = try SharedLexicon.code(text, id: "empty")
        #expect(report.id == "empty")
        #expect(report.diagnoses.isEmpty)
        #expect(report.procedures.isEmpty)
        #expect(report.queries.isEmpty)
        #expect(report.excluded.isEmpty)
        #expect(report.dateOfService == nil)
        #expect(report.dateSource == "none")
    }

    @Test("a note over the size limit is refused, naming it")
    func tooLarge() throws {
        let engine = Engine(lexicon: try SharedLexicon.lexicon(), maxNoteBytes: 10)
        #expect(throws: NoteError.tooLarge(note: "big", bytes: 11, limit: 10)) {
            _ = try engine.code(Note(id: "big", text: "knee pain!!"))
        }
    }
}

@Suite("Reading: date of service")
struct DateOfServiceTests {
    @Test("the date of service is read from the note's header block", arguments: [
        ("DOS: 03/14/2024", "2024-03-14"),
        ("Date of Service: 2025-02-11", "2025-02-11"),
        ("Visit date: Jan 9 2023", "2023-01-09"),
        ("DATE OF SERVICE: 10/03/2024", "2024-10-03"),
        ("Date of visit: February 11, 2025", "2025-02-11"),
        ("DOS 3/4/25", "2025-03-04"),
    ])
    func readsDate(line: String, expected: String) throws {
        let report = try SharedLexicon.code("\(line)\nASSESSMENT: Neck pain.\n")
        #expect(report.dateOfService == expected)
        #expect(report.dateSource == "note")
    }

    @Test("a date that is not a real day is not taken")
    func impossibleDate() throws {
        let report = try SharedLexicon.code("DOS: 02/30/2024\nASSESSMENT: Neck pain.\n")
        #expect(report.dateOfService == nil)
        #expect(report.dateSource == "none")
    }

    @Test("an unlabelled date (a past injection, a birth date) is not the date of service")
    func unlabelledDate() throws {
        let report = try SharedLexicon.code("HPI: Last injection on 03/14/2019.\nASSESSMENT: Neck pain.\n")
        #expect(report.dateOfService == nil)
        #expect(report.dateSource == "none")
        #expect(report.warnings.contains { $0.contains("No date of service") })
    }

    @Test("a date given by the caller wins over the note's own")
    func givenDateWins() throws {
        let report = try SharedLexicon.code("DOS: 03/14/2024\nASSESSMENT: Neck pain.\n", date: "2025-02-11")
        #expect(report.dateOfService == "2025-02-11")
        #expect(report.dateSource == "flag")
    }

    @Test("the date picks the ICD-10-CM edition in force that day")
    func editionByDate() throws {
        let older = try SharedLexicon.code("DOS: 06/01/2021\nASSESSMENT: Low back pain.\n")
        #expect(older.codeSets.icd10cm == "FY2021")
        #expect(older.diagnoses.map(\.code) == ["M54.5"])
        let newer = try SharedLexicon.code("DOS: 02/11/2025\nASSESSMENT: Low back pain.\n")
        #expect(newer.codeSets.icd10cm == "FY2025")
        #expect(newer.diagnoses.map(\.code) == ["M54.50"])
    }

    @Test("Day parses ISO dates and refuses impossible ones", arguments: [
        ("2024-02-29", true), ("2023-02-29", false), ("2025-13-01", false), ("2025-1-01", false), ("03/14/2024", false),
    ])
    func dayParsing(text: String, valid: Bool) {
        #expect((Day(iso: text) != nil) == valid)
        if valid { #expect(Day(iso: text)?.description == text) }
    }
}
