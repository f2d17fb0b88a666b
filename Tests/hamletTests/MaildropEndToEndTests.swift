import Foundation
import HamletTestSupport
import XCTest

/// The shipped maildrop recipe as a mail host runs it: `maildrop -d USER` for a real account whose hamlet lives
/// in `~/.local/bin` (as the README installs it) and whose store is in the default place. Needs root (to make the
/// account and for `maildrop -d`), as CI has; elsewhere it skips.
final class MaildropEndToEndTests: XCTestCase {
    var account: DeliveryAccount!

    override func setUpWithError() throws {
        account = try DeliveryAccount.make(
            program: "maildrop", recipe: "Resources/maildrop/mailfilter", as: ".mailfilter")
    }

    override func tearDown() { account?.remove() }

    func testShippedRecipeSortsSpamIntoJunkAndHamIntoTheMaildir() throws {
        let spam = try account.unseen("spam"), ham = try account.unseen("ham")
        for message in spam + ham {
            let result = try account.deliver(
                ["/usr/bin/maildrop", "-d", account.name], message: try Data(contentsOf: message))
            XCTAssertEqual(result.status, 0, "\(message.lastPathComponent): \(result.stderr)")
        }
        try account.assertDelivered(spam: spam, ham: ham)
    }

    /// A spam whose last header line ends in a bare CR still reaches Junk.
    func testBareCRBeforeTheSeparatorStillReachesJunk() throws {
        let spam = try account.unseen("spam")
        for message in spam {
            var bytes = Array(try Data(contentsOf: message))
            guard let separator = bytes.firstRange(of: [0x0A, 0x0A]) else { continue }
            bytes.replaceSubrange(separator, with: [0x0D, 0x0D, 0x0A, 0x0A])
            let result = try account.deliver(["/usr/bin/maildrop", "-d", account.name], message: Data(bytes))
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        XCTAssertEqual(try account.files(in: ".Junk/new").count, spam.count)
        XCTAssertEqual(try account.files(in: "new").count, 0)
    }
}

/// A real user account for delivery tests: made with `useradd -m`, with hamlet copied to `~/.local/bin`, a store
/// trained on two thirds of the sample corpus in the default place, a Maildir with a Junk folder, and a shipped
/// recipe installed. Removed with `userdel -r`.
struct DeliveryAccount {
    let name: String
    let home: URL

