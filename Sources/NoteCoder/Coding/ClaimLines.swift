/// A procedure line before it is rendered: code, side modifiers, units, the finding behind it.
struct ClaimLine {
    var code: String
    var modifiers: [String]
    var units: Int
    var finding: Int
    var queries: [String]
    var diagnoses: [String] = []
}

/// Modifiers and units by the code's own facts (catalogue, CMS bilateral indicator), so no
/// code number appears in Swift.
enum ClaimLines {
    static func lines(for code: String, side: String?, finding: Int, queries: [String], lexicon: Lexicon) -> [ClaimLine] {
        let facts = lexicon.procedures.code(code)
        let sided = facts?.sideModifiers ?? false
        switch side {
        case "bilateral":
            if facts?.bilateralIndicator == 1 {
                // Medicare's one-line method for bilateral indicator 1: modifier 50, one unit.
                return [ClaimLine(code: code, modifiers: ["50"], units: 1, finding: finding, queries: queries)]
            }
            if sided {
                return [ClaimLine(code: code, modifiers: ["RT"], units: 1, finding: finding, queries: queries),
                        ClaimLine(code: code, modifiers: ["LT"], units: 1, finding: finding, queries: queries)]
            }
            return [ClaimLine(code: code, modifiers: [], units: 1, finding: finding, queries: queries)]
        case "right" where sided:
            return [ClaimLine(code: code, modifiers: ["RT"], units: 1, finding: finding, queries: queries)]
        case "left" where sided:
            return [ClaimLine(code: code, modifiers: ["LT"], units: 1, finding: finding, queries: queries)]
        default:
            return [ClaimLine(code: code, modifiers: [], units: 1, finding: finding, queries: queries)]
        }
    }

    /// A second line of the same code with the same modifiers is a distinct structure (another
    /// joint, another nerve): it takes XS so it is not read as a duplicate.
    static func markDistinct(_ lines: inout [ClaimLine]) {
        var seen: Set<String> = []
        for i in lines.indices {
            let key = lines[i].code + "|" + lines[i].modifiers.joined(separator: ",")
            if !seen.insert(key).inserted { lines[i].modifiers.append("XS") }
        }
    }
}
