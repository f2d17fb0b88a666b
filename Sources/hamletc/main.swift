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

struct Options {
    var socket = "/run/hamlet/spamd.sock"
    var user: String? = nil
    var exitCode = false
    var tempfail = false
    var timeoutMilliseconds: Int32 = 30_000
    var input: String? = nil
}

/// Writes all of `bytes` to `fd`; false if it could not.
func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return false }
        offset += n
    }
    return true
}

func note(_ text: String) { _ = writeAll(2, Array(("hamletc: " + text + "\n").utf8)) }

/// Reads `fd` to its end.
func readAll(_ fd: Int32) -> [UInt8]? {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n < 0 { return nil }
        if n == 0 { return bytes }
        bytes += buffer[0..<n]
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
func userRunningUs() -> String {
    for name in ["USER", "LOGNAME"] {
        if let value = getenv(name), value.pointee != 0 { return String(cString: value) }
    }
    if let entry = getpwuid(getuid()) { return String(cString: entry.pointee.pw_name) }
    return "nobody"
}

enum AskError: Error { case failed(String) }

/// Sends PROCESS with `message` and returns the reply, within the deadline.
func ask(_ message: [UInt8], options: Options, deadline: Int64) throws -> [UInt8] {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw AskError.failed("no socket: \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let path = Array(options.socket.utf8)
    let capacity = MemoryLayout.size(ofValue: address.sun_path)
    guard path.count < capacity else { throw AskError.failed("socket path too long: \(options.socket)") }
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        for (i, byte) in path.enumerated() { raw[i] = byte }
    }
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
    }
    if connected != 0 {
        guard errno == EINPROGRESS || errno == EAGAIN, wait(fd, Int16(POLLOUT), until: deadline) else {
            throw AskError.failed("cannot reach the daemon at \(options.socket): \(String(cString: strerror(errno)))")
        }
    }
    let user = options.user ?? userRunningUs()
    var request = Array(
        "PROCESS SPAMC/1.5\r\nContent-length: \(message.count)\r\nUser: \(user)\r\nHamlet-Verdict: yes\r\n\r\n".utf8)
    request += message
    var offset = 0
    while offset < request.count {
        let n = request.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
        if n > 0 {
            offset += n
        } else if n < 0 && (errno == EAGAIN || errno == EINTR) {
            guard wait(fd, Int16(POLLOUT), until: deadline) else { throw AskError.failed("the daemon timed out") }
        } else {
            throw AskError.failed("the daemon closed the connection: \(String(cString: strerror(errno)))")
        }
    }
    shutdown(fd, Int32(SHUT_WR))
    var reply: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 {
            reply += buffer[0..<n]
        } else if n == 0 {
            return reply
        } else if errno == EAGAIN || errno == EINTR {
            guard wait(fd, Int16(POLLIN), until: deadline) else { throw AskError.failed("the daemon timed out") }
        } else {
            throw AskError.failed("reading the daemon's reply: \(String(cString: strerror(errno)))")
        }
    }
}

/// The message and verdict in a PROCESS reply; throws on anything else.
func parse(_ reply: [UInt8]) throws -> (message: [UInt8], verdict: String) {
    var end = -1
    for i in 0..<max(0, reply.count - 3)
    where reply[i] == 13 && reply[i + 1] == 10 && reply[i + 2] == 13 && reply[i + 3] == 10 {
        end = i
        break
    }
    guard end >= 0 else { throw AskError.failed("the daemon's reply is not spamd's") }
    let lines = String(decoding: reply[..<end], as: UTF8.self).split(separator: "\r\n").map(String.init)
    guard let status = lines.first, status.hasPrefix("SPAMD/"), status.split(separator: " ").dropFirst().first == "0"
    else {
        throw AskError.failed("the daemon refused: \(lines.first ?? "")")
    }
    var length: Int? = nil, verdict: String? = nil
    for line in lines.dropFirst() {
        if line.hasPrefix("Content-length: ") { length = Int(line.dropFirst(16)) }
        if line.hasPrefix("Hamlet-Verdict: ") { verdict = String(line.dropFirst(16)) }
    }
    let body = Array(reply[(end + 4)...])
    guard let length, length == body.count, let verdict, ["spam", "ham", "unsure"].contains(verdict) else {
        throw AskError.failed("the daemon's reply is incomplete")
    }
    return (body, verdict)
}

func main() -> Int32 {
    var options = Options()
    if let socket = getenv("HAMLET_SOCKET"), socket.pointee != 0 { options.socket = String(cString: socket) }
    var arguments = CommandLine.arguments.dropFirst()
    var usageError: String? = nil
    while let argument = arguments.popFirst() {
        switch argument {
        case "--socket", "--user", "--timeout", "--input":
            guard let value = arguments.popFirst() else {
                usageError = "\(argument) needs a value"
                break
            }
            if argument == "--socket" { options.socket = value }
            if argument == "--user" { options.user = value }
            if argument == "--input" { options.input = value }
            if argument == "--timeout" {
                guard let seconds = Double(value), seconds > 0, seconds < 86_400 else {
                    usageError = "--timeout takes seconds, e.g. 10"
                    break
                }
                options.timeoutMilliseconds = Int32(seconds * 1000)
            }
        case "--exit-code": options.exitCode = true
        case "--tempfail": options.tempfail = true
        case "-h", "--help":
            _ = writeAll(1, Array(usage.utf8))
            return 0
        default: usageError = "unknown option \(argument)"
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
        let (scored, verdict) = try parse(reply)
        guard writeAll(1, scored) else { return 75 }
        guard options.exitCode else { return 0 }
        return verdict == "spam" ? 0 : verdict == "ham" ? 1 : 2
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
