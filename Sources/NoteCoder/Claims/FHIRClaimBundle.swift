public import Foundation

/// The claim draft as FHIR R4: a `collection` Bundle holding one draft `Claim` (diagnoses with
/// their sequence, one item per service line with its CPT/HCPCS code, modifiers, units, pointers
/// and date) and one `Task` per provider query, focused on that Claim. Each diagnosis and item
/// carries the words of the note that support it as an extension, so the evidence travels with
/// the code into whatever system reads the bundle.
///
/// NoteCoder knows neither the patient, the rendering provider nor the coverage; R4 makes them
/// required, so they are references by display only, saying so, for the billing system to fill.
/// Ids are derived from the note id, so the same note gives the same bytes on every run.
public enum FHIRClaimBundle {
    public static let evidenceExtension = "urn:notecoder:evidence"
    public static let noteIDSystem = "urn:notecoder:note-id"
    public static let queryKindSystem = "urn:notecoder:query-kind"
    static let icd10cm = "http://hl7.org/fhir/sid/icd-10-cm"
    static let cpt = "http://www.ama-assn.org/go/cpt"
    static let hcpcs = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"

    /// The bundle as JSON (keys sorted, so the bytes are stable); one line when `pretty` is off,
    /// as NDJSON wants it.
    public static func json(_ report: Report, pretty: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(bundle(report))
    }

    static func bundle(_ report: Report) -> Bundle {
        let claim = ClaimDraft(report)
        let claimURL = "urn:uuid:" + uuid(report.id, "claim")
        // R4 requires `created`; the date of service stands in, else the first day of the
        // ICD-10-CM edition the note was coded with, so the draft never carries the clock.
        let created = claim.dateOfService ?? editionStart(report.codeSets.icd10cm)
        var entries = [Entry(fullUrl: claimURL, resource: .claim(Claim(
            identifier: [Identifier(system: noteIDSystem, value: report.id)],
            status: "draft",
            type: CodeableConcept(coding: [Coding(system: "http://terminology.hl7.org/CodeSystem/claim-type", code: "professional", display: nil)], text: nil),
            use: "predetermination",
            patient: report.subject.map { reference($0, type: "Patient") }
                ?? Reference(reference: nil, display: "patient of note \(report.id) (not known to NoteCoder)"),
            created: created,
            provider: Reference(reference: nil, display: "author of note \(report.id) (not known to NoteCoder)"),
            priority: CodeableConcept(coding: [Coding(system: "http://terminology.hl7.org/CodeSystem/processpriority", code: "normal", display: nil)], text: nil),
            insurance: [Insurance(sequence: 1, focal: true, coverage: Reference(reference: nil, display: "coverage not known to NoteCoder"))],
            diagnosis: claim.diagnoses.isEmpty ? nil : claim.diagnoses.enumerated().map { offset, diagnosis in
                ClaimDiagnosis(sequence: offset + 1,
                               diagnosisCodeableConcept: CodeableConcept(coding: [Coding(system: icd10cm, code: diagnosis.code, display: diagnosis.label.isEmpty ? nil : diagnosis.label)], text: nil),
                               extension: evidence(diagnosis.evidence))
            },
            item: claim.lines.isEmpty ? nil : claim.lines.map { line in
                Item(sequence: line.number,
                     diagnosisSequence: line.pointers.isEmpty ? nil : line.pointers,
                     productOrService: CodeableConcept(coding: [Coding(system: system(of: line.code), code: line.code, display: line.label)], text: nil),
                     modifier: line.modifiers.isEmpty ? nil : line.modifiers.map { CodeableConcept(coding: [Coding(system: system(of: $0), code: $0, display: nil)], text: nil) },
                     encounter: report.encounter.map { [reference($0, type: "Encounter")] },
                     servicedDate: claim.dateOfService,
                     quantity: Quantity(value: line.units),
                     extension: evidence(line.evidence))
            })))]
        for (offset, query) in report.queries.enumerated() {
            entries.append(Entry(fullUrl: "urn:uuid:" + uuid(report.id, "query-\(offset + 1)"), resource: .task(Task(
                identifier: [Identifier(system: noteIDSystem, value: report.id)],
                status: "draft",
                intent: "proposal",
                code: CodeableConcept(coding: [Coding(system: queryKindSystem, code: query.kind, display: nil)], text: query.title),
                description: query.text,
                focus: Reference(reference: claimURL, display: nil),
                input: query.options.isEmpty ? nil : query.options.map {
                    TaskInput(type: CodeableConcept(coding: nil, text: "answer option"), valueString: $0)
                }))))
        }
        return Bundle(identifier: Identifier(system: noteIDSystem, value: report.id), type: "collection", entry: entries)
    }

