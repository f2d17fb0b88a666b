import HamletTestSupport
import XCTest

@testable import MailParser

final class MIMETests: XCTestCase {
    func testNestedMultipartWithBase64AndQuotedPrintable() {
        let message = MailMessage.parse(
            TestSupport.bytes(
                """
                Content-Type: multipart/mixed; boundary="outer"

                preamble
                --outer
                Content-Type: multipart/alternative; boundary=inner

                --inner
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: quoted-printable

                caf=C3=A9 is=20
                soft=
                broken
                --inner
                Content-Type: text/html; charset=utf-8
                Content-Transfer-Encoding: base64

                PHA+SGVsbG8gPGI+d29ybGQ8L2I+PC9wPg==
                --inner--
                --outer
                Content-Type: application/pdf; name="report.pdf"
                Content-Disposition: attachment; filename="report.pdf"
                Content-Transfer-Encoding: base64

                JVBERi0xLjQK
                --outer--
                epilogue
                """))
        let leaves = message.root.leaves
        XCTAssertEqual(leaves.map(\.contentType), ["text/plain", "text/html", "application/pdf"])
        XCTAssertEqual(leaves[0].text, "café is \nsoftbroken")
        XCTAssertEqual(leaves[1].text, "<p>Hello <b>world</b></p>")
        XCTAssertEqual(leaves[2].filename, "report.pdf")
        XCTAssertEqual(leaves[2].body, Array("%PDF-1.4\n".utf8))
    }

    func testMissingClosingBoundaryKeepsLastPart() {
        let message = MailMessage.parse(
            TestSupport.bytes(
                """
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: text/plain

                first
                --b
                Content-Type: text/plain

                second and last
                """))
        XCTAssertEqual(message.root.leaves.map(\.text), ["first", "second and last"])
    }

    func testMultipartWithoutAnyDelimiterDegradesToText() {
        let message = MailMessage.parse(
            TestSupport.bytes(
                """
                Content-Type: multipart/mixed; boundary=never

                the body has no delimiter at all
                """))
        XCTAssertEqual(message.root.leaves.map(\.text), ["the body has no delimiter at all"])
    }

    func testEnclosedMessageIsParsedRecursively() {
        let message = MailMessage.parse(
            TestSupport.bytes(
                """
                Content-Type: multipart/mixed; boundary=x

                --x
                Content-Type: message/rfc822

                Subject: inner
                Content-Type: text/plain

                forwarded text
                --x--
                """))
        let inner = message.root.children[0].children[0]
        XCTAssertEqual(inner.headers["subject"], "inner")
        XCTAssertEqual(message.root.leaves.map(\.text), ["forwarded text"])
    }

    func testDepthLimitStopsNesting() {
        var text = ""
        for depth in 0..<50 { text += "Content-Type: multipart/mixed; boundary=b\(depth)\n\n--b\(depth)\n" }
        text += "Content-Type: text/plain\n\ndeep\n"
        let message = MailMessage.parse(TestSupport.bytes(text), limits: ParseLimits(maxDepth: 10))
        XCTAssertEqual(message.root.leaves.count, 1)
        XCTAssertTrue(message.root.leaves[0].text.contains("deep"))
    }

    func testBase64NoiseAndMissingPadding() {
        XCTAssertEqual(TransferDecoding.base64(Array("aGVs\nbG8*gd29y bGQ".utf8)), Array("hello world".utf8))
    }

    func testQuotedPrintableBadEscapeKeptLiterally() {
        XCTAssertEqual(TransferDecoding.quotedPrintable(Array("a=ZZb =41".utf8)), Array("a=ZZb A".utf8))
    }

    func testCharsetsConvertToUTF8() {
        XCTAssertEqual(Charset.decode([0x63, 0x61, 0x66, 0xE9], charset: "iso-8859-1"), "café")
        XCTAssertEqual(Charset.decode([0x80, 0x31, 0x30], charset: "windows-1252"), "€10")
        XCTAssertEqual(Charset.decode([0xA4, 0x31], charset: "iso-8859-15"), "€1")
        XCTAssertEqual(Charset.decode([0xF0, 0xD2, 0xC9], charset: "koi8-r"), "При")
        XCTAssertEqual(Charset.decode(Array("plain".utf8), charset: "us-ascii"), "plain")
    }

    func testUnknownCharsetDegradesToBestEffortText() {
        XCTAssertEqual(Charset.decode(Array("naïve".utf8), charset: "x-no-such-charset"), "naïve")
        XCTAssertEqual(Charset.decode([0x6E, 0x61, 0xEF, 0x76, 0x65], charset: "x-no-such-charset"), "naïve")
    }

    func testInvalidBytesBecomeReplacementCharacterNotLostText() {
        let text = Charset.decode([0x61, 0xFF, 0x62], charset: "utf-8")
        XCTAssertEqual(text, "a\u{FFFD}b")
    }
}
