public import PCRE2

/// Everything the engine knows, compiled once at load and shared read-only by every thread.
///
/// The Swift code is a generic engine; all medical knowledge — wordings, cues, sections,
/// attributes, code rules, query wording, the code sets — comes from the files in `Lexicons/`.
public struct Lexicon: Sendable {
    public var directory: String
    public var sections: [SectionDefinition]
    public var cues: [CueDefinition]
    public var attributes: [AttributeDefinition]
    public var concepts: [ConceptDefinition]
    public var queries: [String: QueryTemplate]
    public var icd10cm: ICD10CMEditions
    public var procedures: ProcedureCatalogue
    public var scope: CodeScope
    public var scopeFile: String
    /// NCCI pairs, unit limits, add-on codes and Excludes1 notes, checked against every report.
    public var claimEdits: ClaimEditTables = .empty
    /// The rows each code table under `codes/` gave (ICD-10-CM editions, then the CMS tables).
    public var tableRows: [TableRowCount] = []

    let sectionPatterns: PatternSet
    /// Catch-all headings (`namedByHeader`), tried apart from the named headers: a named header
    /// at the same place always wins, whatever the lengths of the two patterns.
    let headingPatterns: PatternSet
    /// Whole-word cues and punctuation cues ("?", ";") in separate sets, so the word-boundary
    /// look-behind stands once in front of each alternation: PCRE2 can then skip ahead to
    /// candidate first letters instead of trying every alternative at every byte.
    let cuePatterns: [PatternSet]
    /// One set per attribute, in the order of `attributes`.
    let attributePatterns: [PatternSet]
    /// Conditions and procedures are matched separately so that a condition ("carpal tunnel
    /// syndrome") never hides a procedure starting at the same word ("carpal tunnel injection").
    let conceptPatterns: [PatternSet]
    let datePatterns: DatePatterns
    /// `conceptPatterns`, then `cuePatterns` followed by `attributePatterns`, each scanned in
    /// one pass: a note's cues and attributes are only read when it names a concept.
    let conceptScan: JointScan
    let detailScan: JointScan
    /// Every word-start key a set above (or the date labels) can begin with.
    let wordStartKeys: KeySet

    /// The largest capture count of any compiled pattern, to size each thread's `Matcher`.
    public var maxCaptures: Int {
        ([sectionPatterns, headingPatterns] + cuePatterns + conceptPatterns + attributePatterns).map(\.maxCaptures).max() ?? 0
    }

    /// A matcher suited to this lexicon; create one per thread.
    public func makeMatcher(matchLimit: UInt32 = 1_000_000) -> Matcher {
        Matcher(matchLimit: matchLimit, maxCaptures: max(maxCaptures, DatePatterns.maxCaptures) + 1)
    }

    /// Index by id, built at load: code rules look attributes up by name for every finding.
    let conceptIndex: [String: Int]
    let attributeIndex: [String: Int]

    public func concept(_ id: String) -> ConceptDefinition? { conceptIndex[id].map { concepts[$0] } }

    /// Whether a note's section is headed by a header carrying `tag` in `sections.yaml`.
    func section(_ section: Section, hasTag tag: String) -> Bool {
        section.definition.map { sections[$0].tags.contains(tag) } ?? false
    }
    public func attribute(_ id: String) -> AttributeDefinition? { attributeIndex[id].map { attributes[$0] } }
}

/// Where a lexicon entry was written, for error messages and the report's "rule" field.
public struct SourceLocation: Sendable, Equatable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var description: String { line.map { "\(file):\($0)" } ?? file }
}

public struct SectionDefinition: Sendable {
    public var id: String
    public var label: String
    public var implies: AssertionCategory?
    public var impliesFor: Set<ConceptKind>
    public var tags: Set<String>
    /// A catch-all heading: the report shows the note's own words rather than `label`.
    public var namedByHeader: Bool = false
    public var location: SourceLocation
}

