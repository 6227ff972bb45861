/// Spinal levels read from the way notes write them: "L4-5", "L4-L5", "L45", "L5S1", "C7-T1",
/// "T6 through T9", "L3, L4 and L5", "L3-4 to L5-S1", "C3-C6".
///
/// This is notation, like a date, not medical knowledge: which procedure counts levels, joints or
/// nerves, and the codes and units that follow, stay in the lexicon rules (`attr.levels`,
/// `attr.joints`). A level is a vertebra's position counted from C1 (C1–C7 = 1–7, T1–T12 = 8–19,
/// L1–L5 = 20–24, S1–S5 = 25–29; C8, a root without a vertebra, takes the T1 position).
public struct SpinalLevels: Sendable, Equatable {
    /// Vertebrae or roots written alone ("L5", "the L3 and L4 medial branches", "T6 through T9").
    public var vertebrae: Set<Int> = []
    /// Motion segments written as a pair ("L4-5"), each by its upper vertebra: L4-5 is 23.
    public var segments: Set<Int> = []

    public init(vertebrae: Set<Int> = [], segments: Set<Int> = []) {
        self.vertebrae = vertebrae
        self.segments = segments
    }

    public var isEmpty: Bool { vertebrae.isEmpty && segments.isEmpty }

    public mutating func formUnion(_ other: SpinalLevels) {
        vertebrae.formUnion(other.vertebrae)
        segments.formUnion(other.segments)
    }

    /// Levels treated one by one (transforaminal levels, intercostal nerves): a segment names the
    /// foramen below its upper vertebra, where that vertebra's root leaves, so "L5-S1" and "the L5
    /// root" are the same level.
    public var levelCount: Int { vertebrae.union(segments).count }

    /// Joints (facet joints, interspaces): a segment is one joint; vertebrae written alone are
    /// nerves, and two adjacent nerves supply one joint, so a run of n nerves is n − 1 joints. A
    /// single nerve counts as one. Which joint matters where the note also names the joints
    /// ("left L2, L3 and L4 medial branch blocks (left L3-L4 and L4-L5 facet joint nerves)"): in
    /// the thoracic and lumbar spine the medial branches of L3 and L4 supply the L4-5 joint, the
    /// one below the upper nerve's vertebra; in the neck C3 and C4 supply the C3-4 joint.
    public var jointCount: Int {
        var joints = segments
        let paired = vertebrae.filter { vertebrae.contains($0 + 1) }
        if vertebrae.count >= 2 && !paired.isEmpty {
            joints.formUnion(paired.map { $0 >= Self.firstThoracic ? $0 + 1 : $0 })
        } else {
            joints.formUnion(vertebrae)
        }
        return joints.count
    }

    /// The levels in the usual spelling, from the top: segments as "L4-L5", the others alone.
    public var names: [String] {
        let all = segments.map { ($0, true) } + vertebrae.subtracting(segments).map { ($0, false) }
        return all.sorted { $0.0 < $1.0 || ($0.0 == $1.0 && !$0.1) }.map { at, segment in
            segment ? Self.name(at) + "-" + Self.name(at + 1) : Self.name(at)
        }
    }

    /// T1's position: from here down a medial branch supplies the joint below its vertebra.
    static let firstThoracic = 8

    static func name(_ at: Int) -> String {
        switch at {
        case 1...7: return "C\(at)"
        case 8...19: return "T\(at - 7)"
        case 20...24: return "L\(at - 19)"
        default: return "S\(at - 24)"
        }
    }

    // MARK: Parsing

    static func position(region: UInt8, number: Int) -> Int? {
        switch region {
        case UInt8(ascii: "C"): return (1...8).contains(number) ? number : nil
        case UInt8(ascii: "T"): return (1...12).contains(number) ? 7 + number : nil
        case UInt8(ascii: "L"): return (1...5).contains(number) ? 19 + number : nil
        case UInt8(ascii: "S"): return (1...5).contains(number) ? 24 + number : nil
        default: return nil
        }
    }

    private enum Token: Equatable {
        case level(Int)
        /// Two adjacent levels written as one ('L45', 'L5S1'), by the upper one.
        case pair(Int)
        /// A hyphen or dash: between adjacent levels it makes a segment ("L4-5").
        case hyphen
        /// "through", "thru", "to": a run, never a segment ("L4 to L5" is two vertebrae).
        case range
        case list
    }

