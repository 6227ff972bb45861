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
    /// Whether a key is two ASCII bytes.
    static func isASCIIPair(_ key: Int) -> Bool { key < 0x8000 && key & 0x80 == 0 }

    private(set) var positions: [Int] = []
    private(set) var keys: [UInt16] = []

    /// - Parameter wanted: the keys some set can begin with; other word starts are not kept
    ///   (most are a space or punctuation no phrase begins with).
    init(_ bytes: UnsafeBufferPointer<UInt8>, wanted: KeySet) {
        positions.reserveCapacity(bytes.count / 8)
        keys.reserveCapacity(bytes.count / 8)
        var previousIsWord = false
        for index in 0..<bytes.count {
            let byte = bytes[index]
            let isWord = (byte &- 0x30) < 10 || ((byte | 0x20) &- 0x61) < 26
            defer { previousIsWord = isWord }
            if previousIsWord || byte & 0xC0 == 0x80 { continue }
            let key: Int
            if byte >= 0x80 {
                key = Self.wideKey
            } else if index + 1 < bytes.count {
                key = Self.key(first: byte, second: bytes[index + 1])
            } else {
                key = Self.key(lastByte: byte)
            }
            guard wanted.contains(key) else { continue }
            positions.append(index)
            keys.append(UInt16(key))
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

    func contains(_ key: Int) -> Bool { bits[key >> 6] & (1 << UInt64(key & 63)) != 0 }

    func union(_ other: KeySet) -> KeySet {
        var result = self
        for index in bits.indices { result.bits[index] |= other.bits[index] }
        return result
    }
}
