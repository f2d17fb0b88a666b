import Dispatch
import Learning

/// A value computed on a thread of its own, waited for where it is needed (by any number of threads).
final class Deferred<Value: Sendable>: @unchecked Sendable {
    private let ready = DispatchSemaphore(value: 0)
    private var result: Result<Value, any Error>? = nil

    init(_ body: @escaping @Sendable () throws -> Value) {
        startThread { [self] in
            result = Result { try body() }
            ready.signal()
        }
    }

    /// Waits for the value; each caller passes the signal on to the next.
    func get() throws -> Value {
        ready.wait()
        defer { ready.signal() }
        return try result!.get()
    }
}

/// Hands a value that is not `Sendable` to one other thread, which alone uses it from then on.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
