/// True positives, false positives and false negatives, with the ratios derived from them.
///
/// Only the counts are stored: ratios are recomputed when encoded, so sums of two scores stay
/// exact and a decoded score cannot carry ratios that disagree with its counts.
public struct PrecisionRecall: Codable, Sendable, Equatable {
    public var tp: Int
    public var fp: Int
    public var fn: Int

    public init(tp: Int = 0, fp: Int = 0, fn: Int = 0) {
        self.tp = tp
        self.fp = fp
        self.fn = fn
    }

    /// 1.0 with no predictions (FORMAT.md): saying nothing is not a wrong answer.
    public var precision: Double { tp + fp == 0 ? 1.0 : Double(tp) / Double(tp + fp) }
    /// 1.0 with no gold (FORMAT.md): nothing was there to miss.
    public var recall: Double { tp + fn == 0 ? 1.0 : Double(tp) / Double(tp + fn) }
    public var f1: Double {
        let p = precision, r = recall
        return p + r == 0 ? 0.0 : 2 * p * r / (p + r)
    }

    public static func + (a: PrecisionRecall, b: PrecisionRecall) -> PrecisionRecall {
        PrecisionRecall(tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn)
    }

    enum CodingKeys: String, CodingKey { case tp, fp, fn, precision, recall, f1 }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(tp: try c.decode(Int.self, forKey: .tp), fp: try c.decode(Int.self, forKey: .fp), fn: try c.decode(Int.self, forKey: .fn))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tp, forKey: .tp)
        try c.encode(fp, forKey: .fp)
        try c.encode(fn, forKey: .fn)
        try c.encode(precision, forKey: .precision)
        try c.encode(recall, forKey: .recall)
        try c.encode(f1, forKey: .f1)
    }
}

/// How many compared items were right, for figures that are a plain proportion
/// (modifiers and units on matched lines, assertion accuracy).
public struct Agreement: Codable, Sendable, Equatable {
    public var correct: Int
    public var total: Int

    public init(correct: Int = 0, total: Int = 0) {
        self.correct = correct
        self.total = total
    }

    /// 1.0 when nothing was compared, matching the convention for precision and recall.
    public var rate: Double { total == 0 ? 1.0 : Double(correct) / Double(total) }

    mutating func record(_ ok: Bool) {
        total += 1
        if ok { correct += 1 }
    }
}

/// Text-table helpers for the evaluation reports, namespaced so they cannot clash with
/// helpers elsewhere in the module.
enum EvaluationText {
    /// Fixed three-decimal rendering, by hand: `String(format:)` needs Foundation and a C varargs
    /// call, and reports should read the same on every platform.
    static func fixed3(_ value: Double) -> String {
        guard value.isFinite else { return String(value) }
        let scaled = Int((value * 1000).rounded())
        let sign = scaled < 0 ? "-" : ""
        let magnitude = abs(scaled)
        let fraction = String(magnitude % 1000)
        return sign + String(magnitude / 1000) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// Pads on the left, for numbers in text tables.
    static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// Pads on the right, for labels in text tables.
    static func padRight(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
