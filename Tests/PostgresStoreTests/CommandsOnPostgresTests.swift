import Foundation
import HamletTestSupport
import XCTest

/// `hamlet` itself on a PostgreSQL store: it hands the command to `hamlet-pg`, which links the store.
final class CommandsOnPostgresTests: XCTestCase {
    var server: PrivatePostgres!
    var folder: URL!

    override func setUpWithError() throws {
        server = try privatePostgres()
        folder = try TestSupport.temporaryDirectory("commands-on-postgres")
    }

    override func tearDown() {
        server?.stop()
        server = nil
        if let folder { TestSupport.remove(folder) }
    }

    static var hamlet: URL {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("hamlet"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("hamlet"),
            TestSupport.packageRoot.appendingPathComponent(".build/debug/hamlet")
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// Starts `hamlet` with `arguments`, its output going to files in the test's folder.
    func start(_ arguments: [String], name: String) throws -> Process {
        let process = Process()
        process.executableURL = Self.hamlet
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment.filter { $0.key != "HAMLET_DB" }
        environment["HOME"] = folder.path
        environment["XDG_CONFIG_HOME"] = folder.appendingPathComponent("config").path
        environment["XDG_DATA_HOME"] = folder.appendingPathComponent("data").path
        environment["HAMLET_USER"] = "mail"
        process.environment = environment
        for suffix in ["out", "err"] {
            _ = FileManager.default.createFile(
                atPath: folder.appendingPathComponent("\(name).\(suffix)").path, contents: nil)
        }
        process.standardOutput = try FileHandle(forWritingTo: folder.appendingPathComponent("\(name).out"))
        process.standardError = try FileHandle(forWritingTo: folder.appendingPathComponent("\(name).err"))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs `hamlet` to its end: its status and standard output.
    func run(_ arguments: [String], name: String = "run") throws -> (status: Int32, output: String) {
        let process = try start(arguments, name: name)
        process.waitUntilExit()
        let output = try String(contentsOf: folder.appendingPathComponent("\(name).out"), encoding: .utf8)
        let errors = try String(contentsOf: folder.appendingPathComponent("\(name).err"), encoding: .utf8)
        if process.terminationStatus != 0 { print("hamlet \(arguments): \(errors)") }
        return (process.terminationStatus, output)
    }

    func testFourTrainersAtOnceLoseNothingAndTheRetrainScoresAsSQLitesDoes() throws {
        // The sample corpus in four quarters, one trainer each, all at once.
        let corpus = TestSupport.sampleCorpus
        var quarters: [URL] = []
        for quarter in 0..<4 {
            let spam = folder.appendingPathComponent("q\(quarter)/spam"),
                ham = folder.appendingPathComponent("q\(quarter)/ham")
            try FileManager.default.createDirectory(at: spam, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: ham, withIntermediateDirectories: true)
            quarters.append(folder.appendingPathComponent("q\(quarter)"))
        }
        for label in ["spam", "ham"] {
            let files = TestSupport.sample(of: corpus.appendingPathComponent(label), every: 1)
            for (index, file) in files.enumerated() {
                try FileManager.default.copyItem(
                    at: file,
                    to: quarters[index % 4].appendingPathComponent(label).appendingPathComponent(file.lastPathComponent)
                )
            }
        }
        let url = server.url
        let trainers = try quarters.enumerated().map { index, quarter in
            try start(
                [
                    "train", "--db", url, "--spam", quarter.appendingPathComponent("spam").path,
                    "--ham", quarter.appendingPathComponent("ham").path
                ], name: "train\(index)")
        }
        for trainer in trainers {
            trainer.waitUntilExit()
            XCTAssertEqual(trainer.terminationStatus, 0)
        }
        let check = try run(["db", "check", "--db", url])
        XCTAssertEqual(check.status, 0, check.output)
        XCTAssertTrue(try run(["stats", "--db", url]).output.contains("examples         66 spam, 66 ham"))
        XCTAssertEqual(try run(["retrain", "--db", url]).status, 0)

        let file = folder.appendingPathComponent("one.sqlite").path
        XCTAssertEqual(
            try run([
                "train", "--db", file, "--spam", corpus.appendingPathComponent("spam").path,
                "--ham", corpus.appendingPathComponent("ham").path
            ]).status, 0)
        XCTAssertEqual(try run(["retrain", "--db", file]).status, 0)
        let folders = [corpus.appendingPathComponent("spam").path, corpus.appendingPathComponent("ham").path]
        let onServer = try run(["classify", "--db", url, "--format", "tsv"] + folders, name: "server")
        let inFile = try run(["classify", "--db", file, "--format", "tsv"] + folders, name: "file")
        XCTAssertEqual(onServer.output.split(separator: "\n").count, 132)
        XCTAssertEqual(onServer.output, inFile.output)
    }

    func testTwoUsersLearningInOneDatabaseNeverChangeEachOthersVerdicts() throws {
        let corpus = TestSupport.sampleCorpus
        let spam = corpus.appendingPathComponent("spam").path, ham = corpus.appendingPathComponent("ham").path
        let url = server.url
        XCTAssertEqual(try run(["train", "--db", url, "--user", "alice", "--spam", spam, "--ham", ham]).status, 0)
        let alice = try run(["classify", "--db", url, "--user", "alice", "--format", "tsv", spam, ham], name: "a1")
        XCTAssertEqual(alice.output.split(separator: "\n").count, 132)

        // Bob calls everything the other way round, in the same database.
        XCTAssertEqual(try run(["train", "--db", url, "--user", "bob", "--spam", ham, "--ham", spam]).status, 0)
        let bob = try run(["classify", "--db", url, "--user", "bob", "--format", "tsv", spam, ham], name: "b1")
        let aliceAgain = try run(["classify", "--db", url, "--user", "alice", "--format", "tsv", spam, ham], name: "a2")
        XCTAssertEqual(aliceAgain.output, alice.output, "bob's training changed alice's verdicts")
        XCTAssertNotEqual(bob.output, alice.output)
        XCTAssertTrue(
            try run(["stats", "--db", url, "--user", "bob"]).output.contains("examples         66 spam, 66 ham"))

        // A relabel and a forget of bob's leave alice's store as it was.
        let message = corpus.appendingPathComponent("spam/spam-000.eml").path
        XCTAssertEqual(try run(["relabel", "--db", url, "--user", "bob", "--as", "spam", message]).status, 0)
        XCTAssertEqual(try run(["retrain", "--db", url, "--user", "bob"]).status, 0)
        let aliceLast = try run(["classify", "--db", url, "--user", "alice", "--format", "tsv", spam, ham], name: "a3")
        XCTAssertEqual(aliceLast.output, alice.output)

        // A name that cannot name a store is refused before anything is opened.
        XCTAssertEqual(try run(["stats", "--db", url, "--user", "../x"]).status, 64)
    }
}
