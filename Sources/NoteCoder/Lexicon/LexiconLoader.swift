public import Foundation
import PCRE2

extension Lexicon {
    /// Loads and compiles every file under `directory`, collecting all problems before failing.
    public static func load(from directory: URL) throws(LexiconError) -> Lexicon {
        var loader = LexiconLoader(root: directory)
        return try loader.load()
    }
}

/// Reads the lexicon files, compiles their patterns and cross-checks their references.
struct LexiconLoader {
    let root: URL
    var problems: [LexiconProblem] = []
    /// Per-entry example sets, kept for `lexicon check`.
    var examples: [ExampleSet] = []
    /// The rows each code table gave, in the order read, for `lexicon check`.
    var tableRows: [TableRowCount] = []

    init(root: URL) { self.root = root }

    var display: String { root.lastPathComponent }
    func path(_ relative: String) -> URL { root.appendingPathComponent(relative) }
    func shown(_ relative: String) -> String { display + "/" + relative }

    mutating func load() throws(LexiconError) -> Lexicon {
        let sectionsFile = try optionalSource(SectionsFile.self, "sections.yaml")
        let contextFile = try optionalSource(ContextFile.self, "context.yaml")
        let attributesFile = try optionalSource(AttributesFile.self, "attributes.yaml")
        let queriesFile = try optionalSource(QueriesFile.self, "queries.yaml")
        let datesFile = try optionalSource(DatesFile.self, "dates.yaml")
        var conceptFiles: [(String, YAMLSource<ConceptFile>)] = []
        for folder in ["conditions", "procedures"] {
            for name in yamlFiles(in: folder) {
                let relative = folder + "/" + name
                do { conceptFiles.append((relative, try YAMLSource<ConceptFile>(path: path(relative).path, displayName: shown(relative)))) }
                catch { problems += error.problems }
            }
        }

        // Code sets first: rules are checked against them.
        var icd = ICD10CMEditions(editions: [])
        do { icd = try ICD10CMEditions.load(directory: path("codes/icd10cm"), displayRoot: shown("codes/icd10cm")) }
        catch { problems += error.problems }
        tableRows += icd.editions.map { TableRowCount(file: $0.file, rows: $0.entries.count) }
        // Every CMS table codes/cms/sources.yaml lists, before the catalogue: it takes the fee
        // schedule's bilateral indicators.
        let claimEdits = loadClaimEdits(icd: icd)
        var catalogue = ProcedureCatalogue(codes: [:])
        do { catalogue = try ProcedureCatalogue.load(file: path("codes/procedures.yaml"), display: shown("codes/procedures.yaml"), bilateralIndicators: claimEdits.bilateralIndicators) }
        catch { problems += error.problems }
        var scope = CodeScope(name: "none", diagnoses: [], procedures: [])
        do { scope = try CodeScope.load(from: path("scope.yaml")) }
        catch { problems.append(LexiconProblem(file: shown("scope.yaml"), line: nil, entry: nil, message: "\(error)")) }

        let (sections, sectionAlternatives) = buildSections(sectionsFile)
        let (cues, cueAlternatives) = buildCues(contextFile)
        let (attributes, attributeAlternatives) = buildAttributes(attributesFile)
        let queries = buildQueries(queriesFile)
        let (concepts, conceptAlternatives) = buildConcepts(conceptFiles, attributes: attributes, queries: queries, icd: icd, catalogue: catalogue)
        checkUnique(sections.map { ($0.id, $0.location) }, what: "section")
        checkUnique(cues.map { ($0.id, $0.location) }, what: "cue")
        checkUnique(attributes.map { ($0.id, $0.location) }, what: "attribute")
        checkUnique(concepts.map { ($0.id, $0.location) }, what: "concept")

        guard problems.isEmpty else { throw LexiconError(problems: problems) }
        do {
            let cuePatterns = [
                try PatternSet(alternatives: cueAlternatives.filter { cues[$0.entry].wholeWord }, prefix: PatternWrapping.phrasePrefix, suffix: PatternWrapping.phraseSuffix, wordStarts: true),
                try PatternSet(alternatives: cueAlternatives.filter { !cues[$0.entry].wholeWord }, prefix: "", suffix: "", indexed: true),
            ]
            let attributePatterns = try attributeAlternatives.map { alternatives throws(PCRE2Error) in
                try PatternSet(alternatives: alternatives, prefix: PatternWrapping.phrasePrefix, suffix: PatternWrapping.phraseSuffix, wordStarts: true)
            }
            let conceptPatterns = try [ConceptKind.condition, .procedure].map { kind throws(PCRE2Error) in
                try PatternSet(alternatives: conceptAlternatives.filter { concepts[$0.entry].kind == kind },
                               prefix: PatternWrapping.phrasePrefix, suffix: PatternWrapping.phraseSuffix, wordStarts: true)
            }
            let datePatterns = try DatePatterns(labels: datesFile?.content.labels ?? [])
            let wordStartKeys = (conceptPatterns + cuePatterns + attributePatterns + [datePatterns.labelled].compactMap { $0 })
                .reduce(KeySet()) { $0.union($1.startKeys) }
            var lexicon = Lexicon(
                directory: root.path, sections: sections, cues: cues, attributes: attributes, concepts: concepts,
                queries: queries, icd10cm: icd, procedures: catalogue, scope: scope, scopeFile: shown("scope.yaml"), claimEdits: claimEdits,
                sectionPatterns: try PatternSet(alternatives: sectionAlternatives.filter { !sections[$0.entry].namedByHeader },
                                                prefix: SectionReader.headerPrefix, suffix: SectionReader.headerSuffix,
                                                options: [.caseless, .multiline], anchored: true),
                headingPatterns: try PatternSet(alternatives: sectionAlternatives.filter { sections[$0.entry].namedByHeader },
                                                prefix: SectionReader.headerPrefix, suffix: SectionReader.headerSuffix,
                                                options: [.caseless, .multiline], anchored: true),
                cuePatterns: cuePatterns,
                attributePatterns: attributePatterns,
                conceptPatterns: conceptPatterns,
                datePatterns: datePatterns,
                conceptScan: JointScan(sets: conceptPatterns),
                detailScan: JointScan(sets: cuePatterns + attributePatterns),
                wordStartKeys: wordStartKeys,
                conceptIndex: Dictionary(concepts.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first }),
                attributeIndex: Dictionary(attributes.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first }))
            lexicon.tableRows = tableRows
            return lexicon
        } catch {
            // Each pattern compiled alone above, so a failure here is the combination (size).
            throw LexiconError(problems: [LexiconProblem(file: display, line: nil, entry: nil, message: "combined patterns do not compile: \(error)")])
        }
    }

    // MARK: files

    mutating func optionalSource<T: Decodable>(_ type: T.Type, _ relative: String) throws(LexiconError) -> YAMLSource<T>? {
        guard FileManager.default.fileExists(atPath: path(relative).path) else {
            problems.append(LexiconProblem(file: shown(relative), line: nil, entry: nil, message: "file is missing"))
            return nil
        }
        do { return try YAMLSource<T>(path: path(relative).path, displayName: shown(relative)) }
        catch { problems += error.problems; return nil }
    }

    func yamlFiles(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path(folder).path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
    }

    // MARK: patterns

    /// Compiles one author-written pattern on its own so an error points at that entry.
    /// `indexed`: the pattern joins a set tried only where its first bytes can begin (cues,
    /// attribute values, concepts). Syntax the start index cannot read (`\b`, `\K`, a
    /// backreference) would make its whole set be tried at every position of every note — a
    /// lexicon edit that silently makes the engine many times slower, so it is refused.
    mutating func compiles(_ source: String, file: String, line: Int?, entry: String, indexed: Bool = true) -> Bool {
        do {
            _ = try Pattern(PatternWrapping.phrasePrefix + "(?:" + source + ")" + PatternWrapping.phraseSuffix)
            if indexed && !PatternSyntax.isProbeSafe(source) {
                problems.append(LexiconProblem(file: file, line: line, entry: entry, message: "pattern uses syntax the start index cannot read (\\b, \\B, \\K, \\G, a backreference, or an anchor inside an assertion): its whole pattern set would be tried at every position of every note; write it without (a word boundary is already implied at both ends; inside, use a lookaround such as (?<![a-z]))"))
                return false
            }
            return true
        } catch {
            // The offset PCRE2 reports is into the wrapped pattern; the author wrote only `source`.
            let wrapping = PatternWrapping.phraseOffset
            let offset = error.patternOffset.map { " at offset \(max(0, min($0 - wrapping, source.utf8.count))) of '\(source)'" } ?? " in '\(source)'"
            problems.append(LexiconProblem(file: file, line: line, entry: entry, message: "pattern does not compile: \(error.message)\(offset)"))
            return false
        }
    }

    mutating func buildSections(_ source: YAMLSource<SectionsFile>?) -> ([SectionDefinition], [(entry: Int, source: String)]) {
        guard let source else { return ([], []) }
        var definitions: [SectionDefinition] = []
        var alternatives: [(entry: Int, source: String)] = []
        for (index, entry) in source.content.sections.enumerated() {
            let line = source.line("sections", index: index)
            let location = SourceLocation(file: source.path, line: line)
            if compiles(entry.header, file: source.path, line: source.line("sections", index: index, then: ["header"]), entry: entry.id, indexed: false) {
                alternatives.append((definitions.count, entry.header))
            }
            definitions.append(SectionDefinition(id: entry.id, label: entry.label ?? entry.id, implies: entry.implies, impliesFor: Set(entry.impliesFor ?? [.condition, .procedure]), tags: Set(entry.tags ?? []), namedByHeader: entry.namedByHeader ?? false, location: location))
            examples.append(ExampleSet(group: .section, index: definitions.count - 1, id: entry.id, location: location, examples: entry.examples))
        }
        return (definitions, alternatives)
    }

    mutating func buildCues(_ source: YAMLSource<ContextFile>?) -> ([CueDefinition], [(entry: Int, source: String)]) {
        guard let source else { return ([], []) }
        var definitions: [CueDefinition] = []
        var alternatives: [(entry: Int, source: String)] = []
        for (index, cue) in source.content.cues.enumerated() {
            let location = SourceLocation(file: source.path, line: source.line("cues", index: index))
            if compiles(cue.pattern, file: source.path, line: source.line("cues", index: index, then: ["pattern"]), entry: cue.id) {
                alternatives.append((definitions.count, cue.pattern))
            }
            definitions.append(CueDefinition(
                id: cue.id, category: cue.category, direction: cue.direction ?? .forward, window: cue.window,
                stops: Set(cue.stops ?? AssertionCategory.allCases), wholeWord: cue.wholeWord ?? true, appliesTo: Set(cue.appliesTo ?? [.condition, .procedure]),
                yieldsToPerformed: cue.yieldsToPerformed ?? true, outranksSection: cue.outranksSection ?? true, causal: cue.causal ?? false,
                yieldsToEstablished: cue.yieldsToEstablished ?? false, location: location))
            examples.append(ExampleSet(group: .cue, index: definitions.count - 1, id: cue.id, location: location, examples: cue.examples))
        }
        return (definitions, alternatives)
    }

    mutating func buildAttributes(_ source: YAMLSource<AttributesFile>?) -> ([AttributeDefinition], [[(entry: Int, source: String)]]) {
        guard let source else { return ([], []) }
        var definitions: [AttributeDefinition] = []
        var alternatives: [[(entry: Int, source: String)]] = []
        for (index, attribute) in source.content.attributes.enumerated() {
            let location = SourceLocation(file: source.path, line: source.line("attributes", index: index))
            var values: [AttributeValueDefinition] = []
            var own: [(entry: Int, source: String)] = []
            for (valueIndex, value) in attribute.values.enumerated() {
                let valueLine = source.line(["attributes", index, "values", valueIndex].map(key))
                if compiles(value.pattern, file: source.path, line: valueLine, entry: "\(attribute.id).\(value.value)") {
                    own.append((values.count, value.pattern))
                }
                values.append(AttributeValueDefinition(value: value.value, properties: value.properties ?? [:]))
                examples.append(ExampleSet(group: .attribute(definitions.count), index: values.count - 1, id: "\(attribute.id).\(value.value)",
                                           location: SourceLocation(file: source.path, line: valueLine), examples: value.examples))
            }
            definitions.append(AttributeDefinition(
                id: attribute.id, label: attribute.label ?? attribute.id, reach: attribute.reach ?? .sentence,
                multiple: attribute.multiple ?? false, numeric: attribute.numeric ?? false, levels: attribute.levels ?? false, distributes: attribute.distributes ?? false, pooled: attribute.pooled ?? false, deniedBy: Set(attribute.deniedBy ?? [.negated]), binds: attribute.binds ?? [], siteKey: attribute.siteKey, values: values, location: location))
            alternatives.append(own)
        }
        for attribute in definitions {
            for bound in attribute.binds where !definitions.contains(where: { $0.id == bound }) {
                problems.append(LexiconProblem(file: attribute.location.file, line: attribute.location.line, entry: attribute.id, message: "binds unknown attribute '\(bound)'"))
            }
        }
        return (definitions, alternatives)
    }

    func key(_ item: Any) -> any CodingKey {
        if let int = item as? Int { return AnyKey(int) }
        return AnyKey("\(item)")
    }

    mutating func buildQueries(_ source: YAMLSource<QueriesFile>?) -> [String: QueryTemplate] {
        guard let source else { return [:] }
        var result: [String: QueryTemplate] = [:]
        for (index, template) in source.content.queries.enumerated() {
            if result[template.kind] != nil {
                problems.append(LexiconProblem(file: source.path, line: source.line("queries", index: index), entry: template.kind, message: "query kind defined twice"))
            }
            let lowered = (template.question + " " + template.options.joined(separator: " ")).lowercased()
            for word in ["payment", "reimburse", "paid", "denial", "revenue"] where lowered.contains(word) {
                problems.append(LexiconProblem(file: source.path, line: source.line("queries", index: index), entry: template.kind, message: "a compliant query never speaks of payment ('\(word)')"))
            }
            let options = template.options.map { $0.lowercased() }
            if !options.contains(where: { $0.hasPrefix("other") }) || !options.contains(where: { $0.contains("unable to determine") }) {
                problems.append(LexiconProblem(file: source.path, line: source.line("queries", index: index), entry: template.kind, message: "options must include 'other' and 'unable to determine'"))
            }
            result[template.kind] = QueryTemplate(kind: template.kind, title: template.title, question: template.question, options: template.options,
                                                 asksForUntreated: template.asksForUntreated ?? true)
        }
        return result
    }

    mutating func buildConcepts(
        _ files: [(String, YAMLSource<ConceptFile>)], attributes: [AttributeDefinition],
        queries: [String: QueryTemplate], icd: ICD10CMEditions, catalogue: ProcedureCatalogue
    ) -> ([ConceptDefinition], [(entry: Int, source: String)]) {
        var definitions: [ConceptDefinition] = []
        var alternatives: [(entry: Int, source: String)] = []
        for (_, source) in files {
            for (index, concept) in source.content.concepts.enumerated() {
                let location = SourceLocation(file: source.path, line: source.line("concepts", index: index))
                for (patternIndex, pattern) in concept.patterns.enumerated() {
                    let line = source.line(["concepts", index, "patterns", patternIndex].map(key))
                    if compiles(pattern, file: source.path, line: line, entry: concept.id) {
                        alternatives.append((definitions.count, pattern))
                    }
                }
                for name in concept.attributes ?? [] where !attributes.contains(where: { $0.id == name }) {
                    problems.append(LexiconProblem(file: source.path, line: location.line, entry: concept.id, message: "unknown attribute '\(name)'"))
                }
                if let per = concept.per, !(concept.attributes ?? []).contains(per) {
                    problems.append(LexiconProblem(file: source.path, line: location.line, entry: concept.id, message: "'per: \(per)' must be one of the concept's attributes"))
                }
                var site: Int?
                if let name = concept.site {
                    let values = attributes.first { $0.id == concept.per }?.values
                    site = values?.firstIndex { $0.value == name }
                    if site == nil {
                        problems.append(LexiconProblem(file: source.path, line: location.line, entry: concept.id,
                                                       message: "'site: \(name)' must be a value of the concept's 'per' attribute"))
                    }
                }
                var rules: [CodeRule] = []
                for (ruleIndex, entry) in (concept.coding ?? []).enumerated() {
                    let ruleLocation = SourceLocation(file: source.path, line: source.line(["concepts", index, "coding", ruleIndex].map(key)))
                    if let rule = buildRule(entry, concept: concept, location: ruleLocation, attributes: attributes, queries: queries, icd: icd, catalogue: catalogue) {
                        rules.append(rule)
                    }
                }
                var alsoRules: [CodeRule] = []
                for (ruleIndex, entry) in (concept.also ?? []).enumerated() {
                    let ruleLocation = SourceLocation(file: source.path, line: source.line(["concepts", index, "also", ruleIndex].map(key)))
                    if let rule = buildRule(entry, concept: concept, location: ruleLocation, attributes: attributes, queries: queries, icd: icd, catalogue: catalogue) {
                        alsoRules.append(rule)
                    }
                }
                definitions.append(ConceptDefinition(
                    id: concept.id, kind: concept.kind, label: concept.label, attributes: concept.attributes ?? [],
                    reach: concept.reach ?? [:], rules: rules, alsoRules: alsoRules, per: concept.per, site: site, supports: concept.supports ?? [],
                    indicationQuery: concept.indicationQuery ?? true, suppressedBy: concept.suppressedBy ?? [],
                    suppressedWhenHolding: concept.suppressedWhenHolding,
                    explainedBy: concept.explainedBy ?? [], absorbs: concept.absorbs ?? [], symptom: concept.symptom ?? false, normalReading: concept.normalReading ?? false, location: location))
                examples.append(ExampleSet(group: .concept, index: definitions.count - 1, id: concept.id, location: location, examples: concept.examples))
            }
        }
        let ids = Set(definitions.map(\.id))
        for concept in definitions {
            for reference in concept.supports + concept.suppressedBy + concept.explainedBy + concept.absorbs where !ids.contains(reference) {
                problems.append(LexiconProblem(file: concept.location.file, line: concept.location.line, entry: concept.id, message: "refers to unknown concept '\(reference)'"))
            }
        }
        return (definitions, alternatives)
    }

    mutating func buildRule(
        _ entry: CodeRuleEntry, concept: ConceptFile.Concept, location: SourceLocation, attributes: [AttributeDefinition],
        queries: [String: QueryTemplate], icd: ICD10CMEditions, catalogue: ProcedureCatalogue
    ) -> CodeRule? {
        func problem(_ message: String) {
            problems.append(LexiconProblem(file: location.file, line: location.line, entry: concept.id, message: message))
        }
        var conditions: [CodeRule.Condition] = []
        for (key, value) in (entry.when ?? [:]).sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
            let name = parts[0]
            guard let attribute = attributes.first(where: { $0.id == name }) else { problem("rule tests unknown attribute '\(name)'"); continue }
            if !(concept.attributes ?? []).contains(name) { problem("rule tests '\(name)', which the concept does not list in attributes") }
            if parts.count == 2 && parts[1] == "count" {
                guard let range = CodeRule.parseCount(value) else { problem("count '\(value)' must look like '>=3', '1-2' or '0'"); continue }
                conditions.append(.count(attribute: name, range: range))
            } else if parts.count == 2 && parts[1] == "amount" {
                guard attribute.numeric else { problem("'\(name).amount' needs a numeric attribute"); continue }
                guard let range = CodeRule.parseCount(value) else { problem("amount '\(value)' must look like '>=40', '20-39' or '0'"); continue }
                conditions.append(.amount(attribute: name, range: range))
            } else if parts.count == 2 && (parts[1] == "levels" || parts[1] == "joints") {
                guard attribute.levels else { problem("'\(name).\(parts[1])' needs an attribute with 'levels: true'"); continue }
                guard let range = CodeRule.parseCount(value) else { problem("\(parts[1]) '\(value)' must look like '>=3', '1-2' or '1'"); continue }
                conditions.append(.spinalCount(attribute: name, joints: parts[1] == "joints", range: range))
            } else if parts.count == 2 && value.hasPrefix("!") {
                let wanted = String(value.dropFirst())
                if !attribute.values.contains(where: { $0.properties[parts[1]] == wanted }) {
                    problem("no value of '\(name)' has \(parts[1]) '\(wanted)'")
                }
                conditions.append(.notProperty(attribute: name, property: parts[1], value: wanted))
            } else if parts.count == 2 {
                if !attribute.values.contains(where: { $0.properties[parts[1]] == value }) {
                    problem("no value of '\(name)' has \(parts[1]) '\(value)'")
                }
                conditions.append(.property(attribute: name, property: parts[1], value: value))
            } else if value == "none" {
                conditions.append(.absent(attribute: name))
            } else if value == "any" {
                conditions.append(.present(attribute: name))
            } else {
                if !attribute.values.contains(where: { $0.value == value }) { problem("'\(value)' is not a value of '\(name)'") }
                conditions.append(.value(attribute: name, value: value))
            }
        }
        if let query = entry.query, queries[query] == nil { problem("unknown query kind '\(query)'") }
        for code in expandTemplates(entry.codes, attributes: attributes, problem: problem) {
            switch concept.kind {
            case .condition:
                if icd.editions.isEmpty { break }
                if !icd.billableSomewhere(code) {
                    let known = icd.editions.contains { $0.entry(code) != nil }
                    problem(known ? "\(code) is a header, not billable, in every edition on hand" : "\(code) is not an ICD-10-CM code in any edition on hand")
                }
            case .procedure:
                if catalogue.codes.isEmpty { break }
                if catalogue.code(code) == nil { problem("\(code) is not in the procedure catalogue (codes/procedures.yaml)") }
            }
        }
        var units: [String: Int] = [:]
        for item in entry.units ?? [] {
            if !entry.codes.contains(item.code) { problem("units given for \(item.code), which the rule does not suggest") }
            if item.units < 1 { problem("units for \(item.code) must be at least 1") }
            units[item.code] = item.units
        }
        return CodeRule(conditions: conditions, codes: entry.codes, query: entry.query, units: units, note: entry.note, location: location)
    }

    /// Resolves `${attr.property}` against every value of the attribute, so each code it can
    /// produce is checked at load.
    func expandTemplates(_ codes: [String], attributes: [AttributeDefinition], problem: (String) -> Void) -> [String] {
        var result: [String] = []
        for code in codes {
            guard code.hasPrefix("${"), code.hasSuffix("}") else { result.append(code); continue }
            let inner = code.dropFirst(2).dropLast()
            let parts = inner.split(separator: ".").map(String.init)
            guard parts.count == 2, let attribute = attributes.first(where: { $0.id == parts[0] }) else {
                problem("template '\(code)' must be ${attribute.property}")
                continue
            }
            let resolved = attribute.values.compactMap { $0.properties[parts[1]] }
            if resolved.isEmpty { problem("no value of '\(parts[0])' has a '\(parts[1])' property") }
            result += resolved
        }
        return result
    }

    mutating func checkUnique(_ items: [(String, SourceLocation)], what: String) {
        var seen: Set<String> = []
        for (id, location) in items where !seen.insert(id).inserted {
            problems.append(LexiconProblem(file: location.file, line: location.line, entry: id, message: "\(what) id used twice"))
        }
    }
}

extension CodeRule {
    static func parseCount(_ text: String) -> ClosedRange<Int>? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix(">="), let n = Int(trimmed.dropFirst(2)) { return n...Int.max }
        let bounds = trimmed.split(separator: "-").map { Int($0) }
        if bounds.count == 2, let low = bounds[0], let high = bounds[1], low <= high { return low...high }
        if let n = Int(trimmed) { return n...n }
        return nil
    }
}
