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

    /// Starts a long-running program, stopped by `stop()`; returns once `ready` holds (20 s at most).
    @discardableResult
    func start(_ program: String, _ arguments: [String], until ready: () -> Bool) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
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

    /// Starts hamlet-serve on this home's socket (with `arguments` besides).
    func startDaemon(_ arguments: [String] = []) throws {
        let socket = self.socket
        try start(Self.program("hamlet-serve"), ["--socket", socket, "--db", store] + arguments) {
            FileManager.default.fileExists(atPath: socket)
        }
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
