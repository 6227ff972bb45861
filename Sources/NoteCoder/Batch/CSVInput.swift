import Foundation

/// CSV input (RFC 4180: a header row, quoted fields with embedded commas, quotes and line breaks;
/// LF, CRLF and lone CR line ends), read as bytes.
///
/// Why not CSV.swift's `CSVReader`, which writes our CSV output: it reads a quote that closes a
/// field and is followed by anything but a delimiter or a line end as text and goes on inside
/// the field, so one stray quote (`"a2","x" junk`) swallows the rows after it and they are lost
/// without a word. Here a row is malformed the moment its quoting breaks; the error names the
/// lines it took, and reading starts again on the next line, so every input row is either a
/// record or an error, exactly once. Fields stay bytes: a note with invalid UTF-8 fails alone
/// (the engine names the byte) instead of stopping the reader.
final class CSVRecordReader {
    private let scanner: CSVRowScanner
    private let idColumn: Int
    private let textColumn: Int
    private let dateColumn: Int?
    private let width: Int
    private var ordinal = 0

    init(fd: Int32, prefix: [UInt8], columns: CSVColumns) throws(BatchError) {
        scanner = CSVRowScanner(source: DescriptorBytes(fd: fd, prefix: prefix))
        var headerRow: CSVRowScanner.Row?
        repeat {
            headerRow = try scanner.next()
        } while headerRow.map({ $0.isBlank }) == true
        guard let headerRow else { throw .csvHeader("the input has no header row") }
        guard case let .fields(names) = headerRow.content else {
            throw .csvHeader("the header row (line \(headerRow.firstLine)) is not valid CSV: \(headerRow.problem ?? "")")
        }
        let header = names.map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespaces) }
        func column(_ name: String, option: String) throws(BatchError) -> Int {
            guard let index = header.firstIndex(of: name) else {
                throw .csvHeader("no column named '\(name)' (\(option)); the header has: \(header.joined(separator: ", "))")
            }
            return index
        }
        idColumn = try column(columns.id, option: "--id-column")
        textColumn = try column(columns.text, option: "--text-column")
        dateColumn = header.firstIndex(of: columns.date)
        width = header.count
    }

    var consumed: Int { scanner.consumed }

    func next() throws(BatchError) -> InputRecord? {
        while let row = try scanner.next() {
            if row.isBlank { continue }
            ordinal += 1
            return InputRecord(ordinal: ordinal, line: row.firstLine, endOffset: scanner.consumed, content: content(of: row))
        }
        return nil
    }

    private func content(of row: CSVRowScanner.Row) -> InputRecord.Content {
        let fields: [[UInt8]]
        switch row.content {
        case let .fields(all): fields = all
        case let .malformed(leading):
            let id = leading.count > idColumn ? Self.text(leading[idColumn]) : ""
            // A quote that breaks on a later line took the lines between as text: they may have
            // been rows, but they may as well be the note's own lines, which read as rows would
            // code a note that does not exist. So they are named here, not read again.
            let lines = row.firstLine == row.lastLine ? "line \(row.firstLine)"
                : "lines \(row.firstLine)-\(row.lastLine); any rows on lines \(row.firstLine + 1)-\(row.lastLine) were read into its quoted field and are not coded"
            return .broken(id: id.isEmpty ? nil : id, kind: .brokenRecord,
                           detail: "\(row.problem ?? "malformed quoting") (\(lines)); reading goes on at line \(row.lastLine + 1)")
        }
        let id = idColumn < fields.count ? Self.text(fields[idColumn]) : ""
        guard fields.count == width else {
            return .broken(id: id.isEmpty ? nil : id, kind: .brokenRecord,
                           detail: "\(fields.count) fields where the header has \(width) (a stray delimiter or quote)")
        }
        guard !id.isEmpty else { return .broken(id: nil, kind: .brokenRecord, detail: "the id column is empty") }
        var day: Day?
        if let dateColumn {
            let text = Self.text(fields[dateColumn])
            if !text.isEmpty {
                do {
                    day = try Day(parsing: text)
                } catch {
                    return .broken(id: id, kind: .brokenRecord, detail: "the date column is not a date: \(error)")
                }
            }
        }
        return .note(Note(id: id, bytes: fields[textColumn], dateOfService: day))
    }

    /// A short field (id, date, header name) as text, bad bytes repaired.
    private static func text(_ field: [UInt8]) -> String {
        String(decoding: field, as: UTF8.self).trimmingCharacters(in: .whitespaces)
    }
}

/// Splits CSV bytes into rows, one physical line range each, and stops a row where its quoting
/// breaks: a closing quote followed by something other than a comma, a line end or another
/// quote, or a quote still open at the end of the input. A broken row ends at the end of the
/// line where the break was seen. One left open to the end of the input goes back to the line
/// after its first, so the rows it swallowed are read again: with no closing quote anywhere,
/// those lines cannot have been inside a field.
final class CSVRowScanner {
    struct Row {
        enum Content {
            case fields([[UInt8]])
            /// The fields read before the quoting broke (the id may be among them).
            case malformed(leading: [[UInt8]])
        }
        var content: Content
        var firstLine: Int
        var lastLine: Int
        var problem: String?

