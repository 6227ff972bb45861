/// Why a mention is not taken as a present, current fact about this patient, with the evidence.
public struct Assertion: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        /// A cue in the sentence, by index into `Lexicon.cues`, and where it was found.
        case cue(index: Int, range: Range<Int>)
        /// The section the mention sits in, by index into `Lexicon.sections`.
        case section(index: Int)
    }
    public var category: AssertionCategory
    public var source: Source

    /// Said by a cue in the sentence, not only implied by the section.
    public var fromCue: Bool {
        if case .cue = source { return true }
        return false
    }
}

extension Array where Element == Assertion {
    /// The reading that decides what happens to the mention, most exclusive first: a negated
    /// or someone else's finding is never coded, whatever else is said about it.
    public var deciding: Assertion? {
        for category in [AssertionCategory.negated, .other, .bundled, .historical, .planned, .uncertain] {
            if let found = first(where: { $0.category == category }) { return found }
        }
        return nil
    }
}
