import CSV
import Foundation

/// How batch results are written: JSON Lines, CSV rows, query rows, error rows.
///
/// CSV follows RFC 4180: comma-separated, a field quoted when it holds a comma, a quote or a
/// line break, quotes doubled, rows ended by `\n`. A cell a spreadsheet would run as a formula
/// is written as text unless the caller turns the guard off (`formulaGuarded`).
public enum BatchFormats {
    public static let resultsHeader = ["note_id", "code", "kind", "code_set", "label", "modifiers", "units", "diagnoses",
                                       "status", "pending_queries", "evidence", "record"]
    public static let queriesHeader = ["note_id", "kind", "about", "title", "question", "options", "text", "record"]
    public static let errorsHeader = ["note_id", "record", "line", "kind", "detail"]

    /// The status of the one row written for a note with no code at all, so that every coded
    /// note appears in a CSV output (and a resumed run knows it was done).
    public static let noCodesStatus = "no-codes"

    public static func csvRow(_ fields: [String], guardFormulas: Bool = false) -> String {
        fields.map { csvField(guardFormulas ? formulaGuarded($0) : $0) }.joined(separator: ",") + "\n"
    }

    /// A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which some
    /// spreadsheets skip before reading one of those) gets a leading `'`, so a spreadsheet shows
    /// it as text instead of running it as a formula (CWE-1236). Note ids and quotes come from
    /// the export: a quoted list item "- Chronic low back pain" is a formula to Excel, and an id
    /// `=HYPERLINK(…)` would run on the coder's machine. Every other cell is left as it is.
    public static func formulaGuarded(_ cell: String) -> String {
        switch cell.utf8.first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: "'" + cell
        default: cell
        }
    }

    public static func csvField(_ field: String) -> String {
        var needsQuotes = false
        for byte in field.utf8 where byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D {
            needsQuotes = true
            break
        }
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One JSON line: the report as `suggest --format json` gives it, on one line.
    public static func jsonLine(_ report: Report) throws -> [UInt8] {
        var bytes = [UInt8](try report.jsonData(pretty: false))
        bytes.append(0x0A)
        return bytes
    }

    /// The report line of `--errors inline`: the report with its input's `record` among its
    /// keys (sorted like the others), so the line joins back to the input on its own.
    public static func jsonLine(_ report: Report, record: Int) throws -> [UInt8] {
        var bytes = [UInt8](try lineEncoder.encode(NumberedReport(report: report, record: record)))
        bytes.append(0x0A)
        return bytes
    }

    /// The error line of `--errors inline`, in the order the contract states it (id, record,
    /// error), with `"id": null` when the record was too broken to have one. Built by hand
    /// because JSONEncoder without sorted keys does not promise an order.
    public static func errorLine(_ failure: BatchFailure) -> [UInt8] {
        let id = failure.id.isEmpty ? "null" : jsonString(failure.id)
        let line = "{\"id\":\(id),\"record\":\(failure.ordinal),\"error\":{\"kind\":\(jsonString(failure.kind.rawValue)),"
            + "\"detail\":\(jsonString(failure.detail))}}\n"
        return Array(line.utf8)
    }

    /// Options as `Report.jsonData(pretty: false)` uses them, so a report line with a record
    /// is that report's bytes with one key more.
    private static let lineEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    private static func jsonString(_ text: String) -> String {
        // A String always encodes; the fallback only keeps the signature free of `throws`.
        (try? lineEncoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }

    /// The report's own keys and `record`, in one JSON object.
    private struct NumberedReport: Encodable {
        var report: Report
        var record: Int

        enum Keys: String, CodingKey { case record }

        func encode(to encoder: any Encoder) throws {
            try report.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(record, forKey: .record)
        }
    }

    public static func codeSet(ofProcedure code: String) -> String {
        guard let first = code.utf8.first else { return "CPT" }
        return (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) ? "CPT" : "HCPCS"
    }

    /// The family a code is counted under in the summary: the ICD-10-CM category (three
    /// characters), or the CPT/HCPCS code itself.
    public static func family(ofDiagnosis code: String) -> String {
        String(code.prefix { $0 != "." }.prefix(3))
    }

    static func evidenceText(_ evidence: [Evidence]) -> String {
        evidence.map { e in
            "\(e.text) (" + (e.section.map { "\($0), " } ?? "") + "line \(e.line))"
        }.joined(separator: " | ")
    }

    /// Rows of the CSV output for one report: one per diagnosis and per procedure line, each
    /// ending with the input record's ordinal. The ordinal is what tells two notes with the same
    /// id apart (an export that repeats an id, a visit sent twice), so a resumed run knows where
    /// one note's rows end and the next one's begin.
    public static func resultRows(_ report: Report, record: Int, guardFormulas: Bool) -> String {
        let ordinal = String(record)
        var out = ""
        for d in report.diagnoses {
            out += csvRow([report.id, d.code, "diagnosis", "ICD-10-CM", d.label, "", "", "", d.status,
                           d.pendingQueries.joined(separator: ";"), evidenceText(d.evidence), ordinal], guardFormulas: guardFormulas)
        }
        for p in report.procedures {
            out += csvRow([report.id, p.code, "procedure", codeSet(ofProcedure: p.code), p.label, p.modifiers.joined(separator: ";"),
                           String(p.units), p.diagnoses.joined(separator: ";"), p.status, p.pendingQueries.joined(separator: ";"),
                           evidenceText(p.evidence), ordinal], guardFormulas: guardFormulas)
        }
        if out.isEmpty {
            out = csvRow([report.id, "", "", "", "", "", "", "", noCodesStatus, "", "", ordinal], guardFormulas: guardFormulas)
        }
        return out
    }

    /// Rows of the queries file for one report: one ready-to-send query per row.
    /// The last cell is the input record's ordinal, as in the results and errors files.
    public static func queryRows(_ report: Report, record: Int, guardFormulas: Bool) -> String {
        var out = ""
        for q in report.queries {
            out += csvRow([report.id, q.kind, q.about, q.title, q.question, q.options.joined(separator: " | "), q.text, String(record)],
                          guardFormulas: guardFormulas)
        }
        return out
    }

    /// Every row of a CSV text, read with CSV.swift (for reading back files this program wrote).
    static func parseCSV(_ text: String) -> [[String]] {
        guard let reader = try? CSVReader(string: text, hasHeaderRow: false) else { return [] }
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        return rows
    }

    public static func errorRow(_ failure: BatchFailure, guardFormulas: Bool) -> String {
        csvRow([failure.id, String(failure.ordinal), failure.line.map(String.init) ?? "", failure.kind.rawValue, failure.detail],
               guardFormulas: guardFormulas)
    }
}

/// What one note adds to the summary.
public struct NoteTally: Sendable, Equatable {
    public var diagnoses: [String: Int] = [:]
    public var procedures: [String: Int] = [:]
    public var queries: [String: Int] = [:]

    public init() {}

    init(_ report: Report) {
        for d in report.diagnoses { diagnoses[BatchFormats.family(ofDiagnosis: d.code), default: 0] += 1 }
        for p in report.procedures { procedures[p.code, default: 0] += 1 }
        for q in report.queries { queries[q.kind, default: 0] += 1 }
    }
}