public struct CueDefinition: Sendable {
    public var id: String
    public var category: CueCategory
    public var direction: CueDirection
    public var window: Int?
    public var stops: Set<AssertionCategory>
    public var wholeWord: Bool
    public var appliesTo: Set<ConceptKind>
    public var yieldsToPerformed: Bool = true
    public var outranksSection: Bool = true
    public var causal: Bool = false
    /// An `uncertain` cue that hedges a reading rather than the diagnosis: where the note states
    /// the diagnosis as established elsewhere (the visit's reason), the hedge does not undo it.
    public var yieldsToEstablished: Bool = false
    public var location: SourceLocation
}

public struct AttributeValueDefinition: Sendable {
    public var value: String
    public var properties: [String: String]
}

public struct AttributeDefinition: Sendable {
    public var id: String
    public var label: String
    public var reach: AttributeReach
    public var multiple: Bool
    public var numeric: Bool
    public var levels: Bool = false
    /// A value written before (or after) a list of findings belongs to each finding of the list
    /// that names none of its own ("L4-L5 and L5-S1 disc disease/protrusions/spondylosis").
    public var distributes: Bool = false
    /// Each distinct value written anywhere in the mention's section counts with those of its
    /// sentence: a rule that reads what else the diagnosis list names ("1. HNP C5-C6. 2. HNP
    /// C6-C7.": the M50 note codes the most superior level only) sees the whole list.
    public var pooled: Bool = false
    /// The readings of a cue in its sentence that take a value away from the findings near it.
    public var deniedBy: Set<AssertionCategory> = [.negated]
    public var binds: [String]
    public var siteKey: String?
    public var values: [AttributeValueDefinition]
    public var location: SourceLocation

    /// Two values name the same site: the same value, or values that share the `siteKey`
    /// property (the AC joint is in the shoulder region).
    public func sameSite(_ a: Int, _ b: Int) -> Bool {
        if a == b { return true }
        guard let key = siteKey, let keyA = values[a].properties[key], let keyB = values[b].properties[key] else { return false }
        return keyA == keyB
    }
}

public struct ConceptDefinition: Sendable {
    public var id: String
    public var kind: ConceptKind
    public var label: String
    public var attributes: [String]
    public var reach: [String: AttributeReach]
    public var rules: [CodeRule]
    public var alsoRules: [CodeRule]
    public var per: String?
    /// Index into the `per` attribute's values: the site the concept names by itself.
    public var site: Int? = nil
    public var supports: [String]
    public var indicationQuery: Bool
    public var suppressedBy: [String]
    /// A suppressor that takes this attribute suppresses only where its finding holds a value of it.
    public var suppressedWhenHolding: String? = nil
    public var explainedBy: [String] = []
    /// Concepts whose mention inside one of this concept's is part of it (`absorbs` in the lexicon).
    public var absorbs: [String] = []
    public var symptom: Bool = false
    /// A reading that finds nothing ("No acute disease in the lumbar spine"): under a test
    /// report's diagnosis heading, the reason for the test is then coded.
    public var normalReading: Bool = false
    public var location: SourceLocation
}

/// One line of a concept's `coding` list, tried in order; the first whose conditions hold and
/// whose codes are all valid on the date of service decides.
public struct CodeRule: Sendable {
    public enum Condition: Sendable, Equatable {
        case value(attribute: String, value: String)
        case absent(attribute: String)
        case present(attribute: String)
        case property(attribute: String, property: String, value: String)
        /// `attr.property: '!value'`: no linked value has that property value.
        case notProperty(attribute: String, property: String, value: String)
        case count(attribute: String, range: ClosedRange<Int>)
        case amount(attribute: String, range: ClosedRange<Int>)
        /// How many spinal levels (or joints) the finding's level values name together.
        case spinalCount(attribute: String, joints: Bool, range: ClosedRange<Int>)
    }
    public var conditions: [Condition]
    public var codes: [String]
    public var query: String?
    public var units: [String: Int]
    public var note: String?
    public var location: SourceLocation
}

public struct QueryTemplate: Sendable {
    public var kind: String
    public var title: String
    public var question: String
    public var options: [String]
    /// Whether a diagnosis that no procedure of the note is done for raises this query.
    public var asksForUntreated: Bool = true
}
