/// One claim edit that applies to a note's suggestions, the way a claim scrubber reports it:
/// which edit, which codes, what NoteCoder did about it, why, and from which table.
public struct EditFinding: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// NCCI procedure-to-procedure pair.
        case ptp
        /// Medically unlikely edit (units per day).
        case mue
        /// Add-on code without its primary code.
        case addOn = "add-on"
        /// ICD-10-CM Excludes1 pair.
        case excludes1
    }

    public enum Status: String, Codable, Sendable, CaseIterable {
        /// The line was taken off the suggestions (listed under `excluded` with reason `edit`).
        case withdrawn
        /// The edit is met by a modifier the line carries (XS added, or already there, or RT/LT).
        case bypassed
        /// Left for the coder: the suggestions as they stand would trip the edit.
        case flagged
    }

    public var kind: Kind
    /// The codes involved, the one acted on last (column two, the add-on, the second diagnosis).
    public var codes: [String]
    public var status: Status
    /// What the edit says and what was done, in plain words.
    public var message: String
    /// The table and edition used, e.g. "NCCI procedure-to-procedure edits, practitioner, 2024 Q3,
    /// effective 2024-07-01 (ncci-ptp-practitioner-2024q3-pain-codes.tsv)".
    public var source: String

    public init(kind: Kind, codes: [String], status: Status, message: String, source: String) {
        self.kind = kind
        self.codes = codes
        self.status = status
        self.message = message
        self.source = source
    }
}

extension ProcedureSuggestion {
    /// The status of a procedure line a claim edit flagged (an add-on without its primary, units
    /// above the day's limit, a pair without a separate site); the edit itself is in `Report.edits`.
    public static let editFlaggedStatus = "edit-flagged"
}
