import PCRE2

/// How long the engine may spend on one note. A note that takes longer is given up and reported
/// as an error naming it, so that no note, however it is written, holds a batch worker or a
/// server request indefinitely. The engine looks at the time between its stages and between
/// the mentions it reads, so looking costs nothing that grows with the note.
public struct NoteTimeLimit: Sendable {
    /// The default limit: a hundred times what the largest note the engine accepts (4 MB) takes.
    public static let defaultSeconds = 5.0

    public var seconds: Double
    /// Reads a monotonic clock in seconds; a test substitutes one that advances by the engine's
    /// own look at it, so that a limit is passed by work done rather than by a machine's speed.
    let clock: @Sendable () -> Double

    public init(seconds: Double) {
        self.init(seconds: seconds, clock: NoteTimeLimit.monotonicSeconds)
    }

    init(seconds: Double, clock: @escaping @Sendable () -> Double) {
        self.seconds = seconds
        self.clock = clock
    }

    func start() -> Deadline { Deadline(end: clock() + seconds, clock: clock) }

    static func monotonicSeconds() -> Double {
        let elapsed = origin.duration(to: .now).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
    }

    private static let origin = ContinuousClock.now
}

/// The moment one note's time is up.
struct Deadline {
    let end: Double
    let clock: @Sendable () -> Double

    func check() throws(Interruption) {
        if clock() > end { throw .outOfTime }
    }
}

/// Why the stages after reading stopped before a report.
enum Interruption: Error {
    case pattern(PCRE2Error)
    case outOfTime
}
