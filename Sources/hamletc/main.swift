import Platform

// hamletc: `hamlet filter`'s contract through the daemon. It asks hamlet-serve (spamd's PROCESS) and writes what
// the daemon returns, which is what `hamlet filter` would write; when the daemon is absent, refuses, answers
// nonsense or is slower than --timeout, it writes the message unchanged (exit 0, or 3 with --exit-code), or with
// --tempfail nothing and exit 75, so the mail system retries. It links only the C library and starts in well
// under a millisecond.

let usage = """
    usage: hamletc [--socket PATH] [--user NAME] [--exit-code] [--tempfail] [--timeout SECONDS]
                   [--input FILE | < message]
      --socket PATH      the daemon's socket (default: $HAMLET_SOCKET, else /run/hamlet/spamd.sock)
      --user NAME        whose store scores the message (default: the user running hamletc)
      --exit-code        exit 0 for spam, 1 for ham, 2 for unsure, 3 when the daemon could not be asked
      --tempfail         when the daemon cannot be asked, write nothing and exit 75 (the mail system retries)
      --timeout SECONDS  give up on the daemon after this long (default 30)
      --input FILE       read the message from FILE instead of standard input (as bogofilter's -I)

    """

/// What the command line asked for. Paths and names stay the C strings the process was given: making Swift strings
/// of them would wake parts of the Swift runtime that this short process otherwise never touches.
struct Options {
    var socket: UnsafePointer<CChar> = cString("/run/hamlet/spamd.sock")
    var user: UnsafePointer<CChar>? = nil
    var exitCode = false
    var tempfail = false
    var timeoutMilliseconds: Int32 = 30_000
    var input: UnsafePointer<CChar>? = nil
}

/// A string literal as the C string it is stored as (literals are stored with a terminating zero).
func cString(_ text: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
}

/// Whether the C string `argument` is `name`.
func `is`(_ argument: UnsafePointer<CChar>, _ name: StaticString) -> Bool {
    strcmp(argument, cString(name)) == 0
}

/// Writes `text` to `fd`; false if it could not.
func writeAll(_ fd: Int32, _ text: String) -> Bool {
    var text = text
    return text.withUTF8 { writeAll(fd, $0.baseAddress, $0.count) }
}

func writeAll(_ fd: Int32, _ bytes: Bytes) -> Bool { writeAll(fd, bytes.base, bytes.count) }

func note(_ text: String) { _ = writeAll(2, "hamletc: " + text + "\n") }

/// Bytes in memory from `malloc`, grown with `realloc` and never zeroed or freed: every page a process this short
/// touches costs a page fault, a large share of its start-up, and the process exits moments later.
struct Bytes {
    private(set) var base: UnsafeMutablePointer<UInt8>? = nil
    private(set) var count = 0
    private(set) var capacity = 0

    init(capacity: Int = 0) { reserve(capacity) }

    mutating func reserve(_ wanted: Int) {
        guard wanted > capacity, let grown = realloc(base, wanted) else { return }
        base = grown.assumingMemoryBound(to: UInt8.self)
        capacity = wanted
    }

    mutating func append(_ text: StaticString) { append(text.utf8Start, text.utf8CodeUnitCount) }

    mutating func append(_ text: UnsafePointer<CChar>) {
        append(UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), strlen(text))
    }

    /// Appends `value` in decimal.
    mutating func append(decimal value: Int) {
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { raw in
            var rest = max(0, value)
            var start = raw.count
            repeat {
                start -= 1
                raw[start] = UInt8(48 + rest % 10)
                rest /= 10
            } while rest > 0 && start > 0
            append(raw.baseAddress!.assumingMemoryBound(to: UInt8.self) + start, raw.count - start)
        }
    }

    mutating func append(_ bytes: UnsafePointer<UInt8>?, _ length: Int) {
        guard length > 0, let bytes else { return }
        if count + length > capacity { reserve(max(count + length, capacity * 2)) }
        guard let base, count + length <= capacity else { return }
        (base + count).update(from: bytes, count: length)
        count += length
    }

    /// Calls `fill` with the free space (at least `minimum` bytes) and keeps as many bytes as it says it wrote;
    /// returns what `fill` returned.
    mutating func fill(minimum: Int, _ fill: (UnsafeMutableRawPointer, Int) -> Int) -> Int {
        if capacity - count < minimum { reserve(max(count + minimum, capacity * 2)) }
        guard let base, capacity > count else { return -1 }
        let n = fill(base + count, capacity - count)
        if n > 0 { count += n }
        return n
    }

    /// The byte at `index` (which must be below `count`).
    subscript(index: Int) -> UInt8 { base.map { $0[index] } ?? 0 }

    /// Whether the bytes at `offset` are `text`'s.
    func has(_ text: StaticString, at offset: Int) -> Bool {
        guard offset >= 0, offset + text.utf8CodeUnitCount <= count, let base else { return false }
        return memcmp(base + offset, text.utf8Start, text.utf8CodeUnitCount) == 0
    }
}

