import Dispatch
import Synchronization

import Platform

/// The number of CPUs this process may run on.
public func availableProcessors() -> Int {
    #if os(Linux)
        // The affinity mask (as `taskset` sets it) from /proc/self/status, e.g. "Cpus_allowed:\t3".
        if let file = fopen("/proc/self/status", "r") {
            defer { fclose(file) }
            var line: UnsafeMutablePointer<CChar>? = nil
            var capacity = 0
            defer { free(line) }
            while getline(&line, &capacity, file) > 0, let line {
                let text = String(cString: line)
                guard text.hasPrefix("Cpus_allowed:") else { continue }
                let count = text.dropFirst("Cpus_allowed:".count).reduce(0) { sum, c in
                    sum + (c.hexDigitValue.map { $0.nonzeroBitCount } ?? 0)
                }
                if count > 0 { return count }
            }
        }
    #endif
    return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}

/// Runs `body` on a new detached thread of its own. The stages of a pipeline block on each other; on Dispatch's
/// global queues they would occupy the threads `concurrentPerform` needs (Linux's pool has one per core).
public func startThread(_ body: @escaping @Sendable () -> Void) {
    final class Box: @unchecked Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let started = pthread_create(
        &thread, nil,
        { argument in
            let box = Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue()
            box.body()
            return nil
        }, box)
    if started == 0 {
        pthread_detach(thread)
    } else {
        let box = Unmanaged<Box>.fromOpaque(box).takeRetainedValue()  // no thread to be had: Dispatch's pool then
        DispatchQueue.global().async { box.body() }
    }
}

/// The calling thread and one helper thread running many short phases in lock step: `run { half in ... }` calls
/// the body with 0 on the caller and 1 on the helper and returns when both are done. A phase here lasts tens of
/// microseconds (half a mini-batch of the fit), far less than a wake-up through the kernel costs, so both sides
/// wait by spinning (yielding the core after a while). Close it when done: the helper thread then exits.
@available(macOS 15.0, *)
final class LockStepPair: @unchecked Sendable {
    private let posted = Atomic<Int>(0)  // phases handed to the helper
    private let finished = Atomic<Int>(0)  // phases the helper has finished
    private let closed = Atomic<Bool>(false)
    private var phase: ((Int) -> Void)?

    init() {
        startThread { [self] in helperLoop() }
    }

    func run(_ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { body in
            phase = body
            let number = posted.add(1, ordering: .releasing).newValue
            body(0)
            Self.spin { finished.load(ordering: .acquiring) == number }
            phase = nil
        }
    }

    func close() {
        closed.store(true, ordering: .releasing)
    }

    private func helperLoop() {
        var done = 0
        while true {
            var stop = false
            Self.spin {
                stop = closed.load(ordering: .acquiring)
                return stop || posted.load(ordering: .acquiring) > done
            }
            if stop && posted.load(ordering: .acquiring) == done { return }
            done += 1
            phase?(1)
            finished.store(done, ordering: .releasing)
        }
    }

    /// Spins until `ready`, yielding the processor every 256 polls, so a waiting side never starves the other.
    private static func spin(until ready: () -> Bool) {
        var polls = 0
        while !ready() {
            polls += 1
            if polls & 255 == 0 { sched_yield() }
        }
    }
}
