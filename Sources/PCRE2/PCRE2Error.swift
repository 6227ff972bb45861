internal import CPCRE2

/// A PCRE2 failure, carrying PCRE2's own message so a lexicon author can act on it.
public struct PCRE2Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// PCRE2's numeric error code (positive for compile errors, negative for match errors).
    public let code: Int32
    /// PCRE2's text for the code.
    public let message: String
    /// For compile errors: the byte offset in the pattern where PCRE2 gave up.
    public let patternOffset: Int?

    init(code: Int32, patternOffset: Int? = nil) {
        self.code = code
        self.message = PCRE2Error.text(for: code)
        self.patternOffset = patternOffset
    }

    /// True when the match limit stopped a runaway match (a pathological pattern or input).
    public var isMatchLimit: Bool { code == PCRE2_ERROR_MATCHLIMIT }

    public var description: String {
        if let patternOffset { return "\(message) (at pattern offset \(patternOffset))" }
        return message
    }

    static func text(for code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = buffer.withUnsafeMutableBufferPointer {
            pcre2_get_error_message_8(code, $0.baseAddress, $0.count)
        }
        guard length > 0 else { return "PCRE2 error \(code)" }
        return String(decoding: buffer[0..<Int(length)], as: UTF8.self)
    }
}
