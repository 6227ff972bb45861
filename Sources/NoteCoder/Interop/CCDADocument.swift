import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A note out of a C-CDA document (Progress Note, Procedure Note, Consultation Note, …): each
/// section of the structured body becomes a heading and its narrative block, in document order,
/// so the engine reads the headings it knows ("ASSESSMENT:", "PROCEDURE DESCRIPTION:"). A
/// section is named by its LOINC code where the code is one of the note sections below, else by
/// its own title. The id is the document's `id` (extension, else root), the date of service the
/// `effectiveTime` of the encompassing encounter, else of the document.
///
/// Parsed with Foundation's XMLParser, without loading external entities.
public enum CCDADocument {
    /// LOINC section codes of the C-CDA note templates, with the heading our sections read.
    static let sectionNames: [String: String] = [
        "10154-3": "CHIEF COMPLAINT", "46239-0": "CHIEF COMPLAINT AND REASON FOR VISIT", "29299-5": "REASON FOR VISIT",
        "10164-2": "HISTORY OF PRESENT ILLNESS", "11348-0": "PAST MEDICAL HISTORY", "47519-4": "PROCEDURES",
        "10157-6": "FAMILY HISTORY", "29762-2": "SOCIAL HISTORY", "10187-3": "REVIEW OF SYSTEMS",
        "10160-0": "MEDICATIONS", "48765-2": "ALLERGIES", "29545-1": "PHYSICAL EXAMINATION", "8716-3": "VITAL SIGNS",
        "30954-2": "RESULTS", "51848-0": "ASSESSMENT", "51847-2": "ASSESSMENT AND PLAN", "18776-5": "PLAN",
        "11450-4": "PROBLEM LIST", "10219-4": "PREOPERATIVE DIAGNOSIS", "10218-6": "POSTOPERATIVE DIAGNOSIS",
        "59768-2": "PROCEDURE INDICATIONS", "29554-3": "PROCEDURE DESCRIPTION", "59776-5": "PROCEDURE FINDINGS",
        "59775-7": "PROCEDURE SPECIMENS TAKEN", "29549-3": "MEDICATIONS ADMINISTERED", "59770-8": "PROCEDURE ESTIMATED BLOOD LOSS",
        "61149-1": "OBJECTIVE", "61150-9": "SUBJECTIVE", "42349-1": "REASON FOR REFERRAL", "11329-0": "HISTORY GENERAL",
        "10183-2": "HOSPITAL DISCHARGE MEDICATIONS", "8648-8": "HOSPITAL COURSE", "11535-2": "HOSPITAL DISCHARGE DIAGNOSIS",
        "46240-8": "HISTORY OF ENCOUNTERS", "55109-3": "COMPLICATIONS", "10216-0": "SURGICAL OPERATION NOTE FLUIDS",
        "59769-0": "POSTPROCEDURE DIAGNOSIS", "10223-1": "POSTOPERATIVE DIAGNOSIS",
    ]

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case notXML(String)
        case notClinicalDocument
        case noSections
        case badDate(String)
        case invalidUTF8(byteOffset: Int)

