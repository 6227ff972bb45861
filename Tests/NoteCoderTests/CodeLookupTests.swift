import Foundation
import Testing
@testable import NoteCoder

private func facts(_ code: String, _ date: String? = nil) throws -> CodeFacts {
    let lexicon = try SharedLexicon.lexicon()
    return try #require(lexicon.facts(about: code, on: date.flatMap(Day.init(iso:))))
}

@Suite("notecoder code: what a coder asks of a code")
struct CodeLookupTests {
    @Test("M54.5 on 2021-06-01 is billable (FY2021)")
    func lowBackPain2021() throws {
        let f = try facts("M54.5", "2021-06-01")
        let d = try #require(f.diagnosis)
        #expect(f.system == "ICD-10-CM")
        #expect(d.edition == "FY2021")
        #expect(d.title == "Low back pain")
        #expect(d.billable)
        #expect(f.text().contains("Billable on 2021-06-01: yes"))
    }

    @Test("M54.5 on 2022-06-01 is a header, with its billable children named")
    func lowBackPain2022() throws {
        let f = try facts("M54.5", "2022-06-01")
        let d = try #require(f.diagnosis)
        #expect(d.inEdition && !d.billable)
        #expect(d.billableCodesUnder == ["M54.50", "M54.51", "M54.59"])
        #expect(d.editions.first { $0.edition == "FY2021" }?.billable == true)
        #expect(d.editions.first { $0.edition == "FY2026" }?.billable == false)
        #expect(d.editions.allSatisfy { $0.present })
        #expect(f.text().contains("Billable on 2022-06-01: no — a header"))
        #expect(d.excludes1.contains { $0.direction == "excludes" && $0.codes.contains("M54.4") })
        #expect(d.excludes1.contains { $0.direction == "excluded-by" && $0.at == "M54.8" })
    }

    @Test("a code written without its dot is found")
    func undotted() throws {
        #expect(try facts("m545", "2021-06-01").code == "M54.5")
    }

    @Test("M54.50 before FY2022 is in no edition in force")
    func notYetInEdition() throws {
        let d = try #require(try facts("M54.50", "2021-06-01").diagnosis)
        #expect(!d.inEdition && !d.billable)
        #expect(d.editions.first { $0.edition == "FY2021" }?.present == false)
    }

    @Test("20611: label, dates, bilateral indicator, MUE with MAI, and its NCCI pairs")
    func ultrasoundJointInjection() throws {
        let f = try facts("20611", "2024-08-01")
        let p = try #require(f.procedure)
        #expect(f.system == "CPT")
        #expect(p.valid && p.from == "2015-01-01" && p.until == nil)
        #expect(p.label.contains("ultrasound"))
        #expect(p.bilateralIndicator == 1)
        #expect(p.unitLimit?.units == 2 && p.unitLimit?.adjudicationIndicator == 3)
        #expect(p.addOn == nil)
        let pairs = try #require(p.pairs)
        #expect(pairs.rows == 68 && pairs.inForce == 65)
        #expect(pairs.pairs.contains { $0.column1 == "20611" && $0.column2 == "20552" && $0.modifierIndicator == 1 && $0.inForce })
        #expect(pairs.pairs.contains { $0.column2 == "64402" && !$0.inForce && $0.deleted == "2019-12-31" })
        let text = f.text()
        #expect(text.contains("Valid on 2024-08-01: yes (from 2015-01-01, no end date)"))
        #expect(text.contains("Unit limit (MUE): 2 per day of service — MAI 3"))
        #expect(text.contains("Bilateral indicator: 1"))
        #expect(text.contains("NCCI procedure-to-procedure pairs: 68 rows name 20611, 65 in force on 2024-08-01"))
    }

    @Test("G2058 is valid in 2020 only, and needs 99490")
    func g2058() throws {
        let in2020 = try #require(try facts("G2058", "2020-06-01").procedure)
        #expect(in2020.valid && in2020.from == "2020-01-01" && in2020.until == "2020-12-31")
        #expect(in2020.addOn?.primaries == ["99490"])
        let in2021 = try #require(try facts("G2058", "2021-01-01").procedure)
        #expect(!in2021.valid)
        #expect(try facts("G2058").text().contains("Valid on 2025-10-01: no (from 2020-01-01 until 2020-12-31)"))
    }

    @Test("27278 is valid from 2024 and its label changes in 2026")
    func siJointFusion() throws {
        #expect(try facts("27278", "2023-12-31").procedure?.valid == false)
        let in2024 = try #require(try facts("27278", "2024-01-01").procedure)
        #expect(in2024.valid && in2024.from == "2024-01-01")
        let in2026 = try #require(try facts("27278", "2026-02-01").procedure)
        #expect(in2026.label != in2024.label)
        #expect(in2026.labels.count == 2)
        // The unit limit table is older than 2024-01-01 only in name: used as the nearest edition.
        #expect(try facts("27278", "2024-01-01").procedure?.unitLimit?.source.contains("nearest edition on hand") == true)
    }

    @Test("99439's primary comes from the add-on table; 99490 lists it as an add-on")
    func addOns() throws {
        #expect(try facts("99439", "2024-08-01").procedure?.addOn?.primaries == ["99490"])
        #expect(try facts("99490", "2024-08-01").procedure?.addOnCodes.contains("99439") == true)
    }

    @Test("without a date, the newest edition's start is used and said")
    func defaultDate() throws {
        let f = try facts("20611")
        let lexicon = try SharedLexicon.lexicon()
        #expect(f.date == lexicon.defaultDateOfService.description)
        #expect(f.dateNote != nil)
    }

    @Test("an unknown code gives nil (the command exits 65)")
    func unknown() throws {
        let lexicon = try SharedLexicon.lexicon()
        #expect(lexicon.facts(about: "X99.9", on: nil) == nil)
        #expect(lexicon.facts(about: "99213", on: nil) == nil)
    }

    @Test("a code from a chapter NoteCoder does not carry is not called 'not ICD-10-CM'")
    func chapterNotOnHand() throws {
        let lexicon = try SharedLexicon.lexicon()
        #expect(lexicon.icd10cm.letters == ["G", "M", "R"])
        #expect(lexicon.facts(about: "S39.012", on: nil) == nil)
        let outside = lexicon.unknownCodeMessage("S39.012")
        #expect(outside.contains("cannot say whether S39.012 is an ICD-10-CM code"))
        #expect(outside.contains("G, M and R"))
        #expect(!outside.contains("is not an ICD-10-CM code"))
        // A code of a chapter on hand that the tables do not hold is not one.
        #expect(lexicon.unknownCodeMessage("M99.999").contains("M99.999 is not an ICD-10-CM code"))
        #expect(lexicon.unknownCodeMessage("99213").contains("is not an ICD-10-CM code"))
    }

    @Test("a table holding a code outside the chapters editions.yaml declares is an error")
    func strayChapter() throws {
        let copy = try LexiconCopy()
        try copy.append("codes/icd10cm/icd10cm-fy2025.tsv", "S39.012\t1\tStrain of muscle, fascia and tendon of lower back, initial encounter\n")
        let problems = try copy.problems()
        #expect(problems.contains { $0.message.contains("holds S39.012, outside the chapters editions.yaml says are on hand (G, M, R)") })
    }

    @Test("the JSON answer carries the same facts")
    func json() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(try facts("20611", "2024-08-01")), as: UTF8.self)
        #expect(text.contains("\"bilateralIndicator\":1"))
        #expect(text.contains("\"adjudicationIndicator\":3"))
    }
}
