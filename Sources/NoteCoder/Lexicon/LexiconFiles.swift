
// The shapes of the YAML files in `Lexicons/`, exactly as a coder writes them. Loading turns
// these into the compiled `Lexicon`; keeping the file shapes separate lets `lexicon check` report
// problems against what the author wrote, with the file and line.

/// Sentences that one pattern must and must not match; `lexicon check` and the tests run them all.
public struct Examples: Codable, Sendable {
    public var match: [String]
    public var noMatch: [String]
    public init(match: [String] = [], noMatch: [String] = []) {
        self.match = match
        self.noMatch = noMatch
    }
    enum CodingKeys: String, CodingKey { case match, noMatch }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        match = try c.decodeIfPresent([String].self, forKey: .match) ?? []
        noMatch = try c.decodeIfPresent([String].self, forKey: .noMatch) ?? []
    }
}

/// `sections.yaml`: header wordings and what a mention under them implies.
struct SectionsFile: Codable {
    struct Entry: Codable {
        var id: String
        var label: String?
        var header: String
        /// Assertion implied for every mention in the section (`other`, `historical`, `planned`).
        var implies: AssertionCategory?
        /// The kinds of concept the implication applies to (default: all). A plan section makes
        /// a procedure planned, but a diagnosis restated in the plan is still a diagnosis.
        var impliesFor: [ConceptKind]?
        /// Free tags attribute linking and coding read, e.g. `procedure`, `diagnosis`, `plan`.
        var tags: [String]?
        /// The report names the section by the note's own heading words, for a catch-all entry.
        var namedByHeader: Bool?
        var examples: Examples?
    }
    var sections: [Entry]
}

/// `context.yaml`: ConText cues with category, direction and scope.
struct ContextFile: Codable {
    struct Cue: Codable {
        var id: String
        var category: CueCategory
        var direction: CueDirection?
        /// Maximum number of words the cue reaches; nil = to the end of the sentence.
        var window: Int?
        /// For `terminate` cues: which categories they stop (default: all).
        var stops: [AssertionCategory]?
        /// The kinds of concept the cue applies to (default: all). "Will schedule" plans a
        /// procedure; "will follow her osteoarthritis" does not make the diagnosis hypothetical.
        var appliesTo: [ConceptKind]?
        var pattern: String
        /// Whether the pattern must stand as whole words (default true); false for punctuation
        /// cues such as "?" and ";".
        var wholeWord: Bool?
        /// For `planned` and `historical` cues: whether a `performed` cue nearer the mention
        /// overrides this one (default true: "will consist of injections, which were performed
        /// today"). False for what no later act undoes: an offer declined, a past date, a
        /// recommendation, another visit's procedure.
        var yieldsToPerformed: Bool?
        /// For `performed` cues: whether the act outranks what the section implies (default
        /// true). False for a bare "was performed", which in a history or records section tells
        /// an earlier act; a cue tied to this visit ("performed today") keeps it.
        var outranksSection: Bool?
        /// For `terminate` cues: the words say what comes after causes what comes before
        /// ("due to", "secondary to"), which `explainedBy` reads.
        var causal: Bool?
        /// For `uncertain` cues: the words hedge a reading ("findings compatible with"), so a
        /// diagnosis the note states as established where it gives the visit's reason stands.
        var yieldsToEstablished: Bool?
        var examples: Examples?
    }
    var cues: [Cue]
}

/// `attributes.yaml`: the properties a finding can carry, each value with its own wording.
struct AttributesFile: Codable {
    struct Value: Codable {
        var value: String
        var pattern: String
        /// Extra facts about the value, e.g. a joint's `class` or a nerve's `code`.
        var properties: [String: String]?
        var examples: Examples?
    }
    struct Attribute: Codable {
        var id: String
        var label: String?
        /// How far from the finding a value may be and still belong to it.
        var reach: AttributeReach?
        /// Whether a finding can hold several values (muscles, nerves) rather than one.
        var multiple: Bool?
        /// Values carry a number, captured by the first group of their pattern (minutes).
        /// Rules test `attr.amount`: the sum of the numbers, or the largest number of a value
        /// whose `total` property is `yes` ("total time this month: 45 minutes").
        var numeric: Bool?
        /// Values are spinal levels ("L4-5 and L5-S1", "T6 through T9"): each hit is read as
        /// levels, and rules test `attr.levels` or `attr.joints` (see `SpinalLevels`).
        var levels: Bool?
        /// A value written with a list of findings ("L4-L5 and L5-S1 degenerative disc disease,
        /// protrusions and spondylosis") belongs to every finding of the list that names none of
        /// its own, not only to the nearest one.
        var distributes: Bool?
        /// Values anywhere in the mention's section count too (`AttributeDefinition.pooled`).
        var pooled: Bool?
        /// The cue readings that deny a value (default: negated). A value that states a clinical
        /// fact of its own ("with radiculopathy") is also denied where it is hedged ("clinical
        /// correlation for L5 radiculopathy") or past ("the radiculopathy resolved").
        var deniedBy: [AssertionCategory]?
        /// Attributes whose values take their own side from the side word next to them
        /// ("right knee and left shoulder"), rather than from the finding as a whole.
        var binds: [String]?
        /// The property that says two values are the same site for pairing and suppression
        /// (the AC joint is in the shoulder region); default: the value itself.
        var siteKey: String?
        var values: [Value]
    }
    var attributes: [Attribute]
}