/// Writes `length` bytes at `bytes` to `fd`; false if it could not.
func writeAll(_ fd: Int32, _ bytes: UnsafePointer<UInt8>?, _ length: Int) -> Bool {
    var offset = 0
    while offset < length {
        guard let bytes else { return false }
        let n = write(fd, bytes + offset, length - offset)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return false }
        offset += n
    }
    return true
}

/// Reads `fd` to its end, into a buffer sized from the file when `fd` is one.
func readAll(_ fd: Int32) -> Bytes? {
    var status = stat()
    let regular = fstat(fd, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
    var bytes = Bytes(capacity: regular ? Int(status.st_size) + 1 : 16_384)
    while true {
        let n = bytes.fill(minimum: 4_096) { read(fd, $0, $1) }
        if n < 0 && errno == EINTR { continue }
        if n < 0 { return nil }
        if n == 0 { return bytes }
    }
}

/// Milliseconds since some fixed point.
func now() -> Int64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
}

/// Waits until `fd` is ready for `events` or the deadline passes.
func wait(_ fd: Int32, _ events: Int16, until deadline: Int64) -> Bool {
    while true {
        let left = deadline - now()
        if left <= 0 { return false }
        var entry = pollfd(fd: fd, events: events, revents: 0)
        let ready = poll(&entry, 1, Int32(min(left, Int64(Int32.max))))
        if ready < 0 && errno == EINTR { continue }
        return ready > 0
    }
}

/// Delivery agents set USER or LOGNAME; the password database is the last resort (in a static binary it needs the
/// system's NSS libraries at run time).
func userRunningUs() -> UnsafePointer<CChar> {
    for name in [cString("USER"), cString("LOGNAME")] {
        if let value = getenv(name), value.pointee != 0 { return UnsafePointer(value) }
    }
    if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return UnsafePointer(name) }
    return cString("nobody")
}

enum AskError: Error { case failed(String) }

/// Sends PROCESS with `message` and returns the reply, within the deadline.
func ask(_ message: Bytes, options: Options, deadline: Int64) throws -> Bytes {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw AskError.failed("no socket: \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let length = strlen(options.socket)
    guard length < MemoryLayout.size(ofValue: address.sun_path) else {
        throw AskError.failed("socket path too long: \(String(cString: options.socket))")
    }
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        raw.baseAddress!.copyMemory(from: options.socket, byteCount: length)
    }
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
    }
    if connected != 0 {
        guard errno == EINPROGRESS || errno == EAGAIN, wait(fd, Int16(POLLOUT), until: deadline) else {
            throw AskError.failed(
                "cannot reach the daemon at \(String(cString: options.socket)): \(String(cString: strerror(errno)))")
        }
    }
    let user = options.user ?? userRunningUs()
    var request = Bytes(capacity: 512 + message.count)
    request.append("PROCESS SPAMC/1.5\r\nContent-length: ")
    request.append(decimal: message.count)
    request.append("\r\nUser: ")
    request.append(user)
    request.append("\r\nHamlet-Verdict: yes\r\n\r\n")
    request.append(message.base, message.count)
    var offset = 0
    while offset < request.count {
        let n = send(fd, request.base! + offset, request.count - offset, Int32(MSG_NOSIGNAL))
        if n > 0 {
            offset += n
        } else if n < 0 && (errno == EAGAIN || errno == EINTR) {
            guard wait(fd, Int16(POLLOUT), until: deadline) else { throw AskError.failed("the daemon timed out") }
        } else {
            throw AskError.failed("the daemon closed the connection: \(String(cString: strerror(errno)))")
        }
    }
    shutdown(fd, Int32(SHUT_WR))
    // The reply is the message with a few hundred bytes of headers added.
    var reply = Bytes(capacity: message.count + 4_096)
    while true {
        let n = reply.fill(minimum: 4_096) { recv(fd, $0, $1, 0) }
        if n == 0 { return reply }
        if n > 0 { continue }
        if errno == EAGAIN || errno == EINTR {
            guard wait(fd, Int16(POLLIN), until: deadline) else { throw AskError.failed("the daemon timed out") }
        } else {
            throw AskError.failed("reading the daemon's reply: \(String(cString: strerror(errno)))")
        }
    }
}

/// The verdicts a PROCESS reply's Hamlet-Verdict header may carry.
enum Verdict { case spam, ham, unsure }