    static func make(program: String, recipe: String, as fileName: String) throws -> DeliveryAccount {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/\(program)") else {
            if TestSupport.isCI { XCTFail("\(program) is not installed; .ci/run installs it") }
            throw XCTSkip("\(program) is not installed")
        }
        guard getuid() == 0 else {
            if TestSupport.isCI { XCTFail("delivery tests make a user account and need root, as CI has") }
            throw XCTSkip("delivery tests make a user account and need root")
        }
        let name = "hamlet\(getpid() % 100_000)\(program.prefix(2))"
        _ = try Self.run(["/usr/sbin/userdel", "-r", name])  // a leftover of a killed run
        let made = try Self.run(["/usr/sbin/useradd", "-m", "-s", "/bin/sh", name])
        guard made.status == 0 else { throw XCTSkip("useradd failed: \(made.stderr)") }
        let home = URL(fileURLWithPath: "/home/\(name)")
        let account = DeliveryAccount(name: name, home: home)
        let fm = FileManager.default
        for folder in [
            "Maildir/cur", "Maildir/new", "Maildir/tmp", "Maildir/.Junk/cur", "Maildir/.Junk/new",
            "Maildir/.Junk/tmp", ".local/bin", ".local/share/hamlet", "train/spam", "train/ham"
        ] {
            try fm.createDirectory(at: home.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try fm.copyItem(at: HamletRunner.binary, to: home.appendingPathComponent(".local/bin/hamlet"))
        try fm.copyItem(
            at: TestSupport.packageRoot.appendingPathComponent(recipe), to: home.appendingPathComponent(fileName))
        let corpus = TestSupport.sampleCorpus
        for label in ["spam", "ham"] {
            for file in try fm.contentsOfDirectory(atPath: corpus.appendingPathComponent(label).path)
            where !file.hasSuffix("0.eml") && !file.hasSuffix("5.eml") {
                try fm.copyItem(
                    at: corpus.appendingPathComponent("\(label)/\(file)"),
                    to: home.appendingPathComponent("train/\(label)/\(file)"))
            }
        }
        try TestSupport.writeMatureStoreSettings(configHome: home.appendingPathComponent(".config"))
        _ = try Self.run(["/bin/chown", "-R", "\(name):\(name)", home.path])
        _ = try Self.run(["/bin/chmod", "600", home.appendingPathComponent(fileName).path])
        let trained = try account.asUser([
            "\(home.path)/.local/bin/hamlet", "train", "--spam", "\(home.path)/train/spam",
            "--ham", "\(home.path)/train/ham"
        ])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        return account
    }

    func remove() {
        _ = try? Self.run(["/usr/sbin/userdel", "-r", name])
        unlink("/var/mail/\(name)")
    }

    /// The sample corpus's messages the store was not trained on.
    func unseen(_ label: String) throws -> [URL] {
        let folder = TestSupport.sampleCorpus.appendingPathComponent(label)
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            .filter { $0.hasSuffix("0.eml") || $0.hasSuffix("5.eml") }.map { folder.appendingPathComponent($0) }
    }

    func files(in folder: String) throws -> [URL] {
        let url = home.appendingPathComponent("Maildir/" + folder)
        return try FileManager.default.contentsOfDirectory(atPath: url.path).sorted().map {
            url.appendingPathComponent($0)
        }
    }

    /// Runs a delivery program as root (it changes to the user itself) with a clean environment, as an MTA does.
    func deliver(_ command: [String], message: Data) throws -> (status: Int32, stderr: String) {
        let result = try Self.run(command, stdin: message, environment: ["PATH": "/usr/bin:/bin"])
        return (result.status, result.stderr)
    }

    /// Runs a command as the account's user (setpriv), with its HOME.
    func asUser(_ command: [String]) throws -> (status: Int32, stderr: String) {
        let result = try Self.run(
            ["/usr/bin/setpriv", "--reuid=\(name)", "--regid=\(name)", "--init-groups"] + command,
            environment: ["HOME": home.path, "PATH": "/usr/bin:/bin"])
        return (result.status, result.stderr)
    }

    /// Spam in Junk, ham in the inbox, nothing in /var/mail, and every delivered message its input plus Hamlet's
    /// four fields at the end of the header block.
    func assertDelivered(spam: [URL], ham: [URL], file: StaticString = #filePath, line: UInt = #line) throws {
        let junk = try files(in: ".Junk/new"), inbox = try files(in: "new")
        XCTAssertEqual(junk.count, spam.count, file: file, line: line)
        XCTAssertEqual(inbox.count, ham.count, file: file, line: line)
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: "/var/mail/\(name)"), "mail went to /var/mail", file: file,
            line: line)
        let originals = Set(try (spam + ham).map { Self.withoutHamletFields(Array(try Data(contentsOf: $0))) })
        for delivered in junk + inbox {
            let bytes = Array(try Data(contentsOf: delivered))
            let added = bytes.split(separator: 0x0A).filter {
                $0.starts(with: Array("X-Spam-".utf8)) || $0.starts(with: Array("X-Hamlet-".utf8))
            }
            XCTAssertEqual(added.count, 4, delivered.lastPathComponent, file: file, line: line)
            XCTAssertTrue(
                originals.contains(Self.withoutHamletFields(bytes)), "altered: \(delivered.lastPathComponent)",
                file: file, line: line)
        }
    }

    /// The message's lines without Hamlet's fields, and without the trailing empty lines a delivery agent may add.
    static func withoutHamletFields(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
            .filter { !$0.starts(with: Array("X-Spam-".utf8)) && !$0.starts(with: Array("X-Hamlet-".utf8)) }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        return lines
    }

    static func run(_ command: [String], stdin: Data? = nil, environment: [String: String]? = nil) throws
        -> (status: Int32, stderr: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        if let environment { process.environment = environment }
        let input = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = error
        try process.run()
        let writer = Thread {
            if let stdin { input.fileHandleForWriting.write(stdin) }
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let message = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: message, as: UTF8.self))
    }
}
