import Foundation
import HamletTestSupport
import XCTest

/// Folder walks skip what they cannot read as a file and never abort or hang; ids are
/// escaped in every output format; files that are not mail are left out with a note, and a command that did
/// nothing because of them exits 65.
final class InputHandlingEndToEndTests: XCTestCase {
    var home: URL!
    var hamlet: HamletRunner!
    var store: String { home.appendingPathComponent("store.sqlite").path }
    var folder: URL { home.appendingPathComponent("mail") }

    override func setUpWithError() throws {
        home = try TestSupport.temporaryDirectory("input")
        hamlet = HamletRunner(home: home)
        try hamlet.trainSampleCorpus(into: store)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() { TestSupport.remove(home) }

    private func copy(_ sample: String, to name: [UInt8]) throws {
        let data = try Data(contentsOf: TestSupport.sampleCorpus.appendingPathComponent(sample))
        let path = Array(folder.path.utf8) + [0x2F] + name + [0]
        let fd = path.withUnsafeBufferPointer {
            open(
                UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self),
                O_CREAT | O_WRONLY | O_TRUNC, 0o644)
        }
        XCTAssertGreaterThanOrEqual(fd, 0)
        _ = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    func testWalksSkipOddFilesWithANoteAndNeverAbortOrHang() throws {
        try copy("ham/ham-001.eml", to: Array("good.eml".utf8))
        try copy("spam/spam-001.eml", to: Array("x".utf8) + [0xFF])
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("loop").path, withDestinationPath: folder.path)
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("dangling").path,
            withDestinationPath: home.appendingPathComponent("nothing").path)
        XCTAssertEqual(mkfifo(folder.appendingPathComponent("fifo").path, 0o644), 0)
        let result = try hamlet.run(["classify", "--db", store, "--format", "tsv", folder.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(
            result.lines,
            [
                folder.appendingPathComponent("good.eml").path + "\tham\t"
                    + (result.lines.first?.split(separator: "\t").last.map(String.init) ?? "")
            ])
        for note in [
            "x\\xff: its name is not UTF-8", "dangling: a link to nothing", "fifo: a FIFO, not a file",
            "loop: a folder already read (a link loop)"
        ] {
            XCTAssertTrue(result.stderr.contains(note), "\(note) in \(result.stderr)")
        }
        let device = try hamlet.run(["classify", "--db", store, "/dev/zero"])
        XCTAssertEqual(device.status, 65, device.stderr)
        XCTAssertTrue(device.stderr.contains("/dev/zero: a device, not a file"), device.stderr)
    }

    func testIdsCannotForgeOutputLines() throws {
        try copy("spam/spam-002.eml", to: Array("evil\nforged.eml\tham\t0.000001\u{1B}[2J".utf8))
        for format in ["tsv", "text"] {
            let result = try hamlet.run(["classify", "--db", store, "--format", format, folder.path])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.lines.count, 1, result.text)
            XCTAssertTrue(result.text.contains("evil\\nforged.eml\\tham\\t0.000001\\x1b[2J"), result.text)
            XCTAssertFalse(result.stdout.contains(0x1B))
        }
    }

    func testFilesThatAreNotMailAreLeftOutAndNothingFromNothingExits65() throws {
        let empty = home.appendingPathComponent("empty.eml")
        try Data().write(to: empty)
        let binary = home.appendingPathComponent("binary")
        try Data([0x7F, 0x45, 0x4C, 0x46, 0, 0, 1]).write(to: binary)
        let gzip = home.appendingPathComponent("inbox.mbox.gz")
        try Data([0x1F, 0x8B, 8, 0, 0, 0, 0, 0]).write(to: gzip)
        let text = home.appendingPathComponent("notes.txt")
        try Data("just some words\nno headers here\n".utf8).write(to: text)
        let paths = [empty, binary, gzip, text].map(\.path)
        let classified = try hamlet.run(["classify", "--db", store] + paths)
        XCTAssertEqual(classified.status, 65, classified.stderr)
        XCTAssertTrue(classified.text.isEmpty, classified.text)
        for reason in ["empty", "binary", "gzip-compressed", "neither a header field nor an mbox From line"] {
            XCTAssertTrue(classified.stderr.contains(reason), "\(reason) in \(classified.stderr)")
        }
        let before = try hamlet.run(["stats", "--db", store]).text
        let trained = try hamlet.run(["train", "--db", store, "--ham"] + paths)
        XCTAssertEqual(trained.status, 65, trained.stderr)
        let stdin = try hamlet.run(["train", "--db", store, "--spam", "-"], stdin: [])
        XCTAssertEqual(stdin.status, 65, stdin.stderr)
        let mbox = TestSupport.sampleCorpus.appendingPathComponent("spam/spam-001.eml").path + ":99999999"
        _ = try hamlet.run(["train", "--db", store, "--spam", mbox])
        XCTAssertEqual(try hamlet.run(["stats", "--db", store]).text, before, "nothing learned, no new model version")
        // Mixed: the mail is classified, the rest left out, and the command succeeds.
        let mixed = try hamlet.run([
            "classify", "--db", store, empty.path,
            TestSupport.sampleCorpus.appendingPathComponent("ham/ham-001.eml").path
        ])
        XCTAssertEqual(mixed.status, 0, mixed.stderr)
        XCTAssertEqual(mixed.lines.count, 1)
        // An empty folder learns nothing and makes no new model version.
        let nothing = home.appendingPathComponent("nothing")
        try FileManager.default.createDirectory(at: nothing, withIntermediateDirectories: true)
        _ = try hamlet.run(["train", "--db", store, "--ham", nothing.path])
        XCTAssertEqual(try hamlet.run(["stats", "--db", store]).text, before)
    }
}
