#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a whole batch run could not go on (as opposed to one note failing, which is a
/// `BatchFailure` and never stops the run).
public enum BatchError: Error, Sendable, Equatable, CustomStringConvertible {
    case inputMissing(path: String)
    case cannotOpen(path: String, errno: Int32)
    case readFailed(errno: Int32)
    case writeFailed(path: String, errno: Int32)
    case csvHeader(String)
    case badOutput(path: String, reason: String)
    /// The input cannot be read as the format it is in (a JSON document that is neither JSON
    /// Lines nor one object).
    case badInput(path: String, reason: String)
    /// Another run holds the output file: two writers would interleave their lines.
    case outputBusy(path: String)

    public var description: String {
        switch self {
        case let .inputMissing(path): "\(path): no such file or folder"
        case let .cannotOpen(path, code): "\(path): cannot be opened (\(Self.message(code)))"
        case let .readFailed(code): "reading the input failed (\(Self.message(code)))"
        case let .writeFailed(path, code): "\(path): writing failed (\(Self.message(code)))"
        case let .csvHeader(reason): "CSV header: \(reason)"
        case let .badOutput(path, reason): "\(path): \(reason)"
        case let .badInput(path, reason): "\(path): \(reason)"
        case let .outputBusy(path): "\(path): another notecoder batch is writing this file; wait for it to finish or choose another --out"
        }
    }

    static func message(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }
}