    /// Reads every level in `text`; words it does not know separate items like a comma.
    /// Linear in the text: one pass to tokens, one pass to combine them.
    public static func parse<S: Sequence>(_ text: S) -> SpinalLevels where S.Element == UInt8 {
        let bytes = Array(text)
        var tokens: [Token] = []
        var region: UInt8? = nil
        var i = 0
        func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
        func upper(_ b: UInt8) -> UInt8 { (b >= 97 && b <= 122) ? b - 32 : b }
        let regions: [UInt8] = [UInt8(ascii: "C"), UInt8(ascii: "T"), UInt8(ascii: "L"), UInt8(ascii: "S")]
        while i < bytes.count {
            let b = upper(bytes[i])
            let startsWord = i == 0 || !(bytes[i - 1].isASCIILetter || isDigit(bytes[i - 1]))
            if startsWord, regions.contains(b), i + 1 < bytes.count, isDigit(bytes[i + 1]) {
                let j = i + 1
                var digits = 0
                while j + digits < bytes.count, isDigit(bytes[j + digits]) { digits += 1 }
                i = j + digits
                // Two digits run together are a compact segment ("L45", "C56"), unless they are
                // a thoracic vertebra of two digits ("T12").
                if digits == 2, b != UInt8(ascii: "T") {
                    let first = Int(bytes[j] - 48), second = Int(bytes[j + 1] - 48)
                    if second == first + 1, let a = position(region: b, number: first), position(region: b, number: second) != nil {
                        tokens.append(.pair(a)); region = b
                    }
                    continue
                }
                guard digits <= 2 else { continue }
                let number = digits == 1 ? Int(bytes[j] - 48) : Int(bytes[j] - 48) * 10 + Int(bytes[j + 1] - 48)
                guard let at = position(region: b, number: number) else { continue }
                region = b
                // A segment written without a hyphen across regions: "L5S1", "C7T1".
                if i + 1 < bytes.count, regions.contains(upper(bytes[i])), isDigit(bytes[i + 1]),
                   i + 2 >= bytes.count || !isDigit(bytes[i + 2]),
                   let next = position(region: upper(bytes[i]), number: Int(bytes[i + 1] - 48)), next == at + 1 {
                    tokens.append(.pair(at)); region = upper(bytes[i]); i += 2
                    continue
                }
                tokens.append(.level(at))
                continue
            }
            if isDigit(bytes[i]) {
                var j = i
                while j < bytes.count, isDigit(bytes[j]) { j += 1 }
                // A bare number after a level takes its region ("L4-5", "L3, 4 and 5").
                if startsWord, j - i <= 2, let current = region, j >= bytes.count || !bytes[j].isASCIILetter,
                   let at = position(region: current, number: Int(String(decoding: bytes[i..<j], as: UTF8.self)) ?? 0) {
                    tokens.append(.level(at))
                } else {
                    tokens.append(.list)
                }
                i = j
                continue
            }
            if bytes[i] == UInt8(ascii: "-") {
                tokens.append(.hyphen); i += 1; continue
            }
            // U+2013 and U+2014 (en and em dash) in UTF-8.
            if bytes[i] == 0xE2, i + 2 < bytes.count, bytes[i + 1] == 0x80, bytes[i + 2] == 0x93 || bytes[i + 2] == 0x94 {
                tokens.append(.hyphen); i += 3; continue
            }
            if bytes[i].isASCIILetter {
                var j = i
                while j < bytes.count, bytes[j].isASCIILetter { j += 1 }
                let word = String(decoding: bytes[i..<j], as: UTF8.self).lowercased()
                tokens.append(["through", "thru", "to"].contains(word) ? .range : .list)
                i = j
                continue
            }
            if [UInt8(ascii: ","), UInt8(ascii: "&"), UInt8(ascii: "/"), UInt8(ascii: ";"), UInt8(ascii: "("), UInt8(ascii: ")")].contains(b) {
                tokens.append(.list)
            }
            i += 1
        }
        var result = SpinalLevels()
        func add(_ t: Token) {
            switch t {
            case let .level(a): result.vertebrae.insert(a)
            case let .pair(a): result.segments.insert(a)
            default: break
            }
        }
        var k = 0
        while k < tokens.count {
            let t = tokens[k]
            if k + 2 < tokens.count, tokens[k + 1] == .hyphen || tokens[k + 1] == .range {
                let joiner = tokens[k + 1], next = tokens[k + 2]
                switch (t, next) {
                case let (.level(x), .level(y)) where y == x + 1 && joiner == .hyphen:
                    // "L4-5", "C7-T1": one segment. A segment written this way may itself open
                    // a run ("L3-4 to L5-S1").
                    if k + 4 < tokens.count, tokens[k + 3] == .range || tokens[k + 3] == .hyphen,
                       case let .pair(z) = tokens[k + 4], z >= x {
                        result.segments.formUnion(x...z); k += 5; continue
                    }
                    if k + 5 < tokens.count, tokens[k + 3] == .range,
                       case let .level(z) = tokens[k + 4], tokens[k + 5] == .hyphen, k + 6 < tokens.count,
                       case let .level(w) = tokens[k + 6], w == z + 1, z >= x {
                        result.segments.formUnion(x...z); k += 7; continue
                    }
                    result.segments.insert(x); k += 3; continue
                case let (.level(x), .level(y)) where y > x:
                    result.vertebrae.formUnion(x...y); k += 3; continue
                case let (.pair(x), .pair(y)) where y >= x:
                    result.segments.formUnion(x...y); k += 3; continue
                default:
                    break
                }
            }
            add(t)
            k += 1
        }
        return result
    }
}

private extension UInt8 {
    var isASCIILetter: Bool { (self >= 65 && self <= 90) || (self >= 97 && self <= 122) }
}
