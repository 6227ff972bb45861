import CSV
import Foundation

/// CSV input through CSV.swift's streaming `CSVReader` (RFC 4180 quoting, fields with embedded
/// newlines, a header row).
///
/// The parser is fed bytes as ISO 8859-1 scalars (`ByteScalars`), so every byte comes back
/// unchanged: CSV's structure is all ASCII, so it parses UTF-8 correctly, and a note with
/// invalid UTF-8 fails alone (the engine names the byte) instead of stopping the reader, as
/// decoding the stream as UTF-8 would.
final class CSVRecordReader {
    private let stream: DescriptorInputStream
    private let reader: CSVReader
    private let idColumn: Int
    private let textColumn: Int
    private let dateColumn: Int?
    private let width: Int
    private var ordinal = 0
    /// The line the next row starts on.
    private var nextLine: Int

    init(fd: Int32, prefix: [UInt8], columns: CSVColumns) throws(BatchError) {
        stream = DescriptorInputStream(fd: fd, prefix: prefix)
        do {
            reader = try CSVReader(stream: stream, codecType: ByteScalars.self, hasHeaderRow: true)
        } catch {
            throw .csvHeader("the input has no header row")
        }
        let header = (reader.headerRow ?? []).map(ByteScalars.string)
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
        nextLine = 2 + (reader.headerRow ?? []).reduce(0) { $0 + ByteScalars.newlines(in: $1) }
    }

    var consumed: Int { stream.consumed }

    func next() throws(BatchError) -> InputRecord? {
        while true {
            guard let row = reader.next() else {
                if let error = stream.failure { throw error }
                return nil
            }
            let line = nextLine
            let spanned = row.reduce(0) { $0 + ByteScalars.newlines(in: $1) }
            nextLine += 1 + spanned
            if row.count == 1 && row[0].isEmpty { continue }  // a blank line
            ordinal += 1
            return InputRecord(ordinal: ordinal, line: line, endOffset: stream.consumed, content: content(of: row, lines: line...(line + spanned)))
        }
    }

    private func content(of row: [String], lines: ClosedRange<Int>) -> InputRecord.Content {
        let id = idColumn < row.count ? ByteScalars.string(row[idColumn]).trimmingCharacters(in: .whitespaces) : ""
        guard row.count == width else {
            // A stray quote opens a field that runs on over the next lines: the rows there were
            // read into this one. Say which lines, so no row is lost without a word.
            let joined = lines.count > 1
                ? "; it spans lines \(lines.lowerBound)-\(lines.upperBound): any rows on those lines were read into it (a stray quote) and are not coded" : ""
            return .broken(id: id.isEmpty ? nil : id, kind: .brokenRecord,
                           detail: "\(row.count) fields where the header has \(width) (a stray quote or delimiter)\(joined)")
        }
        guard !id.isEmpty else { return .broken(id: nil, kind: .brokenRecord, detail: "the id column is empty") }
        var day: Day?
        if let dateColumn {
            let text = ByteScalars.string(row[dateColumn]).trimmingCharacters(in: .whitespaces)
            if !text.isEmpty {
                do {
                    day = try Day(parsing: text)
                } catch {
                    return .broken(id: id, kind: .brokenRecord, detail: "the date column is not a date: \(error)")
                }
            }
        }
        return .note(Note(id: id, bytes: ByteScalars.bytes(row[textColumn]), dateOfService: day))
    }
}

/// A byte-transparent `UnicodeCodec`: byte `b` decodes to scalar U+00bb (ISO 8859-1), so the
/// CSV parser can never fail on a byte and hands every byte back.
struct ByteScalars: UnicodeCodec {
    typealias CodeUnit = UInt8
    typealias EncodedScalar = CollectionOfOne<UInt8>

    init() {}

    static var encodedReplacementCharacter: EncodedScalar { CollectionOfOne(0x3F) }

    static func decode(_ content: EncodedScalar) -> Unicode.Scalar { Unicode.Scalar(content.first!) }

    static func encode(_ content: Unicode.Scalar) -> EncodedScalar? {
        content.value < 0x100 ? CollectionOfOne(UInt8(content.value)) : nil
    }

    mutating func decode<I: IteratorProtocol>(_ input: inout I) -> UnicodeDecodingResult where I.Element == UInt8 {
        guard let byte = input.next() else { return .emptyInput }
        return .scalarValue(Unicode.Scalar(byte))
    }

    static func encode(_ input: Unicode.Scalar, into processCodeUnit: (UInt8) -> Void) {
        processCodeUnit(UInt8(truncatingIfNeeded: input.value))
    }

    static func _nullCodeUnitOffset(in input: UnsafePointer<UInt8>) -> Int { Int(strlen(input)) }

    struct Parser: Unicode.Parser {
        typealias Encoding = ByteScalars
        init() {}
        mutating func parseScalar<I: IteratorProtocol>(from input: inout I) -> Unicode.ParseResult<EncodedScalar> where I.Element == UInt8 {
            guard let byte = input.next() else { return .emptyInput }
            return .valid(CollectionOfOne(byte))
        }
    }
    typealias ForwardParser = Parser
    typealias ReverseParser = Parser

    /// The bytes a field was read from.
    static func bytes(_ field: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(field.utf8.count)
        for scalar in field.unicodeScalars { out.append(UInt8(truncatingIfNeeded: scalar.value)) }
        return out
    }

    /// A field as UTF-8 text (header names, ids), bad bytes repaired.
    static func string(_ field: String) -> String {
        String(decoding: bytes(field), as: UTF8.self)
    }

    static func newlines(in field: String) -> Int {
        var n = 0
        for byte in field.utf8 where byte == 0x0A { n += 1 }
        return n
    }
}

/// An `InputStream` over a file descriptor (a file, or standard input after a format sniff),
/// counting the bytes it hands out.
final class DescriptorInputStream: InputStream {
    private let fd: Int32
    private var pending: [UInt8]
    private var pendingStart = 0
    private var status: Stream.Status = .notOpen
    private var atEnd = false
    private(set) var consumed = 0
    private(set) var failure: BatchError?

    init(fd: Int32, prefix: [UInt8]) {
        self.fd = fd
        pending = prefix
        super.init(data: Data())
    }

    override func open() { status = .open }
    override func close() { status = .closed }
    override var streamStatus: Stream.Status { status }
    override var streamError: (any Error)? { failure }

    /// True until the descriptor is known to be at its end: reads ahead when nothing is pending.
    override var hasBytesAvailable: Bool {
        if pendingStart < pending.count { return true }
        if atEnd { return false }
        refill()
        return pendingStart < pending.count
    }

    override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength len: Int) -> Int {
        if pendingStart >= pending.count && !atEnd { refill() }
        let n = min(len, pending.count - pendingStart)
        guard n > 0 else { return failure == nil ? 0 : -1 }
        pending.withUnsafeBufferPointer { all in
            buffer.update(from: all.baseAddress! + pendingStart, count: n)
        }
        pendingStart += n
        consumed += n
        return n
    }

    override func getBuffer(_ buffer: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, length len: UnsafeMutablePointer<Int>) -> Bool {
        false
    }

    private func refill() {
        pending = [UInt8](repeating: 0, count: 1 << 16)
        pendingStart = 0
        let got = pending.withUnsafeMutableBufferPointer { posixRead(fd, $0.baseAddress!, $0.count) }
        if got < 0 {
            failure = .readFailed(errno: errno)
            atEnd = true
            pending = []
            return
        }
        pending.removeLast(pending.count - got)
        if got == 0 { atEnd = true }
    }
}
