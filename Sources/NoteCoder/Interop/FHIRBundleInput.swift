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
        var binaries: [String: [String: Any]] = [:]
        for entry in entries {
            guard let resource = entry["resource"] as? [String: Any], resource["resourceType"] as? String == "Binary" else { continue }
            if let fullUrl = entry["fullUrl"] as? String { binaries[fullUrl] = resource }
            if let id = resource["id"] as? String { binaries["Binary/" + id] = resource }
        }
        func binary(_ url: String) -> [String: Any]? {
            if let found = binaries[url] { return found }
            // An absolute URL of the server: ".../fhir/Binary/123".
            if let range = url.range(of: "Binary/", options: .backwards) { return binaries[String(url[range.lowerBound...])] }
            return nil
        }
        var items: [Item] = []
        entries: for (index, entry) in entries.enumerated() {
            guard var resource = entry["resource"] as? [String: Any], resource["resourceType"] as? String == "DocumentReference" else { continue }
            let id = resource["id"] as? String
            if var contents = resource["content"] as? [[String: Any]] {
                for (position, content) in contents.enumerated() {
                    guard var attachment = content["attachment"] as? [String: Any], attachment["data"] == nil,
                          let url = attachment["url"] as? String else { continue }
                    guard let target = binary(url) else {
                        items.append(.problem(id: id, entry: index + 1, detail: "the attachment points to \(url), which is not a Binary of this bundle"))
                        continue entries
                    }
                    attachment["data"] = target["data"]
                    if attachment["contentType"] == nil { attachment["contentType"] = target["contentType"] }
                    contents[position]["attachment"] = attachment
                }
                resource["content"] = contents
            }
            guard let bytes = try? JSONSerialization.data(withJSONObject: resource, options: [.sortedKeys]) else {
                items.append(.problem(id: id, entry: index + 1, detail: "the DocumentReference could not be read"))
                continue
            }
            items.append(.resource([UInt8](bytes), entry: index + 1))
        }
        return items
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
