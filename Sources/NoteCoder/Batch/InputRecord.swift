/// One record of the input as the reader found it, numbered in input order.
public struct InputRecord: Sendable {
    /// 1-based number of the record in the input (header rows and blank lines not counted).
    public var ordinal: Int
    /// 1-based line of the input where the record starts; nil for a folder.
    public var line: Int?
    /// Input bytes consumed up to the end of this record, for progress.
    public var endOffset: Int
    public var content: Content

    public enum Content: Sendable {
        /// A note ready to code (folder, CSV).
        case note(Note)
        /// One JSON line (plain or FHIR), decoded by the worker so that decoding runs in parallel.
        case json([UInt8])
        /// A record the reader could not use; `id` when it could still be told.
        case broken(id: String?, kind: BatchFailure.Kind, detail: String)
    }

    public init(ordinal: Int, line: Int?, endOffset: Int, content: Content) {
        self.ordinal = ordinal
        self.line = line
        self.endOffset = endOffset
        self.content = content
    }

    /// Bytes this record holds, counted against the in-flight window.
    var cost: Int {
        switch content {
        case let .note(note): note.bytes.count + note.id.utf8.count + 64
        case let .json(bytes): bytes.count + 64
        case .broken: 128
        }
    }
}

/// A note or record that could not be coded: named by id and position, its text never quoted.
public struct BatchFailure: Error, Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case invalidUTF8 = "invalid-utf8"
        case tooLarge = "too-large"
        case matchLimit = "match-limit"
        case timeLimit = "time-limit"
        case brokenRecord = "broken-record"
    }

    /// Empty when the record was too broken to tell.
    public var id: String
    public var ordinal: Int
    public var line: Int?
    public var kind: Kind
    public var detail: String

    public init(id: String, ordinal: Int, line: Int?, kind: Kind, detail: String) {
        self.id = id
        self.ordinal = ordinal
        self.line = line
        self.kind = kind
        self.detail = detail
    }

    init(_ error: NoteError, ordinal: Int, line: Int?) {
        switch error {
        case let .invalidUTF8(note, offset):
            self.init(id: note, ordinal: ordinal, line: line, kind: .invalidUTF8, detail: "invalid UTF-8 at byte offset \(offset) of the note")
        case let .tooLarge(note, bytes, limit):
            self.init(id: note, ordinal: ordinal, line: line, kind: .tooLarge, detail: "\(bytes) bytes, over the limit of \(limit)")
        case let .matchLimit(note, detail):
            self.init(id: note, ordinal: ordinal, line: line, kind: .matchLimit, detail: "a lexicon pattern hit the PCRE2 match limit (\(detail))")
        case let .timeLimit(note, seconds):
            self.init(id: note, ordinal: ordinal, line: line, kind: .timeLimit, detail: NoteError.timeLimitDetail(seconds))
        }
    }

    /// Where the record sits in the input, for people.
    public var position: String {
        "record \(ordinal)" + (line.map { ", line \($0)" } ?? "")
    }
}
