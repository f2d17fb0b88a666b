import HamletKit

import Platform

/// A one-line progress report on stderr (messages done, rate, ETA by bytes), redrawn at most five times a second,
/// and only when stderr is a terminal.
struct ProgressLine {
    private let enabled: Bool
    private let totalBytes: Int
    private let start = monotonicSeconds()
    private var lastDraw = 0.0
    private var messages = 0
    private var bytes = 0

    /// Shown only when stderr is a terminal and stdout is not (results going to a file or a pipe): with both on
    /// one terminal the results are the progress, and a redrawn line would be mixed into them.
    init(paths: [String], resultsOnStdout: Bool = true) {
        enabled = isatty(2) != 0 && !(resultsOnStdout && isatty(1) != 0)
        totalBytes = enabled ? paths.reduce(0) { $0 + ProgressLine.size(of: $1) } : 0
    }

    mutating func advance(bytes count: Int, messages added: Int = 1) {
        messages += added
        bytes += count
        guard enabled else { return }
        let now = monotonicSeconds()
        guard lastDraw == 0 || now - lastDraw >= 0.2 else { return }
        lastDraw = now
        let elapsed = max(now - start, 1e-6)
        var line = "\r\(messages) messages, \(Int(Double(messages) / elapsed))/s"
        // An estimate only once it means something: start-up (loading the model) would make the first ones absurd.
        if totalBytes > 0, elapsed >= 2, bytes >= totalBytes / 100, bytes < totalBytes {
            let remaining = elapsed * Double(totalBytes - bytes) / Double(bytes)
            line += ", about \(Int(remaining.rounded(.up))) s left"
        }
        _ = Output.writeFully(2, Array((line + "   ").utf8))
    }

    /// Says what a long step after reading is doing (a refit), on the same line.
    mutating func note(_ text: String) {
        guard enabled else { return }
        lastDraw = monotonicSeconds()
        _ = Output.writeFully(2, Array(("\r" + text + String(repeating: " ", count: 20)).utf8))
    }

    func finish() {
        guard enabled, lastDraw > 0 else { return }
        _ = Output.writeFully(2, Array(("\r" + String(repeating: " ", count: 60) + "\r").utf8))
    }

    /// Bytes under a path (recursively for folders), for the ETA.
    static func size(of path: String, depth: Int = 0) -> Int {
        var info = stat()
        // Links inside folders are not followed (a loop would never end); the paths named are.
        guard (depth == 0 ? stat(path, &info) : lstat(path, &info)) == 0 else { return 0 }
        if (info.st_mode & S_IFMT) == S_IFREG { return Int(info.st_size) }
        guard (info.st_mode & S_IFMT) == S_IFDIR, depth < 64 else { return 0 }
        guard let dir = opendir(path) else { return 0 }
        defer { closedir(dir) }
        var total = 0
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(cString: $0.bindMemory(to: CChar.self).baseAddress!)
            }
            if name == "." || name == ".." { continue }
            total += size(of: path + "/" + name, depth: depth + 1)
        }
        return total
    }
}
