import Foundation
@testable import NoteCoder

/// Paths inside the repository, found from this file so the tests run from any working
/// directory and on a fresh clone.
enum TestRepository {
    /// The folder holding Package.swift.
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { break }
            url = parent
        }
        return url
    }()

    static var lexicons: URL { root.appendingPathComponent("Lexicons", isDirectory: true) }
    static var corpus: URL { root.appendingPathComponent("Corpus", isDirectory: true) }
    static var fixtures: URL { root.appendingPathComponent("Tests/NoteCoderTests/Fixtures", isDirectory: true) }
}

/// The repository's lexicon, loaded once for the whole test run: loading reads the ICD-10-CM
/// tables, which is the slow part.
enum SharedLexicon {
    static let loaded: Result<(Lexicon, [ExampleSet]), LexiconError> = Result {
        () throws(LexiconError) -> (Lexicon, [ExampleSet]) in
        try Lexicon.loadWithExamples(from: TestRepository.lexicons)
    }

    static func lexicon() throws -> Lexicon { try loaded.get().0 }
    static func examples() throws -> [ExampleSet] { try loaded.get().1 }
    static func engine() throws -> Engine { Engine(lexicon: try lexicon()) }

    /// Codes a note written in a test, with the date of service given (ISO) or not.
    static func code(_ text: String, id: String = "test", date: String? = nil) throws -> Report {
        try engine().code(Note(id: id, text: text, dateOfService: date.flatMap(Day.init(iso:))))
    }
}

/// A scratch folder removed when the value is dropped by the test that made it.
final class TemporaryFolder: Sendable {
    let url: URL

    init(_ prefix: String = "notecoder-tests") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func file(_ relative: String) -> URL { url.appendingPathComponent(relative) }

    @discardableResult
    func write(_ relative: String, _ text: String) throws -> URL {
        try write(relative, Data(text.utf8))
    }

    @discardableResult
    func write(_ relative: String, _ data: Data) throws -> URL {
        let target = file(relative)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: target)
        return target
    }
}
