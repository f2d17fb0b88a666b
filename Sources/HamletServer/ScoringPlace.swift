import NIOCore
import NIOPosix

/// Where a request is answered. A small message is scored on the event loop that accepted and read it: handing
/// it to a pool thread and back costs two thread wake-ups, most of a single delivery's wait on an idle host
/// (docs/BENCHMARKS.md). A larger message goes to the thread pool, so that it does not hold up the other
/// connections, and so does anything that may wait for something other than this machine's processor: learning
/// (the store's write lock), and any request when the store is on a server (`MessageScanner.storesAreLocal`).
struct ScoringPlace: Sendable {
    /// Requests up to this many bytes are answered on the event loop.
    static let inlineLimit = 16 * 1024

    let pool: NIOThreadPool

    /// `work`'s result, computed on `eventLoop` (the caller's) or on the pool, as `size` and `mayWait` decide.
    /// Fails once the pool has stopped, for work that would have gone there.
    func run<Result: Sendable>(
        size: Int, mayWait: Bool, on eventLoop: EventLoop, _ work: @escaping @Sendable () -> Result
    ) -> EventLoopFuture<Result> {
        if size <= Self.inlineLimit && !mayWait { return eventLoop.makeSucceededFuture(work()) }
        return pool.runIfActive(eventLoop: eventLoop, work)
    }
}
