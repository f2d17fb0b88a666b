import Foundation
import HamletTestSupport
import PostgresStore
import SpamStore
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

    /// The learning issue's rule on a server: a trainer killed with SIGKILL at any moment leaves nothing of its
    /// batch, or all of it with the model marked stale (its change count behind the examples'), and `db check` ok;
    /// the next train then refits. Ten kills that land inside a run, on SpamAssassin mail.
    func testATrainerKilledAtAnyMomentLeavesAllOrNothing() throws {
        guard let corpus = TestSupport.spamAssassinCorpus else {
            if TestSupport.isCI { XCTFail("../shared/corpora/spamassassin is missing") }
            throw XCTSkip("needs ../shared/corpora/spamassassin")
        }
        func files(_ name: String) throws -> [URL] {
            try FileManager.default.contentsOfDirectory(atPath: corpus.appendingPathComponent(name).path).sorted()
                .map { corpus.appendingPathComponent(name).appendingPathComponent($0) }
        }
        let spam = try files("spam_2"), ham = try files("easy_ham")
        var next = 0
        /// A folder of the next `count` spam and ham not trained before.
        func batch(_ count: Int) throws -> (spam: String, ham: String) {
            let root = folder.appendingPathComponent("batch\(next)")
            for (label, source) in [("spam", spam), ("ham", ham)] {
                let target = root.appendingPathComponent(label)
                try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
                for file in source[next..<(next + count)] {
                    try FileManager.default.createSymbolicLink(
                        at: target.appendingPathComponent(file.lastPathComponent), withDestinationURL: file)
                }
            }
            next += count
            return (root.appendingPathComponent("spam").path, root.appendingPathComponent("ham").path)
        }
        let url = server.url
        let store = try PostgresStore(location: try PostgresLocation(parsing: url), owner: "mail")
        func state() throws -> (examples: Int, changes: Int64, modelChanges: Int64?) {
            try store.read {
                let counts = try store.exampleCounts()
                return (counts.spam + counts.ham, try store.exampleChanges(), try store.currentModel()?.changes)
            }
        }
        let first = try batch(100)
        let started = Date()
        XCTAssertEqual(try run(["train", "--db", url, "--spam", first.spam, "--ham", first.ham]).status, 0)
        let uninterrupted = Date().timeIntervalSince(started)

        var generator = SystemRandomNumberGenerator()
        var kills = 0, runs = 0, all = 0, stale = 0
        while kills < 10 && runs < 25 {
            runs += 1
            let before = try state()
            let size = 60
            let lesson = try batch(size)
            let trainer = try start(["train", "--db", url, "--spam", lesson.spam, "--ham", lesson.ham], name: "kill")
            usleep(UInt32(Double.random(in: 0.05...0.95, using: &generator) * uninterrupted * 1_000_000))
            if trainer.isRunning {
                kill(trainer.processIdentifier, SIGKILL)
                kills += 1
            }
            trainer.waitUntilExit()
            let after = try state()
            XCTAssertTrue(
                after.examples == before.examples || after.examples == before.examples + 2 * size,
                "run \(runs): \(before.examples) examples before, \(after.examples) after")
            if after.examples > before.examples { all += 1 }
            if let model = after.modelChanges, model < after.changes { stale += 1 }
            XCTAssertEqual(try run(["db", "check", "--db", url]).status, 0, "run \(runs)")
        }
        XCTAssertEqual(kills, 10, "kills that landed inside a run")
        print(
            "\(runs) trainers started, \(kills) killed inside the run; \(all) left all of their batch, \(stale) a stale model"
        )
        // The next train refits: the model covers every example again.
        let last = try batch(5)
        XCTAssertEqual(try run(["train", "--db", url, "--spam", last.spam, "--ham", last.ham]).status, 0)
        let final = try state()
        XCTAssertEqual(final.modelChanges, final.changes, "the model reflects every example")
        XCTAssertEqual(try run(["db", "check", "--db", url]).status, 0)
    }
}
