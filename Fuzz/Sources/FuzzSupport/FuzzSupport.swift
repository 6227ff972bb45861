import CFuzzer
import Foundation
public import NoteCoder

/// What every target needs: the repository's lexicons, loaded once per process, and a scratch
/// folder of its own. The lexicon folder comes from `NOTECODER_LEXICONS` (set by
/// `scripts/fuzz.sh`), so the binaries run from any directory.
public enum FuzzSupport {
    public static let lexiconFolder = URL(fileURLWithPath: ProcessInfo.processInfo.environment["NOTECODER_LEXICONS"] ?? "Lexicons")

    public static let engine: Engine = {
        do {
            return Engine(lexicon: try Lexicon.load(from: lexiconFolder))
        } catch {
            // Not a finding of the fuzzer: the setup is wrong. Say so and stop.
            FileHandle.standardError.write(Data("fuzz: the lexicons in \(lexiconFolder.path) do not load: \(error)\n".utf8))
            exit(2)
        }
    }()

    public static let scratch: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("notecoder-fuzz-\(getpid())", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    public static func bytes(_ start: UnsafePointer<UInt8>?, _ count: Int) -> [UInt8] {
        guard let start else { return [] }
        return Array(UnsafeBufferPointer(start: start, count: count))
    }

    /// Runs libFuzzer with this process's arguments and `test` as the target; returns its status.
    public static func run(_ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, test))
    }
}
