import Foundation
import HamletTestSupport
import XCTest

/// Readers work on stores they cannot write, for real (no simulated fault): a store on a tmpfs
/// remounted read-only inside its own mount namespace, and a store read by an unprivileged user in a folder it
/// cannot write. Both need root (CI runs as root); elsewhere they skip.
final class ReadOnlyStoreEndToEndTests: XCTestCase {
    var home: URL!
    var hamlet: HamletRunner!
    var store: String { home.appendingPathComponent("store.sqlite").path }
    let spamMessage = TestSupport.sampleCorpus.appendingPathComponent("spam/spam-001.eml").path

    override func setUpWithError() throws {
        guard getuid() == 0 else {
            if TestSupport.isCI { XCTFail("read-only store tests mount file systems and switch users: they need root") }
            throw XCTSkip("needs root")
        }
        home = try TestSupport.temporaryDirectory("readonly")
        hamlet = HamletRunner(home: home)
        try hamlet.trainSampleCorpus(into: store)
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
        // Inside a private mount namespace: nothing outlives the shell, even if the test fails.
        let script = """
            set -e
            mount -t tmpfs tmpfs "$1"
            cp "$2" "$1/store.sqlite"
            mount -o remount,ro "$1"
            echo "filter:"; "$3" filter --db "$1/store.sqlite" < "$4"
            echo "classify:"; "$3" classify --db "$1/store.sqlite" "$4"
            echo "stats:"; "$3" stats --db "$1/store.sqlite"
            echo "check:"; "$3" db check --db "$1/store.sqlite"
            echo "train:"; "$3" train --db "$1/store.sqlite" --spam "$4" || echo "train exit $?"
            """
        let result = try shell(
            "exec /usr/bin/unshare -m /bin/sh -c '\(script)' sh \"$@\"",
            [mount.path, store, HamletRunner.binary.path, spamMessage])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("X-Hamlet-Verdict: spam;"), result.output)
        XCTAssertFalse(result.output.contains("passed through unchanged"), result.output)
        XCTAssertTrue(result.output.contains("spam    0.9"), result.output)
        XCTAssertTrue(result.output.contains("examples         66 spam, 66 ham"), result.output)
        XCTAssertTrue(result.output.contains("ok: "), result.output)
        // A writer is refused with the clear read-only message.
        XCTAssertTrue(result.output.contains("train exit 74"), result.output)
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
