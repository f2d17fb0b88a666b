import Platform

/// Splits a stream of lines into messages. A file that does not start with `From ` is one message, kept byte for
/// byte, and so is an mbox-style file holding a single message (so that its digest matches the same bytes read
/// from stdin). In an mbox of several messages, a `From ` line starts a new message when it begins the file or
/// follows an empty line; the empty line before a separator belongs to the separator; `>From ` lines (mboxrd
/// quoting) lose one `>`.
struct MboxSplitter {
    let path: String
    private var isMbox: Bool? = nil
    private var current: [UInt8] = []
    private var currentRaw: [UInt8] = []  // the first message's exact bytes, while it may be the only one
    private var currentOffset = 0
    private var offset = 0
    private var previousLineEmpty = true
    private var held: SourcedMessage? = nil  // the first message, until we know whether others follow
    private var closed = 0
    /// Set when reading one message out of an mbox known to hold several: even alone, it is unquoted and trimmed
    /// like its neighbours, so it has the same bytes as when the whole mbox is read.
    var partOfLargerMbox = false

    init(path: String) { self.path = path }

    mutating func feed(_ line: UnsafeBufferPointer<UInt8>) -> [SourcedMessage] {
        defer { offset += line.count }
        if isMbox == nil { isMbox = Self.startsWithFrom(line, at: 0) }
        if closed == 0 { currentRaw.append(contentsOf: line) }
        guard isMbox == true else { return [] }
        var output: [SourcedMessage] = []
        if offset > 0, previousLineEmpty, Self.startsWithFrom(line, at: 0) {
            output = close(final: false)
            currentOffset = offset
        }
        previousLineEmpty =
            line.count == 1 && line[0] == ASCII.lf
            || line.count == 2 && line[0] == ASCII.cr && line[1] == ASCII.lf
        if Self.isQuotedFrom(line) {
            current.append(contentsOf: UnsafeBufferPointer(rebasing: line[1...]))
        } else {
            current.append(contentsOf: line)
        }
        return output
    }

    mutating func finish() -> [SourcedMessage] {
        guard isMbox == true, closed > 0 || partOfLargerMbox else {
            return [SourcedMessage(id: path, bytes: currentRaw)]
        }
        if partOfLargerMbox && closed == 0 {
            let only = close(final: true)
            return only.isEmpty ? held.map { [$0] } ?? [] : only
        }
        return close(final: true)
    }

    private mutating func close(final: Bool) -> [SourcedMessage] {
        var bytes = current
        current.removeAll(keepingCapacity: true)
        if bytes.count >= 2, bytes[bytes.count - 1] == ASCII.lf, bytes[bytes.count - 2] == ASCII.lf {
            bytes.removeLast()
        } else if bytes.count >= 4, bytes.suffix(4).elementsEqual([ASCII.cr, ASCII.lf, ASCII.cr, ASCII.lf]) {
            bytes.removeLast(2)
        }
        closed += 1
        let message = SourcedMessage(id: "\(path):\(currentOffset)", bytes: bytes)
        if closed == 1 {
            currentRaw = []
            held = message
            return []
        }
        if let first = held {
            held = nil
            return [first, message]
        }
        return [message]
    }

    /// Whether `bytes`, read as `feed` reads them, hold more than one message: they start with `From ` and a
    /// later `From ` line follows an empty line.
    static func holdsSeveralMessages(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { all in
            guard startsWithFrom(all, at: 0) else { return false }
            var start = lineEnd(all, from: 0)
            var previousEmpty = false
            while start < all.count {
                if previousEmpty, startsWithFrom(all, at: start) { return true }
                let end = lineEnd(all, from: start)
                previousEmpty = end - start == 1 || (end - start == 2 && all[start] == ASCII.cr)
                start = end
            }
            return false
        }
    }

    /// Where the line starting at `start` ends: just after its LF, or at the end of the bytes.
    static func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = bytes.baseAddress, start < bytes.count,
            let lf = memchr(base + start, Int32(ASCII.lf), bytes.count - start)
        else { return bytes.count }
        return base.distance(to: lf.assumingMemoryBound(to: UInt8.self)) + 1
    }

    static func startsWithFrom(_ line: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        line.count - i >= 5 && line[i] == 0x46 && line[i + 1] == 0x72 && line[i + 2] == 0x6F && line[i + 3] == 0x6D
            && line[i + 4] == ASCII.space
    }

    static func isQuotedFrom(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < line.count, line[i] == 0x3E { i += 1 }
        return i > 0 && startsWithFrom(line, at: i)
    }
}

/// The POSIX read(2), named apart from `Mailbox.read`.
@inline(__always) func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
        return Glibc.read(fd, buffer, count)
    #else
        return Darwin.read(fd, buffer, count)
    #endif
}
