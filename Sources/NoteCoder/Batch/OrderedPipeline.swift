import Foundation

/// Read → code in parallel → write in input order, with a bounded window between reader and
/// writer.
///
/// One reader thread produces items; `jobs` worker threads each build their own per-thread
/// state (a PCRE2 `Matcher`) with `makeWorker` and turn items into outputs; the calling thread
/// consumes the outputs strictly in the order the items were produced. The output therefore
/// does not depend on `jobs` or on timing, and an item counts against the window from the
/// moment it is read until its output has been consumed.
final class OrderedPipeline<Item: Sendable, Output: Sendable>: @unchecked Sendable {
    // All mutable state below is guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [(sequence: Int, item: Item, cost: Int)?] = []
    private var queueHead = 0
    private var results: [Int: (output: Output, cost: Int)] = [:]
    private var produced = 0
    private var readerDone = false
    private var readerError: BatchError?
    private var cancelled = false
    private var liveThreads = 0
    private var inFlight = 0
    private var inFlightBytes = 0
    // Who is waiting, so that a step wakes the others only when one of them waits for it: a
    // wake-up per note costs more than coding a short note.
    private var workersWaiting = 0
    private var readerWaiting = false
    private var writerWaitingFor: Int?

    let window: BatchWindow
    let jobs: Int
    /// The most items and bytes ever in flight at once.
    private(set) var peakInFlight = 0
    private(set) var peakInFlightBytes = 0

    /// How many outputs wake the writer at once.
    private let writerBatch: Int

    init(jobs: Int, window: BatchWindow) {
        self.jobs = max(1, jobs)
        self.window = window
        writerBatch = max(1, min(16, window.records / 4))
    }

    /// Runs the pipeline and returns when every produced item has been consumed, or when
    /// `consume` throws (the reader then stops at its next item, the workers drain, and the
    /// error is rethrown). A reader error ends the input there: items already read are still
    /// written, then the error is thrown.
    func run(
        produce: @escaping @Sendable (_ submit: (Item, Int) -> Bool) throws(BatchError) -> Void,
        makeWorker: @escaping @Sendable () -> (Item) -> Output,
        consume: (Output) throws(BatchError) -> Void
    ) throws(BatchError) {
        condition.lock()
        liveThreads = jobs + 1
        condition.unlock()
        let reader = Thread { [self] in
            do throws(BatchError) {
                try produce { item, cost in self.submit(item, cost: cost) }
            } catch {
                condition.lock()
                self.readerError = error
                condition.unlock()
            }
            condition.lock()
            readerDone = true
            liveThreads -= 1
            condition.broadcast()
            condition.unlock()
        }
        reader.name = "notecoder-batch-reader"
        reader.start()
        for index in 0..<jobs {
            let worker = Thread { [self] in
                let work = makeWorker()
                while let (sequence, item, cost) = take() {
                    let output = work(item)
                    condition.lock()
                    results[sequence] = (output, cost)
                    // The writer is woken for a run of outputs rather than for each one, unless
                    // the workers are about to run dry.
                    if let waited = writerWaitingFor, results[waited] != nil,
                       results.count >= writerBatch || queueHead == queue.count || readerDone {
                        condition.broadcast()
                    }
                    condition.unlock()
                }
                condition.lock()
                liveThreads -= 1
                condition.broadcast()
                condition.unlock()
            }
            worker.name = "notecoder-batch-worker-\(index)"
            worker.start()
        }

        var failure: BatchError?
        var next = 0
        while true {
            condition.lock()
            while results[next] == nil && !(readerDone && next == produced) {
                writerWaitingFor = next
                condition.wait()
            }
            writerWaitingFor = nil
            guard let (output, cost) = results.removeValue(forKey: next) else {
                condition.unlock()
                break
            }
            condition.unlock()
            do throws(BatchError) {
                try consume(output)
            } catch {
                failure = error
            }
            condition.lock()
            inFlight -= 1
            inFlightBytes -= cost
            if failure != nil { cancelled = true }
            // The reader is woken once half the window is free, to read a run of records.
            let roomForRun = inFlight == 0 || (inFlight <= window.records / 2 && inFlightBytes <= window.bytes / 2)
            if (readerWaiting && roomForRun) || cancelled { condition.broadcast() }
            condition.unlock()
            if failure != nil { break }
            next += 1
        }
        // Wait for every thread to finish, so nothing outlives the run.
        condition.lock()
        if failure != nil {
            cancelled = true
            condition.broadcast()
        }
        while liveThreads > 0 {
            if cancelled {
                // Let blocked workers and the reader see the cancellation and leave.
                queue.removeAll()
                queueHead = 0
                results.removeAll()
                inFlight = 0
                inFlightBytes = 0
                condition.broadcast()
            }
            condition.wait()
        }
        let readerError = self.readerError
        condition.unlock()
        if let failure { throw failure }
        if let readerError { throw readerError }
    }

    /// Called by the reader: waits for room in the window, then queues the item. False when
    /// the run was cancelled.
    private func submit(_ item: Item, cost: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && inFlight > 0 && (inFlight >= window.records || inFlightBytes + cost > window.bytes) {
            readerWaiting = true
            condition.wait()
        }
        readerWaiting = false
        if cancelled { return false }
        queue.append((produced, item, cost))
        produced += 1
        inFlight += 1
        inFlightBytes += cost
        peakInFlight = max(peakInFlight, inFlight)
        peakInFlightBytes = max(peakInFlightBytes, inFlightBytes)
        if workersWaiting > 0 { condition.broadcast() }
        return true
    }

    /// Called by a worker: the next queued item, or nil when the input is done or the run cancelled.
    private func take() -> (Int, Item, Int)? {
        condition.lock()
        defer { condition.unlock() }
        while queueHead == queue.count && !readerDone && !cancelled {
            workersWaiting += 1
            condition.wait()
            workersWaiting -= 1
        }
        if cancelled || queueHead == queue.count { return nil }
        guard let entry = queue[queueHead] else { return nil }
        queue[queueHead] = nil  // taken items must not linger: the window bounds what is held
        queueHead += 1
        if queueHead >= 64 && queueHead * 2 > queue.count {
            queue.removeFirst(queueHead)
            queueHead = 0
        }
        return (entry.sequence, entry.item, entry.cost)
    }
}
