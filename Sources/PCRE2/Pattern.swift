internal import CPCRE2

/// A compiled, JIT-optimised PCRE2 pattern.
///
/// PCRE2 documents a compiled pattern as safe to share between threads once JIT compilation has
/// finished (pcre2api(3), MULTITHREADING), which is why compilation and JIT happen here, in `init`,
/// and nothing mutates the code afterwards. Per-thread state lives in `Matcher`.
public final class Pattern: @unchecked Sendable {
    public struct Options: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        public static let caseless = Options(rawValue: PCRE2_CASELESS)
        public static let multiline = Options(rawValue: PCRE2_MULTILINE)
        public static let extended = Options(rawValue: PCRE2_EXTENDED)
        public static let dotAll = Options(rawValue: PCRE2_DOTALL)
        /// Matches only at the start offset given to the matcher; unlike `PCRE2_ANCHORED` passed at
        /// match time, a compile-time anchor keeps the JIT fast path.
        public static let anchored = Options(rawValue: PCRE2_ANCHORED)
        /// Leaves out PCRE2's start-up checks, which give the same matches. For a pattern tried
        /// anchored at many positions they cost more than they save: the check for a code unit
        /// every match must contain searches the rest of the subject on each call when that
        /// unit is missing (hundreds of kilobytes in a long note), which makes the scan of a
        /// long note grow with the square of its length.
        public static let noStartOptimize = Options(rawValue: PCRE2_NO_START_OPTIMIZE)
    }

    let code: OpaquePointer
    /// The source, kept for error messages and for `lexicon check`.
    public let source: String
    /// Number of capturing groups, so a `Matcher` can size its match data once.
    public let captureCount: Int
    /// Whether JIT compilation succeeded; without it the interpreter runs (slower, same results).
    public let isJITCompiled: Bool
    /// PCRE2's lower bound on the length of a match; 0 when the pattern may match the empty string.
    public var minimumLength: Int {
        var length: UInt32 = 0
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_MINLENGTH), &length)
        return Int(length)
    }

    /// Compiles `source` as UTF-8. The subject is validated once per note by the caller, so
    /// matches run with `PCRE2_NO_UTF_CHECK` (a per-call check makes find-all loops quadratic).
    ///
    /// - Parameter jit: false for a pattern used only a few times (a probe), where JIT compilation
    ///   would cost more than it saves.
    public init(_ source: String, options: Options = [.caseless], jit: Bool = true) throws(PCRE2Error) {
        var errorCode: Int32 = 0
        var errorOffset = 0
        let utf8 = Array(source.utf8)
        let compiled = utf8.withUnsafeBufferPointer { buffer in
            pcre2_compile_8(
                buffer.baseAddress, buffer.count, PCRE2_UTF | options.rawValue,
                &errorCode, &errorOffset, nil)
        }
        guard let compiled else { throw PCRE2Error(code: errorCode, patternOffset: errorOffset) }
        code = compiled
        self.source = source
        isJITCompiled = jit && pcre2_jit_compile_8(compiled, PCRE2_JIT_COMPLETE) == 0
        var count: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        captureCount = Int(count)
    }

    deinit { pcre2_code_free_8(code) }
}
