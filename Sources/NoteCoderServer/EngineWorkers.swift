import Foundation
import Synchronization

/// Where the server runs the engine: threads of its own, never Swift's shared executor.
///
/// Coding a note is synchronous work that can take the whole per-note time limit. Run inside an
/// async handler it would hold one of the few threads of the shared executor (two on a 2-core
/// machine), so two slow notes would stall `/v1/health`, the page and every other request. Here
/// each note gets a thread of its own, at most `workers` at once; requests beyond those wait in
/// a queue of at most `queueLimit`, and one more is refused as busy (503) rather than queued
/// without end.
final class EngineWorkers: Sendable {
    struct Busy: Error {}

    let workers: Int
    let queueLimit: Int
    private let state: Mutex<State>

    private struct State {
        var running = 0
        var waiting: [CheckedContinuation<Void, any Error>] = []
    }

    init(workers: Int, queueLimit: Int) {
        self.workers = max(1, workers)
        self.queueLimit = max(0, queueLimit)
        state = Mutex(State())
    }

    /// How many notes are being coded, and how many wait for a worker.
    var load: (running: Int, waiting: Int) { state.withLock { ($0.running, $0.waiting.count) } }

    /// Runs `work` on a worker thread and returns what it returned; throws `Busy` at once when
    /// every worker is taken and the queue is full.
    func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await acquire()
        defer { release() }
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try work() })
            }
            // The engine's matcher and stages are iterative; the platform default is plenty, but
            // it is set so a build with a small default (some libcs) behaves the same.
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Takes a worker, waits in the queue for one, or refuses: decided under one lock, so the
    /// queue never grows past its limit.
    private func acquire() async throws {
        enum Admission { case run, wait, refuse }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let admission = state.withLock { state -> Admission in
                if state.running < workers {
                    state.running += 1
                    return .run
                }
                guard state.waiting.count < queueLimit else { return .refuse }
                state.waiting.append(continuation)
                return .wait
            }
            switch admission {
            case .run: continuation.resume()
            case .refuse: continuation.resume(throwing: Busy())
            // `release` resumes it, handing over its worker.
            case .wait: break
            }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            if state.waiting.isEmpty {
                state.running -= 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
