import Foundation
import Testing
@testable import NoteCoder

@Suite("Evaluation: assertion sets")
struct EvaluationAssertionTests {
    typealias Row = AssertionRow

    static let goldTSV = """
        id\ttarget\tsentence\tnegation\ttemporality\texperiencer
        1\tedema\tNo EDEMA.\tNegated\tRecent\tPatient
        2\tasthma\tHistory of asthma.\tAffirmed\tHistorical\tPatient
        3\tcancer\tMother had breast cancer.\tAffirmed\tHistorical\tOther
        4\tpain\tReturn if chest pain develops.\tAffirmed\tHypothetical\tPatient
        5\tcough\tDenies cough.\tNegated\tRecent\tPatient
        6\tfever\tShe has fever.\tAffirmed\tRecent\tPatient
        7\trash\tSkin clear.\tAffirmed\tRecent\tPatient

        """

    /// Known answers per sentence: row 1 right, 2 and 6 wrong on time, 3 wrong on experiencer,
    /// 4 and 5 wrong on negation, 7 target not found.
    static let answers: [String: (Row.Negation, Row.Temporality, Row.Experiencer)] = [
        "No EDEMA.": (.negated, .recent, .patient),
        "History of asthma.": (.affirmed, .recent, .patient),
        "Mother had breast cancer.": (.affirmed, .historical, .patient),
        "Return if chest pain develops.": (.negated, .hypothetical, .patient),
        "Denies cough.": (.affirmed, .recent, .patient),
        "She has fever.": (.affirmed, .historical, .patient),
    ]

    static func stubEngine(sentence: String, target: String) -> (Row.Negation, Row.Temporality, Row.Experiencer)? {
        guard sentence.lowercased().contains(target.lowercased()) else { return nil }
        return answers[sentence]
    }

