import Dispatch
import MailParser

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

    static func forEach(_ paths: [LabeledPath], batchSize: Int = defaultSize,
                        _ body: ([LabeledMessage]) throws -> Void) throws
    {
        var batch: [LabeledMessage] = []
        batch.reserveCapacity(batchSize)
        for item in paths {
            try Mailbox.read(item.path) { message in
                batch.append(LabeledMessage(message: message, isSpam: item.isSpam))
                if batch.count >= batchSize {
                    try body(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
        }
        if !batch.isEmpty { try body(batch) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension MessageBatches {
    /// Reads and analyses batches on other threads while `body` handles the previous batch on this one: a
    /// training run's store writes (one thread, inside SQLite) then overlap the parsing of the next batch on the
    /// other cores. With `jobs` 1 everything runs in turn on this thread. Batches reach `body` in input order.
    static func forEachAnalysed<A: Sendable>(_ paths: [LabeledPath], jobs: Int, batchSize: Int = defaultSize,
                                             analyse: @escaping @Sendable (LabeledMessage) -> A,
                                             _ body: ([LabeledMessage], [A]) throws -> Void) throws
    {
        guard jobs > 1 else {
            try forEach(paths, batchSize: batchSize) { batch in try body(batch, batch.map(analyse)) }
            return
        }
        let channel = BatchChannel<A>(capacity: 2)
        DispatchQueue.global().async {
            do {
                try forEach(paths, batchSize: batchSize) { batch in
                    try channel.put((batch, ParallelMap.map(batch, jobs: jobs, analyse)))
                }
                channel.finish(nil)
            } catch {
                channel.finish(error)
            }
        }
        do {
            while let (batch, analyses) = try channel.take() { try body(batch, analyses) }
        } catch {
            channel.cancelAndDrain()
            throw error
        }
    }
}

/// A bounded hand-over of analysed batches from one producer thread to one consumer thread.
private final class BatchChannel<A: Sendable>: @unchecked Sendable {
    private enum Item { case batch([LabeledMessage], [A]), finished((any Error)?) }
    private struct Cancelled: Error {}

    private let free: DispatchSemaphore
    private let filled = DispatchSemaphore(value: 0)
    private let lock = DispatchQueue(label: "hamlet.batch-channel")
    private var items: [Item] = []
    private var cancelled = false

    init(capacity: Int) { free = DispatchSemaphore(value: capacity) }

    /// Producer: waits for room; throws once the consumer has given up.
    func put(_ batch: ([LabeledMessage], [A])) throws {
        free.wait()
        let stop = lock.sync { () -> Bool in
            if cancelled { return true }
            items.append(.batch(batch.0, batch.1))
            return false
        }
        if stop { throw Cancelled() }
        filled.signal()
    }

    /// Producer: no more batches (with the error that stopped it, if any).
    func finish(_ error: (any Error)?) {
        lock.sync { items.append(.finished(error is Cancelled ? nil : error)) }
        filled.signal()
    }

    /// Consumer: the next batch, nil at the end; rethrows the producer's error.
    func take() throws -> ([LabeledMessage], [A])? {
        filled.wait()
        let item = lock.sync { items.removeFirst() }
        switch item {
        case .batch(let batch, let analyses):
            free.signal()
            return (batch, analyses)
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
            let item = lock.sync { items.removeFirst() }
            if case .finished = item { return }
            free.signal()
        }
    }
}