    /// A FHIR reference as the export wrote it ("Patient/p1"); an identifier from another
    /// format (an HL7 PID-3, a C-CDA id) is kept as the reference's identifier.
    static func reference(_ value: String, type: String) -> Reference {
        value.hasPrefix(type + "/") || value.hasPrefix("urn:") || value.contains("/\(type)/")
            ? Reference(reference: value, display: nil)
            : Reference(reference: nil, display: nil, identifier: Identifier(system: "urn:notecoder:source-id", value: value))
    }

    static func evidence(_ evidence: [Evidence]) -> [Extension]? {
        evidence.isEmpty ? nil : evidence.map { e in
            Extension(url: evidenceExtension, valueString: "\"\(e.text)\" (\(e.section.map { "\($0), " } ?? "")line \(e.line))")
        }
    }

    /// HCPCS Level II codes and modifiers start with a letter; CPT codes are five digits (or
    /// four and a letter for Category II/III), CPT modifiers two digits.
    static func system(of code: String) -> String {
        guard let first = code.utf8.first else { return cpt }
        let isDigit = first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")
        return isDigit ? cpt : hcpcs
    }

    /// "FY2025" began on 2024-10-01.
    static func editionStart(_ edition: String) -> String {
        guard edition.hasPrefix("FY"), let year = Int(edition.dropFirst(2)) else { return "1970-01-01" }
        return "\(year - 1)-10-01"
    }

    /// A stable UUID-shaped name for a resource of a note: two FNV-1a hashes of the note id and
    /// the resource's role, printed as 8-4-4-4-12 hex digits.
    static func uuid(_ noteID: String, _ role: String) -> String {
        func fnv(_ seed: UInt64) -> UInt64 {
            var hash = seed
            for byte in (noteID + "\u{1F}" + role).utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
            return hash
        }
        let hex = String(format: "%016llx%016llx", fnv(0xcbf29ce484222325), fnv(0x84222325cbf29ce4))
        let digits = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(digits[$0]) }.joined(separator: "-")
    }

    // MARK: The resources, as much of R4 as the draft fills

    struct Bundle: Encodable {
        let resourceType = "Bundle"
        var identifier: Identifier
        var type: String
        var entry: [Entry]
    }

    struct Entry: Encodable {
        var fullUrl: String
        var resource: Resource
    }

    enum Resource: Encodable {
        case claim(Claim)
        case task(Task)
        func encode(to encoder: any Encoder) throws {
            switch self {
            case let .claim(claim): try claim.encode(to: encoder)
            case let .task(task): try task.encode(to: encoder)
            }
        }
    }

    struct Claim: Encodable {
        let resourceType = "Claim"
        var identifier: [Identifier]
        var status: String
        var type: CodeableConcept
        var use: String
        var patient: Reference
        var created: String
        var provider: Reference
        var priority: CodeableConcept
        var insurance: [Insurance]
        var diagnosis: [ClaimDiagnosis]?
        var item: [Item]?
    }

    struct Task: Encodable {
        let resourceType = "Task"
        var identifier: [Identifier]
        var status: String
        var intent: String
        var code: CodeableConcept
        var description: String
        var focus: Reference
        var input: [TaskInput]?
    }

    struct TaskInput: Encodable {
        var type: CodeableConcept
        var valueString: String
    }

    struct Identifier: Encodable {
        var system: String
        var value: String
    }

    struct Coding: Encodable {
        var system: String
        var code: String
        var display: String?
    }

    struct CodeableConcept: Encodable {
        var coding: [Coding]?
        var text: String?
    }

    struct Reference: Encodable {
        var reference: String?
        var display: String?
        var identifier: Identifier? = nil
    }

    struct Insurance: Encodable {
        var sequence: Int
        var focal: Bool
        var coverage: Reference
    }

    struct ClaimDiagnosis: Encodable {
        var sequence: Int
        var diagnosisCodeableConcept: CodeableConcept
        var `extension`: [Extension]?
    }

    struct Item: Encodable {
        var sequence: Int
        var diagnosisSequence: [Int]?
        var productOrService: CodeableConcept
        var modifier: [CodeableConcept]?
        var encounter: [Reference]?
        var servicedDate: String?
        var quantity: Quantity
        var `extension`: [Extension]?
    }

    struct Quantity: Encodable {
        var value: Int
    }

    struct Extension: Encodable {
        var url: String
        var valueString: String
    }
}
