import XCTest

@testable import HamletServer

final class SpamdRequestParserTests: XCTestCase {
    private func parse(_ text: String, closed: Bool = false) throws -> SpamdRequest? {
        try SpamdRequestParser.parse(Array(text.utf8), inputClosed: closed)
    }

    func testARequestIsCompleteWhenItsContentLengthHasArrived() throws {
        let message = "Subject: hi\r\n\r\nhello\r\n"
        let head = "CHECK SPAMC/1.5\r\nContent-length: \(message.utf8.count)\r\nUser: mail\r\n\r\n"
        XCTAssertNil(try parse(head + message.dropLast(3)))
        let request = try XCTUnwrap(try parse(head + message))
        XCTAssertEqual(request.verb, .check)
        XCTAssertTrue(request.version == (1, 5))
        XCTAssertEqual(request.headers["User"], "mail")
        XCTAssertEqual(request.body, Array(message.utf8))
        XCTAssertTrue(request.wantsContentLength)
    }

    func testWithoutALengthTheRequestEndsWhenTheClientClosesItsSide() throws {
        XCTAssertNil(try parse("PROCESS SPAMC/1.2\r\n\r\nSubject: x\r\n"))
        let request = try XCTUnwrap(try parse("PROCESS SPAMC/1.2\r\n\r\nSubject: x\r\n", closed: true))
        XCTAssertEqual(request.body, Array("Subject: x\r\n".utf8))
        XCTAssertFalse(request.wantsContentLength, "a 1.2 client (Exim) gets no Content-length")
        XCTAssertEqual(try parse("PING SPAMC/1.5\r\n\r\n")?.verb, .ping)
    }

    func testBadRequestsAreProtocolErrors() {
        for bad in [
            "HELLO SPAMC/1.5\r\n\r\n", "CHECK HTTP/1.1\r\n\r\n", "CHECK SPAMC/1.5\r\nno colon\r\n\r\n",
            "CHECK SPAMC/1.5\r\nContent-length: -4\r\n\r\n"
        ] {
            XCTAssertThrowsError(try parse(bad), bad)
        }
        XCTAssertThrowsError(try parse("CHECK SPAMC/1.5\r\nContent-length: 10\r\n\r\nshort", closed: true))
        XCTAssertThrowsError(try parse("CHECK SPAMC/1.5\r\n", closed: true))
    }

    func testContentLengthIsMatchedByItsExactName() throws {
        // spamd reads `Content-length` only; a request spelling it otherwise is read to the end of its input.
        XCTAssertNil(try parse("CHECK SPAMC/1.5\r\ncontent-length: 2\r\n\r\nab"))
    }
}
