import MailParser
import Platform

/// One line to stderr in a single write, from any thread.
public enum StandardError {
    public static func line(_ text: String) {
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
