import HamletTestSupport
import XCTest

@testable import MailParser

/// Handcrafted messages that break naive parsers, each with the text and structure Hamlet must get out of it.
/// (More edge cases live in HeaderParsingTests, MIMETests, MailboxTests and DigestTests.)
final class EdgeCaseMessagesTests: XCTestCase {
    private func parse(_ text: String, crlf: Bool = false) -> MailMessage {
        MailMessage.parse(TestSupport.bytes(text, crlf: crlf))
    }

    /// A message whose single text/plain body is `body` (bytes), with the given header lines.
    private func message(headers: String, body: [UInt8]) -> MailMessage {
        MailMessage.parse(Array((headers + "\n\n").utf8) + body)
    }

    private func texts(_ message: MailMessage) -> [String] { message.root.leaves.filter(\.isText).map(\.text) }

    // MARK: Headers

    func testFoldedHeaderWithTabsAndRepeatedFields() {
        let m = parse("Received: from a\n\tby b\nReceived: from c\nSubject: one\n\ttwo\n\nx")
        XCTAssertEqual(m.headers.all("received").count, 2)
        XCTAssertEqual(m.headers["received"], "from a\tby b")
        XCTAssertEqual(m.headers["subject"], "one\ttwo")
    }

    func testStray8BitBytesInHeadersDecodeAsUTF8ThenWindows1252() {
        let utf8 = MailMessage.parse(Array("Subject: caf".utf8) + [0xC3, 0xA9] + Array("\n\nx".utf8))
        XCTAssertEqual(utf8.headers["subject"], "café")
        let latin = MailMessage.parse(Array("Subject: caf".utf8) + [0xE9] + Array("\n\nx".utf8))
        XCTAssertEqual(latin.headers["subject"], "café")
    }

    func testEncodedDisplayNameInAddress() {
        let m = parse("From: =?utf-8?B?w4lsb2RpZQ==?= <Elodie@Example.FR>\n\nx")
        let address = Address.list(m.headers["from"]!)
        XCTAssertEqual(address, [Address(displayName: "Élodie", email: "elodie@example.fr")])
        XCTAssertEqual(address.first?.domain, "example.fr")
    }

    func testAddressListsWithGroupsQuotedCommasAndComments() {
        let list = Address.list(
            "\"Doe, Jane\" <jane@a.example>, team: bob@b.example, carol@c.example (Carol C);, d@d.example")
        XCTAssertEqual(list.map(\.email), ["jane@a.example", "bob@b.example", "carol@c.example", "d@d.example"])
        XCTAssertEqual(list[0].displayName, "Doe, Jane")
        XCTAssertEqual(list[2].displayName, "Carol C")
    }

    func testRFC2231PlainContinuations() {
        let parameters = HeaderParameters(
            Array("attachment; filename*0=\"long file \"; filename*1=\"name.txt\"".utf8)[...])
        XCTAssertEqual(parameters["filename"], "long file name.txt")
    }

    func testBlankLineInsideTheHeaderBlockFromABrokenMailer() {
        let m = parse(
            "Subject: =?utf-8?Q?hello?=\n\n =?utf-8?Q?_world?=\nContent-Type: text/plain; charset=utf-8\n\nthe body")
        XCTAssertEqual(m.headers["content-type"], "text/plain; charset=utf-8")
        XCTAssertEqual(texts(m), ["the body"])
    }

    // MARK: MIME structure

    func testSignedMultipartKeepsTextAndSignature() {
        let m = parse(
            """
            Content-Type: multipart/signed; protocol="application/pgp-signature"; boundary=sig

            --sig
            Content-Type: text/plain

            signed words
            --sig
            Content-Type: application/pgp-signature

            -----BEGIN PGP SIGNATURE-----
            iD8DBQE9
            -----END PGP SIGNATURE-----
            --sig--
            """)
        XCTAssertEqual(m.root.leaves.map(\.contentType), ["text/plain", "application/pgp-signature"])
        XCTAssertEqual(texts(m), ["signed words"])
    }

    func testReportWithDeliveryStatusAndReturnedHeaders() {
        let m = parse(
            """
            Content-Type: multipart/report; report-type=delivery-status; boundary=r

            --r
            Content-Type: text/plain

            Your message could not be delivered.
            --r
            Content-Type: message/delivery-status

            Status: 5.1.1
            --r
            Content-Type: text/rfc822-headers

            Subject: the lost message
            From: me@example.org
            --r--
            """)
        XCTAssertEqual(
            m.root.children.map(\.contentType), ["text/plain", "message/delivery-status", "text/rfc822-headers"])
        XCTAssertEqual(m.root.children[2].children.first?.headers["subject"], "the lost message")
    }

