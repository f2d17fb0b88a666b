import Foundation
import HamletTestSupport
import XCTest

/// Store paths that are links or other databases are refused and left untouched; a new
/// store appears complete or not at all; an export is as private as the store.
final class StorePathEndToEndTests: XCTestCase {
    var home: URL!
    var hamlet: HamletRunner!
    let message = TestSupport.sampleCorpus.appendingPathComponent("spam/spam-001.eml").path

    override func setUpWithError() throws {
        home = try TestSupport.temporaryDirectory("storepath")
        hamlet = HamletRunner(home: home)
    }

    override func tearDown() { TestSupport.remove(home) }

    private func path(_ name: String) -> String { home.appendingPathComponent(name).path }

    func testLinksAndForeignDatabasesAreRefusedAndLeftAlone() throws {
        // Another program's SQLite database (an empty table in it), made with the store's own SQLite.
        let foreign = path("other.db")
        let made = try hamlet.run(["train", "--db", path("seed.sqlite"), "--spam", message])
        XCTAssertEqual(made.status, 0, made.stderr)
        try FileManager.default.copyItem(atPath: path("seed.sqlite"), toPath: foreign)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [
            "-c", "import sqlite3,sys; d=sqlite3.connect(sys.argv[1]); d.execute('PRAGMA user_version=0'); d.commit()",
            foreign
        ]
        try process.run()
        process.waitUntilExit()
        let before = try Data(contentsOf: URL(fileURLWithPath: foreign))
        let intoForeign = try hamlet.run(["train", "--db", foreign, "--spam", message])
        XCTAssertEqual(intoForeign.status, 70, intoForeign.stderr)
        XCTAssertTrue(intoForeign.stderr.contains("holding other tables"), intoForeign.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: foreign)), before)
        try FileManager.default.createSymbolicLink(
            atPath: path("link.sqlite"), withDestinationPath: path("seed.sqlite"))
        try FileManager.default.createSymbolicLink(
            atPath: path("dangling.sqlite"), withDestinationPath: path("nothing"))
        for link in ["link.sqlite", "dangling.sqlite"] {
            let result = try hamlet.run(["train", "--db", path(link), "--spam", message])
            XCTAssertEqual(result.status, 70, result.stderr)
            XCTAssertTrue(result.stderr.contains("symbolic link"), result.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("nothing")))
    }

    /// A failed import leaves no empty store behind, and configuration errors say so once.
    func testAFailedImportLeavesNoStoreAndErrorsDoNotRepeatThemselves() throws {
        try Data("not an export\n".utf8).write(to: URL(fileURLWithPath: path("bad.export")))
        let failed = try hamlet.run(["db", "import", "--db", path("imported.sqlite"), path("bad.export")])
        XCTAssertNotEqual(failed.status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("imported.sqlite")))
        let missing = try hamlet.run(["db", "import", "--db", path("imported.sqlite"), path("no-such.export")])
        XCTAssertEqual(missing.status, 66, missing.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("imported.sqlite")))
        try Data("[filter]\nbogus = 1\n".utf8).write(to: URL(fileURLWithPath: path("config.toml")))
        let configured = try hamlet.run(
            ["stats", "--db", path("x.sqlite")], environment: ["HAMLET_CONFIG": path("config.toml")])
        XCTAssertEqual(configured.status, 78, configured.stderr)
        XCTAssertEqual(configured.stderr.components(separatedBy: "configuration").count, 2, configured.stderr)
    }

    /// A store in a folder every user may write gets a warning (a sticky folder does not).
    func testAWorldWritableFolderIsWarnedAbout() throws {
        for (mode, warned) in [(0o777, true), (0o1777, false)] {
            let folder = home.appendingPathComponent("open-\(mode)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            XCTAssertEqual(chmod(folder.path, mode_t(mode)), 0)
            let result = try hamlet.run([
                "train", "--db", folder.appendingPathComponent("s.sqlite").path, "--spam", message
            ])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.stderr.contains("writable by every user"), warned, result.stderr)
        }
    }

    /// A first train killed early left a 0-byte or 4 KiB file that no command could use. Now the
    /// store appears complete or not at all, whenever the kill lands.
    func testAFirstTrainKilledEarlyLeavesNoHalfMadeStore() throws {
        let corpus = TestSupport.sampleCorpus
        for (k, delay) in [0, 2, 5, 10, 20, 40].enumerated() {
            let store = path("killed-\(k).sqlite")
            let process = Process()
            process.executableURL = HamletRunner.binary
            process.arguments = [
                "train", "--db", store, "--spam", corpus.appendingPathComponent("spam").path,
                "--ham", corpus.appendingPathComponent("ham").path
            ]
            process.environment = ["HOME": home.path, "XDG_DATA_HOME": home.path, "XDG_CONFIG_HOME": home.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(useconds_t(delay * 1000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            guard FileManager.default.fileExists(atPath: store) else { continue }
            let check = try hamlet.run(["db", "check", "--db", store])
            XCTAssertEqual(check.status, 0, "killed after \(delay) ms: \(check.stderr)")
            let again = try hamlet.run([
                "train", "--db", store, "--spam", corpus.appendingPathComponent("spam").path,
                "--ham", corpus.appendingPathComponent("ham").path
            ])
            XCTAssertEqual(again.status, 0, "killed after \(delay) ms: \(again.stderr)")
        }
    }

    func testANewStoreIsCompleteAndPrivateAndSoIsItsExport() throws {
        let store = path("new.sqlite")
        let trained = try hamlet.run(["train", "--db", store, "--spam", message])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let names = try FileManager.default.contentsOfDirectory(atPath: home.path)
        XCTAssertFalse(names.contains { $0.contains(".new-") }, "\(names)")
        let check = try hamlet.run(["db", "check", "--db", store])
        XCTAssertEqual(check.status, 0, check.stderr)
        let exported = try hamlet.run(["db", "export", "--db", store, path("export.txt")])
        XCTAssertEqual(exported.status, 0, exported.stderr)
        for file in [store, path("export.txt")] {
            let mode = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
            XCTAssertEqual(mode & 0o077, 0, file)
        }
    }

    func testAStoreURLThisHamletCannotOpenIsRefusedAndAnUnreachableServerChangesNothing() throws {
        let other = "mysql://hamlet@localhost/mail"
        let refused = try hamlet.runIn(home, ["train", "--db", other, "--spam", message])
        XCTAssertEqual(refused.status, 64, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("cannot open a mysql:// store"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("mysql:")), "no folder named for the scheme")
        // A PostgreSQL server that is not there: try again later (75), nothing changed, no password shown.
        let url = "postgresql://hamlet:s3cret@127.0.0.1:1/mail"
        for arguments in [["train", "--db", url, "--spam", message], ["classify", "--db", url, message]] {
            let result = try hamlet.runIn(home, arguments)
            XCTAssertEqual(result.status, 75, result.stderr)
            XCTAssertTrue(result.stderr.contains("cannot reach the store"), result.stderr)
            XCTAssertTrue(result.stderr.contains("nothing was changed"), result.stderr)
            XCTAssertFalse(result.stderr.contains("s3cret"), result.stderr)
        }
        // hamlet config shows where the store is, never its password.
        let configured = try hamlet.run(["config"], environment: ["HAMLET_DB": url])
        XCTAssertEqual(configured.status, 0, configured.stderr)
        XCTAssertTrue(configured.text.contains("postgresql://hamlet:***@127.0.0.1:1/mail"), configured.text)
        XCTAssertFalse(configured.text.contains("s3cret"), configured.text)
        let filter = try hamlet.runIn(home, ["filter", "--db", url], stdin: Array("Subject: hi\n\nhello\n".utf8))
        XCTAssertEqual(filter.status, 0, filter.stderr)
        XCTAssertEqual(filter.text, "Subject: hi\n\nhello\n", "the message passes unchanged")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("postgresql:")), "no folder named for the scheme")
    }
}
