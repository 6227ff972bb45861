import Foundation
import Testing
@testable import NoteCoder

/// How real notes state their diagnoses (issue on real notes): levels written once for a list,
/// a value tied to one diagnosis, what a study or the history says beside a diagnosis heading,
/// the side of an operation, the duration of a present complaint. The wording is that of the
/// MTSamples notes named in each test; each rule has a case where it must not fire.
private let day = "2024-07-01"

private func codes(_ text: String) throws -> Set<String> {
    Set(try SharedLexicon.code(text, date: day).diagnoses.map(\.code))
}

@Suite("Real notes: reading diagnoses")
struct RealNoteReadingTests {
    @Test("levels written once before a list of diagnoses belong to each of them (mts-677)")
    func levelsDistribute() throws {
        #expect(try codes("POSTOPERATIVE DIAGNOSIS: L4-L5 and L5-S1 degenerative disk disease/disk protrusions/spondylosis with radiculopathy.\n")
            == ["M51.16", "M51.17", "M47.26", "M47.27"])
    }

    @Test("a level inside the list stays with its own diagnosis (mts-229)")
    func levelInsideListStays() throws {
        let found = try codes("IMPRESSION: Disc protrusion at C5-6 on the right with multilevel degenerative disc disease.\n")
        #expect(found.contains("M50.222"))
        #expect(!found.contains("M50.322"), "the multilevel degeneration is not at C5-6")
    }

    @Test("a radiculopathy written with the stenosis is not the disc degeneration's (mts-433)")
    func radiculopathyClaimed() throws {
        let found = try codes("""
            IMPRESSION:
            1.  Low back syndrome with lumbar degenerative disc disease and facet joint syndrome.
            2.  Lumbar spinal stenosis, primarily lateral recess with intermittent lower extremity radiculopathy, stable.
            """)
        #expect(!found.contains("M51.16") && !found.contains("M47.26"))
        // No combination code took it, so the radiculopathy is coded on its own (Excludes1 at
        // M54.1 reaches only the "with radiculopathy" codes).
        #expect(found.isSuperset(of: ["M48.061", "M54.16"]))
        // In one list, a radiculopathy written as its own item is the nearest item's; a compound
        // diagnosis joined by slashes shares it (the first test).
        let list = try codes("HPI: She was seen with low back pain, lumbar degenerative disc disease, lumbar spinal stenosis primarily bilateral recess, intermittent lower extremity radiculopathy.\n")
        #expect(!list.contains("M51.16"))
        // Listed apart, with nothing else to tie it to, the radiculopathy is the disc's (Index "with").
        #expect(try codes("IMPRESSION:\n1.  Lumbar degenerative disc disease.\n2.  Lumbar radiculopathy.\n") == ["M51.16"])
    }

    @Test("a definitive diagnosis told only in the history beside an impression that leaves it out is not coded (mts-1672)")
    func backgroundDiagnosis() throws {
        let note = "CHIEF COMPLAINT: He is a 67-year-old man who suffers from coronary artery disease and DJD. He has pain in his left knee.\n\n"
        #expect(try codes(note + "IMPRESSION:\n1. Knee pain.\n") == ["M25.562"])
        // Without a diagnosis heading the history is all there is.
        #expect(try codes(note).contains("M17.12"))
    }

    @Test("a radiology report's findings are the study's; its impression is the diagnosis (mts-816)")
    func findingsSection() throws {
        #expect(try codes("FINDINGS: There is osteoarthritic spur formation at the anterior aspect of the right ankle.\n\nIMPRESSION: Mild Achilles tendinosis.\n").isEmpty)
        #expect(try codes("FINDINGS: Joint space narrowing.\n\nIMPRESSION: Osteoarthritis of the right ankle.\n") == ["M19.071"])
    }

    @Test("an operation's side holds for an unsided diagnosis of the same joint (mts-2594)")
    func sideFromOperation() throws {
        let diagnoses = "POSTOPERATIVE DIAGNOSES:\n1.  Rotator cuff tear.\n2.  Glenohumeral joint degenerative joint disease.\n\n"
        #expect(try codes(diagnoses + "PROCEDURE PERFORMED: Right shoulder hemiarthroplasty.\n") == ["M19.011"])
        let unsided = try SharedLexicon.code(diagnoses + "PROCEDURE PERFORMED: Shoulder hemiarthroplasty.\n", date: day)
        #expect(unsided.diagnoses.map(\.code) == ["M19.019"])
        #expect(unsided.queries.map(\.kind) == ["laterality"])
    }

    @Test("how long a present complaint has lasted is not a past condition (mts-1674, mts-1683)")
    func durationIsCurrent() throws {
        #expect(try codes("IMPRESSION: The patient is a 58-year-old gentleman with one-year history of right arm pain.\n") == ["M79.601"])
        #expect(try codes("HISTORY: Since that time she has had right low neck pain.\n") == ["M54.2"])
        #expect(try codes("PAST MEDICAL HISTORY: History of right arm pain.\n").isEmpty)
    }

    @Test("'history' after a list item reaches back only to it, never over 'history of' (mts-927)")
    func historyAfterListItem() throws {
        let found = try codes("ASSESSMENT:  Low back pain, lumbar radiculopathy, degenerative disc disease, lumbar spinal stenosis, history of anemia.\n")
        #expect(found.contains("M48.061"))
    }

    @Test("a study told at length before what it showed is still a study's finding (mts-578)")
    func longImagingSentence() throws {
        #expect(try codes("HISTORY: An MRI was performed of his lumbar spine which showed degenerative disk disease, spondylosis, and annular bulging.\n").isEmpty)
        #expect(try codes("HISTORY: He has lumbar spondylosis.\n") == ["M47.816"])
    }

    @Test("an L5-S1 level gives the lumbosacral code even where the provider writes 'lumbar' (mts-2630)")
    func lumbosacralLevel() throws {
        #expect(try codes("PREOPERATIVE DIAGNOSIS:  Severe lumbar spondylosis L5-S1.\n") == ["M47.817"])
        #expect(try codes("PREOPERATIVE DIAGNOSIS:  Severe lumbar spondylosis L4-L5.\n") == ["M47.816"])
    }

    @Test("upper back and upper lumbar back pain are indexed to their regions (mts-570, mts-506)")
    func backPainWording() throws {
        #expect(try codes("HPI: He did note chronic left sided upper back pain located in the ribs.\n") == ["M54.6", "G89.29"])
        #expect(try codes("HPI: There was associated mild upper lumbar back pain without radiation.\n") == ["M54.50"])
    }
}
