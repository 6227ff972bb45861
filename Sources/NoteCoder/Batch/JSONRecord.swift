import Foundation

/// Decodes one JSON line into a note: `{"id", "text", "dateOfService"?}`, or a FHIR R4
/// `DocumentReference` whose text/plain attachment carries the note in base64 `data`, dated
/// from `context.period.start` or else `date`.
///
/// Problems are stated in words of our own: a decoder's message may quote the input, and no
/// note text goes into an errors file.
enum JSONRecord {
    /// Made once and shared: JSONDecoder is safe to use from several threads once set up.
    private static let decoder = JSONDecoder()

    static func note(from line: [UInt8], ordinal: Int, lineNumber: Int?) -> Result<Note, BatchFailure> {
        func broken(_ id: String, _ detail: String, _ kind: BatchFailure.Kind = .brokenRecord) -> Result<Note, BatchFailure> {
            .failure(BatchFailure(id: id, ordinal: ordinal, line: lineNumber, kind: kind, detail: detail))
        }
        if let offset = UTF8Validation.firstInvalidByte(in: line) {
            return broken("", "the record is not valid UTF-8 (byte \(offset) of the line)", .invalidUTF8)
        }
        let envelope: Envelope
        do {
            envelope = try decoder.decode(Envelope.self, from: Data(line))
        } catch let problem as RecordProblem {
            return broken(problem.id ?? "", problem.reason)
        } catch {
            return broken("", "not a JSON object")
        }
        return .success(envelope.note)
    }

    struct RecordProblem: Error {
        var id: String?
        var reason: String
    }

    private struct Envelope: Decodable {
        var note: Note

        enum Keys: String, CodingKey {
            case resourceType, id, text, dateOfService, date, context, content, subject
        }

        init(from decoder: any Decoder) throws {
            let container: KeyedDecodingContainer<Keys>
            do {
                container = try decoder.container(keyedBy: Keys.self)
            } catch {
                throw RecordProblem(reason: "not a JSON object")
            }
            let resourceType = try? container.decodeIfPresent(String.self, forKey: .resourceType)
            let id = try Self.id(container)
            if let resourceType {
                guard resourceType == "DocumentReference" else {
                    throw RecordProblem(id: id, reason: "a FHIR \(Self.short(resourceType)), not a DocumentReference")
                }
                guard let id else { throw RecordProblem(reason: "DocumentReference without an \"id\"") }
                note = try Self.documentReference(container, id: id)
                return
            }
            guard let id else { throw RecordProblem(reason: "no \"id\"") }
            guard container.contains(.text) else { throw RecordProblem(id: id, reason: "no \"text\"") }
            let text: String
            do {
                text = try container.decode(String.self, forKey: .text)
            } catch is DecodingError {
                throw RecordProblem(id: id, reason: "\"text\" is not a string")
            } catch {
                // A string the parser cannot read ("\q", a lone surrogate escape) is broken JSON,
                // not a value of another type: Foundation reports it with its own parser error.
                throw RecordProblem(id: id, reason: "\"text\" is not a valid JSON string (a bad escape or character)")
            }
            var day: Day?
            if container.contains(.dateOfService), (try? container.decodeNil(forKey: .dateOfService)) != true {
                guard let value = try? container.decode(String.self, forKey: .dateOfService) else {
                    throw RecordProblem(id: id, reason: "\"dateOfService\" is not a string")
                }
                do {
                    day = try Day(parsing: value)
                } catch {
                    throw RecordProblem(id: id, reason: "\"dateOfService\" is not a date: \(error)")
                }
            }
            note = Note(id: id, bytes: Array(text.utf8), dateOfService: day)
        }

        static func id(_ container: KeyedDecodingContainer<Keys>) throws -> String? {
            guard container.contains(.id), (try? container.decodeNil(forKey: .id)) != true else { return nil }
            let id: String
            if let text = try? container.decode(String.self, forKey: .id) {
                id = text
            } else if let number = try? container.decode(Int.self, forKey: .id) {
                id = String(number)
            } else {
                throw RecordProblem(reason: "\"id\" is neither a string nor an integer")
            }
            guard !id.isEmpty else { throw RecordProblem(reason: "\"id\" is empty") }
            return id
        }

