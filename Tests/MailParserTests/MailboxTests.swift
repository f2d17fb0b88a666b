import Foundation
import HamletTestSupport
import XCTest

@testable import MailParser

final class MailboxTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws { folder = try TestSupport.temporaryDirectory("mailbox") }
    override func tearDown() { TestSupport.remove(folder) }

    private func write(_ text: String, to name: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private func read(_ path: String) throws -> [SourcedMessage] {
        var messages: [SourcedMessage] = []
        try Mailbox.read(path) { messages.append($0) }
        return messages
    }

    func testMboxSplitsOnFromLinesAfterEmptyLinesAndUnquotesMboxrd() throws {
        let first = "From a@x Mon Oct  5 10:00:00 2026\nSubject: one\n\nbody one\nFrom here on, not a separator\n\n"
        let second = "From b@x Mon Oct  5 11:00:00 2026\nSubject: two\n\n>From quoted\n\n"
        let third = "From c@x Mon Oct  5 12:00:00 2026\nSubject: three\n\nthird\n"
        let path = try write(first + second + third, to: "box.mbox")
        let messages = try read(path)
        XCTAssertEqual(
            messages.map(\.id), ["\(path):0", "\(path):\(first.utf8.count)", "\(path):\((first + second).utf8.count)"])
        XCTAssertEqual(
            String(decoding: messages[0].bytes, as: UTF8.self),
            "From a@x Mon Oct  5 10:00:00 2026\nSubject: one\n\nbody one\nFrom here on, not a separator\n")
        XCTAssertTrue(String(decoding: messages[1].bytes, as: UTF8.self).hasSuffix("\nFrom quoted\n"))
        XCTAssertEqual(MailMessage.parse(messages[2].bytes).headers["subject"], "three")
    }

    func testAFileReadWholeAndOneReadLineByLineSplitTheSameWay() throws {
        // Files up to `wholeFileLimit` are read in one call and split in memory, bigger ones line by line: the
        // same mbox (CRLF lines, a quoted From, a From line not after an empty line) must come out the same.
        let messages = [
            "From a@x Mon Oct  5 10:00:00 2026\r\nSubject: one\r\n\r\nbody\r\nFrom here, no separator\r\n\r\n",
            "From b@x Mon Oct  5 11:00:00 2026\r\nSubject: two\r\n\r\n>From quoted\r\n\r\n",
            "From c@x Mon Oct  5 12:00:00 2026\nSubject: three\n\nlast"
        ]
        let small = try write(messages.joined(), to: "small.mbox")
        let padding = String(repeating: "x", count: 99) + "\n"
        let big = try write(
            messages[0] + messages[1] + "From p@x Mon Oct  5 11:30:00 2026\nSubject: pad\n\n"
                + String(repeating: padding, count: Mailbox.wholeFileLimit / 100 + 1) + "\n" + messages[2],
            to: "big.mbox")
        let fromSmall = try read(small), fromBig = try read(big)
        XCTAssertEqual(fromSmall.count, 3)
        XCTAssertEqual(fromBig.count, 4)
        XCTAssertEqual(fromSmall[0].bytes, fromBig[0].bytes)
        XCTAssertEqual(fromSmall[1].bytes, fromBig[1].bytes)
        XCTAssertEqual(fromSmall[2].bytes, fromBig[3].bytes)
        XCTAssertEqual(
            fromSmall.map { $0.id.split(separator: ":").last! },
            [
                "0", "\(messages[0].utf8.count)",
                "\((messages[0] + messages[1]).utf8.count)"
            ])
        XCTAssertEqual(
            String(decoding: fromSmall[1].bytes, as: UTF8.self),
            "From b@x Mon Oct  5 11:00:00 2026\r\nSubject: two\r\n\r\nFrom quoted\r\n")
    }

    func testSingleMessageFileKeepsPathAsIdAndExactBytes() throws {
        let text = "From a@x Mon Oct  5 10:00:00 2026\nSubject: only\n\n>From stays\n\n"
        let path = try write(text, to: "one.eml")
        let messages = try read(path)
        XCTAssertEqual(messages.map(\.id), [path])
        XCTAssertEqual(messages[0].bytes, Array(text.utf8))
    }

    /// A Maildir id from new/ still names the message after the mail client moved it to cur/.
    func testAMaildirIdFollowsItsMessageFromNewToCur() throws {
        let maildir = folder.appendingPathComponent("Maildir")
        for sub in ["new", "cur", "tmp"] {
            try FileManager.default.createDirectory(
                at: maildir.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        try Data("Subject: moved\n\nbody\n".utf8).write(
            to: maildir.appendingPathComponent("cur/1700000000.unique.host:2,S"))
        let id = maildir.appendingPathComponent("new/1700000000.unique.host").path
        let message = try XCTUnwrap(try Mailbox.readByID(id))
        XCTAssertEqual(message.id, id)
        XCTAssertEqual(String(decoding: message.bytes, as: UTF8.self), "Subject: moved\n\nbody\n")
    }

    func testMaildirIdsDropTheFlagsSuffix() throws {
        _ = try write("Subject: new\n\nx\n", to: "Mail/new/1700000000.1.host")
        _ = try write("Subject: read\n\ny\n", to: "Mail/cur/1700000001.2.host:2,S")
        _ = try write("ignored\n", to: "Mail/tmp/1700000002.3.host")
        let base = folder.appendingPathComponent("Mail").path
        let messages = try read(base)
        XCTAssertEqual(messages.map(\.id), ["\(base)/cur/1700000001.2.host", "\(base)/new/1700000000.1.host"])
        XCTAssertEqual(Mailbox.maildirID("/m/cur/123.host:2,RS"), "/m/cur/123.host")
    }

    func testDirectoriesAreReadRecursivelyInSortedOrderSkippingHiddenFiles() throws {
        _ = try write("Subject: b\n\nb\n", to: "dir/b.eml")
        _ = try write("Subject: a\n\na\n", to: "dir/sub/a.eml")
        _ = try write("Subject: h\n\nh\n", to: "dir/.hidden")
        let messages = try read(folder.appendingPathComponent("dir").path)
        XCTAssertEqual(messages.map { URL(fileURLWithPath: $0.id).lastPathComponent }, ["b.eml", "a.eml"])
    }

    func testMissingPathIsAnErrorNamingIt() {
        XCTAssertThrowsError(try read("/no/such/mailbox")) { error in
            XCTAssertEqual(error as? MailboxError, .notFound("/no/such/mailbox"))
        }
    }
}

extension MailboxTests {
    func testIdsThatClassifyPrintsCanBeReadBack() throws {
        let first = "From a@x Mon Oct  5 10:00:00 2026\nSubject: one\n\nbody one\n\n"
        let second = "From b@x Mon Oct  5 11:00:00 2026\nSubject: two\n\n>From quoted\n"
        let mbox = try write(first + second, to: "box.mbox")
        let viaID = try read("\(mbox):\(first.utf8.count)")
        XCTAssertEqual(viaID.map(\.id), ["\(mbox):\(first.utf8.count)"])
        XCTAssertEqual(viaID[0].bytes, try read(mbox)[1].bytes)
        XCTAssertNil(try Mailbox.readByID("\(mbox):5"), "an offset that is not a message start")

        _ = try write("Subject: read\n\ny\n", to: "Mail/cur/1700000001.2.host:2,RS")
        let id = folder.appendingPathComponent("Mail/cur/1700000001.2.host").path
        XCTAssertEqual(try read(id).map(\.id), [id])
        XCTAssertThrowsError(try read(folder.appendingPathComponent("Mail/cur/nothing").path))
    }

    func testMaildirPlusPlusSubfoldersAreNotPartOfTheirParent() throws {
        _ = try write("Subject: inbox\n\nx\n", to: "Mail/cur/1.host:2,S")
        _ = try write("Subject: junk\n\ny\n", to: "Mail/.Junk/cur/2.host:2,S")
        XCTAssertEqual(try read(folder.appendingPathComponent("Mail").path).count, 1)
        XCTAssertEqual(try read(folder.appendingPathComponent("Mail/.Junk").path).count, 1)
    }
}
