import Foundation
import HamletTestSupport
import XCTest

/// What the daemon's end-to-end tests share: a temporary home with its own configuration (the young-store rule
/// off, so the sample corpus's store calls its spam spam), a store trained on the sample corpus, the built
/// programs, and the processes a test starts, all stopped and removed in `stop()`, passed or failed.
final class DaemonHarness {
    struct Result {
        var status: Int32
        var output: [UInt8]
        var error: String
        var seconds: Double
        var text: String { String(decoding: output, as: UTF8.self) }
    }

    let home: URL
    private(set) var processes: [Process] = []
    var store: String { home.appendingPathComponent("store.sqlite").path }
    var socket: String { home.appendingPathComponent("spamd.sock").path }
    /// Extra environment for every program run (e.g. LD_LIBRARY_PATH for unpacked tools).
    var extraEnvironment: [String: String] = [:]

    /// The folder holding the built `hamlet`, `hamlet-serve` and `hamletc`.
    static var buildFolder: URL {
        let candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        return candidates.first {
            FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("hamlet-serve").path)
        } ?? TestSupport.packageRoot.appendingPathComponent(".build/debug")
    }

    static func program(_ name: String) -> String { buildFolder.appendingPathComponent(name).path }

    /// A new home (`label` names its folder), its settings (`extraSettings`, given the home, appended), and the
    /// trained store.
    init(_ label: String, extraSettings: (URL) -> String = { _ in "" }) throws {
        home = try TestSupport.temporaryDirectory(label)
        try TestSupport.writeMatureStoreSettings(
            configHome: home.appendingPathComponent("config"), extra: extraSettings(home))
        let corpus = TestSupport.sampleCorpus
        let trained = try run(
            Self.program("hamlet"),
            [
                "train", "--db", store, "--spam", corpus.appendingPathComponent("spam").path, "--ham",
                corpus.appendingPathComponent("ham").path
            ])
        XCTAssertEqual(trained.status, 0, trained.error)
    }

    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter {
            $0.key != "HAMLET_DB" && $0.key != "HAMLET_SOCKET"
        }
        environment["HOME"] = home.path
        environment["XDG_CONFIG_HOME"] = home.appendingPathComponent("config").path
        environment["XDG_DATA_HOME"] = home.appendingPathComponent("data").path
        for (key, value) in extraEnvironment { environment[key] = value }
        return environment
    }

    /// Runs a program to its end with `stdin` as its input.
    func run(_ program: String, _ arguments: [String], stdin: [UInt8] = []) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.environment = environment
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        let start = Date()
        try process.run()
        input.fileHandleForWriting.write(Data(stdin))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, output: Array(out), error: String(decoding: err, as: UTF8.self),
            seconds: Date().timeIntervalSince(start))
    }

    /// Starts a long-running program, stopped by `stop()`; returns once `ready` holds (20 s at most). Its standard
    /// error goes to `errorLog` when given.
    @discardableResult
    func start(_ program: String, _ arguments: [String], errorLog: URL? = nil, until ready: () -> Bool) throws
        -> Process
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        if let errorLog {
            _ = FileManager.default.createFile(atPath: errorLog.path, contents: nil)
            process.standardError = try FileHandle(forWritingTo: errorLog)
        }
        try process.run()
        processes.append(process)
        let deadline = Date().addingTimeInterval(20)
        while !ready() {
            guard process.isRunning, Date() < deadline else {
                throw XCTSkip("\(program) did not get ready")
            }
            usleep(20_000)
        }
        return process
    }

    /// Starts hamlet-serve on this home's socket (with `arguments` besides; its log lines to `errorLog`).
    @discardableResult
    func startDaemon(_ arguments: [String] = [], errorLog: URL? = nil) throws -> Process {
        let socket = self.socket
        return try start(
            Self.program("hamlet-serve"), ["--socket", socket, "--db", store] + arguments, errorLog: errorLog
        ) {
            FileManager.default.fileExists(atPath: socket)
        }
    }

    /// A loopback port nothing listens on now.
    static func freePort() -> Int { TestSupport.freeLoopbackPort() }

    /// Whether something accepts connections on the loopback port.
    static func listening(_ port: Int) -> Bool {
        let fd = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// A client connection to the Unix socket at `path`, or -1.
    static func connect(to path: String) -> Int32 {
        let fd = Foundation.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return -1 }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { sunPath in
            for (i, byte) in path.utf8.prefix(sunPath.count - 1).enumerated() { sunPath[i] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            return -1
        }
        return fd
    }

    /// Writes all of `bytes` to `fd` (without SIGPIPE when the daemon has closed the connection).
    static func send(_ bytes: [UInt8], on fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes {
                Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Reads from `fd` until the other side closes.
    static func readToEnd(_ fd: Int32) -> [UInt8] {
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return reply }
            reply += buffer[0..<n]
        }
    }

    /// Sends `request` on the socket at `path`, shuts down the write side as spamc does, and reads the reply.
    static func exchangeBytes(_ request: [UInt8], on path: String) -> [UInt8] {
        let fd = connect(to: path)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        send(request, on: fd)
        shutdown(fd, Int32(SHUT_WR))
        return readToEnd(fd)
    }

    /// The reply to `request` as text.
    static func exchange(_ request: [UInt8], on path: String) -> String {
        String(decoding: exchangeBytes(request, on: path), as: UTF8.self)
    }

    /// Starts hamlet-serve with `arguments` that bind a port the system chooses, and returns the port it reports.
    func startDaemonOnAPort(_ arguments: [String]) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.program("hamlet-serve"))
        process.arguments = arguments + ["--db", store]
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        processes.append(process)
        var seen = ""
        while !seen.contains("\n"), process.isRunning {
            let data = errors.fileHandleForReading.availableData
            if data.isEmpty { break }
            seen += String(decoding: data, as: UTF8.self)
        }
        guard
            let port = seen.split(separator: " ").last.flatMap({
                Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
            })
        else { throw XCTSkip("hamlet-serve reported no port: \(seen)") }
        return port
    }

    /// Stops every program started and removes the home.
    func stop() {
        for process in processes.reversed() where process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        processes = []
        TestSupport.remove(home)
    }

    /// A message of the sample corpus.
    static func message(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: TestSupport.sampleCorpus.appendingPathComponent(name)))
    }
}
