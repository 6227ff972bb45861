/// Words of the note that support a suggestion, placed so a coder can find them.
public struct Evidence: Codable, Sendable, Equatable {
    public var text: String
    public var section: String?
    public var line: Int
    public var start: Int
    public var end: Int
}

public struct DiagnosisSuggestion: Codable, Sendable {
    public var code: String
    public var label: String
    public var concept: String
    /// `suggested`, or `pending-query` when a query may change the code.
    public var status: String
    public var pendingQueries: [String]
    public var attributes: [String: [String]]
    public var evidence: [Evidence]
    /// The lexicon rule that chose the code (file:line).
    public var rule: String
}

public struct ProcedureSuggestion: Codable, Sendable {
    public var code: String
    public var label: String
    public var concept: String
    public var modifiers: [String]
    public var units: Int
    /// Diagnosis codes this line points to.
    public var diagnoses: [String]
    public var status: String
    public var pendingQueries: [String]
    public var attributes: [String: [String]]
    public var evidence: [Evidence]
    public var rule: String
}

/// A provider query ready to send: the note's own indicators, a neutral question, the options.
public struct ProviderQuery: Codable, Sendable {
    public var kind: String
    public var title: String
    public var about: String
    public var question: String
    public var options: [String]
    public var indicators: [Evidence]
    /// The whole query as text, for copying into a message to the provider.
    public var text: String
}

/// Something the engine saw and did not code, and why.
public struct ExcludedFinding: Codable, Sendable {
    public var concept: String
    public var label: String
    /// `negated`, `uncertain`, `planned`, `historical`, `other`, `bundled`, `suppressed`, `no-code`, `edit`.
    public var reason: String
    /// The words or section that decided it.
    public var cue: String?
    public var evidence: Evidence
}

public struct CodeSetsUsed: Codable, Sendable {
    public var icd10cm: String
    public var icd10cmNote: String?
    public var procedures: String
}

/// The result for one note; its JSON carries the gold fields of FORMAT.md with richer objects.
public struct Report: Codable, Sendable {
    public var id: String
    public var dateOfService: String?
    /// `flag` (given by the caller), `note` (read from the text) or `none`.
    public var dateSource: String
    public var codeSets: CodeSetsUsed
    public var diagnoses: [DiagnosisSuggestion]
    public var procedures: [ProcedureSuggestion]
    public var queries: [ProviderQuery]
    public var excluded: [ExcludedFinding]
    public var warnings: [String]
    /// Claim edits that applied to the suggestions (NCCI pairs, unit limits, add-ons, Excludes1).
    public var edits: [EditFinding] = []
    /// The patient and the visit as the input named them (absent when it did not).
    public var subject: String? = nil
    public var encounter: String? = nil
}
