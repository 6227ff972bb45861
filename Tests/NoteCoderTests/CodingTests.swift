import Foundation
import Testing
@testable import NoteCoder

/// A claim line as FORMAT.md's gold writes it, for compact comparisons.
private struct Line: Equatable, CustomStringConvertible {
    var code: String
    var modifiers: [String]
    var units: Int
    var diagnoses: [String]
    var description: String {
        "\(code)\(modifiers.isEmpty ? "" : "-" + modifiers.joined(separator: "-")) x\(units) → \(diagnoses)"
    }
}

private extension Report {
    var diagnosisCodes: Set<String> { Set(diagnoses.map(\.code)) }
    var lines: [Line] { procedures.map { Line(code: $0.code, modifiers: $0.modifiers, units: $0.units, diagnoses: $0.diagnoses) } }
    var queryKinds: [String] { queries.map(\.kind) }
    func excluded(_ concept: String) -> ExcludedFinding? { excluded.first { $0.concept == concept } }
}

/// A date inside an ICD-10-CM edition on hand, so no "nearest edition" warning blurs the result.
private let day = "2025-02-11"

@Suite("Coding: diagnoses")
struct DiagnosisCodingTests {
    @Test("carpal tunnel syndrome by side, with the carpal tunnel injection", arguments: [
        ("Right", "G56.01", ["RT"]),
        ("Left", "G56.02", ["LT"]),
        // 20526 has CMS bilateral indicator 1: one line with modifier 50 and one unit.
        ("Bilateral", "G56.03", ["50"]),
    ])
    func carpalTunnel(side: String, diagnosis: String, modifiers: [String]) throws {
        let report = try SharedLexicon.code("""
            ASSESSMENT: \(side) carpal tunnel syndrome.
            PROCEDURE: \(side) carpal tunnel injection performed with 40 mg Kenalog. Tolerated well.
            """, date: day)
        #expect(report.diagnosisCodes == [diagnosis])
        #expect(report.lines == [Line(code: "20526", modifiers: modifiers, units: 1, diagnoses: [diagnosis])])
        #expect(report.queries.isEmpty)
        #expect(report.procedures.allSatisfy { $0.status == "suggested" && $0.pendingQueries.isEmpty })
    }

    @Test("carpal tunnel syndrome without a side is the unspecified code, pending a laterality query")
    func carpalTunnelNoSide() throws {
        let report = try SharedLexicon.code("ASSESSMENT: Carpal tunnel syndrome.\nPLAN: Wrist splint at night.\n", date: day)
        #expect(report.diagnosisCodes == ["G56.00"])
        #expect(report.diagnoses.first?.status == "pending-query")
        #expect(report.diagnoses.first?.pendingQueries == ["laterality"])
        #expect(report.queryKinds == ["laterality"])
    }

    @Test("bilateral knee osteoarthritis has its own bilateral code")
    func kneeOABilateral() throws {
        let report = try SharedLexicon.code("ASSESSMENT: Bilateral knee osteoarthritis.\nPLAN: Continue home exercise program.\n", date: day)
        #expect(report.diagnosisCodes == ["M17.0"])
        #expect(report.queries.isEmpty)
    }

    @Test("knee osteoarthritis by side", arguments: [("right", "M17.11"), ("left", "M17.12")])
    func kneeOASide(side: String, code: String) throws {
        let report = try SharedLexicon.code("ASSESSMENT: Primary osteoarthritis of the \(side) knee.\n", date: day)
        #expect(report.diagnosisCodes == [code])
    }

    @Test("bilateral shoulder osteoarthritis is coded right and left, there being no bilateral code")
    func shoulderOABilateral() throws {
        let report = try SharedLexicon.code("ASSESSMENT: Bilateral shoulder osteoarthritis.\nPLAN: Continue home exercise program.\n", date: day)
        #expect(report.diagnosisCodes == ["M19.011", "M19.012"])
        #expect(report.diagnoses.count == 2)
    }

    @Test("osteoarthritis with no joint named and nothing done for it is M19.90, not queried")
    func oaNoJoint() throws {
        let report = try SharedLexicon.code("ASSESSMENT: Osteoarthritis.\nPLAN: Continue acetaminophen.\n", date: day)
        #expect(report.diagnosisCodes == ["M19.90"])
        #expect(report.diagnoses.first?.status == "suggested")
        #expect(report.queryKinds.isEmpty)
    }

