/// The outcome of a concept's code rules for one finding.
struct RuleOutcome: Sendable {
    var codes: [String]
    var query: String?
    var rule: CodeRule
}

/// Applies a concept's ordered code rules to a finding, on the date of service.
enum CodeSelector {
    static func select(
        for finding: Finding, lexicon: Lexicon, day: Day, icd: ICD10CMEdition
    ) -> RuleOutcome? {
        let concept = lexicon.concepts[finding.concept]
        for rule in concept.rules {
            guard rule.conditions.allSatisfy({ holds($0, finding: finding, lexicon: lexicon) }) else { continue }
            let codes = rule.codes.compactMap { resolve($0, finding: finding, lexicon: lexicon) }
            guard codes.count == rule.codes.count else { continue }
            let valid = codes.allSatisfy { code in
                switch concept.kind {
                case .condition: icd.isBillable(code)
                case .procedure: lexicon.procedures.code(code)?.validity.contains(day) == true
                }
            }
            // A rule naming a code that is not valid that day gives way to the next one, which is
            // how a lexicon lists M54.50 before M54.5 and each applies in its own years.
            guard valid else { continue }
            return RuleOutcome(codes: codes, query: rule.query, rule: rule)
        }
        return nil
    }

    static func values(_ name: String, of finding: Finding, lexicon: Lexicon) -> [String] {
        if name == "side" { return finding.side.map { [$0] } ?? [] }
        guard let attribute = lexicon.attribute(name) else { return [] }
        let concept = lexicon.concepts[finding.concept]
        if concept.per == name { return finding.site.map { [attribute.values[$0.value].value] } ?? [] }
        return (finding.values[name] ?? []).map { attribute.values[$0.value].value }
    }

    static func linked(_ name: String, of finding: Finding, lexicon: Lexicon) -> [LinkedValue] {
        if lexicon.concepts[finding.concept].per == name { return finding.site.map { [$0] } ?? [] }
        return finding.values[name] ?? []
    }

    static func holds(_ condition: CodeRule.Condition, finding: Finding, lexicon: Lexicon) -> Bool {
        switch condition {
        case let .value(attribute, value):
            return values(attribute, of: finding, lexicon: lexicon).contains(value)
        case let .absent(attribute):
            return values(attribute, of: finding, lexicon: lexicon).isEmpty
        case let .present(attribute):
            return !values(attribute, of: finding, lexicon: lexicon).isEmpty
        case let .property(attribute, property, value):
            guard let definition = lexicon.attribute(attribute) else { return false }
            return linked(attribute, of: finding, lexicon: lexicon).contains { definition.values[$0.value].properties[property] == value }
        case let .notProperty(attribute, property, value):
            guard let definition = lexicon.attribute(attribute) else { return true }
            return !linked(attribute, of: finding, lexicon: lexicon).contains { definition.values[$0.value].properties[property] == value }
        case let .count(attribute, range):
            return range.contains(count(attribute, of: finding, lexicon: lexicon))
        case let .amount(attribute, range):
            return range.contains(amount(attribute, of: finding, lexicon: lexicon))
        case let .spinalCount(attribute, joints, range):
            let all = levels(attribute, of: finding, lexicon: lexicon)
            return range.contains(joints ? all.jointCount : all.levelCount)
        }
    }

    /// The documented quantity: a stated total wins; otherwise the entries are added up.
    static func amount(_ name: String, of finding: Finding, lexicon: Lexicon) -> Int {
        guard let definition = lexicon.attribute(name) else { return 0 }
        let values = linked(name, of: finding, lexicon: lexicon)
        let totals = values.filter { definition.values[$0.value].properties["total"] == "yes" }.compactMap(\.number)
        if let total = totals.max() { return total }
        return values.compactMap(\.number).reduce(0, +)
    }

    /// Every level the finding's level words name, together ("L4-5" in the title and "L5-S1" in
    /// the details are two levels; the same level written twice is one).
    static func levels(_ name: String, of finding: Finding, lexicon: Lexicon) -> SpinalLevels {
        var all = SpinalLevels()
        for value in linked(name, of: finding, lexicon: lexicon) { if let levels = value.levels { all.formUnion(levels) } }
        return all
    }

    /// Distinct values, a value documented on both sides counting twice (both trapezius
    /// muscles are two muscles, whether written "bilateral" or "R ... and L ...").
    static func count(_ name: String, of finding: Finding, lexicon: Lexicon) -> Int {
        var sides: [Int: Set<String>] = [:]
        for value in linked(name, of: finding, lexicon: lexicon) {
            sides[value.value, default: []].insert(value.side ?? "unspecified")
        }
        return sides.values.reduce(0) { total, set in
            total + (set.contains("bilateral") || (set.contains("right") && set.contains("left")) ? 2 : 1)
        }
    }

    /// `${attr.property}` takes the code from the finding's value of that attribute.
    static func resolve(_ code: String, finding: Finding, lexicon: Lexicon) -> String? {
        guard code.hasPrefix("${"), code.hasSuffix("}") else { return code }
        let parts = code.dropFirst(2).dropLast().split(separator: ".").map(String.init)
        guard parts.count == 2, let attribute = lexicon.attribute(parts[0]) else { return nil }
        return linked(parts[0], of: finding, lexicon: lexicon).lazy.compactMap { attribute.values[$0.value].properties[parts[1]] }.first
    }
}