    func testPreambleAndEpilogueAreNotText() {
        let m = parse(
            """
            Content-Type: multipart/mixed; boundary=b

            This is a multi-part message in MIME format.
            --b
            Content-Type: text/plain

            inside
            --b--
            trailing epilogue
            """)
        XCTAssertEqual(texts(m), ["inside"])
    }

    func testBoundaryWithQuotesAndOddCharacters() {
        let m = parse(
            """
            Content-Type: multipart/alternative; boundary="=_(odd)+chars'?,./:=x"

            --=_(odd)+chars'?,./:=x
            Content-Type: text/plain

            odd boundary works
            --=_(odd)+chars'?,./:=x--
            """)
        XCTAssertEqual(texts(m), ["odd boundary works"])
    }

    func testMultipartWithoutBoundaryParameterIsText() {
        let m = parse("Content-Type: multipart/mixed\n\nno boundary at all")
        XCTAssertEqual(texts(m), ["no boundary at all"])
    }

    func testUndeclaredMultipartBodyIsReadAsMultipart() {
        let m = parse(
            """
            Subject: no content type

            This is a MIME message

            ------=_NextPart_000
            Content-Type: text/plain; charset="iso-8859-1"
            Content-Transfer-Encoding: quoted-printable

            caf=E9 au lait
            ------=_NextPart_000--
            """)
        XCTAssertEqual(texts(m), ["café au lait"])
    }

    func testAttachmentMetadata() {
        let m = parse(
            """
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain

            see the invoice
            --b
            Content-Type: application/pdf; name="invoice.pdf"
            Content-Disposition: attachment; filename="invoice.pdf"
            Content-Transfer-Encoding: base64

            JVBERi0xLjQKJcfsj6IK
            --b--
            """)
        let attachment = m.root.leaves[1]
        XCTAssertTrue(attachment.isAttachment)
        XCTAssertEqual(attachment.contentType, "application/pdf")
        XCTAssertEqual(attachment.filename, "invoice.pdf")
        XCTAssertEqual(attachment.body.count, 15)
        XCTAssertFalse(m.root.leaves[0].isAttachment)
    }

    // MARK: Transfer encodings

    func testEightBitAndBinaryBodies() {
        let latin = message(
            headers: "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit",
            body: [0x6E, 0x61, 0xEF, 0x76, 0x65])
        XCTAssertEqual(texts(latin), ["naïve"])
        let binary = message(
            headers: "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: binary",
            body: Array("ok\u{0}fine".utf8))
        XCTAssertEqual(texts(binary), ["ok\u{0}fine"])
    }

    func testUuencodedBody() {
        let m = parse(
            """
            Content-Type: text/plain
            Content-Transfer-Encoding: x-uuencode

            begin 644 hello.txt
            ,:&5L;&\\@=V]R;&0*
            `
            end
            """)
        XCTAssertEqual(texts(m), ["hello world\n"])
    }

    func testQuotedPrintableDeclaredSevenBitIsDecoded() {
        let m = parse(
            "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 7bit\n\nline one is=\n long=20and=\n caf=E9=\n ok=2E"
        )
        XCTAssertEqual(texts(m), ["line one is long and café ok."])
    }

    func testBase64WithCRLFAndTrailingGarbage() {
        let m = parse("Content-Transfer-Encoding: base64\n\naGVsbG8g\nd29ybGQ=\n-- \nsig", crlf: true)
        XCTAssertEqual(texts(m), ["hello world"])
    }

    // MARK: Charsets

    private func decoded(_ bytes: [UInt8], charset: String) -> String {
        texts(
            message(
                headers: "Content-Type: text/plain; charset=\(charset)\nContent-Transfer-Encoding: 8bit", body: bytes)
        ).first ?? ""
    }

    func testCJKCharsetsAndTheirMailNames() {
        XCTAssertEqual(decoded([0xD6, 0xD0, 0xCE, 0xC4], charset: "gb2312"), "中文")
        XCTAssertEqual(decoded([0xD6, 0xD0, 0xCE, 0xC4], charset: "GBK"), "中文")
        XCTAssertEqual(decoded([0xA4, 0xA4, 0xA4, 0xE5], charset: "big5"), "中文")
        XCTAssertEqual(decoded([0xA4, 0xA4, 0xA4, 0xE5], charset: "chinesebig5"), "中文")
        XCTAssertEqual(decoded([0xC7, 0xD1, 0xB1, 0xB9], charset: "ks_c_5601-1987"), "한국")
        XCTAssertEqual(decoded([0x93, 0xFA, 0x96, 0x7B], charset: "x-sjis"), "日本")
        XCTAssertEqual(
            decoded([0x1B, 0x24, 0x42, 0x46, 0x7C, 0x4B, 0x5C, 0x1B, 0x28, 0x42], charset: "iso-2022-jp"), "日本")
    }