        public var description: String {
            switch self {
            case let .invalidUTF8(offset): "a UTF-8 document with bytes that are not UTF-8 at byte \(offset)"
            case let .notXML(place): "not well-formed XML (\(place))"
            case .notClinicalDocument: "not a ClinicalDocument"
            case .noSections: "no section with narrative text"
            case let .badDate(value): "effectiveTime \(value.prefix(20)) is not a date"
            }
        }
    }

    /// UTF-8 is XML's default: no declaration, or one without `encoding`, or `encoding="UTF-8"`.
    static func declaresUTF8(_ bytes: [UInt8]) -> Bool {
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) { return false }
        let head = String(decoding: bytes.prefix(200), as: UTF8.self)
        guard head.hasPrefix("<?xml") || head.hasPrefix("\u{FEFF}<?xml"), let end = head.range(of: "?>") else { return true }
        let declaration = head[..<end.lowerBound].lowercased()
        guard let encoding = declaration.range(of: "encoding") else { return true }
        let value = declaration[encoding.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }
        return value.hasPrefix("utf-8") || value.hasPrefix("utf8")
    }

    /// Whether bytes look like a C-CDA document: XML whose first element is ClinicalDocument.
    public static func looksLikeCCDA(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self)
        return head.contains("<ClinicalDocument")
    }

    public static func note(_ bytes: [UInt8], fallbackID: String) -> Result<Note, Failure> {
        // Foundation's XMLParser traps (the whole process stops) on bytes that are not UTF-8 in
        // an attribute of a UTF-8 document (found by make fuzz): such a document is refused here,
        // by position, before it reaches the parser. A document declaring another encoding, or
        // starting with a UTF-16 byte order mark, is transcoded by libxml2 and left to it.
        if declaresUTF8(bytes), let offset = UTF8Validation.firstInvalidByte(in: bytes) {
            return .failure(.invalidUTF8(byteOffset: offset))
        }
        let reader = Reader()
        let parser = XMLParser(data: Data(bytes))
        parser.shouldResolveExternalEntities = false
        parser.delegate = reader
        guard parser.parse() else {
            return .failure(.notXML(parser.parserError.map { "line \(parser.lineNumber): \(($0 as NSError).code)" } ?? "line \(parser.lineNumber)"))
        }
        guard reader.sawClinicalDocument else { return .failure(.notClinicalDocument) }
        let sections = reader.sections.filter { !$0.text.allSatisfy(\.isWhitespace) }
        guard !sections.isEmpty else { return .failure(.noSections) }
        var text = ""
        for section in sections {
            let name = section.code.flatMap { sectionNames[$0] } ?? section.title.map { $0.uppercased() } ?? "SECTION"
            text += name + ":\n" + tidy(section.text) + "\n\n"
        }
        var day: Day?
        if let time = reader.encounterTime ?? reader.documentTime {
            // A CDA TS value starts with the day, YYYYMMDD.
            guard let parsed = try? Day(compact: String(time.prefix(8))) else { return .failure(.badDate(time)) }
            day = parsed
        }
        var note = Note(id: reader.documentID ?? fallbackID, bytes: Array(text.utf8), dateOfService: day)
        note.subject = reader.patientID
        note.encounter = reader.encounterID
        return .success(note)
    }

    /// One line per block; runs of spaces inside a line made one, blank lines kept single.
    static func tidy(_ text: String) -> String {
        var lines: [String] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            if line.isEmpty && (lines.last?.isEmpty ?? true) { continue }
            lines.append(line)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    struct Section {
        var code: String?
        var title: String?
        var text = ""
    }

    /// Walks the document: the header's id and times, then each section's code, title and
    /// narrative (`text`), block elements of the narrative as line breaks.
    final class Reader: NSObject, XMLParserDelegate {
        var sawClinicalDocument = false
        var documentID: String?
        var documentTime: String?
        var encounterTime: String?
        var patientID: String?
        var encounterID: String?
        var sections: [Section] = []
        private var path: [String] = []
        private var sectionDepth: [Int] = []
        private var textDepth: Int?
        private var inTitle = false
        private static let blocks: Set<String> = ["paragraph", "item", "tr", "br", "caption", "list", "table", "thead", "tbody"]

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let local = name.split(separator: ":").last.map(String.init) ?? name
            if path.isEmpty { sawClinicalDocument = local == "ClinicalDocument" }
            let parent = path.last
            path.append(local)
            if textDepth != nil {
                if Self.blocks.contains(local) { sections[sections.count - 1].text += "\n" }
                if local == "td" || local == "th" { sections[sections.count - 1].text += " " }
                return
            }
            switch local {
            case "id" where path.count == 2:
                documentID = attributes["extension"].flatMap { $0.isEmpty ? nil : $0 } ?? attributes["root"]
            case "effectiveTime" where path.count == 2:
                documentTime = attributes["value"]
            case "id" where parent == "patientRole" && patientID == nil:
                patientID = attributes["extension"] ?? attributes["root"]
            case "id" where parent == "encompassingEncounter" && encounterID == nil:
                encounterID = attributes["extension"] ?? attributes["root"]
            case "low", "effectiveTime":
                if path.contains("encompassingEncounter"), encounterTime == nil, let value = attributes["value"] { encounterTime = value }
            case "section":
                sections.append(Section())
                sectionDepth.append(path.count)
            case "code" where parent == "section" && path.count == (sectionDepth.last ?? -1) + 1:
                sections[sections.count - 1].code = attributes["code"]
            case "title" where parent == "section" && path.count == (sectionDepth.last ?? -1) + 1:
                inTitle = true
            case "text" where parent == "section" && path.count == (sectionDepth.last ?? -1) + 1:
                textDepth = path.count
            default:
                break
            }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if let depth = textDepth, path.count == depth { textDepth = nil }
            if inTitle, path.last == "title" { inTitle = false }
            if let depth = sectionDepth.last, path.count == depth { sectionDepth.removeLast() }
            path.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !sections.isEmpty else { return }
            if textDepth != nil {
                sections[sections.count - 1].text += string
            } else if inTitle {
                sections[sections.count - 1].title = (sections[sections.count - 1].title ?? "") + string
            }
        }
    }
}