    @Test("osteoarthritis with no joint named, injected today, is M19.90 pending a site query")
    func oaNoJointInjected() throws {
        let report = try SharedLexicon.code(
            "ASSESSMENT: Osteoarthritis.\nPROCEDURE: Joint injection with 40 mg triamcinolone was performed today; tolerated well.\n", date: day)
        #expect(report.diagnosisCodes == ["M19.90"])
        #expect(report.diagnoses.first?.pendingQueries == ["site"])
        #expect(report.queryKinds.contains("site"))
    }

    @Test("arthritis with no kind named is osteoarthritis by the Index; a named kind is not")
    func arthritisNOS() throws {
        #expect(try SharedLexicon.code("IMPRESSION:\n8. Arthritis.\n", date: day).diagnosisCodes == ["M19.90"])
        #expect(try SharedLexicon.code("IMPRESSION: Right knee arthritis.\n", date: day).diagnosisCodes == ["M17.11"])
        #expect(try SharedLexicon.code("IMPRESSION: Rheumatoid arthritis. Psoriatic arthritis.\n", date: day).diagnosisCodes.isEmpty)
    }

    @Test("negated osteoarthritis is not coded; it is listed as negated with the cue quoted")
    func negatedOA() throws {
        let report = try SharedLexicon.code("ASSESSMENT: Right knee pain. No osteoarthritis on x-ray.\nPLAN: Physical therapy.\n", date: day)
        #expect(report.diagnosisCodes == ["M25.561"])
        let excluded = try #require(report.excluded("osteoarthritis"))
        #expect(excluded.reason == "negated")
        let cue = try #require(excluded.cue)
        #expect(cue.lowercased() == "no")
        #expect(excluded.evidence.text.contains("\(cue) osteoarthritis"))
        #expect(report.text().contains("osteoarthritis — negated: '\(cue)'"))
    }

    @Test("a denied finding is negated", arguments: ["She denies neck pain.", "Negative for carpal tunnel syndrome."])
    func deniedFinding(sentence: String) throws {
        let report = try SharedLexicon.code("HPI: \(sentence)\n", date: day)
        #expect(report.diagnoses.isEmpty)
        #expect(report.excluded.map(\.reason) == ["negated"])
    }

    @Test("a family member's carpal tunnel syndrome is not the patient's")
    func familyHistory() throws {
        let report = try SharedLexicon.code("""
            HPI: Numbness in both hands at night.
            FAMILY HISTORY: Mother has carpal tunnel syndrome.
            ASSESSMENT: Neck pain.
            """, date: day)
        #expect(report.diagnosisCodes == ["M54.2"])
        let excluded = try #require(report.excluded("carpal-tunnel-syndrome"))
        #expect(excluded.reason == "other")
        #expect(excluded.evidence.text.contains("Mother has carpal tunnel syndrome"))
    }

    @Test("'mother has' outside a family history section is still someone else's")
    func familyMemberInHPI() throws {
        let report = try SharedLexicon.code("HPI: Her mother has carpal tunnel syndrome. She has neck pain.\n", date: day)
        #expect(report.diagnosisCodes == ["M54.2"])
        #expect(report.excluded("carpal-tunnel-syndrome")?.reason == "other")
    }

    @Test("an uncertain diagnosis is not coded, and no query is raised to make it certain")
    func uncertainNotCoded() throws {
        let report = try SharedLexicon.code("ASSESSMENT: Possible carpal tunnel syndrome.\nPLAN: EMG.\n", date: day)
        #expect(report.diagnoses.isEmpty)
        #expect(report.queries.isEmpty)
        let excluded = try #require(report.excluded("carpal-tunnel-syndrome"))
        #expect(excluded.reason == "uncertain")
        #expect(excluded.cue?.lowercased() == "possible")
    }

    @Test("low back pain takes the code in force on the date of service", arguments: [
        ("2021-06-01", "M54.5"),   // before the October 2021 split
        ("2022-06-01", "M54.50"),  // after it
        ("2025-02-11", "M54.50"),
    ])
    func lowBackPainByDate(date: String, code: String) throws {
        let report = try SharedLexicon.code("ASSESSMENT: Low back pain.\nPLAN: Physical therapy.\n", date: date)
        #expect(report.diagnosisCodes == [code])
        #expect(report.dateOfService == date)
    }

