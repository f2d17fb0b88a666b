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

/// One line to stderr in a single write, from any thread.
enum StandardError {
    static func line(_ text: String) {
        var bytes = Array(("hamlet: " + text + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }
}

/// Message ids (file names) in Hamlet's output: a name may hold any byte but NUL and `/`, so a newline, a tab or an
/// escape sequence in it could forge output lines or drive the terminal. Control characters, DEL and the
/// backslash are written as C escapes: `\n`, `\t`, `\r`, `\\`, and `\xHH` for the rest.
public enum OutputEscaping {
    /// `backslash: false` leaves backslashes alone (for notes whose names already show raw bytes as `\xHH`).
    public static func escaped(_ id: String, backslash: Bool = true) -> String {
        guard id.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || ($0 == 0x5C && backslash) }) else { return id }
        var result = ""
        for scalar in id.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case "\\": result += backslash ? "\\\\" : "\\"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\x" + (hex.count == 1 ? "0" + hex : hex)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}
