import Foundation

/// The input opened and read record by record, in input order, holding at most one chunk and
/// one record at a time. Created on the calling thread (so a missing file or a bad CSV header
/// stops the run before it starts), then used by the reader thread alone.
final class RecordSource {
    enum Reader {
        case lines(LineReader)
        case csv(CSVRecordReader)
        case folder(FolderRecordReader)
        /// Records read from a document as a whole (a file of HL7 v2 messages).
        case items(ItemReader)
        /// Nothing but white space: an empty export, whatever its format, is a run of no notes.
        case empty
    }

    let format: BatchInputFormat
    /// The input's size when known (not standard input), for progress.
    let totalBytes: Int?
    /// The number of records when known up front (a folder).
    let totalRecords: Int?
    private let reader: Reader
    private let fd: Int32?
    private var ordinal = 0
    /// Added to every reader's ordinal (`BatchInput.firstRecord` - 1).
    private let ordinalOffset: Int

    init(_ input: BatchInput, maxNoteBytes: Int, maxLineBytes: Int, chunkSize: Int = 1 << 20) throws(BatchError) {
        ordinalOffset = input.firstRecord - 1
        var isFolder: ObjCBool = false
        if !input.isStandardInput {
            guard FileManager.default.fileExists(atPath: input.path, isDirectory: &isFolder) else { throw .inputMissing(path: input.path) }
        }
        var format = input.format
        if isFolder.boolValue {
            // A FHIR bulk-data export: DocumentReference.ndjson beside Binary.ndjson.
            if format == .auto || format == .fhir, let records = try FHIRBundleInput.bulkRecords(folder: input.path) {
                self.format = .fhir
                reader = .items(ItemReader(records))
                totalBytes = nil
                totalRecords = records.count
                fd = nil
                return
            }
            guard format == .auto || format == .folder else {
                throw .badOutput(path: input.path, reason: "is a folder, not a \(format.rawValue) file")
            }
            let folder = try FolderRecordReader(path: input.path, maxNoteBytes: maxNoteBytes)
            self.format = .folder
            reader = .folder(folder)
            totalBytes = folder.totalBytes
            totalRecords = folder.count
            fd = nil
            return
        }
        if format == .folder { throw .badOutput(path: input.path, reason: "is not a folder") }
        let fd: Int32
        if input.isStandardInput {
            fd = 0
            self.fd = nil
            totalBytes = nil
        } else {
            fd = open(input.path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw .cannotOpen(path: input.path, errno: errno) }
            self.fd = fd
            totalBytes = FolderRecordReader.size(URL(fileURLWithPath: input.path))
        }
        totalRecords = nil
        if format == .auto && !input.isStandardInput {
            let lower = input.path.lowercased()
            format = lower.hasSuffix(".csv") ? .csv : lower.hasSuffix(".hl7") ? .hl7 : .auto
        }
        do {
            // HL7 v2 is read whole: its messages are framed by bytes, not lines.
            if format == .hl7 || format == .auto || format == .fhir || format == .ccda {
                let prefix = try Self.sniff(fd)
                // A C-CDA document is one note, read whole.
                if format == .ccda || (format == .auto && CCDADocument.looksLikeCCDA(prefix)) {
                    let bytes = try FileBytes.readAll(fd, after: prefix)
                    self.format = .ccda
                    let stem = input.isStandardInput ? "stdin" : URL(fileURLWithPath: input.path).deletingPathExtension().lastPathComponent
                    let content: InputRecord.Content
                    switch CCDADocument.note(bytes, fallbackID: stem) {
                    case let .success(note): content = .note(note)
                    case let .failure(failure): content = .broken(id: stem, kind: .brokenRecord, detail: "C-CDA: \(failure.description)")
                    }
                    reader = .items(ItemReader([InputRecord(ordinal: 1, line: 1, endOffset: bytes.count, content: content)]))
                    return
                }
                if format == .hl7 || (format == .auto && HL7v2Messages.looksLikeHL7(prefix)) {
                    let bytes = try FileBytes.readAll(fd, after: prefix)
                    self.format = .hl7
                    reader = .items(ItemReader(HL7v2Messages.read(bytes).map(ItemReader.record)))
                    return
                }
                if !prefix.contains(where: { !Self.isBlank($0) }) {
                    self.format = format == .auto || format == .hl7 ? .jsonl : format
                    reader = .empty
                    return
                }
                if format == .auto { format = input.isStandardInput && !Self.looksLikeJSON(prefix) ? .csv : .jsonl }
                // One JSON document over many lines (a FHIR Bundle as servers return it), not
                // one object a line: read whole, each DocumentReference of the bundle a record.
                if format != .csv, Self.startsMultilineJSON(prefix) {
                    let bytes = try FileBytes.readAll(fd, after: prefix)
                    self.format = .fhir
                    reader = .items(ItemReader(try Self.bundleRecords(bytes, path: input.path)))
                    return
                }
                self.format = format
                switch format {
                case .csv: reader = .csv(try CSVRecordReader(fd: fd, prefix: prefix, columns: input.columns))
                default: reader = .lines(LineReader(fd: fd, prefix: prefix, chunkSize: chunkSize, maxLineBytes: maxLineBytes))
                }
                return
            }
            // Standard input is sniffed for its format; a CSV file, so that an empty one is not
            // taken for a CSV without a header. The bytes read are replayed to the reader.
            var prefix: [UInt8] = []
            if input.isStandardInput || format == .csv {
                prefix = try Self.sniff(fd)
                if !prefix.contains(where: { !Self.isBlank($0) }) {
                    self.format = format == .auto ? .jsonl : format
                    reader = .empty
                    return
                }
                if format == .auto { format = Self.looksLikeJSON(prefix) ? .jsonl : .csv }
            }
            self.format = format
            switch format {
            case .csv: reader = .csv(try CSVRecordReader(fd: fd, prefix: prefix, columns: input.columns))
            default: reader = .lines(LineReader(fd: fd, prefix: prefix, chunkSize: chunkSize, maxLineBytes: maxLineBytes))
            }
        } catch {
            if let own = self.fd { close(own) }
            throw error
        }
    }