    func testCyrillicAndOtherCharsets() {
        XCTAssertEqual(decoded([0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2], charset: "windows-1251"), "Привет")
        XCTAssertEqual(decoded([0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4], charset: "koi8-r"), "Привет")
        XCTAssertEqual(decoded([0xA7], charset: "koi8-u"), "ї")
        XCTAssertEqual(decoded(Array("+AKM-1".utf8), charset: "utf-7"), "£1")
        XCTAssertEqual(decoded([0x80, 0x20, 0x93, 0x71, 0x94], charset: "windows-1252"), "€ “q”")
    }

    func testUndeclared8BitTextTriesUTF8ThenWindows1252() {
        XCTAssertEqual(decoded(Array("ünïcödé".utf8), charset: "\"\""), "ünïcödé")
        XCTAssertEqual(texts(message(headers: "Subject: x", body: Array("ünïcödé".utf8))), ["ünïcödé"])
        XCTAssertEqual(texts(message(headers: "Subject: x", body: [0x93, 0x71, 0x94, 0x20, 0xE9])), ["“q” é"])
    }

    func testHTMLMetaCharsetIsHonouredWhenMIMESaysNothing() {
        let html =
            Array(
                "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\"></head><body>"
                    .utf8)
            + [0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2] + Array("</body></html>".utf8)
        let m = message(headers: "Content-Type: text/html", body: html)
        XCTAssertEqual(m.root.effectiveCharset, "windows-1251")
        XCTAssertTrue(m.root.text.contains("Привет"))
        XCTAssertEqual(Charset.htmlMetaCharset(Array("<meta charset=\"utf-8\">".utf8)), "utf-8")
        XCTAssertNil(Charset.htmlMetaCharset(Array("<p>charset=koi8-r is a word here</p>".utf8)))
    }

    func testNonsenseCharsetNamesNeverDropThePart() {
        XCTAssertEqual(decoded(Array("plain words".utf8), charset: "x-garbage-42"), "plain words")
        XCTAssertEqual(decoded([0x63, 0x61, 0x66, 0xE9], charset: "DEFAULT_CHARSET"), "café")
        XCTAssertEqual(decoded([0x63, 0x61, 0x66, 0xE9], charset: "\"\""), "café")
    }

    // MARK: Line endings and odd bytes

    func testBareCRLineEndings() {
        let m = MailMessage.parse(Array("Subject: mac\rFrom: a@b\r\rline1\rline2".utf8))
        XCTAssertEqual(m.headers["subject"], "mac")
        XCTAssertEqual(m.headers["from"], "a@b")
        XCTAssertEqual(texts(m), ["line1\rline2"])
    }

    func testMixedLineEndings() {
        let m = MailMessage.parse(Array("Subject: mixed\r\nFrom: a@b\n\r\nbody".utf8))
        XCTAssertEqual(m.headers["from"], "a@b")
        XCTAssertEqual(texts(m), ["body"])
    }

    func testNULBytesDoNotEndTheMessage() {
        let m = MailMessage.parse(Array("Subject: nul\0here\n\nbefore\0after".utf8))
        XCTAssertEqual(m.headers["subject"], "nul\0here")
        XCTAssertEqual(texts(m), ["before\0after"])
    }

    func testEmptyAndHeaderOnlyMessages() {
        XCTAssertEqual(MailMessage.parse([]).root.leaves.count, 1)
        let headersOnly = parse("Subject: only headers\nFrom: a@b")
        XCTAssertEqual(headersOnly.headers["subject"], "only headers")
        XCTAssertEqual(texts(headersOnly), [""])
    }

    func testMHFolderReadsNumberedMessagesAndSkipsItsSequenceFile() throws {
        let folder = try TestSupport.temporaryDirectory("mh")
        defer { TestSupport.remove(folder) }
        for (name, text) in [("1", "Subject: one\n\na"), ("2", "Subject: two\n\nb"), (".mh_sequences", "unseen: 1-2\n")]
        {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        var subjects: [String] = []
        try Mailbox.read(folder.path) { subjects.append(MailMessage.parse($0.bytes).headers["subject"] ?? "") }
        XCTAssertEqual(subjects, ["one", "two"])
    }
}