/// A code rule: when the finding's attributes match `when`, suggest `codes`.
struct CodeRuleEntry: Codable {
    /// attribute → value; `attr.property` tests a value's property; `attr.count` tests how many
    /// values ('>=3', '1-2', '0'); the value `none` means the attribute was not documented.
    var when: [String: String]?
    /// ICD-10-CM or procedure codes; `${attr.property}` takes the code from a value's property.
    var codes: [String]
    /// The query kind this documentation gap raises; the codes are then marked pending it.
    var query: String?
    /// Units for codes that take more than one (99439 x2 at 60 staff minutes); default 1.
    var units: [UnitsEntry]?
    struct UnitsEntry: Codable {
        var code: String
        var units: Int
    }
    /// Free text shown in the report as the reason for this rule.
    var note: String?
}

/// `conditions/*.yaml` and `procedures/*.yaml`: the concepts the engine finds and codes.
struct ConceptFile: Codable {
    struct Concept: Codable {
        var id: String
        var kind: ConceptKind
        var label: String
        var patterns: [String]
        var examples: Examples?
        var attributes: [String]?
        /// Per-concept reach for some attributes, where the attribute's own reach is too wide
        /// for this concept (guidance for trigger points stays within their own section).
        var reach: [String: AttributeReach]?
        var coding: [CodeRuleEntry]?
        /// Rules that each add their codes when they hold, after `coding` chose the main code:
        /// separately reported guidance (76942, 77002). Added once per note, not per site.
        var also: [CodeRuleEntry]?
        /// One finding (and so one claim line or code) per distinct value of this attribute:
        /// each joint, each nerve.
        var per: String?
        /// The value of `per` the concept is about when the note names none: impingement
        /// syndrome is the shoulder's, so the shoulder's side elsewhere in the note can be its side.
        var site: String?
        /// Procedures: condition concepts that support this procedure (medical necessity).
        var supports: [String]?
        /// Procedures: whether a line with no supporting diagnosis raises an indication query
        /// (default true; care management documents its conditions its own way).
        var indicationQuery: Bool?
        /// Conditions: concepts whose presence means this one is not coded (e.g. a definitive
        /// diagnosis that explains a symptom).
        var suppressedBy: [String]?
        /// Conditions: an attribute the combination codes read ("with radiculopathy" from
        /// `spine-neuro`). A `suppressedBy` concept that takes it suppresses this one only where
        /// its finding holds a value of it: a lumbar radiculopathy gives way to the disc disorder
        /// coded "with radiculopathy", not to a disc degeneration coded without it.
        var suppressedWhenHolding: String?
        /// Conditions: concepts that keep this one from being coded only where the note says
        /// this one is due to them ("low back pain due to lumbar spondylosis"); otherwise both
        /// are coded, as ICD-10-CM has no Excludes1 note between them.
        var explainedBy: [String]?
        /// Conditions: concepts whose words this one's mention can hold ("facet-mediated neck pain"
        /// holds "neck pain", "erosive osteoarthritis" holds "osteoarthritis"): a mention of one of
        /// them lying inside a mention of this one is part of it, not a diagnosis of its own.
        var absorbs: [String]?
        /// Conditions: a symptom (pain by site) rather than a diagnosis. Where a note states its
        /// diagnoses under a heading, a symptom named only elsewhere is not coded.
        var symptom: Bool?
        /// Conditions: the words of a reading that finds nothing ("This electrical study is
        /// normal"). Coded by nothing; under the diagnosis heading of a test's report with no
        /// diagnosis of the families, it keeps the symptoms the test was done for (outpatient
        /// guideline IV.K: the interpretation's diagnoses are coded, else the signs and symptoms).
        var normalReading: Bool?
    }
    var concepts: [Concept]
}

/// `queries.yaml`: the wording of each provider query kind.
struct QueriesFile: Codable {
    struct Template: Codable {
        var kind: String
        var title: String
        /// The question; `{finding}` is replaced by the finding's label.
        var question: String
        var options: [String]
        /// Default true. False: a diagnosis's rule raises this query only where a procedure of
        /// the note supports the diagnosis; otherwise the code stands as documented (an untreated
        /// problem-list "osteoarthritis" is M19.90, not a site query).
        var asksForUntreated: Bool?
    }
    var queries: [Template]
}

public enum ConceptKind: String, Codable, Sendable { case condition, procedure }

public enum CueCategory: String, Codable, Sendable {
    case negated, uncertain, planned, historical, other, bundled
    /// A phrase that looks like a cue but is not one ("no increase", "not only").
    case pseudo
    /// Ends a cue's scope ("but", "however").
    case terminate
    /// States that a procedure was done ("performed today", "was injected"); it overrides a
    /// planned or historical reading in the same sentence.
    case performed
}

public enum CueDirection: String, Codable, Sendable { case forward, backward, both }

public enum AttributeReach: String, Codable, Sendable {
    /// Only inside the same sentence as the finding.
    case sentence
    /// The sentence first, then the rest of the section.
    case section
    /// The sentence, the section, then anywhere in the note (checkbox blocks such as
    /// "Image saved: [x]" often stand apart from the procedure they describe).
    case note
}

/// What a context cue or section makes of a mention.
public enum AssertionCategory: String, Codable, Sendable, CaseIterable {
    case negated, uncertain, planned, historical, other
    /// Part of another service: local anesthetic in an operation, a block given as the anesthetic.
    case bundled
}
