/// A note split for reading: lines, sections and sentences, all as byte ranges into `bytes`.
public struct Document: Sendable {
    public var note: Note
    public var bytes: [UInt8] { note.bytes }
    /// Start offset of every line, for turning byte offsets into line numbers.
    public var lineStarts: [Int]
    public var sections: [Section]
    public var sentences: [Sentence]

    /// 1-based line number of a byte offset.
    public func line(of offset: Int) -> Int {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low + 1
    }

    public func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range.clamped(to: 0..<bytes.count)], as: UTF8.self)
    }

    /// The sentence holding `offset`; sentences tile the note, so there is always one.
    public func sentenceIndex(containing offset: Int) -> Int {
        var low = 0, high = sentences.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if sentences[mid].range.lowerBound <= offset { low = mid } else { high = mid - 1 }
        }
        return low
    }
}

/// A stretch of the note under one header (or before any header).
public struct Section: Sendable {
    /// Index into `Lexicon.sections`, nil for text before the first recognised header.
    public var definition: Int?
    public var header: Range<Int>?
    public var range: Range<Int>
}

public struct Sentence: Sendable {
    public var range: Range<Int>
    public var section: Int
}
