#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `read(2)`, retried when a signal interrupts it.
func posixRead(_ fd: Int32, _ buffer: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
    while true {
        let got = read(fd, buffer, count)
        if got >= 0 || errno != EINTR { return got }
    }
}

/// An output file written whole records at a time: each `write` call hands the kernel the
/// complete bytes of one note before the next note's, with no buffering in this process, so a
/// run killed at any moment leaves every earlier note's lines in the file.
final class OutputFile {
    let path: String
    let fd: Int32
    private let owned: Bool

    /// Standard output or standard error.
    init(standard fd: Int32, name: String) {
        self.fd = fd
        path = name
        owned = false
    }

    /// Opens for appending, creating the file; `truncate` empties it first.
    init(path: String, truncate: Bool) throws(BatchError) {
        self.path = path
        let flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncate ? O_TRUNC : 0)
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else { throw .cannotOpen(path: path, errno: errno) }
        self.fd = fd
        owned = true
    }

    deinit {
        if owned { close(fd) }
    }

    func write(_ bytes: [UInt8]) throws(BatchError) {
        guard !bytes.isEmpty else { return }
        let failed: Int32? = bytes.withUnsafeBufferPointer { all in
            var offset = 0
            while offset < all.count {
                #if canImport(Glibc)
                let n = Glibc.write(fd, all.baseAddress! + offset, all.count - offset)
                #else
                let n = Darwin.write(fd, all.baseAddress! + offset, all.count - offset)
                #endif
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += n
            }
            return nil
        }
        if let failed { throw .writeFailed(path: path, errno: failed) }
    }
}

/// One run's exclusive hold on its output files, taken before anything is read, cut or
/// truncated, and kept until the run ends. Two runs pointed at the same `--out` would otherwise
/// both truncate it and interleave their lines, each exiting 0; the second is refused instead.
/// The lock is `flock(2)`: advisory, held by the open file, released by the kernel when the
/// process ends however it ends, so a killed run never leaves a stale lock behind.
final class OutputLocks {
    private var held: [Int32] = []

    init(_ paths: [String]) throws(BatchError) {
        var seen: Set<[UInt64]> = []
        for path in paths {
            let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                let code = errno
                release()
                throw .cannotOpen(path: path, errno: code)
            }
            // The same file named twice (--out and --errors alike) is one lock, not a conflict.
            var info = stat()
            if fstat(fd, &info) == 0, !seen.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted {
                close(fd)
                continue
            }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                let code = errno
                close(fd)
                release()
                if code == EWOULDBLOCK { throw .outputBusy(path: path) }
                throw .cannotOpen(path: path, errno: code)
            }
            held.append(fd)
        }
    }

    deinit { release() }

    private func release() {
        for fd in held { close(fd) }
        held = []
    }
}

/// File helpers for resuming.
enum FileBytes {
    /// The whole file, or nil when it does not exist.
    static func read(_ path: String) throws(BatchError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .cannotOpen(path: path, errno: errno)
        }
        defer { close(fd) }
        return try readAll(fd)
    }

    /// Everything left to read from an open descriptor, after the bytes already taken.
    static func readAll(_ fd: Int32, after taken: [UInt8] = []) throws(BatchError) -> [UInt8] {
        var out = taken
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let got = chunk.withUnsafeMutableBufferPointer { posixRead(fd, $0.baseAddress!, $0.count) }
            if got < 0 { throw .readFailed(errno: errno) }
            if got == 0 { return out }
            out.append(contentsOf: chunk[0..<got])
        }
    }

    static func truncate(_ path: String, to length: Int) throws(BatchError) {
        #if canImport(Glibc)
        let result = Glibc.truncate(path, off_t(length))
        #else
        let result = Darwin.truncate(path, off_t(length))
        #endif
        if result != 0 { throw .writeFailed(path: path, errno: errno) }
    }
}
