/// The positions of a note where a whole-word phrase may begin — the first byte of the note or
/// one after a byte that is not an ASCII letter or digit, never inside a multi-byte character —
/// each with a key for its first two bytes. Computed once per note and shared by every set.
struct WordStarts {
    static let keyCount = 1 << 16
    /// Keys below 0x8000 are two ASCII-led bytes; 0x8000 + byte is a note's last byte; the widest
    /// key stands for a non-ASCII character, which is always tried.
    static func key(first: UInt8, second: UInt8) -> Int { Int(first) << 8 | Int(second) }
    static func key(lastByte: UInt8) -> Int { 0x8000 | Int(lastByte) }
    static let wideKey = 0xFFFF
    /// The key of the bytes at `position`, which must start a character.
    @inline(__always) static func key(at position: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let byte = bytes[position]
        if byte >= 0x80 { return wideKey }
        return position + 1 < bytes.count ? key(first: byte, second: bytes[position + 1]) : key(lastByte: byte)
    }

    /// Whether a key is two ASCII bytes.
    static func isASCIIPair(_ key: Int) -> Bool { key < 0x8000 && key & 0x80 == 0 }

    private(set) var positions: [Int] = []
    private(set) var keys: [UInt16] = []

    /// - Parameter wanted: the keys some set can begin with; other word starts are not kept
    ///   (most are a space or punctuation no phrase begins with).
    init(_ bytes: UnsafeBufferPointer<UInt8>, wanted: KeySet) {
        positions.reserveCapacity(bytes.count / 8)
        keys.reserveCapacity(bytes.count / 8)
        guard !bytes.isEmpty else { return }
        var previousIsWord = false
        Self.kinds.withUnsafeBufferPointer { kinds in
            for index in 0..<bytes.count {
                let byte = bytes[index]
                let kind = kinds[Int(byte)]
                let begins = !previousIsWord && kind != .continuation
                previousIsWord = kind == .word
                guard begins else { continue }
                let key = Self.key(at: index, in: bytes)
                if wanted.contains(key) {
                    positions.append(index)
                    keys.append(UInt16(key))
                }
            }
        }
    }

    private enum Kind: UInt8 { case other, word, continuation }

    /// ASCII letters and digits are word bytes; 0x80...0xBF continue a multi-byte character.
    private static let kinds: [Kind] = (0...255).map { byte in
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: .word
        case 0x80...0xBF: .continuation
        default: .other
        }
    }
}

/// A set of `WordStarts` keys.
struct KeySet: Sendable {
    private var bits = [UInt64](repeating: 0, count: WordStarts.keyCount / 64)

    init() {}

    init(_ keys: some Sequence<Int>) {
        for key in keys { insert(key) }
    }

    mutating func insert(_ key: Int) { bits[key >> 6] |= 1 << UInt64(key & 63) }

    @inline(__always) func contains(_ key: Int) -> Bool { bits[key >> 6] & (1 << UInt64(key & 63)) != 0 }

    func union(_ other: KeySet) -> KeySet {
        var result = self
        for index in bits.indices { result.bits[index] |= other.bits[index] }
        return result
    }
}
