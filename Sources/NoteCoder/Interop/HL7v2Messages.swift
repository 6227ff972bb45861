/// Notes out of HL7 v2 messages as EHR interfaces send them: MDM^T02 (a transcribed document)
/// and ORU^R01 (a result report) with the note's text in OBX-5.
///
/// No package on this machine reads HL7 v2, so this is the small part of the standard a note
/// needs: messages framed by MLLP (0x0B … 0x1C 0x0D) or one after another starting at `MSH`,
/// segments ended by CR (LF and CRLF are read too, as files saved on other systems have them),
/// the separators the message declares in MSH-1 and MSH-2, and the escape sequences of text
/// fields (`\F\ \S\ \T\ \R\ \E\`, `\.br\` as a line break, `\Xhh\` as bytes).
///
/// A note is the OBX-5 values of the message's TX, FT and ST observations, each repetition a
/// line; its id is TXA-12 (the unique document number), else OBR-3 (the filler order number),
/// else MSH-10 (the message control id); its date of service TXA-4 (the activity time), else
/// OBR-7 (the observation time), the day as written.
public enum HL7v2Messages {
    /// One message read: a note, or what is wrong with it, named by its place in the file.
    public enum Item: Sendable {
        case note(Note, message: Int, line: Int)
        case problem(id: String?, message: Int, line: Int, detail: String)
    }