    @Test("a joint's pain gives way to the osteoarthritis that explains it")
    func jointPainSuppressed() throws {
        let report = try SharedLexicon.code("CHIEF COMPLAINT: Right knee pain.\nASSESSMENT: Right knee pain. Right knee osteoarthritis.\n", date: day)
        #expect(report.diagnosisCodes == ["M17.11"])
        #expect(report.excluded("joint-pain")?.reason == "suppressed")
    }
}

@Suite("Coding: procedures")
struct ProcedureCodingTests {
    @Test("a planned nerve block is not coded and is listed as planned")
    func plannedBlock() throws {
        let report = try SharedLexicon.code("""
            ASSESSMENT: Right occipital neuralgia.
            PLAN: Will schedule a right greater occipital nerve block next visit.
            """, date: day)
        #expect(report.diagnosisCodes == ["M54.81"])
        #expect(report.procedures.isEmpty)
        #expect(report.excluded("nerve-block")?.reason == "planned")
    }

    @Test("a past injection told in the history is not coded")
    func historicalInjection() throws {
        let report = try SharedLexicon.code("""
            HPI: She had a right knee injection in 2022 with good relief.
            ASSESSMENT: Right knee osteoarthritis.
            PLAN: Home exercise program.
            """, date: day)
        #expect(report.diagnosisCodes == ["M17.11"])
        #expect(report.procedures.isEmpty)
        #expect(report.excluded("joint-injection")?.reason == "historical")
    }

    @Test("trigger point injections into three named muscles are 20553")
    func tpiThreeMuscles() throws {
        let report = try SharedLexicon.code("""
            ASSESSMENT: Myofascial pain of the neck.
            PROCEDURE: Trigger point injections to the right trapezius, left levator scapulae and right rhomboid with 1% lidocaine. Tolerated well.
            """, date: day)
        #expect(report.lines.map(\.code) == ["20553"])
        #expect(report.lines.first?.units == 1)
        #expect(report.lines.first?.modifiers == [])
        #expect(report.lines.first?.diagnoses == report.diagnoses.map(\.code))
        #expect(!report.queryKinds.contains("muscle-count"))
    }

    @Test("trigger point injections into two named muscles are 20552")
    func tpiTwoMuscles() throws {
        let report = try SharedLexicon.code("""
            ASSESSMENT: Myofascial pain of the neck.
            PROCEDURE: Trigger point injections to the right trapezius and left levator scapulae with 1% lidocaine. Tolerated well.
            """, date: day)
        #expect(report.lines.map(\.code) == ["20552"])
        #expect(report.queries.isEmpty)
    }

    @Test("a muscle injected on both sides counts twice")
    func tpiBilateralMuscle() throws {
        let report = try SharedLexicon.code("""
            ASSESSMENT: Myofascial pain of the neck.
            PROCEDURE: Trigger point injections to the bilateral trapezius and the right levator scapulae with 1% lidocaine.
            """, date: day)
        #expect(report.lines.map(\.code) == ["20553"])
    }

    @Test("trigger point injections without the muscles are 20552 pending a muscle-count query")
    func tpiNoMuscles() throws {
        let report = try SharedLexicon.code("""
            ASSESSMENT: Myofascial pain of the neck.
            PROCEDURE: Trigger point injections were performed with 1% lidocaine. Tolerated well.
            """, date: day)
        #expect(report.lines.map(\.code) == ["20552"])
        let line = try #require(report.procedures.first)
        #expect(line.status == "pending-query")
        #expect(line.pendingQueries == ["muscle-count"])
        #expect(report.queryKinds == ["muscle-count"])
    }

    @Test("an 'occipital nerve block' without greater or lesser raises a nerve query and no code")
    func occipitalBlockNoNerve() throws {
        let report = try SharedLexicon.code("""
            ASSESSMENT: Right occipital neuralgia.
            PROCEDURE: Right occipital nerve block performed with 2 mL 0.5% bupivacaine. Tolerated well.
            """, date: day)
        #expect(report.diagnosisCodes == ["M54.81"])
        #expect(report.procedures.isEmpty)
        #expect(report.queryKinds == ["nerve"])
        let query = try #require(report.queries.first)
        #expect(query.options.contains("Greater occipital nerve"))
        #expect(query.options.contains { $0.lowercased().contains("unable to determine") })
        #expect(query.indicators.contains { $0.text.contains("occipital nerve block") })
    }

