/// One visit note as it arrived: bytes exactly as written, so every span in the report is a byte
/// range into the original text.
public struct Note: Sendable {
    public var id: String
    public var bytes: [UInt8]
    /// Date of service given by the caller (flag, gold, export field); it wins over the note's own.
    public var dateOfService: Day?
    /// Whose note and which visit, as the export names them (a FHIR `Patient/…` and `Encounter/…`
    /// reference, an HL7 PID-3 / PV1-19, a C-CDA patient and encounter id): carried to the report
    /// and the claim so results join back to the record, never read by the coding.
    public var subject: String?
    public var encounter: String?

    public init(id: String, bytes: [UInt8], dateOfService: Day? = nil) {
        self.id = id
        self.bytes = bytes
        self.dateOfService = dateOfService
    }

    public init(id: String, text: String, dateOfService: Day? = nil) {
        self.init(id: id, bytes: Array(text.utf8), dateOfService: dateOfService)
    }
}

/// Why a note could not be read; the note is named, its text never quoted.
public enum NoteError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidUTF8(note: String, byteOffset: Int)
    case tooLarge(note: String, bytes: Int, limit: Int)
    case matchLimit(note: String, detail: String)
    case timeLimit(note: String, seconds: Double)

    /// Why a note over the time limit was given up, without the note's id.
    static func timeLimitDetail(_ seconds: Double) -> String {
        let shown = seconds == seconds.rounded() && seconds < 1e9 ? String(Int(seconds)) : String(seconds)
        return "not coded within the time limit of \(shown) s per note"
    }

    public var description: String {
        switch self {
        case let .invalidUTF8(note, offset): "note \(note): invalid UTF-8 at byte offset \(offset)"
        case let .tooLarge(note, bytes, limit): "note \(note): \(bytes) bytes, over the limit of \(limit)"
        case let .matchLimit(note, detail): "note \(note): a lexicon pattern hit the PCRE2 match limit (\(detail))"
        case let .timeLimit(note, seconds): "note \(note): \(NoteError.timeLimitDetail(seconds))"
        }
    }
}

enum UTF8Validation {
    /// The offset of the first byte that is not part of a well-formed UTF-8 sequence, or nil.
    ///
    /// Run once per note: matching then skips PCRE2's own per-call check, which would otherwise
    /// rescan the rest of the note on every call.
    static func firstInvalidByte(in bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer(firstInvalidByte(in:))
    }

    static func firstInvalidByte(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        let n = bytes.count
        while i < n {
            // Most of a note is ASCII: eight bytes at a time while no high bit is set.
            if let base = UnsafeRawPointer(bytes.baseAddress) {
                while i + 8 <= n, base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
                guard i < n else { break }
            }
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let length: Int
            var minSecond: UInt8 = 0x80, maxSecond: UInt8 = 0xBF
            switch b {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; minSecond = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; maxSecond = 0x9F
            case 0xF0: length = 4; minSecond = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; maxSecond = 0x8F
            default: return i
            }
            guard i + length <= n else { return i }
            guard (minSecond...maxSecond).contains(bytes[i + 1]) else { return i }
            var k = 2
            while k < length {
                guard bytes[i + k] & 0xC0 == 0x80 else { return i }
                k += 1
            }
            i += length
        }
        return nil
    }
}
