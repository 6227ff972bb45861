import Foundation
import Testing
@testable import NoteCoder

@Suite("Line breaks: CR, LF and CRLF alike")
struct LineBreakTests {
    static func sample() throws -> [UInt8] {
        [UInt8](try Data(contentsOf: TestRepository.root.appendingPathComponent("Examples/sample-note.txt")))
    }

    static func code(_ bytes: [UInt8]) throws -> Report {
        try SharedLexicon.engine().code(Note(id: "sample-note", bytes: bytes))
    }

    /// What a coder reads off a report: codes, modifiers, units, evidence places, set-asides, edits.
    static func outline(_ report: Report) -> [String] {
        func places(_ evidence: [Evidence]) -> String { evidence.map { "\($0.section ?? "-")@\($0.line):\($0.start)-\($0.end)" }.joined(separator: ",") }
        return report.diagnoses.map { "dx \($0.code) \(places($0.evidence))" }
            + report.procedures.map { "px \($0.code) \($0.modifiers) x\($0.units) \(places($0.evidence))" }
            + report.excluded.map { "seen \($0.concept) \($0.reason) \($0.evidence.section ?? "-")@\($0.evidence.line)" }
            + report.edits.map { "edit \($0.kind) \($0.codes) \($0.status)" }
            + report.queries.map { "query \($0.kind)" }
    }

    @Test("a note with lone-CR line ends is read exactly like the same note with LF: sections, lines, codes")
    func loneCR() throws {
        let lf = try Self.sample()
        let cr = lf.map { $0 == 0x0A ? 0x0D : $0 }
        let expected = try Self.code(lf)
        let report = try Self.code(cr)
        #expect(report.text() == expected.text())
        #expect(try report.jsonData() == expected.jsonData())
        // The past-history carpal tunnel stays history: no G56 code, no ultrasound line, one edit.
        #expect(!report.diagnoses.contains { $0.code.hasPrefix("G56") })
        #expect(!report.procedures.contains { $0.code == "76942" })
        #expect(report.edits.count == 1)
        #expect(report.excluded.contains { $0.concept == "carpal-tunnel-syndrome" && $0.reason == "historical" && $0.evidence.line == 9 })
    }

    @Test("CRLF line ends give the same codes, lines and sections as LF")
    func crlf() throws {
        let lf = try Self.sample()
        var crlf: [UInt8] = []
        for byte in lf {
            if byte == 0x0A { crlf.append(0x0D) }
            crlf.append(byte)
        }
        let expected = Self.outline(try Self.code(lf)).map { $0.replacingOccurrences(of: #":\d+-\d+"#, with: "", options: .regularExpression) }
        let report = Self.outline(try Self.code(crlf)).map { $0.replacingOccurrences(of: #":\d+-\d+"#, with: "", options: .regularExpression) }
        #expect(report == expected)
    }

    @Test("line numbers count CR, LF and CRLF each as one break in a note that mixes them")
    func mixed() throws {
        let text = "CHIEF COMPLAINT: knee pain.\rHISTORY: none.\r\nPAST MEDICAL HISTORY: Carpal tunnel syndrome.\n\rASSESSMENT: Primary osteoarthritis of the right knee.\r"
        let report = try SharedLexicon.code(text)
        let diagnosis = try #require(report.diagnoses.first { $0.code == "M17.11" })
        #expect(diagnosis.evidence.first?.line == 5)
        #expect(diagnosis.evidence.first?.section == "Assessment")
        #expect(report.excluded.contains { $0.concept == "carpal-tunnel-syndrome" && $0.reason == "historical" && $0.evidence.line == 3 })
        // Offsets still point into the note as written.
        let evidence = try #require(diagnosis.evidence.first)
        #expect(String(decoding: Array(text.utf8)[evidence.start..<evidence.end], as: UTF8.self) == evidence.text)
    }

    @Test("only a lone CR changes, byte for byte; LF and CRLF notes are left as they are")
    func normalization() {
        #expect(LineBreaks.normalized(Note(id: "a", text: "a\rb\r\nc\r")).bytes == Array("a\nb\r\nc\n".utf8))
        #expect(LineBreaks.normalized(Note(id: "b", text: "a\r\nb\n")).bytes == Array("a\r\nb\n".utf8))
    }
}
