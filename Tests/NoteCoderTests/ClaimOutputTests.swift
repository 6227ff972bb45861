import Foundation
import Testing
@testable import NoteCoder

/// The claim draft a billing system imports: diagnosis letters, line pointers, the 837P-shaped
/// CSV and the FHIR R4 Bundle (its schema check is `make fhir-test`, with a validator from PyPI).
@Suite("Claim outputs: 837P-shaped CSV and FHIR R4 Claim")
struct ClaimOutputTests {
    static let sample = """
        Date of Service: 03/18/2025
        ASSESSMENT:
        1. Primary osteoarthritis of the right knee.
        2. Myofascial pain syndrome of the right upper trapezius, levator scapulae and splenius capitis.
        PROCEDURE: Right knee injection under ultrasound guidance, image saved. Trigger point injections to the right upper trapezius, levator scapulae and splenius capitis.
        """

    @Test("lines point to the letters of their diagnoses, which come first on the claim")
    func pointers() throws {
        let report = try SharedLexicon.code(Self.sample)
        let claim = ClaimDraft(report)
        #expect(claim.lines.count == report.procedures.count)
        #expect(!claim.lines.isEmpty)
        for (line, procedure) in zip(claim.lines, report.procedures) {
            #expect(line.code == procedure.code)
            #expect(line.units == procedure.units)
            #expect(line.pointers.map { claim.diagnoses[$0 - 1].code } == Array(procedure.diagnoses.prefix(4)))
        }
        #expect(Set(claim.diagnoses.map(\.code)) == Set(report.diagnoses.map(\.code)))
        #expect(claim.warnings.isEmpty)
    }

    @Test("more than twelve diagnoses, four pointers or four modifiers are said, not dropped silently")
    func limits() throws {
        var report = try SharedLexicon.code(Self.sample)
        let template = try #require(report.diagnoses.first)
        report.diagnoses = (0..<14).map { i in
            var d = template
            d.code = "M79.6\(i % 10)\(i / 10)"
            return d
        }
        var line = try #require(report.procedures.first)
        line.diagnoses = Array(report.diagnoses.prefix(6).map(\.code))
        line.modifiers = ["RT", "XS", "59", "25", "GA"]
        report.procedures = [line]
        let claim = ClaimDraft(report)
        #expect(claim.diagnoses.count == 12)
        #expect(claim.lines[0].pointers == [1, 2, 3, 4])
        #expect(claim.lines[0].modifiers == ["RT", "XS", "59", "25"])
        #expect(claim.warnings.count == 3)
        #expect(claim.warnings[0].contains("left off"))
    }

    @Test("claim CSV: one row per service line, every row with the whole diagnosis list")
    func claimCSV() throws {
        let report = try SharedLexicon.code(Self.sample, id: "n-1")
        let rows = BatchFormats.parseCSV(ClaimCSV.rows(report, guardFormulas: true))
        #expect(rows.count == report.procedures.count)
        let header = ClaimCSV.header
        #expect(header.count == 4 + 4 + 1 + 4 + 12 + 2)
        for (row, procedure) in zip(rows, report.procedures) {
            #expect(row.count == header.count)
            #expect(row[0] == "n-1")
            #expect(row[1] == "2025-03-18")
            #expect(row[header.firstIndex(of: "procedure_code")!] == procedure.code)
            #expect(row[header.firstIndex(of: "diagnosis_a")!] == ClaimDraft(report).diagnoses[0].code)
            let pointer = row[header.firstIndex(of: "pointer_1")!]
            #expect(["A", "B", "C"].contains(pointer))
        }
        // A note with diagnoses and no procedure still gives its diagnosis list.
        let noLines = try SharedLexicon.code("ASSESSMENT: Right knee osteoarthritis.", id: "n-2", date: "2025-03-01")
        let only = BatchFormats.parseCSV(ClaimCSV.rows(noLines, guardFormulas: true))
        #expect(only.count == 1)
        #expect(only[0][2] == "" && only[0][header.firstIndex(of: "diagnosis_a")!] == "M17.11")
    }

