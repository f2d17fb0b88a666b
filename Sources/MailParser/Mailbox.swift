import Platform

/// Reads messages from a path, choosing the format from what the path is: a Maildir (a folder with `cur/` or
/// `new/`; its Maildir++ subfolders such as `.Junk` are folders of their own, not included), a plain folder (recursively, in sorted order, hidden files skipped), an mbox (a file whose first line
/// starts with `From `, read line by line so memory stays bounded by the largest message) or a single message file.
/// `-` reads one message from standard input.
public enum Mailbox {
    /// Calls `body` for every message under `path`, in a stable order. Inside folders, what is not a regular
    /// file or a folder (a FIFO, a socket, a device), a link that leads nowhere or into a loop, a folder already
    /// read through another link, and a name that is not UTF-8 are skipped, each told to `skipped` with the
    /// reason; a device named directly is skipped too (reading /dev/zero would never end).
    public static func read(
        _ path: String, skipped: (_ path: String, _ reason: String) -> Void = { _, _ in },
        _ body: (SourcedMessage) throws -> Void
    ) throws {
        var visited = Set<FileIdentity>()
        try read(path, top: true, visited: &visited, skipped: skipped, body)
    }

    /// A file's device and inode: what a folder walk has already read.
    struct FileIdentity: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    private static func read(
        _ path: String, top: Bool, visited: inout Set<FileIdentity>,
        skipped: (String, String) -> Void, _ body: (SourcedMessage) throws -> Void
    ) throws {
        if path == "-" {
            try body(SourcedMessage(id: "-", bytes: try readAll(fd: 0, path: "-")))
            return
        }
        var info = stat()
        guard stat(path, &info) == 0 else {
            let error = errno
            if !top {
                skipped(
                    path, error == ELOOP ? "a link loop" : "a link to nothing (\(String(cString: strerror(error))))")
                return
            }
            // Not a file: perhaps an id as `classify` prints it.
            if let message = try readByID(path) {
                try body(message)
                return
            }
            if error == ENOENT || error == ENOTDIR { throw MailboxError.notFound(path) }
            throw MailboxError.unreadable(path, String(cString: strerror(error)))
        }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFDIR {
            guard visited.insert(FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))).inserted else {
                skipped(path, "a folder already read (a link loop)")
                return
            }
            if isMaildir(path) {
                try readMaildir(path, skipped: skipped, body)
            } else {
                for entry in try listDirectory(path, skipped: skipped) {
                    try read(join(path, entry), top: false, visited: &visited, skipped: skipped, body)
                }
            }
        } else if kind == S_IFREG || (top && kind == S_IFIFO) {
            try readFile(path, body)
        } else {
            skipped(
                path,
                kind == S_IFIFO
                    ? "a FIFO, not a file" : kind == S_IFSOCK ? "a socket, not a file" : "a device, not a file")
        }
    }

    /// The message named by an id that `classify` prints but that is not itself a file: `MBOX:BYTEOFFSET` (a
    /// message inside an mbox) or a Maildir message's path without its `:2,FLAGS` suffix. Nil if it names none.
    public static func readByID(_ id: String) throws -> SourcedMessage? {
        if let colon = id.lastIndex(of: ":"), let offset = Int(id[id.index(after: colon)...]), offset >= 0 {
            let mbox = String(id[..<colon])
            var info = stat()
            if stat(mbox, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
                return try readMboxMessage(mbox, offset: offset).map { SourcedMessage(id: id, bytes: $0) }
            }
        }
        // A Maildir id: look in its folder for a file named id + ":2,..." (flags change as mail is read), and, for
        // a message in new/ or cur/, in the other one too (a mail client moves a message from new/ to cur/ once it
        // has seen it; its unique name stays).
        guard let slash = id.lastIndex(of: "/") else { return nil }
        let folder = String(id[..<slash])
        let name = String(id[id.index(after: slash)...])
        guard !name.isEmpty else { return nil }
        var folders = [folder]
        let last = folder.split(separator: "/").last.map(String.init) ?? folder
        if last == "new" || last == "cur" {
            folders.append(String(folder.dropLast(last.count)) + (last == "new" ? "cur" : "new"))
        }
        for candidate in folders {
            guard isDirectory(candidate), let entries = try? listDirectory(candidate, includeHidden: true) else {
                continue
            }
            for entry in entries where entry.hasPrefix(name + ":") || (candidate != folder && entry == name) {
                let file = join(candidate, entry)
                let fd = open(file, O_RDONLY)
                guard fd >= 0 else { throw MailboxError.unreadable(file, String(cString: strerror(errno))) }
                defer { close(fd) }
                return SourcedMessage(id: id, bytes: try readAll(fd: fd, path: file))
            }
        }
        return nil
    }

    /// The message that starts at `offset` in an mbox (where a `From ` line must begin), as `read` would give it.
    static func readMboxMessage(_ path: String, offset: Int) throws -> [UInt8]? {
        guard let file = fopen(path, "rb") else {
            throw MailboxError.unreadable(path, String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        guard fseeko(file, off_t(offset), SEEK_SET) == 0 else { return nil }
        var splitter = MboxSplitter(path: path)
        splitter.partOfLargerMbox = true
        var linePointer: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        defer { free(linePointer) }
        var messages: [SourcedMessage] = []
        var first = true
        while messages.count < 2 {
            let length = getline(&linePointer, &capacity, file)
            if length < 0 { break }
            let line = UnsafeRawBufferPointer(start: linePointer, count: length).bindMemory(to: UInt8.self)
            if first {
                guard MboxSplitter.startsWithFrom(line, at: 0) else { return nil }
                first = false
            }
            messages += splitter.feed(line)
        }
        if messages.isEmpty { messages = splitter.finish() }
        return messages.first?.bytes
    }

    /// The first message under `path` (the one message of a message file, or stdin), nil if there is none.
    public static func first(_ path: String) throws -> SourcedMessage? {
        var first: SourcedMessage? = nil
        try read(path) { if first == nil { first = $0 } }
        return first
    }

    /// The Maildir id of a file path: the path without its `:2,FLAGS` info suffix.
    public static func maildirID(_ path: String) -> String {
        guard let colon = path.lastIndex(of: ":") else { return path }
        let slash = path.lastIndex(of: "/")
        if let slash, colon < slash { return path }
        return String(path[..<colon])
    }

    static func isMaildir(_ path: String) -> Bool {
        isDirectory(join(path, "cur")) || isDirectory(join(path, "new"))
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func join(_ a: String, _ b: String) -> String { a.hasSuffix("/") ? a + b : a + "/" + b }

    private static func readMaildir(
        _ path: String, skipped: (String, String) -> Void,
        _ body: (SourcedMessage) throws -> Void
    ) throws {
        for sub in ["cur", "new"] {
            let folder = join(path, sub)
            guard isDirectory(folder) else { continue }
            for entry in try listDirectory(folder, skipped: skipped) {
                let file = join(folder, entry)
                var info = stat()
                guard stat(file, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
                    if !isDirectory(file) { skipped(file, "not a regular file") }
                    continue
                }
                let fd = open(file, O_RDONLY)
                guard fd >= 0 else { throw MailboxError.unreadable(file, String(cString: strerror(errno))) }
                defer { close(fd) }
                try body(SourcedMessage(id: maildirID(file), bytes: try readAll(fd: fd, path: file)))
            }
        }
        // Maildir++ subfolders (.Junk, .Archive, ...) are folders of their own: name them to read them. Reading
        // them here would make `train --spam ~/Maildir/.Junk --ham ~/Maildir` learn the Junk folder as ham too.
    }

    /// Every entry name of a folder (hidden ones too), sorted bytewise.
    public static func listDirectoryEntries(_ path: String) throws -> [String] {
        try listDirectory(path, includeHidden: true)
    }

    /// Entry names of a folder, sorted bytewise, without hidden ones unless asked. A name that is not UTF-8
    /// cannot be named by a String: it is told to `skipped` (with its bytes escaped) and left out.
    static func listDirectory(
        _ path: String, includeHidden: Bool = false,
        skipped: (String, String) -> Void = { _, _ in }
    ) throws -> [String] {
        guard let dir = opendir(path) else { throw MailboxError.unreadable(path, String(cString: strerror(errno))) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            guard let name = String(validating: bytes, as: UTF8.self) else {
                let shown = bytes.map { $0 < 0x80 ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16) }.joined()
                skipped(join(path, shown), "its name is not UTF-8")
                continue
            }
            if name == "." || name == ".." { continue }
            if !includeHidden && name.hasPrefix(".") { continue }
            names.append(name)
        }
        return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// Reads a file descriptor to its end; `expectedSize` (a file's size) sizes the buffer for a single read.
    public static func readAll(fd: Int32, path: String, expectedSize: Int = 0) throws -> [UInt8] {
        var result: [UInt8] = []
        if expectedSize > 0 {
            var filled = 0
            result = try [UInt8](unsafeUninitializedCapacity: expectedSize) { buffer, count in
                while filled < expectedSize {
                    let n = systemRead(fd, buffer.baseAddress! + filled, expectedSize - filled)
                    if n < 0 {
                        if errno == EINTR { continue }
                        count = filled
                        throw MailboxError.unreadable(path, String(cString: strerror(errno)))
                    }
                    if n == 0 { break }
                    filled += n
                }
                count = filled
            }
            if filled < expectedSize { return result }  // the file shrank: what is there is all
        }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw MailboxError.unreadable(path, String(cString: strerror(errno)))
            }
            if n == 0 { break }
            result.append(contentsOf: chunk[0..<n])
        }
        return result
    }

    /// Files up to this size are read whole in one call; larger ones (big mboxes) line by line.
    static let wholeFileLimit = 4 << 20

    /// A single message file, or an mbox when its first line starts with `From `.
    private static func readFile(_ path: String, _ body: (SourcedMessage) throws -> Void) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw MailboxError.unreadable(path, String(cString: strerror(errno))) }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) <= wholeFileLimit {
            defer { close(fd) }
            let bytes = try readAll(fd: fd, path: path, expectedSize: Int(info.st_size))
            // Most files are one message (an mbox holding one is kept byte for byte too): no splitting to do.
            if !MboxSplitter.holdsSeveralMessages(bytes) {
                try body(SourcedMessage(id: path, bytes: bytes))
                return
            }
            var reader = MboxSplitter(path: path)
            try bytes.withUnsafeBufferPointer { all in
                var start = 0
                while start < all.count {
                    let end = MboxSplitter.lineEnd(all, from: start)
                    for message in reader.feed(UnsafeBufferPointer(rebasing: all[start..<end])) { try body(message) }
                    start = end
                }
            }
            for message in reader.finish() { try body(message) }
            return
        }
        close(fd)
        guard let file = fopen(path, "rb") else {
            throw MailboxError.unreadable(path, String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var reader = MboxSplitter(path: path)
        var linePointer: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        defer { free(linePointer) }
        while true {
            let length = getline(&linePointer, &capacity, file)
            if length < 0 { break }
            let line = UnsafeRawBufferPointer(start: linePointer, count: length).bindMemory(to: UInt8.self)
            for message in reader.feed(line) { try body(message) }
        }
        if ferror(file) != 0 { throw MailboxError.unreadable(path, String(cString: strerror(errno))) }
        for message in reader.finish() { try body(message) }
    }
}
