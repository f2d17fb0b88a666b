import HamletTestSupport
import XCTest

@testable import MailParser

final class HeaderParsingTests: XCTestCase {
    func testUnfoldsContinuationLinesAndLooksUpCaseInsensitively() {
        let message = MailMessage.parse(
            TestSupport.bytes(
                """
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

    func testRaw8BitHeadersAreReadInTheCharsetTheTextDeclares() {
        func message(subject: [UInt8], charset: String?) -> MailMessage {
            var bytes = Array("Subject: ".utf8) + subject + Array("\n".utf8)
            if let charset { bytes += Array("Content-Type: text/plain; charset=\"\(charset)\"\n".utf8) }
            bytes += Array("\nbody\n".utf8)
            return MailMessage.parse(bytes)
        }
        let gb2312: [UInt8] = [0xD6, 0xD0, 0xCE, 0xC4]  // 中文
        XCTAssertEqual(message(subject: gb2312, charset: "GB2312").decodedHeader("subject"), "中文")
        XCTAssertEqual(message(subject: gb2312, charset: "GB2312").textCharset, "GB2312")
        // No charset declared (or only ASCII / UTF-8): windows-1252, as before.
        XCTAssertEqual(message(subject: gb2312, charset: nil).decodedHeader("subject"), "ÖÐÎÄ")
        XCTAssertEqual(message(subject: gb2312, charset: "us-ascii").decodedHeader("subject"), "ÖÐÎÄ")
        // Valid UTF-8 stays UTF-8 whatever the text declares; encoded words keep their own charset.
        XCTAssertEqual(message(subject: Array("中文".utf8), charset: "GB2312").decodedHeader("subject"), "中文")
        XCTAssertEqual(
            message(subject: Array("=?utf-8?B?5Lit5paH?= ".utf8) + gb2312, charset: "GB2312").decodedHeader("subject"),
            "中文 中文")
        // The plain decoded value keeps its old reading.
        XCTAssertEqual(message(subject: gb2312, charset: "GB2312").headers["subject"], "ÖÐÎÄ")
    }

    func testCRLFLineEndingsAndMboxFromLine() {
        let message = MailMessage.parse(
            TestSupport.bytes(
                """
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
        let message = MailMessage.parse(
            TestSupport.bytes(
                """
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
        XCTAssertEqual(
            EncodedWords.decode(Array("=?UTF-8?B?SGVsbG8g?= =?utf-8?Q?w=C3=B6rld?=".utf8)[...]), "Hello wörld")
        XCTAssertEqual(EncodedWords.decode(Array("=?iso-8859-1?q?caf=E9_cr=E8me?= now".utf8)[...]), "café crème now")
        XCTAssertEqual(EncodedWords.decode(Array("Re: =?utf-8?b?w6k=?= x".utf8)[...]), "Re: é x")
    }

    func testMalformedEncodedWordStaysLiteral() {
        XCTAssertEqual(
            EncodedWords.decode(Array("=?utf-8?X?abc?= and =?broken".utf8)[...]), "=?utf-8?X?abc?= and =?broken")
    }

    func testEncodedWordWithLanguageSuffix() {
        XCTAssertEqual(EncodedWords.decode(Array("=?utf-8*en?Q?hi_there?=".utf8)[...]), "hi there")
    }

    func testParametersQuotedAndRFC2231Continuations() {
        let simple = HeaderParameters(Array("Text/HTML; charset=\"ISO-8859-1\"; format=flowed".utf8)[...])
        XCTAssertEqual(simple.value, "text/html")
        XCTAssertEqual(simple["charset"], "ISO-8859-1")
        XCTAssertEqual(simple["format"], "flowed")
        let continued = HeaderParameters(
            Array("attachment; filename*0*=utf-8''r%C3%A9sum; filename*1*=%C3%A9.pdf".utf8)[...])
        XCTAssertEqual(continued["filename"], "résumé.pdf")
    }
}