    @Test("a gold file is read with all labels")
    func readsGold() throws {
        let contents = try AssertionTSV.parse(Self.goldTSV, file: "dev.tsv", requireLabels: true)
        #expect(contents.problems.isEmpty)
        #expect(contents.rows.count == 7)
        #expect(contents.lines == [2, 3, 4, 5, 6, 7, 8])
        #expect(contents.rows[2] == Row(
            id: "3", target: "cancer", sentence: "Mother had breast cancer.",
            negation: .affirmed, temporality: .historical, experiencer: .other))
    }

    @Test("columns are found by name, and writing then reading gives the same rows")
    func roundTrip() throws {
        let shuffled = "sentence\texperiencer\tid\ttarget\r\nNo edema.\tPatient\t1\tedema\r\nHe smokes.\t\t2\tsmokes\r\n"
        let contents = try AssertionTSV.parse(shuffled, file: "in.tsv")
        #expect(contents.problems.isEmpty)
        #expect(contents.rows == [
            Row(id: "1", target: "edema", sentence: "No edema.", experiencer: .patient),
            Row(id: "2", target: "smokes", sentence: "He smokes."),
        ])
        let written = AssertionTSV.render(contents.rows)
        #expect(written == "id\ttarget\tsentence\tnegation\ttemporality\texperiencer\n"
            + "1\tedema\tNo edema.\t\t\tPatient\n2\tsmokes\tHe smokes.\t\t\t\n")
        #expect(try AssertionTSV.parse(written, file: "out.tsv").rows == contents.rows)

        let gold = try AssertionTSV.parse(Self.goldTSV, file: "dev.tsv", requireLabels: true).rows
        #expect(try AssertionTSV.parse(AssertionTSV.render(gold), file: "again.tsv", requireLabels: true).rows == gold)
    }

    @Test("a tab inside a cell is written as a space, so columns stay aligned")
    func writerCleansCells() {
        let out = AssertionTSV.render([Row(id: "1", target: "pain", sentence: "pain\there\nand there", negation: .negated)])
        #expect(out.hasSuffix("1\tpain\tpain here and there\tNegated\t\t\n"))
    }

    @Test("a malformed row is reported with its line and the other rows are kept")
    func malformedRows() throws {
        let text = """
            id\ttarget\tsentence\tnegation\ttemporality\texperiencer
            1\tedema\tNo edema.\tNegated\tRecent\tPatient
            2\tpain\tPain maybe.\tMaybe\tRecent\tPatient
            3\tcough\tCough\textra.\tAffirmed\tRecent\tPatient

            5\tfever\tFever.\tAffirmed\tRecent\t
            6\tasthma\tAsthma.\taffirmed\tHISTORICAL\tPatient
            """
        let contents = try AssertionTSV.parse(text, file: "bad.tsv", requireLabels: true)
        #expect(contents.rows.map(\.id) == ["1", "6"])
        #expect(contents.lines == [2, 7])
        #expect(contents.rows[1].temporality == .historical)
        #expect(contents.problems.map(\.line) == [3, 4, 6])
        #expect(contents.problems[0].description
            == "bad.tsv:3: negation 'Maybe' is not one of Affirmed, Negated (row 2)")
        #expect(contents.problems[1].description.hasPrefix("bad.tsv:4: 7 fields but the header has 6"))
        #expect(contents.problems[2].description == "bad.tsv:6: empty experiencer (row 5)")

        // Read as input for `context`, the labels do not matter: the bad one is reported, the
        // row kept, and the empty experiencer is no problem at all.
        let input = try AssertionTSV.parse(text, file: "bad.tsv")
        #expect(input.rows.map(\.id) == ["1", "2", "5", "6"])
        #expect(input.rows[1].negation == nil)
        #expect(input.problems.map(\.line) == [3, 4])
    }

    @Test("a missing column stops the read, naming the file and the column")
    func missingColumn() {
        #expect(throws: AssertionFileError(file: "in.tsv", line: 1, message: "missing column sentence in the header")) {
            _ = try AssertionTSV.parse("id\ttarget\n1\tpain\n", file: "in.tsv")
        }
        #expect {
            _ = try AssertionTSV.parse("id\ttarget\tsentence\n1\tpain\tPain.\n", file: "gold.tsv", requireLabels: true)
        } throws: { error in
            String(describing: error) == "gold.tsv:1: missing columns negation, temporality, experiencer in the header"
        }
        #expect(throws: AssertionFileError.self) {
            _ = try AssertionTSV.parse("", file: "empty.tsv")
        }
    }

    @Test("labelling keeps input order and leaves a not-found row empty")
    func labelling() throws {
        let gold = try AssertionTSV.parse(Self.goldTSV, file: "dev.tsv", requireLabels: true).rows
        let labelled = AssertionTSV.label(gold, engine: Self.stubEngine)
        #expect(labelled.map(\.id) == ["1", "2", "3", "4", "5", "6", "7"])
        #expect(labelled[0] == Row(id: "1", target: "edema", sentence: "No EDEMA.", negation: .negated, temporality: .recent, experiencer: .patient))
        #expect(labelled[6] == Row(id: "7", target: "rash", sentence: "Skin clear."))
        #expect(AssertionTSV.render(labelled).split(separator: "\n").last == "7\trash\tSkin clear.\t\t\t")
    }

    @Test("scores with known numbers")
    func scoring() throws {
        let gold = try AssertionTSV.parse(Self.goldTSV, file: "dev.tsv", requireLabels: true).rows
        let score = AssertionScore.evaluate(gold: gold, engine: Self.stubEngine)
        #expect(score.rows == 7)
        #expect(score.scored == 6)
        #expect(score.notFound == ["7"])
        #expect(score.unlabelledGold.isEmpty)

        // Negated is the positive class: row 1 found, row 4 invented, row 5 missed.
        #expect(score.negation.classes == ["Negated": PrecisionRecall(tp: 1, fp: 1, fn: 1)])
        #expect(score.negation.correct == 4 && score.negation.total == 6)
        #expect(score.negation.confusion == ["Affirmed": ["Affirmed": 3, "Negated": 1], "Negated": ["Affirmed": 1, "Negated": 1]])

        #expect(score.temporality.correct == 4)
        #expect(abs(score.temporality.accuracy - 4.0 / 6.0) < 1e-12)
        #expect(score.temporality.classes["Historical"] == PrecisionRecall(tp: 1, fp: 1, fn: 1))
        #expect(score.temporality.classes["Historical"]?.f1 == 0.5)
        #expect(score.temporality.classes["Hypothetical"] == PrecisionRecall(tp: 1, fp: 0, fn: 0))
        #expect(score.temporality.classes["Hypothetical"]?.f1 == 1.0)
        #expect(score.temporality.confusion["Historical"] == ["Recent": 1, "Historical": 1, "Hypothetical": 0])
        #expect(score.temporality.confusion["Recent"] == ["Recent": 2, "Historical": 1, "Hypothetical": 0])

        // No Other predicted: precision 1.0 by convention, recall 0, F1 0.
        #expect(score.experiencer.correct == 5)
        let other = try #require(score.experiencer.classes["Other"])
        #expect(other == PrecisionRecall(tp: 0, fp: 0, fn: 1))
        #expect(other.precision == 1.0 && other.recall == 0.0 && other.f1 == 0.0)

        #expect(score.disagreements.map { "\($0.id) \($0.field)" }
            == ["2 temporality", "3 experiencer", "4 negation", "5 negation", "6 temporality"])

        let text = score.textReport()
        #expect(text.contains("Target not found in 1 row: 7"))
        #expect(text.contains("negation     accuracy 0.667 (4 of 6)"))
        #expect(text.contains("  Negated      precision 0.500  recall 0.500  f1 0.500  (tp 1, fp 1, fn 1)"))
        #expect(text.contains("  4\tnegation: Affirmed -> Negated\tpain"))

        let object = try #require(try JSONSerialization.jsonObject(with: score.jsonData()) as? [String: Any])
        #expect(Set(object.keys) == [
            "rows", "scored", "notFound", "unlabelledGold", "negation", "temporality", "experiencer", "disagreements",
        ])
        #expect(try JSONDecoder().decode(AssertionScore.self, from: score.jsonData()) == score)
    }

    @Test("predictions are paired with gold by id, not by position")
    func pairsById() {
        let gold = [
            Row(id: "a", target: "x", sentence: "x", negation: .negated, temporality: .recent, experiencer: .patient),
            Row(id: "b", target: "y", sentence: "y", negation: .affirmed, temporality: .recent, experiencer: .patient),
            Row(id: "c", target: "z", sentence: "z"),
        ]
        let predicted = [gold[1], gold[0]]
        let score = AssertionScore(gold: gold, predicted: predicted)
        #expect(score.scored == 2)
        #expect(score.negation.correct == 2)
        #expect(score.unlabelledGold == ["c"])
    }
}
