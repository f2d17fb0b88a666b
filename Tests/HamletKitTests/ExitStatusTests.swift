import HamletKit
import MailParser
import SpamStore
import XCTest

/// Errors carry the exit status the README documents for them; anything else is a plain failure.
final class ExitStatusTests: XCTestCase {
    func testEachErrorCarriesItsDocumentedStatus() {
        struct Unforeseen: Error {}
        XCTAssertEqual(ExitStatus.of(HamletError.noExamples("s")), 70)
        XCTAssertEqual(ExitStatus.of(HamletError.noModel("s")), 70)
        XCTAssertEqual(ExitStatus.of(HamletError.unknownMessage("m", "not stored")), 66)
        XCTAssertEqual(ExitStatus.of(HamletError.configuration("bad")), 78)
        XCTAssertEqual(ExitStatus.of(HamletError.usage("bad")), 64)
        XCTAssertEqual(ExitStatus.of(StoreError.busy(path: "s")), 75)
        XCTAssertEqual(ExitStatus.of(StoreError.readOnly(path: "s")), 74)
        XCTAssertEqual(ExitStatus.of(StoreError.notFound("s")), 70)
        XCTAssertEqual(ExitStatus.of(StoreError.badImportLine(number: 3, reason: "odd")), 65)
        XCTAssertEqual(ExitStatus.of(MailboxError.notFound("m")), 66)
        XCTAssertEqual(ExitStatus.of(Unforeseen()), 1)
    }
}