        static func short(_ text: String) -> String {
            text.count <= 40 ? text : String(text.prefix(40)) + "…"
        }

        // MARK: FHIR

        struct Attachment: Decodable {
            var contentType: String?
            var data: String?
            var url: String?
        }
        struct Content: Decodable { var attachment: Attachment? }
        struct Period: Decodable { var start: String? }
        struct Reference: Decodable { var reference: String? }
        struct Context: Decodable { var period: Period?; var encounter: [Reference]? }

        static func documentReference(_ container: KeyedDecodingContainer<Keys>, id: String) throws -> Note {
            let contents: [Content]
            do {
                contents = try container.decodeIfPresent([Content].self, forKey: .content) ?? []
            } catch {
                throw RecordProblem(id: id, reason: "\"content\" is not a list of attachments")
            }
            let attachments = contents.compactMap(\.attachment)
            // Plain text first; else HTML, read as the text a coder sees (tags dropped).
            let plain = attachments.filter { mediaType($0.contentType) == "text/plain" }
            let html = attachments.filter { mediaType($0.contentType) == "text/html" }
            let readable = plain.isEmpty ? html : plain
            guard !readable.isEmpty else {
                let types = attachments.map { mediaType($0.contentType) ?? "no contentType" }
                throw RecordProblem(id: id, reason: "no text/plain or text/html attachment"
                                    + (types.isEmpty ? "" : " (found: \(types.map(short).joined(separator: ", ")))"))
            }
            let kind = plain.isEmpty ? "text/html" : "text/plain"
            guard let attachment = readable.first(where: { $0.data != nil }), let encoded = attachment.data else {
                throw RecordProblem(id: id, reason: "the \(kind) attachment has no inline data (url only)")
            }
            guard let data = Data(base64Encoded: encoded, options: .ignoreUnknownCharacters) else {
                throw RecordProblem(id: id, reason: "the attachment's data is not valid base64")
            }
            var bytes = [UInt8](data)
            if let charset = charset(attachment.contentType), charset == "iso-8859-1" || charset == "latin1" {
                bytes = latin1ToUTF8(bytes)
            }
            if plain.isEmpty { bytes = HTMLText.text(bytes) }
            let context = try? container.decodeIfPresent(Context.self, forKey: .context)
            var day: Day?
            if let start = context?.period?.start {
                do { day = try fhirDay(start) } catch { throw RecordProblem(id: id, reason: "context.period.start is not a full date: \(error)") }
            } else if let date = try? container.decodeIfPresent(String.self, forKey: .date) {
                do { day = try fhirDay(date) } catch { throw RecordProblem(id: id, reason: "\"date\" is not a full date: \(error)") }
            }
            var note = Note(id: id, bytes: bytes, dateOfService: day)
            note.subject = (try? container.decodeIfPresent(Reference.self, forKey: .subject))?.flatMap(\.reference)
            note.encounter = context?.encounter?.first?.reference
            return note
        }

        /// `2024-07-01`, or a dateTime/instant such as `2024-07-01T09:30:00-05:00`: the day as
        /// written, in the time zone the record states.
        static func fhirDay(_ text: String) throws(DayError) -> Day {
            let utf8 = Array(text.utf8)
            guard utf8.count == 10 || (utf8.count > 10 && utf8[10] == UInt8(ascii: "T")) else { throw .notISO }
            return try Day(parsing: String(decoding: utf8[0..<10], as: UTF8.self))
        }

        static func mediaType(_ contentType: String?) -> String? {
            guard let contentType else { return nil }
            let type = contentType.split(separator: ";", maxSplits: 1).first.map(String.init) ?? contentType
            return type.trimmingCharacters(in: .whitespaces).lowercased()
        }

        static func charset(_ contentType: String?) -> String? {
            guard let contentType else { return nil }
            for parameter in contentType.split(separator: ";").dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                if pair.count == 2 && pair[0] == "charset" { return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            }
            return nil
        }

        static func latin1ToUTF8(_ bytes: [UInt8]) -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + bytes.count / 8)
            for b in bytes {
                if b < 0x80 { out.append(b) } else { out.append(0xC0 | (b >> 6)); out.append(0x80 | (b & 0x3F)) }
            }
            return out
        }
    }
}
