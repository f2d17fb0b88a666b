import Foundation
import HamletTestSupport
import XCTest

/// Stores on disks that cannot be written, for real (no simulated fault; CI runs as root, where chmod cannot make a
/// file unwritable): a tmpfs remounted read-only and a tmpfs too small for what a `train` adds, each inside its
/// own mount namespace, and a store read by an unprivileged user in a folder it cannot write. Writers fail with a
/// clear error and a documented status and change nothing; readers, `filter` first, still score. They need root;
/// elsewhere they skip.
final class UnwritableStoreEndToEndTests: XCTestCase {
    var home: URL!
    var hamlet: HamletRunner!
    var store: String { home.appendingPathComponent("store.sqlite").path }
    let spamMessage = TestSupport.sampleCorpus.appendingPathComponent("spam/spam-001.eml").path

    override func setUpWithError() throws {
        guard getuid() == 0 else {
            if TestSupport.isCI { XCTFail("these tests mount file systems and switch users: they need root") }
            throw XCTSkip("needs root")
        }
        home = try TestSupport.temporaryDirectory("unwritable")
        hamlet = HamletRunner(home: home)
        try hamlet.trainSampleCorpus(into: store)
        try TestSupport.writeMatureStoreSettings(configHome: hamlet.configHome)
    }

    override func tearDown() { if let home { TestSupport.remove(home) } }

    private func shell(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, "sh"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func testFilterScoresAndClassifyWorksOnAReadOnlyMount() throws {
        let mount = home.appendingPathComponent("ro")
        try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
        let result = try hamlet.runInPrivateMounts(
            """
            exec 2>&1
            set -e
            mount -t tmpfs tmpfs "$2"
            cp "$3" "$2/store.sqlite"
            mount -o remount,ro "$2"
            echo "filter:"; "$1" filter --db "$2/store.sqlite" < "$4"
            echo "classify:"; "$1" classify --db "$2/store.sqlite" "$4"
            echo "stats:"; "$1" stats --db "$2/store.sqlite"
            echo "check:"; "$1" db check --db "$2/store.sqlite"
            echo "train:"; "$1" train --db "$2/store.sqlite" --spam "$4" || echo "train exit $?"
            echo "new store:"; "$1" train --db "$2/new.sqlite" --spam "$4" || echo "new store exit $?"
            """, [mount.path, store, spamMessage])
        let output = result.text
        XCTAssertEqual(result.status, 0, output)
        XCTAssertTrue(output.contains("X-Hamlet-Verdict: spam;"), output)
        XCTAssertFalse(output.contains("passed through unchanged"), output)
        XCTAssertTrue(output.contains("spam    0.9"), output)
        XCTAssertTrue(output.contains("examples         66 spam, 66 ham"), output)
        XCTAssertTrue(output.contains("ok: "), output)
        // Writers are refused with the clear read-only message, an existing store and a new one alike.
        XCTAssertTrue(output.contains("train exit 74"), output)
        XCTAssertTrue(output.contains("cannot be written"), output)
        XCTAssertTrue(output.contains("new store exit 74"), output)
    }

    func testATrainThatFillsTheDiskChangesNothingAndTheFilterStillScores() throws {
        let mount = home.appendingPathComponent("small")
        let filler = home.appendingPathComponent("filler")
        try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: filler, withIntermediateDirectories: true)
        for i in 0..<40 {
            try "Subject: filler \(i)\n\n\((0..<300).map { "word\(i)x\($0)" }.joined(separator: " "))\n"
                .write(to: filler.appendingPathComponent("\(i).eml"), atomically: true, encoding: .utf8)
        }
        // Room for the store, its -wal and -shm files and a little more: not for 12,000 new tokens.
        let storeBytes = (try FileManager.default.attributesOfItem(atPath: store)[.size] as? Int) ?? 0
        let size = storeBytes + 256 * 1024
        let result = try hamlet.runInPrivateMounts(
            """
            exec 2>&1
            set -e
            mount -t tmpfs -o size=\(size) tmpfs "$2"
            cp "$3" "$2/store.sqlite"
            echo "before: $("$1" stats --db "$2/store.sqlite" | grep examples)"
            echo "train:"; "$1" train --db "$2/store.sqlite" --ham "$4" || echo "train exit $?"
            echo "after: $("$1" stats --db "$2/store.sqlite" | grep examples)"
            echo "check:"; "$1" db check --db "$2/store.sqlite"
            echo "filter:"; "$1" filter --db "$2/store.sqlite" < "$5"
            """, [mount.path, store, filler.path, spamMessage])
        let output = result.text
        XCTAssertEqual(result.status, 0, output)
        XCTAssertTrue(output.contains("train exit 74"), output)
        XCTAssertTrue(output.contains("is full"), output)
        let lines = output.split(separator: "\n")
        let before = lines.first { $0.hasPrefix("before:") }?.dropFirst(7)
        let after = lines.first { $0.hasPrefix("after:") }?.dropFirst(6)
        XCTAssertNotNil(before, output)
        XCTAssertEqual(before, after, "all or nothing: \(output)")
        XCTAssertTrue(output.contains("ok: "), output)
        XCTAssertTrue(output.contains("X-Hamlet-Verdict: spam;"), output)
    }

    func testAnUnprivilegedReaderInAFolderItCannotWriteScores() throws {
        // The store's folder is root's, 0755; the store and the -wal and -shm files a writer leaves are readable.
        let folder = home.appendingPathComponent("shared")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let shared = folder.appendingPathComponent("store.sqlite").path
        let binary = home.appendingPathComponent("hamlet").path
        try FileManager.default.copyItem(atPath: HamletRunner.binary.path, toPath: binary)
        let message = home.appendingPathComponent("message.eml").path
        try FileManager.default.copyItem(atPath: spamMessage, toPath: message)
        let result = try shell(
            """
            set -e
            cp "$1" "$2"
            "$3" db vacuum --db "$2" > /dev/null
            chmod 755 "$4" "$(dirname "$4")"; chmod 644 "$2" "$2-wal" "$2-shm" "$5"; chmod 755 "$3"
            as_nobody() { /usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
            echo "filter:"; as_nobody "$3" filter --db "$2" < "$5"
            echo "classify:"; as_nobody "$3" classify --db "$2" "$5"
            """, [store, shared, binary, folder.path, message])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("X-Hamlet-Verdict: spam;"), result.output)
        XCTAssertTrue(result.output.contains("spam    0.9"), result.output)
    }
}