    @Test("bilateral greater occipital nerve blocks are 64405-50, one unit")
    func gonBilateral() throws {
        let report = try SharedLexicon.code("""
            ASSESSMENT: Bilateral occipital neuralgia.
            PROCEDURE: Bilateral greater occipital nerve blocks performed with 2 mL 0.5% bupivacaine on each side. Tolerated well.
            """, date: day)
        #expect(report.diagnosisCodes == ["M54.81"])
        #expect(report.lines == [Line(code: "64405", modifiers: ["50"], units: 1, diagnoses: ["M54.81"])])
        #expect(report.queries.isEmpty)
    }

    @Test("a right greater occipital nerve block is 64405-RT")
    func gonRight() throws {
        let report = try SharedLexicon.code("""
            ASSESSMENT: Right occipital neuralgia.
            PROCEDURE: Right greater occipital nerve block performed with 2 mL 0.5% bupivacaine.
            """, date: day)
        #expect(report.lines == [Line(code: "64405", modifiers: ["RT"], units: 1, diagnoses: ["M54.81"])])
    }

    @Test("a knee injection with ultrasound but no saved image is 20610 pending a guidance query")
    func kneeUltrasoundNoImage() throws {
        let report = try SharedLexicon.code("""
            ASSESSMENT: Right knee osteoarthritis.
            PROCEDURE: Right knee injection under ultrasound guidance with 40 mg triamcinolone. Tolerated well.
            """, date: day)
        #expect(report.lines == [Line(code: "20610", modifiers: ["RT"], units: 1, diagnoses: ["M17.11"])])
        #expect(report.procedures.first?.pendingQueries == ["guidance"])
        #expect(report.queryKinds == ["guidance"])
    }

    @Test("a knee injection with ultrasound and a saved image is 20611")
    func kneeUltrasoundWithImage() throws {
        let report = try SharedLexicon.code("""
            ASSESSMENT: Right knee osteoarthritis.
            PROCEDURE: Right knee injection under ultrasound guidance with 40 mg triamcinolone. A permanent image was saved to the chart. Tolerated well.
            """, date: day)
        #expect(report.lines == [Line(code: "20611", modifiers: ["RT"], units: 1, diagnoses: ["M17.11"])])
        #expect(report.queries.isEmpty)
    }

    @Test("a landmark-guided knee injection is 20610 with no guidance query")
    func kneeLandmark() throws {
        let report = try SharedLexicon.code("""
            ASSESSMENT: Left knee osteoarthritis.
            PROCEDURE: Left knee intra-articular injection, landmark guided, with 40 mg triamcinolone.
            """, date: day)
        #expect(report.lines == [Line(code: "20610", modifiers: ["LT"], units: 1, diagnoses: ["M17.12"])])
        #expect(report.queries.isEmpty)
    }

    @Test("a procedure with no supporting diagnosis raises an indication query")
    func noIndication() throws {
        let report = try SharedLexicon.code("PROCEDURE: Right knee injection with 40 mg triamcinolone. Tolerated well.\n", date: day)
        #expect(report.diagnoses.isEmpty)
        #expect(report.lines == [Line(code: "20610", modifiers: ["RT"], units: 1, diagnoses: [])])
        #expect(report.procedures.first?.pendingQueries == ["indication"])
        #expect(report.queryKinds == ["indication"])
    }

    @Test("no query ever speaks of payment")
    func queriesAreCompliant() throws {
        let notes = [
            "PROCEDURE: Right knee injection under ultrasound guidance.\n",
            "ASSESSMENT: Osteoarthritis.\nPROCEDURE: Occipital nerve block.\n",
            "ASSESSMENT: Myofascial pain.\nPROCEDURE: Trigger point injections.\n",
        ]
        var kinds: Set<String> = []
        for note in notes {
            for query in try SharedLexicon.code(note, date: day).queries {
                kinds.insert(query.kind)
                for word in ["payment", "reimburse", "paid", "denial", "revenue"] {
                    #expect(!query.text.lowercased().contains(word), "query \(query.kind) mentions \(word)")
                }
            }
        }
        #expect(kinds.count >= 3)
    }
}
