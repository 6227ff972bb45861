public import Foundation

extension Report {
    /// JSON with sorted keys, so the same note and lexicons give the same bytes on every run.
    public func jsonData(pretty: Bool = true) throws -> Data {
        try (pretty ? Self.prettyEncoder : Self.compactEncoder).encode(self)
    }

    // Made once: a batch encodes a report per note, and JSONEncoder is safe to share once set up.
    private static let prettyEncoder = encoder([.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
    private static let compactEncoder = encoder([.sortedKeys, .withoutEscapingSlashes])

    private static func encoder(_ formatting: JSONEncoder.OutputFormatting) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = formatting
        return encoder
    }

    /// The report for people: diagnoses, procedures, queries, then what was set aside and why.
    public func text() -> String {
        var out: [String] = []
        func place(_ e: Evidence) -> String { (e.section.map { "\($0), " } ?? "") + "line \(e.line)" }
        let dateLine: String
        switch dateSource {
        case "flag": dateLine = "\(dateOfService ?? "?") (given)"
        case "note": dateLine = "\(dateOfService ?? "?") (from the note)"
        default: dateLine = "not documented"
        }
        out.append("NoteCoder report — \(id)")
        out.append("Date of service: \(dateLine); ICD-10-CM \(codeSets.icd10cm)\(codeSets.icd10cmNote.map { " (\($0))" } ?? ""); \(codeSets.procedures)")
        for warning in warnings { out.append("Warning: \(warning)") }
        out.append("")
        out.append("DIAGNOSES")
        if diagnoses.isEmpty { out.append("  (none)") }
        for d in diagnoses {
            let pending = d.pendingQueries.isEmpty ? "" : "  [pending query: \(d.pendingQueries.joined(separator: ", "))]"
            out.append("  \(d.code)  \(d.label)\(pending)")
            for e in d.evidence { out.append("        \"\(e.text)\" (\(place(e)))") }
        }
        out.append("")
        out.append("PROCEDURES")
        if procedures.isEmpty { out.append("  (none)") }
        for p in procedures {
            let modifiers = p.modifiers.isEmpty ? "" : "-" + p.modifiers.joined(separator: "-")
            let pointers = p.diagnoses.isEmpty ? "no supporting diagnosis" : "for " + p.diagnoses.joined(separator: ", ")
            let pending = p.pendingQueries.isEmpty ? "" : "  [pending query: \(p.pendingQueries.joined(separator: ", "))]"
            out.append("  \(p.code)\(modifiers) x\(p.units)  \(p.label) — \(pointers)\(pending)")
            for e in p.evidence { out.append("        \"\(e.text)\" (\(place(e)))") }
        }
        out.append("")
        out.append("CLAIM EDITS")
        if edits.isEmpty { out.append("  (none)") }
        for e in edits {
            out.append("  [\(e.status.rawValue)] \(e.kind.rawValue) \(e.codes.joined(separator: " + ")): \(e.message)")
            out.append("        source: \(e.source)")
        }
        out.append("")
        out.append("PROVIDER QUERIES")
        if queries.isEmpty { out.append("  (none)") }
        for (i, q) in queries.enumerated() {
            out.append("  \(i + 1). [\(q.kind)] \(q.about)")
            for line in q.text.split(separator: "\n", omittingEmptySubsequences: false) { out.append("     " + line) }
            out.append("")
        }
        out.append("SEEN, NOT CODED")
        if excluded.isEmpty { out.append("  (none)") }
        for x in excluded {
            let cue = x.cue.map { ": '\($0)'" } ?? ""
            out.append("  \(x.label) — \(x.reason)\(cue)  (\(place(x.evidence)))")
        }
        return out.joined(separator: "\n") + "\n"
    }
}
