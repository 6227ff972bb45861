import Foundation
import FuzzSupport
import NoteCoder

/// The lexicon loader on mutated lexicon files: the first byte picks a file of the repository's
/// lexicons, the rest replaces it in a scratch copy. Loading must give a lexicon or a
/// `LexiconError` naming what is wrong, never a crash, and never hang on a pattern.
func fuzzLexicon(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let all = FuzzSupport.bytes(start, count)
    guard let selector = all.first else { return 0 }
    let files = LexiconCopy.files
    guard !files.isEmpty else { return 0 }
    let relative = files[Int(selector) % files.count]
    let target = LexiconCopy.folder.appendingPathComponent(relative)
    let original = FileManager.default.contents(atPath: target.path)
    defer { if let original { try? original.write(to: target) } }
    do {
        try Data(all.dropFirst()).write(to: target)
    } catch {
        return 0
    }
    do throws(LexiconError) {
        _ = try Lexicon.load(from: LexiconCopy.folder)
    } catch {
        _ = error.description
    }
    return 0
}

/// A scratch copy of the lexicons, made once per process, and the YAML files in it.
enum LexiconCopy {
    static let folder: URL = {
        let copy = FuzzSupport.scratch.appendingPathComponent("Lexicons", isDirectory: true)
        try? FileManager.default.removeItem(at: copy)
        try? FileManager.default.copyItem(at: FuzzSupport.lexiconFolder, to: copy)
        return copy
    }()

    static let files: [String] = {
        let root = folder.path
        let found = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        return found.filter { $0.hasSuffix(".yaml") }.sorted()
    }()
}
