import HamletTestSupport
import XCTest

@testable import MailParser

final class HeaderParsingTests: XCTestCase {
    func testUnfoldsContinuationLinesAndLooksUpCaseInsensitively() {
        let message = MailMessage.parse(TestSupport.bytes("""
            Subject: a long
             subject line
            X-Custom: one
            x-custom: two

            body
            """))
        XCTAssertEqual(message.headers["SUBJECT"], "a long subject line")
        XCTAssertEqual(message.headers.all("X-CUSTOM").map(\.decodedValue), ["one", "two"])
        XCTAssertEqual(message.root.text, "body")
    }

    func testCRLFLineEndingsAndMboxFromLine() {
        let message = MailMessage.parse(TestSupport.bytes("""
            From someone@example.org Mon Oct  5 10:00:00 2026
            Subject: crlf
            From: a@example.org

            line one
            line two
            """, crlf: true))
        XCTAssertEqual(message.headers["subject"], "crlf")
        XCTAssertEqual(message.headers["from"], "a@example.org")
        XCTAssertEqual(message.root.text, "line one\r\nline two")
    }

    func testLineWithoutColonInsideHeadersIsSkipped() {
        let message = MailMessage.parse(TestSupport.bytes("""
            Subject: ok
            this line has no colon
            From: b@example.org

            text
            """))
        XCTAssertEqual(message.headers["from"], "b@example.org")
        XCTAssertEqual(message.root.text, "text")
    }

    func testMessageWithoutHeadersIsAllBody() {
        let message = MailMessage.parse(TestSupport.bytes("just some words\nand more"))
        XCTAssertTrue(message.headers.fields.isEmpty)
        XCTAssertEqual(message.root.text, "just some words\nand more")
    }

    func testEncodedWordsBAndQWithWhitespaceBetweenAdjacentWordsRemoved() {
        XCTAssertEqual(EncodedWords.decode(Array("=?UTF-8?B?SGVsbG8g?= =?utf-8?Q?w=C3=B6rld?=".utf8)[...]), "Hello wörld")
        XCTAssertEqual(EncodedWords.decode(Array("=?iso-8859-1?q?caf=E9_cr=E8me?= now".utf8)[...]), "café crème now")
        XCTAssertEqual(EncodedWords.decode(Array("Re: =?utf-8?b?w6k=?= x".utf8)[...]), "Re: é x")
    }

    func testMalformedEncodedWordStaysLiteral() {
        XCTAssertEqual(EncodedWords.decode(Array("=?utf-8?X?abc?= and =?broken".utf8)[...]), "=?utf-8?X?abc?= and =?broken")
    }

    func testEncodedWordWithLanguageSuffix() {
        XCTAssertEqual(EncodedWords.decode(Array("=?utf-8*en?Q?hi_there?=".utf8)[...]), "hi there")
    }

    func testParametersQuotedAndRFC2231Continuations() {
        let simple = HeaderParameters(Array("Text/HTML; charset=\"ISO-8859-1\"; format=flowed".utf8)[...])
        XCTAssertEqual(simple.value, "text/html")
        XCTAssertEqual(simple["charset"], "ISO-8859-1")
        XCTAssertEqual(simple["format"], "flowed")
        let continued = HeaderParameters(Array("attachment; filename*0*=utf-8''r%C3%A9sum; filename*1*=%C3%A9.pdf".utf8)[...])
        XCTAssertEqual(continued["filename"], "résumé.pdf")
    }
}
