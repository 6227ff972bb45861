import Foundation

/// Notes out of a FHIR R4 `Bundle` document (searchset, collection, batch, transaction): each
/// `DocumentReference` entry is a note, in bundle order. An attachment that points to a `Binary`
/// of the same bundle (`url` = the entry's `fullUrl`, `Binary/ID`, or a URL ending so) takes that
/// Binary's content type and data, so the note is read exactly as an inline attachment is
/// (`JSONRecord`: text/plain, or text/html with its tags stripped; the date from
/// `context.period.start` or `date`). Entries of other types (Patient, Encounter, Binary) are
/// context, not notes, and are passed over.
public enum FHIRBundleInput {
    public enum Item: Sendable {
        /// A DocumentReference, ready for `JSONRecord`, with its place in the bundle.
        case resource([UInt8], entry: Int)
        case problem(id: String?, entry: Int, detail: String)
    }

    /// Whether a whole JSON document is a Bundle (the first bytes name it).
    static func isBundle(_ object: Any) -> Bool {
        (object as? [String: Any])?["resourceType"] as? String == "Bundle"
    }

    /// The DocumentReference entries of a Bundle, their Binary references resolved.
    public static func items(_ bundle: [String: Any]) -> [Item] {
        let entries = bundle["entry"] as? [[String: Any]] ?? []
        var binaries = Binaries()
        for entry in entries {
            guard let resource = entry["resource"] as? [String: Any] else { continue }
            binaries.add(resource, fullUrl: entry["fullUrl"] as? String)
        }
        var items: [Item] = []
        for (index, entry) in entries.enumerated() {
            guard let resource = entry["resource"] as? [String: Any], resource["resourceType"] as? String == "DocumentReference" else { continue }
            switch binaries.resolve(resource) {
            case let .success(bytes): items.append(.resource(bytes, entry: index + 1))
            case let .failure(problem): items.append(.problem(id: resource["id"] as? String, entry: index + 1, detail: problem.detail))
            }
        }
        return items
    }

    struct Problem: Error { var detail: String }

    /// The Binary resources a DocumentReference's attachment may point to, by `fullUrl` and by
    /// `Binary/ID`.
    struct Binaries {
        private var byURL: [String: [String: Any]] = [:]

        mutating func add(_ resource: [String: Any], fullUrl: String?) {
            guard resource["resourceType"] as? String == "Binary" else { return }
            if let fullUrl { byURL[fullUrl] = resource }
            if let id = resource["id"] as? String { byURL["Binary/" + id] = resource }
        }

        func binary(_ url: String) -> [String: Any]? {
            if let found = byURL[url] { return found }
            // An absolute URL of the server: ".../fhir/Binary/123".
            if let range = url.range(of: "Binary/", options: .backwards) { return byURL[String(url[range.lowerBound...])] }
            return nil
        }

        /// The DocumentReference as JSON, each attachment that names a Binary given its data.
        func resolve(_ document: [String: Any]) -> Result<[UInt8], Problem> {
            var resource = document
            if var contents = resource["content"] as? [[String: Any]] {
                for (position, content) in contents.enumerated() {
                    guard var attachment = content["attachment"] as? [String: Any], attachment["data"] == nil,
                          let url = attachment["url"] as? String else { continue }
                    guard let target = binary(url) else {
                        return .failure(Problem(detail: "the attachment points to \(url), which is not a Binary of this export"))
                    }
                    attachment["data"] = target["data"]
                    if attachment["contentType"] == nil { attachment["contentType"] = target["contentType"] }
                    contents[position]["attachment"] = attachment
                }
                resource["content"] = contents
            }
            guard let bytes = try? JSONSerialization.data(withJSONObject: resource, options: [.sortedKeys]) else {
                return .failure(Problem(detail: "the DocumentReference could not be read"))
            }
            return .success([UInt8](bytes))
        }
    }

