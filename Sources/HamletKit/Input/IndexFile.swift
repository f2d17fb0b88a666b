import Platform
import MailParser

/// A TREC spam-track index: lines `spam PATH` or `ham PATH`, split at the first run of white space; PATH absolute
/// or relative to the index file's folder; blank lines and `#` lines skipped.
public struct IndexFile: Sendable {
    public struct Entry: Sendable, Equatable {
        public var isSpam: Bool
        /// The path exactly as the index writes it (the id in score files).
        public var path: String
        /// The path to open.
        public var resolvedPath: String
    }

    public let path: String
    public let entries: [Entry]

    /// Reads an index file. An entry whose file is missing or is not a regular file (a device, a FIFO, a folder)
    /// is left out with a note on stderr, so one bad line neither stops nor hangs an evaluation. Entries may be
    /// relative to the index's folder (`..` included) or absolute: evaluate only ever reads them.
    public init(path: String) throws {
        var bytes: [UInt8] = []
        try Mailbox.read(path) { message in bytes = message.bytes }
        let parsed = try Self.parse(path: path, contents: String(decoding: bytes, as: UTF8.self))
        self.path = path
        entries = parsed.filter { entry in
            var info = stat()
            guard stat(entry.resolvedPath, &info) == 0 else {
                StandardError.line(
                    "\(OutputEscaping.escaped(path)): \(OutputEscaping.escaped(entry.path)): "
                        + "\(String(cString: strerror(errno))); left out")
                return false
            }
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                StandardError.line(
                    "\(OutputEscaping.escaped(path)): \(OutputEscaping.escaped(entry.path)): not a regular file; left out"
                )
                return false
            }
            return true
        }
    }

    public init(path: String, contents: String) throws {
        self.path = path
        entries = try Self.parse(path: path, contents: contents)
    }

    private static func parse(path: String, contents: String) throws -> [Entry] {
        let folder = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
        var entries: [Entry] = []
        var lineNumber = 0
        for rawLine in contents.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let split = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
                throw HamletError.badIndexLine(file: path, line: lineNumber, text: String(line))
            }
            let label = trimmed[..<split].lowercased()
            let file = String(trimmed[split...].drop { $0 == " " || $0 == "\t" })
            guard label == "spam" || label == "ham", !file.isEmpty else {
                throw HamletError.badIndexLine(file: path, line: lineNumber, text: String(line))
            }
            entries.append(
                Entry(isSpam: label == "spam", path: file, resolvedPath: file.hasPrefix("/") ? file : folder + file))
        }
        return entries
    }
}
