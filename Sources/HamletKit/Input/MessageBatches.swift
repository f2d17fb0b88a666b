import Dispatch
import Learning
import MailParser

import Platform

/// A path to read mail from, with the label to train it under (nil when classifying).
public struct LabeledPath: Sendable, Equatable {
    public var path: String
    public var isSpam: Bool?

    public init(path: String, isSpam: Bool?) {
        self.path = path
        self.isSpam = isSpam
    }
}

/// A message read from a labelled path.
public struct LabeledMessage: Sendable {
    public var message: SourcedMessage
    public var isSpam: Bool?
}

/// Reads messages from paths in order and hands them over in batches, so that a huge mailbox is never held in
/// memory whole and each batch can be analysed on every core.
enum MessageBatches {
    static let defaultSize = 256

    /// Fails early, before anything is read or written, when a path is neither a file nor a message id.
    static func checkPathsExist(_ paths: [LabeledPath]) throws {
        for item in paths where item.path != "-" {
            var info = stat()
            if stat(item.path, &info) != 0, try Mailbox.readByID(item.path) == nil {
                throw MailboxError.notFound(item.path)
            }
        }
    }

    /// The first batch holds at most this many messages, each next one twice as many up to the batch size, so
    /// that the later stages of a pipeline start soon instead of waiting for a whole batch to be read.
    static let firstBatchSize = 128

    /// Messages that are not mail (`MailSniffer`) and files a folder walk skips are left out, each with a note
    /// through `notes`.
    static func forEach(
        _ paths: [LabeledPath], batchSize: Int = defaultSize, notes: InputNotes = InputNotes(),
        _ body: ([LabeledMessage]) throws -> Void
    ) throws {
        var limit = min(batchSize, firstBatchSize)
        var batch: [LabeledMessage] = []
        batch.reserveCapacity(batchSize)
        for item in paths {
            try Mailbox.read(item.path, skipped: { notes.skip($0, $1) }) { message in
                if let reason = MailSniffer.refusal(message.bytes) {
                    notes.refuse(message.id, reason)
                    return
                }
                batch.append(LabeledMessage(message: message, isSpam: item.isSpam))
                if batch.count >= limit {
                    try body(batch)
                    batch.removeAll(keepingCapacity: true)
                    limit = min(batchSize, limit * 2)
                }
            }
        }
        if !batch.isEmpty { try body(batch) }
    }
}

extension MessageBatches {
    /// Reads batches on one thread, analyses them on every core on another, and hands them to `body` on this one,
    /// all three at once: a training run's store writes (inside SQLite, on this thread) and a classification's
    /// output then overlap the reading and parsing of the batches after. With `jobs` 1 everything runs in turn on
    /// this thread. Batches reach `body` in input order.
    static func forEachAnalysed<A: Sendable>(
        _ paths: [LabeledPath], jobs: Int, batchSize: Int = defaultSize,
        notes: InputNotes = InputNotes(),
        analyse: @escaping @Sendable (LabeledMessage) -> A,
        _ body: ([LabeledMessage], [A]) throws -> Void
    ) throws {
        guard jobs > 1 else {
            try forEach(paths, batchSize: batchSize, notes: notes) { batch in try body(batch, batch.map(analyse)) }
            return
        }
        let read = BatchChannel<[LabeledMessage]>(capacity: 2)
        let analysed = BatchChannel<([LabeledMessage], [A])>(capacity: 2)
        startThread {
            do {
                try forEach(paths, batchSize: batchSize, notes: notes) { batch in try read.put(batch) }
                read.finish(nil)
            } catch {
                read.finish(error)
            }
        }
        startThread {
            do {
                while let batch = try read.take() {  // throws the reader's error, once the reader has stopped
                    do {
                        try analysed.put((batch, ParallelMap.map(batch, jobs: jobs, analyse)))
                    } catch {  // the consumer gave up: stop the reader too
                        read.cancelAndDrain()
                        analysed.finish(nil)
                        return
                    }
                }
                analysed.finish(nil)
            } catch {
                analysed.finish(error)
            }
        }
        // An error from `take` is the stages' own: they have stopped. An error from `body` must stop them first.
        while let (batch, analyses) = try analysed.take() {
            do {
                try body(batch, analyses)
            } catch {
                analysed.cancelAndDrain()
                throw error
            }
        }
    }
}

/// A bounded hand-over of items from one producer thread to one consumer thread.
private final class BatchChannel<Item: Sendable>: @unchecked Sendable {
    private enum Entry { case item(Item), finished((any Error)?) }
    private struct Cancelled: Error {}

    private let free: DispatchSemaphore
    private let filled = DispatchSemaphore(value: 0)
    private let lock = DispatchQueue(label: "hamlet.batch-channel")
    private var entries: [Entry] = []
    private var cancelled = false

    init(capacity: Int) { free = DispatchSemaphore(value: capacity) }

    /// Producer: waits for room; throws once the consumer has given up.
    func put(_ item: Item) throws {
        free.wait()
        let stop = lock.sync { () -> Bool in
            if cancelled { return true }
            entries.append(.item(item))
            return false
        }
        if stop {
            free.signal()  // give the room back: Dispatch traps on freeing a semaphore below its starting value
            throw Cancelled()
        }
        filled.signal()
    }

    /// Producer: no more items (with the error that stopped it, if any).
    func finish(_ error: (any Error)?) {
        lock.sync { entries.append(.finished(error is Cancelled ? nil : error)) }
        filled.signal()
    }

    /// Consumer: the next item, nil at the end; rethrows the producer's error.
    func take() throws -> Item? {
        filled.wait()
        let entry = lock.sync { entries.removeFirst() }
        switch entry {
        case .item(let item):
            free.signal()
            return item
        case .finished(let error):
            if let error { throw error }
            return nil
        }
    }

    /// Consumer, on its own error: stops the producer and waits until it has stopped.
    func cancelAndDrain() {
        lock.sync { cancelled = true }
        while true {
            filled.wait()
            let entry = lock.sync { entries.removeFirst() }
            if case .finished = entry { return }
            free.signal()
        }
    }
}
