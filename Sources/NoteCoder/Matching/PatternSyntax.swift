/// The top-level branches of a pattern (`a|b(c|d)` → `a`, `b(c|d)`), so each branch of a lexicon
/// pattern can join the group of its own beginnings.
enum TopLevelBranches {
    /// Nil when splitting could change the meaning: an option setting such as `(?i)` outside any
    /// group reaches into the branches after it, and `#` comments (extended mode) hide bars.
    static func split(_ source: String) -> [String]? {
        let bytes = Array(source.utf8)
        var branches: [String] = []
        var depth = 0, start = 0
        var declined = false
        let complete = PatternSyntax.walk(bytes) { index, token in
            guard case let .plain(byte) = token else { return true }
            switch byte {
            case UInt8(ascii: "#"):
                declined = true
            case UInt8(ascii: "("):
                if depth == 0, PatternSyntax.isOptionSetting(bytes, at: index) { declined = true }
                depth += 1
            case UInt8(ascii: ")"):
                depth -= 1
            case UInt8(ascii: "|") where depth == 0:
                branches.append(String(decoding: bytes[start..<index], as: UTF8.self))
                start = index + 1
            default:
                break
            }
            return !declined
        }
        guard complete, depth == 0 else { return nil }
        branches.append(String(decoding: bytes[start...], as: UTF8.self))
        return branches
    }
}

/// Just enough of PCRE2's pattern syntax to find groups, bars and assertions: escapes, `\Q…\E`
/// and bracket classes (with POSIX classes inside) are passed over whole.
enum PatternSyntax {
    enum Token {
        /// A byte outside escapes and classes.
        case plain(UInt8)
        /// A backslash escape, by the byte after the backslash.
        case escape(UInt8)
        /// A whole bracket class, `[` to `]`.
        case bracketClass(Range<Int>)
    }