        /// An empty line: no record, no error.
        var isBlank: Bool {
            if case let .fields(fields) = content { return fields.count == 1 && fields[0].isEmpty && !quotedFirst }
            return false
        }
        var quotedFirst = false
    }

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    private var source: DescriptorBytes
    /// Bytes handed back to be read again (a row left open at the end of the input).
    private var replay: [UInt8] = []
    private var replayAt = 0
    /// The current row's bytes after its first line end, kept from the moment a quoted field
    /// crosses that line end, to be read again if a quote of the row never closes.
    private var captured: [UInt8] = []
    private var capturing = false
    /// The line the next byte is on.
    private var line = 1
    private(set) var consumed = 0

    init(source: DescriptorBytes) {
        self.source = source
    }

    private func nextByte() throws(BatchError) -> UInt8? {
        let byte: UInt8
        if replayAt < replay.count {
            byte = replay[replayAt]
            replayAt += 1
        } else {
            guard let read = try source.next() else { return nil }
            consumed += 1
            byte = read
        }
        if capturing { captured.append(byte) }
        return byte
    }

    private func peekByte() throws(BatchError) -> UInt8? {
        if replayAt < replay.count { return replay[replayAt] }
        return try source.peek()
    }

    /// The next row, or nil at the end of the input.
    func next() throws(BatchError) -> Row? {
        let firstLine = line
        captured = []
        capturing = false
        var fields: [[UInt8]] = []
        var field: [UInt8] = []
        var quotedFirst = false
        guard var byte = try nextByte() else { return nil }
        while true {
            if fields.isEmpty && field.isEmpty && byte == Self.quote { quotedFirst = true }
            if byte == Self.quote && field.isEmpty {
                // A quoted field: to its closing quote.
                while true {
                    guard let inner = try nextByte() else {
                        // Open at the end of the input: report the row's first line, read the rest again.
                        if capturing { restart(with: captured) }
                        let lastLine = firstLine
                        line = firstLine + 1
                        return Row(content: .malformed(leading: fields), firstLine: firstLine, lastLine: lastLine,
                                   problem: "a quote opened in field \(fields.count + 1) is never closed", quotedFirst: quotedFirst)
                    }
                    let crAlone = inner == Self.cr ? try peekByte() != Self.lf : false
                    if inner == Self.lf || crAlone {
                        line += 1
                        capturing = true
                    }
                    if inner != Self.quote { field.append(inner); continue }
                    let after = try peekByte()
                    if after == Self.quote {
                        _ = try nextByte()
                        field.append(Self.quote)
                        continue
                    }
                    if after == nil || after == Self.comma || after == Self.lf || after == Self.cr { break }
                    // A quote closes the field but text follows: the row is broken here.
                    let shown = after.map { $0 >= 0x20 && $0 < 0x7F ? "'\(Character(Unicode.Scalar($0)))'" : String(format: "byte 0x%02X", $0) } ?? ""
                    try skipToLineEnd()
                    let lastLine = line - 1
                    return Row(content: .malformed(leading: fields), firstLine: firstLine, lastLine: lastLine,
                               problem: "a quote closes field \(fields.count + 1) and is followed by \(shown), not a comma or a line end",
                               quotedFirst: quotedFirst)
                }
                guard let following = try nextByte() else {
                    fields.append(field)
                    return Row(content: .fields(fields), firstLine: firstLine, lastLine: line, quotedFirst: quotedFirst)
                }
                byte = following
            }
            switch byte {
            case Self.comma:
                fields.append(field)
                field = []
            case Self.lf, Self.cr:
                if byte == Self.cr, try peekByte() == Self.lf { _ = try nextByte() }
                fields.append(field)
                line += 1
                return Row(content: .fields(fields), firstLine: firstLine, lastLine: line - 1, quotedFirst: quotedFirst)
            default:
                // A quote inside an unquoted field is kept as text, as most exports mean it.
                field.append(byte)
            }
            guard let following = try nextByte() else {
                fields.append(field)
                return Row(content: .fields(fields), firstLine: firstLine, lastLine: line, quotedFirst: quotedFirst)
            }
            byte = following
        }
    }

    /// Drops the rest of the current physical line, its line end included.
    private func skipToLineEnd() throws(BatchError) {
        while let byte = try nextByte() {
            if byte == Self.lf { line += 1; return }
            if byte == Self.cr {
                if try peekByte() == Self.lf { _ = try nextByte() }
                line += 1
                return
            }
        }
        line += 1
    }

    /// Reads `bytes` again before the rest of the input.
    private func restart(with bytes: [UInt8]) {
        replay = bytes + replay[replayAt...]
        replayAt = 0
        capturing = false
        captured = []
    }
}

/// The bytes of a file descriptor (a file, or standard input after a format sniff), read in
/// chunks, the sniffed prefix first.
struct DescriptorBytes {
    private let fd: Int32
    private var buffer: [UInt8]
    private var at = 0
    private var atEnd = false

    init(fd: Int32, prefix: [UInt8]) {
        self.fd = fd
        buffer = prefix
    }

    mutating func next() throws(BatchError) -> UInt8? {
        if at >= buffer.count { try refill() }
        guard at < buffer.count else { return nil }
        defer { at += 1 }
        return buffer[at]
    }

    mutating func peek() throws(BatchError) -> UInt8? {
        if at >= buffer.count { try refill() }
        return at < buffer.count ? buffer[at] : nil
    }

    private mutating func refill() throws(BatchError) {
        guard !atEnd else { return }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let got = chunk.withUnsafeMutableBufferPointer { posixRead(fd, $0.baseAddress!, $0.count) }
        if got < 0 { atEnd = true; throw .readFailed(errno: errno) }
        if got == 0 { atEnd = true }
        chunk.removeLast(chunk.count - got)
        buffer = chunk
        at = 0
    }
}
