import Foundation

/// A folder of `.txt` notes, read one file at a time in file-name order (byte order, so every
/// machine gives the same order); the id is the file name without `.txt`. The extension is
/// matched in any case: exports from older systems write `NOTE1.TXT`, and skipping them would
/// lose notes without a word.
final class FolderRecordReader {
    private let folder: URL
    private let names: [String]
    private let maxNoteBytes: Int
    private var index = 0
    private(set) var consumedBytes = 0
    let totalBytes: Int

    init(path: String, maxNoteBytes: Int) throws(BatchError) {
        folder = URL(fileURLWithPath: path, isDirectory: true)
        let listed: [String]
        do {
            listed = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw .cannotOpen(path: path, errno: EACCES)
        }
        names = listed.filter { $0.lowercased().hasSuffix(".txt") && !$0.hasPrefix(".") }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        self.maxNoteBytes = maxNoteBytes
        var total = 0
        for name in names { total += Self.size(folder.appendingPathComponent(name)) ?? 0 }
        totalBytes = total
    }

    var count: Int { names.count }

    func next() -> InputRecord? {
        guard index < names.count else { return nil }
        let name = names[index]
        index += 1
        let id = String(name.dropLast(4))
        let url = folder.appendingPathComponent(name)
        let size = Self.size(url)
        func record(_ content: InputRecord.Content) -> InputRecord {
            consumedBytes += size ?? 0
            return InputRecord(ordinal: index, line: nil, endOffset: consumedBytes, content: content)
        }
        if let size, size > maxNoteBytes {
            // Refused before reading, so an exported blob never enters memory.
            return record(.broken(id: id, kind: .tooLarge, detail: "\(size) bytes, over the limit of \(maxNoteBytes)"))
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return record(.broken(id: id, kind: .brokenRecord, detail: "the file cannot be read"))
        }
        return record(.note(Note(id: id, bytes: [UInt8](data))))
    }

    static func size(_ url: URL) -> Int? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else { return nil }
        return (attributes[.size] as? NSNumber)?.intValue
    }
}