    /// Calls `visit` with each token and its offset; false when `visit` stops the walk or the
    /// source ends inside an escape or a class.
    static func walk(_ bytes: [UInt8], _ visit: (Int, Token) -> Bool) -> Bool {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                guard index + 1 < bytes.count else { return false }
                if bytes[index + 1] == UInt8(ascii: "Q") {
                    // Everything up to \E is literal.
                    index += 2
                    while index < bytes.count, !(bytes[index] == UInt8(ascii: "\\") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "E")) {
                        guard visit(index, .plain(UInt8(ascii: "x"))) else { return false }
                        index += 1
                    }
                    index += 2
                    continue
                }
                guard visit(index, .escape(bytes[index + 1])) else { return false }
                index += 2
                continue
            }
            if byte == UInt8(ascii: "[") {
                let start = index
                index += 1
                // A `]` right after `[` or `[^` is a member, not the end.
                if index < bytes.count, bytes[index] == UInt8(ascii: "^") { index += 1 }
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1 }
                while index < bytes.count, bytes[index] != UInt8(ascii: "]") {
                    if bytes[index] == UInt8(ascii: "\\") {
                        index += 2
                    } else if bytes[index] == UInt8(ascii: "["), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ":"),
                              let close = closingPOSIX(bytes, from: index + 2) {
                        index = close
                    } else {
                        index += 1
                    }
                }
                guard index < bytes.count else { return false }
                index += 1
                guard visit(start, .bracketClass(start..<index)) else { return false }
                continue
            }
            guard visit(index, .plain(byte)) else { return false }
            index += 1
        }
        return true
    }

    /// The offset just past the `:]` closing a POSIX class name that starts at `from`.
    private static func closingPOSIX(_ bytes: [UInt8], from: Int) -> Int? {
        var index = from
        while index + 1 < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ":") && bytes[index + 1] == UInt8(ascii: "]") { return index + 2 }
            guard byte == UInt8(ascii: "^") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
            else { return nil }
            index += 1
        }
        return nil
    }

    /// `(?i)`, `(?-i)`, `(?x-s)`: option letters closed by `)` with no group body.
    static func isOptionSetting(_ bytes: [UInt8], at open: Int) -> Bool {
        guard open + 2 < bytes.count, bytes[open + 1] == UInt8(ascii: "?") else { return false }
        var index = open + 2
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ")") { return index > open + 2 }
            guard byte == UInt8(ascii: "-") || byte == UInt8(ascii: "^") || (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
            else { return false }
            index += 1
        }
        return false
    }

    /// Whether, in a caseless pattern, an ASCII letter matches the same wherever its case is
    /// changed — in the pattern or in the text. Not so where an option turns caselessness off or
    /// on, or a property or POSIX class names a case; `\Q` is left out to stay on the safe side.
    static func isCaseFoldable(_ source: String) -> Bool {
        let caseSensitive = ["(?-", "(?i", "(?^", "(?x", "(?s", "(?m", "(?n", "(?J", "(?U", "\\p", "\\P", "[:", "\\N", "\\X", "\\C", "\\Q"]
        return !caseSensitive.contains { source.contains($0) }
    }

    /// Whether probing a pattern from the start of a short subject tells every way a match can
    /// begin. A probe has nothing before its first byte, so it is trusted only where that cannot
    /// turn a real match away:
    /// - no word boundary (`\b`, `\B`, `[[:<:]]`), no `\K` or `\G`, and no verb or alternative
    ///   assertion syntax (`(*…`);
    /// - no positive or non-atomic look-behind, and a negative look-behind only with a plain body —
    ///   no group, bar or anchor, so it needs at least one character and simply succeeds in a probe
    ///   — and not inside another assertion;
    /// - no anchor (`^`, `$`, `\A`, `\z`, `\Z`) inside an assertion, where the start of the probe
    ///   would turn its answer around, and no conditional group;
    /// - no back-reference or call to a group (`\1`, `\g`, `\k`, `(?1)`, `(?R)`, `(?&name)`),
    ///   whose group may lie in another branch, probed apart.
    static func isProbeSafe(_ source: String) -> Bool {
        let bytes = Array(source.utf8)
        enum Group { case assertion, negativeLookbehind, other }
        var groups: [Group] = []
        var safe = true
        func starts(_ text: String, at index: Int) -> Bool { bytes[index...].starts(with: Array(text.utf8)) }
        let complete = walk(bytes) { index, token in
            let inLookbehind = groups.last == .negativeLookbehind
            let inAssertion = groups.contains { $0 != .other }
            switch token {
            case let .escape(letter):
                if "bBKGgk123456789".utf8.contains(letter) { safe = false }
                if "AzZ".utf8.contains(letter) && inAssertion { safe = false }
            case let .bracketClass(range):
                let text = bytes[range]
                if text.starts(with: Array("[[:<:]".utf8)) || text.starts(with: Array("[[:>:]".utf8)) { safe = false }
            case let .plain(byte):
                switch byte {
                case UInt8(ascii: "("):
                    if inLookbehind { safe = false }
                    let next = index + 1 < bytes.count ? bytes[index + 1] : 0
                    if next == UInt8(ascii: "*") || starts("(?<=", at: index) || starts("(?<*", at: index) || starts("(?(", at: index)
                        || starts("(?R", at: index) || starts("(?&", at: index) || starts("(?P>", at: index) || starts("(?P=", at: index) {
                        safe = false
                    } else if next == UInt8(ascii: "?"), index + 2 < bytes.count,
                              "0123456789+".utf8.contains(bytes[index + 2])
                                || bytes[index + 2] == UInt8(ascii: "-") && index + 3 < bytes.count && (bytes[index + 3] &- 0x30) < 10 {
                        safe = false
                    } else if starts("(?<!", at: index) {
                        if inAssertion { safe = false }
                        if bytes.dropFirst(index + 4).first == UInt8(ascii: ")") { safe = false }
                        groups.append(.negativeLookbehind)
                    } else if starts("(?=", at: index) || starts("(?!", at: index) {
                        groups.append(.assertion)
                    } else {
                        groups.append(.other)
                    }
                case UInt8(ascii: ")"):
                    if !groups.isEmpty { groups.removeLast() }
                case UInt8(ascii: "|"):
                    if inLookbehind { safe = false }
                case UInt8(ascii: "^"), UInt8(ascii: "$"):
                    if inAssertion { safe = false }
                default:
                    break
                }
            }
            return safe
        }
        return complete && safe
    }
}