    /// Whether bytes look like HL7 v2: an MLLP start byte or `MSH` followed by a separator.
    public static func looksLikeHL7(_ bytes: some Collection<UInt8>) -> Bool {
        var iterator = bytes.drop(while: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }).makeIterator()
        guard let first = iterator.next() else { return false }
        if first == 0x0B { return true }
        guard first == UInt8(ascii: "M"), iterator.next() == UInt8(ascii: "S"), iterator.next() == UInt8(ascii: "H"),
              let separator = iterator.next() else { return false }
        return !(separator == 0x20 || separator == 0x0A || separator == 0x0D) && separator < 0x80
    }

    /// Every message of a file, in order.
    public static func read(_ bytes: [UInt8]) -> [Item] {
        messages(in: bytes).enumerated().map { index, message in item(message.segments, message: index + 1, line: message.line) }
    }

    // MARK: Framing

    struct Segment {
        var fields: [[UInt8]]
        var line: Int
    }

    /// Splits the file into messages of segments. MLLP frame bytes end a message; otherwise an
    /// `MSH` segment starts the next one.
    static func messages(in bytes: [UInt8]) -> [(segments: [Segment], line: Int)] {
        var messages: [(segments: [Segment], line: Int)] = []
        var current: [Segment] = []
        var currentLine = 1
        var line = 1
        var start = 0
        func flush() {
            if !current.isEmpty { messages.append((current, currentLine)) }
            current = []
        }
        func take(_ end: Int) {
            var segment = Array(bytes[start..<end])
            while let last = segment.last, last == 0x20 || last == 0x09 { segment.removeLast() }
            defer { start = end + 1 }
            guard !segment.isEmpty else { return }
            if segment.starts(with: Array("MSH".utf8)) { flush(); currentLine = line }
            current.append(Segment(fields: [segment], line: line))
        }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case 0x0B:
                take(index)
                flush()
            case 0x1C:
                take(index)
                flush()
            case 0x0D, 0x0A:
                take(index)
                if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1; start = index + 1 }
                line += 1
            default:
                break
            }
            index += 1
        }
        if start < bytes.count { take(bytes.count) }
        flush()
        return messages
    }

    // MARK: One message

    struct Separators {
        var field: UInt8 = UInt8(ascii: "|")
        var component: UInt8 = UInt8(ascii: "^")
        var repetition: UInt8 = UInt8(ascii: "~")
        var escape: UInt8 = UInt8(ascii: "\\")
        var subcomponent: UInt8 = UInt8(ascii: "&")
    }

    static func item(_ raw: [Segment], message: Int, line: Int) -> Item {
        guard let header = raw.first?.fields.first, header.starts(with: Array("MSH".utf8)), header.count >= 8 else {
            return .problem(id: nil, message: message, line: line, detail: "does not start with an MSH segment")
        }
        var separators = Separators()
        separators.field = header[3]
        let encoding = Array(header[4...].prefix { $0 != separators.field })
        if encoding.count >= 1 { separators.component = encoding[0] }
        if encoding.count >= 2 { separators.repetition = encoding[1] }
        if encoding.count >= 3 { separators.escape = encoding[2] }
        if encoding.count >= 4 { separators.subcomponent = encoding[3] }
        // Fields by number: MSH-1 is the separator itself, so MSH's own fields shift by one.
        let segments: [(name: String, fields: [[UInt8]], line: Int)] = raw.map { segment in
            let bytes = segment.fields[0]
            var fields = bytes.split(separator: separators.field, omittingEmptySubsequences: false).map(Array.init)
            let name = String(decoding: fields.first ?? [], as: UTF8.self)
            if name == "MSH" { fields.insert([separators.field], at: 1) }
            return (name, fields, segment.line)
        }
        func field(_ segment: String, _ number: Int) -> [UInt8]? {
            guard let found = segments.first(where: { $0.name == segment }), number < found.fields.count else { return nil }
            let value = found.fields[number]
            return value.isEmpty ? nil : value
        }
        func firstComponent(_ value: [UInt8]?) -> String? {
            guard let value else { return nil }
            let first = value.split(separator: separators.repetition, omittingEmptySubsequences: false).first ?? []
            let component = first.split(separator: separators.component, omittingEmptySubsequences: false).first ?? []
            let text = String(decoding: unescape(Array(component), separators), as: UTF8.self).trimmingCharacters(in: .whitespaces)
            return text.isEmpty ? nil : text
        }
        let type = [firstComponent(field("MSH", 9)), field("MSH", 9).flatMap { value -> String? in
            let parts = value.split(separator: separators.component, omittingEmptySubsequences: false)
            return parts.count > 1 ? String(decoding: parts[1], as: UTF8.self) : nil
        }].compactMap { $0 }.joined(separator: "^")
        let id = firstComponent(field("TXA", 12)) ?? firstComponent(field("OBR", 3)) ?? firstComponent(field("MSH", 10))
        guard type == "MDM^T02" || type == "ORU^R01" || type.hasPrefix("MDM^") || type.hasPrefix("ORU^") else {
            return .problem(id: id, message: message, line: line, detail: type.isEmpty ? "no message type (MSH-9)" : "a message of type \(type), not MDM or ORU")
        }
        guard let id else { return .problem(id: nil, message: message, line: line, detail: "no document id (TXA-12, OBR-3 or MSH-10)") }
        var day: Day?
        if let time = firstComponent(field("TXA", 4)) ?? firstComponent(field("OBR", 7)) {
            // An HL7 timestamp starts with the day, YYYYMMDD, as the CMS files write dates.
            do throws(DayError) {
                day = try Day(compact: String(time.prefix(8)))
            } catch .notISO {
                return .problem(id: id, message: message, line: line, detail: "the date of service is not of the form YYYYMMDD")
            } catch {
                return .problem(id: id, message: message, line: line, detail: "the date of service is not a date: \(error)")
            }
        }
        var text: [UInt8] = []
        var observations = 0
        for segment in segments where segment.name == "OBX" {
            guard segment.fields.count > 5 else { continue }
            let valueType = String(decoding: segment.fields[2], as: UTF8.self)
            guard valueType == "TX" || valueType == "FT" || valueType == "ST" else { continue }
            observations += 1
            for repetition in segment.fields[5].split(separator: separators.repetition, omittingEmptySubsequences: false) {
                text += unescape(Array(repetition), separators)
                text.append(0x0A)
            }
        }
        guard observations > 0 else {
            return .problem(id: id, message: message, line: line, detail: "no text observation (OBX with TX, FT or ST)")
        }
        if let offset = UTF8Validation.firstInvalidByte(in: text) {
            return .problem(id: id, message: message, line: line, detail: "the text is not valid UTF-8 (byte \(offset))")
        }
        var note = Note(id: id, bytes: text, dateOfService: day)
        note.subject = firstComponent(field("PID", 3))
        note.encounter = firstComponent(field("PV1", 19))
        return .note(note, message: message, line: line)
    }

    /// Decodes a text field's escape sequences; a sequence that is not closed is kept as written.
    static func unescape(_ bytes: [UInt8], _ separators: Separators) -> [UInt8] {
        guard bytes.contains(separators.escape) else { return bytes }
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == separators.escape, let close = bytes[(index + 1)...].firstIndex(of: separators.escape) else {
                out.append(byte)
                index += 1
                continue
            }
            let body = Array(bytes[(index + 1)..<close])
            switch body {
            case [UInt8(ascii: "F")]: out.append(separators.field)
            case [UInt8(ascii: "S")]: out.append(separators.component)
            case [UInt8(ascii: "T")]: out.append(separators.subcomponent)
            case [UInt8(ascii: "R")]: out.append(separators.repetition)
            case [UInt8(ascii: "E")]: out.append(separators.escape)
            case Array(".br".utf8): out.append(0x0A)
            default:
                if body.first == UInt8(ascii: "X"), body.count > 1, (body.count - 1) % 2 == 0,
                   let decoded = hex(Array(body.dropFirst())) {
                    out += decoded
                } else if body.first == UInt8(ascii: ".") || body.first == UInt8(ascii: "H") || body.first == UInt8(ascii: "N") {
                    // Formatting commands (.sp, .in, highlight on/off) carry no text.
                } else {
                    out += bytes[index...close]
                }
            }
            index = close + 1
        }
        return out
    }

    static func hex(_ digits: [UInt8]) -> [UInt8]? {
        func value(_ d: UInt8) -> UInt8? {
            switch d {
            case 0x30...0x39: d - 0x30
            case 0x41...0x46: d - 0x41 + 10
            case 0x61...0x66: d - 0x61 + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        var index = 0
        while index + 1 < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}