    /// A FHIR bulk-data export folder: `DocumentReference.ndjson` (one resource a line) beside
    /// `Binary.ndjson`, the attachments' `url` naming the Binary (`Binary/ID`). Each line is a
    /// record, numbered by its line; a line that is not a DocumentReference, or whose Binary the
    /// export does not hold, is an error naming it. Both files are read whole.
    public static func bulkRecords(folder: String) throws(BatchError) -> [InputRecord]? {
        let documents = (folder as NSString).appendingPathComponent("DocumentReference.ndjson")
        guard let bytes = try FileBytes.read(documents) else { return nil }
        var binaries = Binaries()
        if let binaryBytes = try FileBytes.read((folder as NSString).appendingPathComponent("Binary.ndjson")) {
            for line in binaryBytes.split(separator: 0x0A) where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) {
                if let resource = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] {
                    binaries.add(resource, fullUrl: nil)
                }
            }
        }
        var records: [InputRecord] = []
        for (index, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            guard !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) else { continue }
            let ordinal = records.count + 1
            guard let resource = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else {
                // The worker names what is wrong with a line that is not JSON, as for any NDJSON.
                records.append(InputRecord(ordinal: ordinal, line: index + 1, endOffset: 0, content: .json(Array(line))))
                continue
            }
            switch binaries.resolve(resource) {
            case let .success(json):
                records.append(InputRecord(ordinal: ordinal, line: index + 1, endOffset: 0, content: .json(json)))
            case let .failure(problem):
                records.append(InputRecord(ordinal: ordinal, line: index + 1, endOffset: 0,
                                           content: .broken(id: resource["id"] as? String, kind: .brokenRecord, detail: problem.detail)))
            }
        }
        return records
    }
}

/// The text a coder sees in an HTML attachment: tags dropped, block elements as line breaks,
/// the common character references decoded, script and style left out.
enum HTMLText {
    static let blocks: Set<String> = ["p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
                                      "section", "article", "header", "footer", "pre", "blockquote", "dt", "dd", "title"]

    static func text(_ html: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(html.count)
        var index = 0
        var skipping: [UInt8]?
        while index < html.count {
            let byte = html[index]
            if byte == UInt8(ascii: "<") {
                guard let close = html[index...].firstIndex(of: UInt8(ascii: ">")) else { break }
                let inside = html[(index + 1)..<close]
                let closing = inside.first == UInt8(ascii: "/")
                let name = Array(inside.drop(while: { $0 == UInt8(ascii: "/") }).prefix { isNameByte($0) }).map(lower)
                if let skip = skipping {
                    if closing && name == skip { skipping = nil }
                } else if !closing && (name == Array("script".utf8) || name == Array("style".utf8)) {
                    skipping = name
                } else if name == Array("br".utf8) {
                    // A line break is one, each time: two in a row are a blank line.
                    out.append(0x0A)
                } else if blocks.contains(String(decoding: name, as: UTF8.self)), out.last != 0x0A, !out.isEmpty {
                    out.append(0x0A)
                }
                index = close + 1
                continue
            }
            if skipping != nil { index += 1; continue }
            if byte == UInt8(ascii: "&"), let semicolon = html[index...].prefix(10).firstIndex(of: UInt8(ascii: ";")),
               let decoded = entity(Array(html[(index + 1)..<semicolon])) {
                out += decoded
                index = semicolon + 1
                continue
            }
            if byte == 0x0D || byte == 0x0A || byte == 0x09 || byte == 0x20 {
                if out.last != 0x20 && out.last != 0x0A && !out.isEmpty { out.append(0x20) }
            } else {
                out.append(byte)
            }
            index += 1
        }
        while out.last == 0x20 || out.last == 0x0A { out.removeLast() }
        out.append(0x0A)
        return out
    }

    static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 0x20 : b }

    static func entity(_ name: [UInt8]) -> [UInt8]? {
        switch String(decoding: name, as: UTF8.self) {
        case "amp": return [UInt8(ascii: "&")]
        case "lt": return [UInt8(ascii: "<")]
        case "gt": return [UInt8(ascii: ">")]
        case "quot": return [UInt8(ascii: "\"")]
        case "apos", "#39": return [UInt8(ascii: "'")]
        case "nbsp": return [0x20]
        default:
            guard name.first == UInt8(ascii: "#") else { return nil }
            let digits = String(decoding: name.dropFirst(), as: UTF8.self)
            let value = digits.hasPrefix("x") || digits.hasPrefix("X") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            guard let value, let scalar = Unicode.Scalar(value) else { return nil }
            return Array(String(Character(scalar)).utf8)
        }
    }
}