/// Where the message starts in a PROCESS reply, and its verdict; throws on anything else. Works on the bytes:
/// the reply's header lines are ASCII, and Unicode-aware string handling would cost this short process more than
/// the rest of its work.
func parse(_ reply: Bytes) throws -> (bodyStart: Int, verdict: Verdict) {
    var end = -1
    var index = 0
    while index + 3 < reply.count {
        if reply[index] == 13 && reply[index + 1] == 10 && reply[index + 2] == 13 && reply[index + 3] == 10 {
            end = index
            break
        }
        index += 1
    }
    guard end >= 0, reply.has("SPAMD/", at: 0) else { throw AskError.failed("the daemon's reply is not spamd's") }
    var lineStart = 0
    var length: Int? = nil
    var verdict: Verdict? = nil
    while lineStart < end {
        var lineEnd = lineStart
        while lineEnd < end && reply[lineEnd] != 13 { lineEnd += 1 }
        if lineStart == 0 {
            var space = 0
            while space < lineEnd && reply[space] != 32 { space += 1 }
            guard reply.has(" 0 ", at: space) || (space + 2 == lineEnd && reply.has(" 0", at: space)) else {
                let status = String(decoding: UnsafeBufferPointer(start: reply.base, count: lineEnd), as: UTF8.self)
                throw AskError.failed("the daemon refused: \(status)")
            }
        } else if reply.has("Content-length: ", at: lineStart) {
            var value = 0
            var digit = lineStart + 16
            while digit < lineEnd, reply[digit] >= 48, reply[digit] <= 57, value < 1 << 40 {
                value = value * 10 + Int(reply[digit] - 48)
                digit += 1
            }
            length = digit == lineEnd && digit > lineStart + 16 ? value : nil
        } else if reply.has("Hamlet-Verdict: ", at: lineStart) {
            let valueStart = lineStart + 16
            let valueLength = lineEnd - valueStart
            if valueLength == 4 && reply.has("spam", at: valueStart) { verdict = .spam }
            if valueLength == 3 && reply.has("ham", at: valueStart) { verdict = .ham }
            if valueLength == 6 && reply.has("unsure", at: valueStart) { verdict = .unsure }
        }
        lineStart = lineEnd + 2
    }
    guard let length, length == reply.count - (end + 4), let verdict else {
        throw AskError.failed("the daemon's reply is incomplete")
    }
    return (end + 4, verdict)
}

/// The command line's argument at `index` (0 is the program), nil past the end.
func commandLineArgument(_ index: Int) -> UnsafePointer<CChar>? {
    guard index < Int(CommandLine.argc) else { return nil }
    return CommandLine.unsafeArgv[index].map { UnsafePointer($0) }
}

func main() -> Int32 {
    var options = Options()
    if let socket = getenv("HAMLET_SOCKET"), socket.pointee != 0 { options.socket = UnsafePointer(socket) }
    var index = 1
    var usageError: String? = nil
    while let argument = commandLineArgument(index) {
        index += 1
        if `is`(argument, "--socket") || `is`(argument, "--user") || `is`(argument, "--timeout")
            || `is`(argument, "--input")
        {
            guard let value = commandLineArgument(index) else {
                usageError = "\(String(cString: argument)) needs a value"
                break
            }
            index += 1
            if `is`(argument, "--socket") { options.socket = value }
            if `is`(argument, "--user") { options.user = value }
            if `is`(argument, "--input") { options.input = value }
            if `is`(argument, "--timeout") {
                var end: UnsafeMutablePointer<CChar>? = nil
                let seconds = strtod(value, &end)
                guard value.pointee != 0, end?.pointee == 0, seconds > 0, seconds < 86_400 else {
                    usageError = "--timeout takes seconds, e.g. 10"
                    continue
                }
                options.timeoutMilliseconds = Int32(seconds * 1000)
            }
        } else if `is`(argument, "--exit-code") {
            options.exitCode = true
        } else if `is`(argument, "--tempfail") {
            options.tempfail = true
        } else if `is`(argument, "-h") || `is`(argument, "--help") {
            _ = writeAll(1, usage)
            return 0
        } else {
            usageError = "unknown option \(String(cString: argument))"
        }
    }
    let input = options.input.map { open($0, O_RDONLY) } ?? 0
    guard input >= 0, let message = readAll(input) else {
        note("cannot read the message: \(String(cString: strerror(errno)))")
        return 75
    }
    // Even a usage error delivers the message: the mail must not be lost to a typo in a recipe.
    if let usageError { note(usageError + " (the message passes unchanged)") }
    do {
        if usageError != nil { throw AskError.failed("not asked") }
        let reply = try ask(message, options: options, deadline: now() + Int64(options.timeoutMilliseconds))
        let (bodyStart, verdict) = try parse(reply)
        guard writeAll(1, reply.base.map { $0 + bodyStart }, reply.count - bodyStart) else { return 75 }
        guard options.exitCode else { return 0 }
        switch verdict {
        case .spam: return 0
        case .ham: return 1
        case .unsure: return 2
        }
    } catch AskError.failed(let why) {
        if usageError == nil {
            note(why + (options.tempfail ? "; asking the mail system to retry" : "; the message passes unchanged"))
        }
        if options.tempfail { return 75 }
        guard writeAll(1, message) else { return 75 }
        return options.exitCode ? 3 : 0
    } catch {
        return 75
    }
}

exit(main())
