import Dispatch
import Platform

// hamlet-load: a load generator for hamlet-serve's spamd protocol, bounded in time. Closed loop: N connections
// each send CHECK for corpus messages back to back (one request a connection, as spamc does). With
// --protocol rspamd it sends rspamd's `POST /checkv2` instead (HTTP/1.0, one request a connection, as rspamc
// does), so that the same load can be put on rspamd's worker. Open loop
// (--rate R): requests start on a fixed schedule of R a second whatever the replies do, and latency is measured
// from each request's scheduled start, so a stall is counted in full rather than hidden. Prints throughput,
// errors and latency percentiles.

struct Options {
    var socket = ""
    var files: [String] = []
    var connections = 4
    var seconds = 10.0
    var rate: Double? = nil
    var rspamd = false
}

func fail(_ text: String) -> Never {
    let bytes = Array("hamlet-load: \(text)\n".utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(64)
}

func nowNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

func readFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n <= 0 { return n == 0 ? bytes : nil }
        bytes += buffer[0..<n]
    }
}

/// One request on a new connection; true when the reply starts with one of `successes`.
func check(_ request: [UInt8], socketPath: String, successes: [[UInt8]], halfClose: Bool) -> Bool {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        for (i, byte) in socketPath.utf8.prefix(raw.count - 1).enumerated() { raw[i] = byte }
    }
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
    }
    guard connected == 0 else { return false }
    var offset = 0
    while offset < request.count {
        let n = request.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
        if n <= 0 { return false }
        offset += n
    }
    // spamc shuts down its write side after the message; rspamd takes that for a vanished client, and rspamc
    // does not do it.
    if halfClose { shutdown(fd, Int32(SHUT_WR)) }
    var reply: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        reply += buffer[0..<n]
    }
    return successes.contains { reply.starts(with: $0) }
}

/// A mutex that stays at one address (a pthread mutex must not be copied or moved).
final class Mutex: @unchecked Sendable {
    private let pointer = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    init() { pthread_mutex_init(pointer, nil) }
    deinit {
        pthread_mutex_destroy(pointer)
        pointer.deallocate()
    }
    func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(pointer)
        defer { pthread_mutex_unlock(pointer) }
        return body()
    }
}

/// Per-thread results, merged at the end.
final class Tally: @unchecked Sendable {
    private let mutex = Mutex()
    private(set) var latencies: [UInt64] = []
    private(set) var errors = 0
    func add(_ latencies: [UInt64], errors: Int) {
        mutex.locked {
            self.latencies += latencies
            self.errors += errors
        }
    }
}

/// The request numbers, handed out once each.
final class Counter: @unchecked Sendable {
    private let mutex = Mutex()
    private var value = 0
    func next() -> Int {
        mutex.locked {
            value += 1
            return value - 1
        }
    }
}

var options = Options()
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    guard let value = arguments.popFirst() else { fail("\(argument) needs a value") }
    switch argument {
    case "--socket": options.socket = value
    case "--connections": options.connections = Int(value) ?? 0
    case "--seconds": options.seconds = Double(value) ?? 0
    case "--rate": options.rate = Double(value)
    case "--protocol":
        guard value == "spamd" || value == "rspamd" else { fail("--protocol takes spamd or rspamd") }
        options.rspamd = value == "rspamd"
    case "--files":
        // A file listing message paths, one a line.
        guard let list = readFile(value) else { fail("cannot read \(value)") }
        options.files = String(decoding: list, as: UTF8.self).split(separator: "\n").map(String.init)
    default: fail("unknown option \(argument)")
    }
}
guard !options.socket.isEmpty, !options.files.isEmpty, options.connections > 0, options.seconds > 0,
    options.seconds <= 600
else {
    fail(
        "usage: hamlet-load --socket PATH --files LIST [--connections N] [--seconds T (<= 600)] [--rate R] "
            + "[--protocol spamd|rspamd]")
}
let rspamd = options.rspamd
let requests: [[UInt8]] = options.files.compactMap { path in
    readFile(path).map {
        rspamd
            ? Array("POST /checkv2 HTTP/1.0\r\nContent-Length: \($0.count)\r\n\r\n".utf8) + $0
            : Array("CHECK SPAMC/1.5\r\nContent-length: \($0.count)\r\nUser: load\r\n\r\n".utf8) + $0
    }
}
let successes = (rspamd ? ["HTTP/1.1 200", "HTTP/1.0 200"] : ["SPAMD/1.1 0 EX_OK"]).map { Array($0.utf8) }
let socketPath = options.socket
let tally = Tally()
let start = nowNanoseconds()
let end = start + UInt64(options.seconds * 1e9)
let rate = options.rate
let counter = Counter()

DispatchQueue.concurrentPerform(iterations: options.connections) { _ in
    var latencies: [UInt64] = []
    var errors = 0
    while true {
        let k = counter.next()
        let scheduled: UInt64
        if let rate {
            scheduled = start + UInt64(Double(k) / rate * 1e9)
            if scheduled >= end { break }
            let wait = Int64(scheduled) - Int64(nowNanoseconds())
            if wait > 0 {
                var pause = timespec(tv_sec: Int(wait / 1_000_000_000), tv_nsec: Int(wait % 1_000_000_000))
                nanosleep(&pause, nil)
            }
        } else {
            scheduled = nowNanoseconds()
            if scheduled >= end { break }
        }
        if !check(requests[k % requests.count], socketPath: socketPath, successes: successes, halfClose: !rspamd) {
            errors += 1
        }
        latencies.append(nowNanoseconds() - scheduled)
    }
    tally.add(latencies, errors: errors)
}
let elapsed = Double(nowNanoseconds() - start) / 1e9
let sorted = tally.latencies.sorted()
func percentile(_ p: Double) -> Double {
    sorted.isEmpty ? 0 : Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1e6
}
/// `value` with two decimals (no Foundation here).
func twoDecimals(_ value: Double) -> String {
    let hundredths = Int((value * 100).rounded())
    let fraction = hundredths % 100
    return "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
}
let mode = rate.map { "open loop at \(Int($0))/s" } ?? "closed loop"
let summary =
    "\(mode), \(options.connections) connections, \(Int(elapsed.rounded())) s: \(sorted.count) requests, "
    + "\(Int(Double(sorted.count) / elapsed)) a second, \(tally.errors) errors; latency ms p50 "
    + "\(twoDecimals(percentile(0.5))) p99 \(twoDecimals(percentile(0.99))) max \(twoDecimals(percentile(1.0)))"
print(summary)
exit(tally.errors == 0 ? 0 : 1)
