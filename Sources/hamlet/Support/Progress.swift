import HamletKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-line progress report on stderr (messages done, rate, ETA by bytes), redrawn at most five times a second,
/// and only when stderr is a terminal.
struct ProgressLine {
    private let enabled: Bool
    private let totalBytes: Int
    private let start = monotonicSeconds()
    private var lastDraw = 0.0
    private var messages = 0
    private var bytes = 0

    init(paths: [String]) {
        enabled = isatty(2) != 0
        totalBytes = enabled ? paths.reduce(0) { $0 + ProgressLine.size(of: $1) } : 0
    }

    mutating func advance(bytes count: Int) {
        messages += 1
        bytes += count
        guard enabled else { return }
        let now = monotonicSeconds()
        guard now - lastDraw >= 0.2 else { return }
        lastDraw = now
        let elapsed = max(now - start, 1e-6)
        var line = "\r\(messages) messages, \(Int(Double(messages) / elapsed))/s"
        if totalBytes > 0, bytes > 0, bytes < totalBytes {
            let remaining = elapsed * Double(totalBytes - bytes) / Double(bytes)
            line += ", about \(Int(remaining.rounded(.up))) s left"
        }
        _ = Output.writeFully(2, Array((line + "   ").utf8))
    }

    func finish() {
        guard enabled, lastDraw > 0 else { return }
        _ = Output.writeFully(2, Array(("\r" + String(repeating: " ", count: 60) + "\r").utf8))
    }

    /// Bytes under a path (recursively for folders), for the ETA.
    static func size(of path: String) -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else { return 0 }
        if (info.st_mode & S_IFMT) != S_IFDIR { return Int(info.st_size) }
        guard let dir = opendir(path) else { return 0 }
        defer { closedir(dir) }
        var total = 0
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name == "." || name == ".." { continue }
            total += size(of: path + "/" + name)
        }
        return total
    }
}
