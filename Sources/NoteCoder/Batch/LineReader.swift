#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file descriptor in fixed-size chunks and hands out whole lines.
///
/// It never holds more than one chunk plus the longest allowed line: a line longer than
/// `maxLineBytes` is skipped as it streams past and reported by its length only.
final class LineReader {
    enum Line {
        case text([UInt8])
        case tooLong(bytes: Int)
    }

    private let fd: Int32
    private let chunkSize: Int
    let maxLineBytes: Int
    private var buffer: [UInt8]
    private var start = 0
    /// Where the search for the next newline resumes (bytes before it hold none).
    private var scanned = 0
    private var atEnd = false
    /// Bytes handed out so far, newlines included.
    private(set) var consumed = 0
    /// The number of the line last returned, 1-based.
    private(set) var lineNumber = 0
    /// The most bytes the buffer ever held, for the bounded-memory check.
    private(set) var peakBuffered = 0

    /// `prefix` is data already read from `fd` (a format sniff on standard input).
    init(fd: Int32, prefix: [UInt8] = [], chunkSize: Int = 1 << 20, maxLineBytes: Int) {
        self.fd = fd
        self.chunkSize = max(16, chunkSize)
        self.maxLineBytes = max(1, maxLineBytes)
        buffer = prefix
        buffer.reserveCapacity(self.chunkSize + prefix.count)
        peakBuffered = prefix.count
    }

    /// The next line without its `\n` (and without a `\r` before it), or nil at the end.
    func next() throws(BatchError) -> Line? {
        while true {
            if let newline = findNewline() {
                var end = newline
                if end > start && buffer[end - 1] == 0x0D { end -= 1 }
                let line = Array(buffer[start..<end])
                consumed += newline + 1 - start
                start = newline + 1
                scanned = start
                lineNumber += 1
                return .text(line)
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                var end = buffer.count
                if buffer[end - 1] == 0x0D { end -= 1 }
                let line = Array(buffer[start..<end])
                consumed += buffer.count - start
                start = buffer.count
                scanned = start
                lineNumber += 1
                return .text(line)
            }
            if buffer.count - start > maxLineBytes { return try skipLongLine() }
            try fill()
        }
    }

    private func findNewline() -> Int? {
        guard scanned < buffer.count else { return nil }
        let found: Int? = buffer.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress, let hit = memchr(base + scanned, 0x0A, all.count - scanned) else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
        scanned = found ?? buffer.count
        return found
    }

    /// Drops the rest of an over-long line as it arrives, keeping only its length.
    private func skipLongLine() throws(BatchError) -> Line {
        var length = buffer.count - start
        buffer.removeAll(keepingCapacity: true)
        start = 0
        scanned = 0
        while true {
            try fill()
            if let newline = findNewline() {
                length += newline
                consumed += length + 1
                buffer.removeFirst(newline + 1)
                scanned = 0
                lineNumber += 1
                return .tooLong(bytes: length)
            }
            length += buffer.count
            buffer.removeAll(keepingCapacity: true)
            scanned = 0
            if atEnd {
                consumed += length
                lineNumber += 1
                return .tooLong(bytes: length)
            }
        }
    }

    /// Reads one more chunk, first moving the unread bytes to the front.
    private func fill() throws(BatchError) {
        if start > 0 {
            buffer.removeFirst(start)
            scanned -= start
            start = 0
        }
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: chunkSize))
        let got = buffer.withUnsafeMutableBufferPointer { all in posixRead(fd, all.baseAddress! + old, chunkSize) }
        if got < 0 {
            buffer.removeLast(chunkSize)
            throw .readFailed(errno: errno)
        }
        buffer.removeLast(chunkSize - got)
        if got == 0 { atEnd = true }
        peakBuffered = max(peakBuffered, buffer.count)
    }
}