    @Test("FHIR: a draft Claim with sequences and pointers, a Task per query, the same bytes every run")
    func fhirBundle() throws {
        let report = try SharedLexicon.code(Self.sample + "\nPLAN: Occipital nerve block.\n", id: "note/7 x")
        let data = try FHIRClaimBundle.json(report, pretty: false)
        #expect(data == (try FHIRClaimBundle.json(report, pretty: false)))
        let bundle = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(bundle["resourceType"] as? String == "Bundle")
        #expect(bundle["type"] as? String == "collection")
        let entries = try #require(bundle["entry"] as? [[String: Any]])
        let claim = try #require(entries.first?["resource"] as? [String: Any])
        #expect(claim["resourceType"] as? String == "Claim")
        #expect(claim["status"] as? String == "draft")
        #expect(claim["created"] as? String == "2025-03-18")
        let diagnoses = try #require(claim["diagnosis"] as? [[String: Any]])
        #expect(diagnoses.map { $0["sequence"] as? Int } == Array(1...diagnoses.count).map(Optional.some))
        let items = try #require(claim["item"] as? [[String: Any]])
        #expect(items.count == report.procedures.count)
        for item in items {
            let pointers = try #require(item["diagnosisSequence"] as? [Int])
            #expect(!pointers.isEmpty && pointers.count <= 4 && pointers.allSatisfy { (1...diagnoses.count).contains($0) })
            #expect(item["servicedDate"] as? String == "2025-03-18")
            #expect((item["extension"] as? [[String: Any]])?.first?["url"] as? String == FHIRClaimBundle.evidenceExtension)
        }
        let tasks = entries.dropFirst().compactMap { $0["resource"] as? [String: Any] }
        #expect(tasks.count == report.queries.count)
        let claimURL = try #require(entries.first?["fullUrl"] as? String)
        for task in tasks {
            #expect(task["resourceType"] as? String == "Task")
            #expect((task["focus"] as? [String: Any])?["reference"] as? String == claimURL)
        }
        // The patient and visit the input named are the claim's; unknown, a display that says so.
        var known = report
        known.subject = "Patient/p1"
        known.encounter = "Encounter/e9"
        let linked = try #require(try JSONSerialization.jsonObject(with: FHIRClaimBundle.json(known, pretty: false)) as? [String: Any])
        let linkedClaim = try #require(((linked["entry"] as? [[String: Any]])?.first?["resource"]) as? [String: Any])
        #expect((linkedClaim["patient"] as? [String: Any])?["reference"] as? String == "Patient/p1")
        #expect(((linkedClaim["item"] as? [[String: Any]])?.first?["encounter"] as? [[String: Any]])?.first?["reference"] as? String == "Encounter/e9")
        #expect((claim["patient"] as? [String: Any])?["display"] != nil)
        // Ids come from the note id, whatever characters it holds, and differ between notes.
        #expect(claimURL.range(of: "^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", options: .regularExpression) != nil)
        #expect(FHIRClaimBundle.uuid("a", "claim") != FHIRClaimBundle.uuid("b", "claim"))
    }

    @Test("batch writes one FHIR bundle line and claim CSV rows per note, and resumes into them")
    func batchFormats() throws {
        let folder = try TemporaryFolder()
        let notes = BatchFixture.notes(12)
        let input = folder.url.appendingPathComponent("in.jsonl").path
        try BatchFixture.jsonl(notes).write(toFile: input, atomically: true, encoding: .utf8)
        try BatchFixture.run(input, in: folder, stem: "fhir", format: .fhir)
        let lines = try String(contentsOfFile: folder.url.appendingPathComponent("fhir.jsonl").path, encoding: .utf8)
            .split(separator: "\n")
        #expect(lines.count == notes.count)
        for (line, note) in zip(lines, notes) {
            let bundle = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect((bundle["identifier"] as? [String: Any])?["value"] as? String == note.id)
        }
        let resumed = try BatchFixture.run(input, in: folder, stem: "fhir", format: .fhir, resume: true)
        #expect(resumed.summary.coded == 0)
        #expect(resumed.summary.skipped == notes.count)
        try BatchFixture.run(input, in: folder, stem: "claim", format: .claimCSV)
        let rows = BatchFormats.parseCSV(try String(contentsOfFile: folder.url.appendingPathComponent("claim.csv").path, encoding: .utf8))
        #expect(rows.first == ClaimCSV.batchHeader)
        #expect(Set(rows.dropFirst().map { $0[0] }) == Set(notes.map(\.id)))
        // Each row ends with its note's input record, so a resumed run can tell notes apart.
        #expect(rows.dropFirst().allSatisfy { $0.count == ClaimCSV.batchHeader.count && Int($0.last!) != nil })
    }
}
