import Dispatch
import Learning

import Platform

/// Ordered parallel map: results come back in input order whatever the number of threads.
enum ParallelMap {
    static func map<T: Sendable, R: Sendable>(_ input: [T], jobs: Int, _ transform: @Sendable (T) -> R) -> [R] {
        if jobs <= 1 || input.count < 2 { return input.map(transform) }
        let results = ResultSlots<R>(count: input.count)
        let chunks = min(input.count, jobs * 16)  // small chunks: Dispatch hands them out as threads free up
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let lower = input.count * chunk / chunks
            let upper = input.count * (chunk + 1) / chunks
            for i in lower..<upper { results.set(i, transform(input[i])) }
        }
        return results.values()
    }
}

/// Write-once slots filled from several threads, each index by exactly one thread. The slots are raw memory
/// allocated once: mutating one shared `Array` from several threads (even through `withUnsafeMutableBufferPointer`)
/// is a data race, since each call may check uniqueness and copy.
private final class ResultSlots<R>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<R?>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    func set(_ index: Int, _ value: R) { slots[index] = value }

    func values() -> [R] { (0..<count).map { slots[$0]! } }
}
