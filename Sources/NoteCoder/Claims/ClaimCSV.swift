/// The claim draft as the flat file billing services import: one row per service line, shaped
/// like an 837P professional claim line (date of service, code, four modifiers, units, four
/// diagnosis pointers) with the claim's diagnosis list A–L repeated on every row, so each row
/// stands alone in a spreadsheet or an import mapping.
public enum ClaimCSV {
    public static let header: [String] = ["note_id", "date_of_service", "line", "procedure_code"]
        + (1...ClaimDraft.maxModifiers).map { "modifier_\($0)" } + ["units"]
        + (1...ClaimDraft.maxPointers).map { "pointer_\($0)" }
        + (1...ClaimDraft.maxDiagnoses).map { "diagnosis_\(ClaimDraft.letter($0).lowercased())" }
        + ["pending_queries", "warnings"]

    /// The header of a batch's claim file: the rows, then the input record's ordinal.
    public static let batchHeader = header + ["record"]

    /// A note with diagnoses and no procedure line still gives one row, its line fields empty,
    /// so its diagnosis list reaches the import; a note with neither gives one empty row, so
    /// every note coded appears (and a resumed run knows it was done).
    /// One note's claim file as `suggest` and the server give it: the header, then the rows.
    public static func document(_ report: Report) -> String {
        BatchFormats.csvRow(header) + rows(report, guardFormulas: true)
    }

    /// `record` (batch only) adds the input record's ordinal as a last cell, as the batch's
    /// header does (`batchHeader`): it keeps two notes with one id apart for a resumed run.
    public static func rows(_ report: Report, guardFormulas: Bool, record: Int? = nil) -> String {
        let tail = record.map { [String($0)] } ?? []
        let claim = ClaimDraft(report)
        let diagnosisCells = (0..<ClaimDraft.maxDiagnoses).map { $0 < claim.diagnoses.count ? claim.diagnoses[$0].code : "" }
        let warnings = claim.warnings.joined(separator: "; ")
        func padded(_ values: [String], to count: Int) -> [String] { values + Array(repeating: "", count: count - values.count) }
        guard !claim.lines.isEmpty else {
            return BatchFormats.csvRow(
                [claim.noteID, claim.dateOfService ?? "", "", ""] + padded([], to: ClaimDraft.maxModifiers) + [""]
                    + padded([], to: ClaimDraft.maxPointers) + diagnosisCells + ["", warnings] + tail,
                guardFormulas: guardFormulas)
        }
        var out = ""
        for line in claim.lines {
            out += BatchFormats.csvRow(
                [claim.noteID, claim.dateOfService ?? "", String(line.number), line.code]
                    + padded(line.modifiers, to: ClaimDraft.maxModifiers) + [String(line.units)]
                    + padded(line.pointers.map(ClaimDraft.letter), to: ClaimDraft.maxPointers)
                    + diagnosisCells + [line.pendingQueries.joined(separator: ";"), warnings] + tail,
                guardFormulas: guardFormulas)
        }
        return out
    }
}
