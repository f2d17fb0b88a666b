import MailParser

import Platform

/// What a command's reading of its paths left out: files skipped in folder walks (not regular files, link loops,
/// names that are not UTF-8) and files refused as not mail (`MailSniffer`). Each gets one note on stderr as it
/// happens; the counts let a command exit 65 when it did nothing because of them. Safe to use from the reading
/// thread and the caller's.
public final class InputNotes: @unchecked Sendable {
    private let lock = NSLockless()
    private var counts = (skipped: 0, refused: 0)

    public init() {}

    public var skipped: Int { lock.sync { counts.skipped } }
    public var refused: Int { lock.sync { counts.refused } }
    /// Inputs left out for either reason.
    public var leftOut: Int { lock.sync { counts.skipped + counts.refused } }

    func skip(_ path: String, _ reason: String) {
        lock.sync { counts.skipped += 1 }
        StandardError.line("skipped \(OutputEscaping.escaped(path, backslash: false)): \(reason)")
    }

    func refuse(_ id: String, _ reason: String) {
        lock.sync { counts.refused += 1 }
        StandardError.line("not mail, left out: \(OutputEscaping.escaped(id)): \(reason)")
    }
}

/// A mutex from pthreads (HamletKit avoids Foundation).
final class NSLockless: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func sync<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }
}
