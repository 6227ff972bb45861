public import Foundation

/// How well predicted assertion labels agree with a gold assertion set.
///
/// Each axis reports accuracy, but accuracy alone flatters: in the NegEx set four sentences in
/// five are affirmed, recent and about the patient. So each axis also scores its rare classes
/// one-against-the-rest (Negated; Historical and Hypothetical; Other), which is where a context
/// algorithm earns or loses its keep and what published NegEx/ConText figures report.
public struct AssertionScore: Codable, Sendable, Equatable {
    public struct Axis: Codable, Sendable, Equatable {
        public var correct: Int
        public var total: Int
        public var accuracy: Double
        /// gold label → predicted label → rows; every cell present, zeros included, so tables
        /// from two runs line up.
        public var confusion: [String: [String: Int]]
        /// One-against-the-rest counts for the rare classes, keyed by label.
        public var classes: [String: PrecisionRecall]

        init<L: RawRepresentable & CaseIterable & Hashable>(
            _ pairs: [(gold: L, predicted: L)], positive: [L]
        ) where L.RawValue == String {
            correct = pairs.filter { $0.gold == $0.predicted }.count
            total = pairs.count
            accuracy = total == 0 ? 1.0 : Double(correct) / Double(total)
            var matrix: [String: [String: Int]] = [:]
            for g in L.allCases {
                var row: [String: Int] = [:]
                for p in L.allCases { row[p.rawValue] = 0 }
                matrix[g.rawValue] = row
            }
            for pair in pairs { matrix[pair.gold.rawValue]![pair.predicted.rawValue]! += 1 }
            confusion = matrix
            var perClass: [String: PrecisionRecall] = [:]
            for label in positive {
                var s = PrecisionRecall()
                for pair in pairs {
                    switch (pair.gold == label, pair.predicted == label) {
                    case (true, true): s.tp += 1
                    case (false, true): s.fp += 1
                    case (true, false): s.fn += 1
                    case (false, false): break
                    }
                }
                perClass[label.rawValue] = s
            }
            classes = perClass
        }
    }

    /// One label the engine got wrong, so a developer can go straight to the sentence.
    public struct Disagreement: Codable, Sendable, Equatable {
        public var id: String
        public var target: String
        /// `negation`, `temporality` or `experiencer`.
        public var field: String
        public var gold: String
        public var predicted: String
    }

    /// Gold rows given.
    public var rows: Int
    /// Rows with both gold labels and a prediction; the figures are over these.
    public var scored: Int
    /// Rows whose target the engine did not find. Kept out of the figures, because a missed
    /// target is a matching failure, not a context one; listed so it cannot hide.
    public var notFound: [String]
    /// Gold rows without all three labels, which cannot be scored.
    public var unlabelledGold: [String]
    public var negation: Axis
    public var temporality: Axis
    public var experiencer: Axis
    public var disagreements: [Disagreement]

    /// Compares predictions with gold, pairing rows by id (in order, for repeated ids).
    public init(gold: [AssertionRow], predicted: [AssertionRow]) {
        var pending: [String: [AssertionRow]] = [:]
        for row in predicted { pending[row.id, default: []].append(row) }
        var neg: [(gold: AssertionRow.Negation, predicted: AssertionRow.Negation)] = []
        var temp: [(gold: AssertionRow.Temporality, predicted: AssertionRow.Temporality)] = []
        var exp: [(gold: AssertionRow.Experiencer, predicted: AssertionRow.Experiencer)] = []
        var notFound: [String] = []
        var unlabelled: [String] = []
        var disagreements: [Disagreement] = []
        for g in gold {
            let p = pending[g.id]?.isEmpty == false ? pending[g.id]!.removeFirst() : nil
            guard let gn = g.negation, let gt = g.temporality, let ge = g.experiencer else {
                unlabelled.append(g.id)
                continue
            }
            guard let p, let pn = p.negation, let pt = p.temporality, let pe = p.experiencer else {
                notFound.append(g.id)
                continue
            }
            neg.append((gn, pn))
            temp.append((gt, pt))
            exp.append((ge, pe))
            for (field, gv, pv) in [
                ("negation", gn.rawValue, pn.rawValue),
                ("temporality", gt.rawValue, pt.rawValue),
                ("experiencer", ge.rawValue, pe.rawValue),
            ] where gv != pv {
                disagreements.append(Disagreement(id: g.id, target: g.target, field: field, gold: gv, predicted: pv))
            }
        }
        self.rows = gold.count
        self.scored = neg.count
        self.notFound = notFound
        self.unlabelledGold = unlabelled
        self.negation = Axis(neg, positive: [.negated])
        self.temporality = Axis(temp, positive: [.historical, .hypothetical])
        self.experiencer = Axis(exp, positive: [.other])
        self.disagreements = disagreements
    }

    /// Runs the engine on each gold row's sentence and target, and scores the answers.
    public static func evaluate(gold: [AssertionRow], engine: AssertionTSV.ContextCall) -> AssertionScore {
        AssertionScore(gold: gold, predicted: AssertionTSV.label(gold, engine: engine))
    }

    public func jsonData() throws -> Data {
        try EvaluationResult.jsonEncoder().encode(self)
    }

    /// The JSON report as text, ending in a newline.
    public func jsonText() throws -> String {
        String(decoding: try jsonData(), as: UTF8.self) + "\n"
    }

    /// The report for people: the three axes with their rare classes and confusion tables,
    /// then every disagreement, one a line.
    public func textReport() -> String {
        typealias T = EvaluationText
        var out = "Assertion rows: \(rows), scored: \(scored)\n"
        if !notFound.isEmpty {
            out += "Target not found in \(notFound.count) row\(notFound.count == 1 ? "" : "s"): \(notFound.joined(separator: ", "))\n"
        }
        if !unlabelledGold.isEmpty {
            out += "Gold rows without labels: \(unlabelledGold.joined(separator: ", "))\n"
        }
        func axis(_ name: String, _ a: Axis, order: [String], positive: [String]) {
            out += "\n" + T.padRight(name, 13) + "accuracy \(T.fixed3(a.accuracy)) (\(a.correct) of \(a.total))\n"
            for label in positive {
                guard let s = a.classes[label] else { continue }
                out += "  " + T.padRight(label, 13)
                    + "precision \(T.fixed3(s.precision))  recall \(T.fixed3(s.recall))  f1 \(T.fixed3(s.f1))"
                    + "  (tp \(s.tp), fp \(s.fp), fn \(s.fn))\n"
            }
            let width = max(13, (order.map(\.count).max() ?? 0) + 2)
            out += "  gold \\ predicted\n"
            out += "    " + T.padRight("", width) + order.map { T.padLeft($0, width) }.joined() + "\n"
            for g in order {
                out += "    " + T.padRight(g, width)
                    + order.map { T.padLeft(String(a.confusion[g]?[$0] ?? 0), width) }.joined() + "\n"
            }
        }
        axis("negation", negation, order: AssertionRow.Negation.allCases.map(\.rawValue), positive: ["Negated"])
        axis("temporality", temporality, order: AssertionRow.Temporality.allCases.map(\.rawValue),
             positive: ["Historical", "Hypothetical"])
        axis("experiencer", experiencer, order: AssertionRow.Experiencer.allCases.map(\.rawValue), positive: ["Other"])
        if !disagreements.isEmpty {
            out += "\nDisagreements (id, field: gold -> predicted, target):\n"
            for d in disagreements {
                out += "  \(d.id)\t\(d.field): \(d.gold) -> \(d.predicted)\t\(d.target)\n"
            }
        }
        return out
    }
}