    deinit {
        if let fd { close(fd) }
    }

    /// The most input bytes the reader held at once (the line reader's buffer), for tests.
    var peakBuffered: Int {
        if case let .lines(reader) = reader { return reader.peakBuffered }
        return 0
    }

    func next() throws(BatchError) -> InputRecord? {
        guard var record = try nextFromReader() else { return nil }
        record.ordinal += ordinalOffset
        return record
    }

    private func nextFromReader() throws(BatchError) -> InputRecord? {
        switch reader {
        case .empty:
            return nil
        case let .folder(folder):
            return folder.next()
        case let .items(items):
            return items.next()
        case let .csv(csv):
            return try csv.next()
        case let .lines(lines):
            while let line = try lines.next() {
                switch line {
                case var .text(bytes):
                    if lines.lineNumber == 1 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
                    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                    ordinal += 1
                    return InputRecord(ordinal: ordinal, line: lines.lineNumber, endOffset: lines.consumed, content: .json(bytes))
                case let .tooLong(length):
                    ordinal += 1
                    return InputRecord(ordinal: ordinal, line: lines.lineNumber, endOffset: lines.consumed, content: .broken(
                        id: nil, kind: .tooLarge, detail: "a record line of \(length) bytes, over the limit of \(lines.maxLineBytes) for --max-note-bytes"))
                }
            }
            return nil
        }
    }

    /// Reads standard input until a byte other than white space (or a byte-order mark) shows
    /// what it holds; the bytes read are replayed to the reader.
    static func sniff(_ fd: Int32) throws(BatchError) -> [UInt8] {
        var prefix: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while !prefix.contains(where: { !isBlank($0) }) {
            let got = chunk.withUnsafeMutableBufferPointer { posixRead(fd, $0.baseAddress!, $0.count) }
            if got < 0 { throw .readFailed(errno: errno) }
            if got == 0 { break }
            prefix.append(contentsOf: chunk[0..<got])
        }
        return prefix
    }

    /// Whether the first non-blank line opens a JSON object it does not close ("{" alone, or
    /// `{"resourceType": "Bundle",` …): a document spread over lines rather than JSON Lines.
    /// A JSON Lines record cut short is not one: the line must open the document the way a
    /// pretty-printer does, with "{" alone or a first key ended by a comma naming a Bundle.
    static func startsMultilineJSON(_ prefix: [UInt8]) -> Bool {
        guard let start = prefix.firstIndex(where: { !isBlank($0) }), prefix[start] == UInt8(ascii: "{") else { return false }
        let line = Array(prefix[start...].prefix { $0 != 0x0A && $0 != 0x0D })
        guard line.count < prefix.count - start else { return false }
        let trimmed = line.reversed().drop(while: { $0 == 0x20 || $0 == 0x09 }).reversed()
        if Array(trimmed) == [UInt8(ascii: "{")] { return true }
        let text = String(decoding: trimmed, as: UTF8.self)
        return text.hasSuffix(",") && text.contains("\"resourceType\"") && text.contains("\"Bundle\"")
    }

    /// The records of a whole JSON document: a Bundle's DocumentReferences, or the one resource.
    static func bundleRecords(_ bytes: [UInt8], path: String) throws(BatchError) -> [InputRecord] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)), let document = object as? [String: Any] else {
            throw .badInput(path: path, reason: "is neither JSON Lines nor one JSON object")
        }
        guard FHIRBundleInput.isBundle(document) else {
            let compact = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])).map { [UInt8]($0) } ?? []
            return [InputRecord(ordinal: 1, line: 1, endOffset: bytes.count, content: .json(compact))]
        }
        return FHIRBundleInput.items(document).enumerated().map { offset, item in
            switch item {
            case let .resource(json, _):
                InputRecord(ordinal: offset + 1, line: nil, endOffset: bytes.count, content: .json(json))
            case let .problem(id, entry, detail):
                InputRecord(ordinal: offset + 1, line: nil, endOffset: bytes.count, content: .broken(id: id, kind: .brokenRecord, detail: "bundle entry \(entry): \(detail)"))
            }
        }
    }

    static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0xEF || b == 0xBB || b == 0xBF }

    static func looksLikeJSON(_ prefix: [UInt8]) -> Bool {
        prefix.first(where: { !isBlank($0) }) == UInt8(ascii: "{")
    }
}

/// Hands out records made from a whole document, one at a time.
final class ItemReader {
    private var records: [InputRecord]
    private var index = 0

    init(_ records: [InputRecord]) { self.records = records }

    func next() -> InputRecord? {
        guard index < records.count else { return nil }
        defer { index += 1 }
        return records[index]
    }

    /// A message as a record: its number in the file is its ordinal, its first line its line.
    static func record(_ item: HL7v2Messages.Item) -> InputRecord {
        switch item {
        case let .note(note, message, line):
            InputRecord(ordinal: message, line: line, endOffset: 0, content: .note(note))
        case let .problem(id, message, line, detail):
            InputRecord(ordinal: message, line: line, endOffset: 0, content: .broken(id: id, kind: .brokenRecord, detail: "HL7 message \(message): \(detail)"))
        }
    }
}
