import HamletKit
import Synchronization

import Platform

/// Buffered writes to stdout and unbuffered ones to stderr, on file descriptors (no Foundation, no C `FILE`
/// globals).
enum Output {
    private static let buffer = Mutex<[UInt8]>([])

    static func write(_ text: String) { append(text.utf8) }

    static func line(_ text: String) { write(text + "\n") }

    static func write(bytes: [UInt8]) { append(bytes) }

    private static func append(_ bytes: some Sequence<UInt8>) {
        let full = buffer.withLock { buffer in
            buffer.append(contentsOf: bytes)
            return buffer.count >= 1 << 16
        }
        if full { flush() }
    }

    /// Writes out what is buffered; false if stdout could not take all of it.
    @discardableResult static func flush() -> Bool {
        buffer.withLock { buffer in
            let ok = writeFully(1, buffer)
            buffer.removeAll(keepingCapacity: true)
            return ok
        }
    }

    /// One line on stderr. Control characters in it (from a file name or an argument), line breaks included, are
    /// written as C escapes, so an error message cannot forge lines or drive the terminal.
    static func error(_ text: String) {
        flush()  // keep stdout and stderr in order on a terminal
        _ = writeFully(2, Array(("hamlet: " + OutputEscaping.escaped(text, backslash: false) + "\n").utf8))
    }

    /// write(2) until every byte is out (retrying on EINTR and short writes).
    static func writeFully(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
    }
}

@inline(__always) private func systemWrite(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        return Glibc.write(fd, pointer, count)
    #else
        return Darwin.write(fd, pointer, count)
    #endif
}
