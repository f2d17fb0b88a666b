import Foundation
import HamletTestSupport
import XCTest

/// Runs the built `hamlet` binary in a sandbox: its own XDG folders and HOME, no HAMLET_DB unless given.
struct HamletRunner {
    struct Result {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
        var lines: [String] { text.split(separator: "\n").map(String.init) }
    }

    let home: URL

    static var binary: URL {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("hamlet"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("hamlet"),
            TestSupport.packageRoot.appendingPathComponent(".build/debug/hamlet")
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    var dataHome: URL { home.appendingPathComponent("data") }
    var configHome: URL { home.appendingPathComponent("config") }
    var defaultStore: URL { dataHome.appendingPathComponent("hamlet/hamlet.sqlite") }

    /// Runs hamlet; with a `launcher` (such as GNU time and its options), runs it under that program.
    func run(
        _ arguments: [String], stdin: [UInt8] = [], environment extra: [String: String] = [:],
        launcher: [String] = []
    ) throws -> Result {
        if let program = launcher.first {
            return try execute(
                URL(fileURLWithPath: program), Array(launcher.dropFirst()) + [Self.binary.path] + arguments,
                stdin: stdin, environment: extra)
        }
        return try execute(Self.binary, arguments, stdin: stdin, environment: extra)
    }

    /// Runs a shell script as root in a private mount namespace (`unshare -m`), so that the file systems it mounts
    /// vanish with it even when a test fails; `$1` is the hamlet binary, `arguments` follow it.
    func runInPrivateMounts(_ script: String, _ arguments: [String]) throws -> Result {
        try execute(
            URL(fileURLWithPath: "/usr/bin/unshare"),
            ["-m", "/bin/sh", "-c", script, "sh", Self.binary.path] + arguments, stdin: [], environment: [:])
    }

    /// Runs hamlet with `directory` as its working directory.
    func runIn(_ directory: URL, _ arguments: [String], stdin: [UInt8] = []) throws -> Result {
        try execute(Self.binary, arguments, stdin: stdin, environment: [:], directory: directory)
    }

    private func execute(
        _ executable: URL, _ arguments: [String], stdin: [UInt8], environment extra: [String: String],
        directory: URL? = nil
    ) throws -> Result {
        let process = Process()
        if let directory { process.currentDirectoryURL = directory }
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment.filter { $0.key != "HAMLET_DB" }
        environment["HOME"] = home.path
        environment["XDG_DATA_HOME"] = dataHome.path
        environment["XDG_CONFIG_HOME"] = configHome.path
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Feed stdin and drain both outputs concurrently so no pipe fills up.
        let writer = Thread {
            input.fileHandleForWriting.write(Data(stdin))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let errorData = LockedData()
        let errorReader = Thread { errorData.set(error.fileHandleForReading.readDataToEndOfFile()) }
        errorReader.start()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while errorData.get() == nil { usleep(1000) }
        return Result(
            status: process.terminationStatus, stdout: Array(outputData),
            stderr: String(decoding: errorData.get() ?? Data(), as: UTF8.self))
    }
}

extension HamletRunner {
    /// Trains `store` on the whole sample corpus (corpus/spam and corpus/ham), as most end-to-end tests start.
    func trainSampleCorpus(into store: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let corpus = TestSupport.sampleCorpus
        let trained = try run([
            "train", "--db", store, "--spam", corpus.appendingPathComponent("spam").path,
            "--ham", corpus.appendingPathComponent("ham").path
        ])
        XCTAssertEqual(trained.status, 0, trained.stderr, file: file, line: line)
    }
}

final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    func get() -> Data? { lock.lock(); defer { lock.unlock() }; return data }
}
