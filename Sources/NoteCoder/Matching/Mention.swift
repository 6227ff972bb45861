/// A lexicon concept found in the note.
public struct Mention: Sendable {
    public var concept: Int
    public var range: Range<Int>
    public var sentence: Int
}

/// A context cue found in the note.
public struct CueHit: Sendable {
    public var cue: Int
    public var range: Range<Int>
    public var sentence: Int
}

/// A value of an attribute (a side, a joint, a muscle …) found in the note.
public struct AttributeHit: Sendable {
    public var attribute: Int
    public var value: Int
    public var range: Range<Int>
    public var sentence: Int
    /// For numeric attributes: the number the pattern captured.
    public var number: Int?
    /// For level attributes: the levels the words name.
    public var levels: SpinalLevels? = nil
}

/// Everything the lexicon's patterns found in one note, before any interpretation.
public struct Scan: Sendable {
    public var mentions: [Mention]
    public var cues: [CueHit]
    public var attributes: [AttributeHit]
    /// Indices into `cues`, per sentence, so context rules look only at their own sentence.
    public var cuesBySentence: [[Int]]
    public var attributesBySentence: [[Int]]
    public var mentionsBySentence: [[Int]]
}
