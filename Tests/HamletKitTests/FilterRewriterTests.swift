import Foundation
import HamletTestSupport
import MailParser
import XCTest

@testable import HamletKit

final class FilterRewriterTests: XCTestCase {
    private let fields: [(name: String, value: String)] = [
        ("X-Spam-Flag", "NO"), ("X-Spam-Status", "No, score=0.100 required=0.900")
    ]

    func testHeadersGoAtTheEndOfTheHeaderBlockAndEverythingElseIsKept() {
        let input = TestSupport.bytes(
            "From a@b Mon Oct  5 10:00:00 2026\nSubject: hi\nX-Spam-Flag: YES\nX-Spam-Status: Yes,\n score=1\nTo: c@d\n\nbody\n\nmore\n"
        )
        let output = FilterRewriter.rewrite(input, adding: fields)
        XCTAssertEqual(
            String(decoding: output, as: UTF8.self),
            "From a@b Mon Oct  5 10:00:00 2026\nSubject: hi\nTo: c@d\nX-Spam-Flag: NO\nX-Spam-Status: No, score=0.100 required=0.900\n\nbody\n\nmore\n"
        )
    }

    func testCRLFMessagesGetCRLFHeaders() {
        let input = TestSupport.bytes("Subject: hi\n\nbody\n", crlf: true)
        let output = FilterRewriter.rewrite(input, adding: fields)
        XCTAssertEqual(
            String(decoding: output, as: UTF8.self),
            "Subject: hi\r\nX-Spam-Flag: NO\r\nX-Spam-Status: No, score=0.100 required=0.900\r\n\r\nbody\r\n")
    }

    func testHeaderOnlyMessageWithoutFinalNewline() {
        let output = FilterRewriter.rewrite(TestSupport.bytes("Subject: only"), adding: [("X-Spam-Flag", "NO")])
        XCTAssertEqual(String(decoding: output, as: UTF8.self), "Subject: only\nX-Spam-Flag: NO\n")
    }

    /// A last header line ending in a bare CR (`…\r\r\n\n`) hid Hamlet's fields from readers
    /// that split on LF, which read the CR and the next field as one line.
    func testFieldsAfterABareCRStartALineForLFReaders() {
        let input = TestSupport.bytes("Subject: hi\nContent-Transfer-Encoding: quoted-printable\r\r\n\nbody\n")
        let output = String(decoding: FilterRewriter.rewrite(input, adding: [("X-Spam-Flag", "YES")]), as: UTF8.self)
        XCTAssertEqual(
            output, "Subject: hi\nContent-Transfer-Encoding: quoted-printable\r\nX-Spam-Flag: YES\n\r\n\nbody\n")
        XCTAssertTrue(
            Array(output.utf8).split(separator: 0x0A).contains { $0.starts(with: Array("X-Spam-Flag: YES".utf8)) })
    }

    /// A message whose lines all end in a bare CR: Hamlet's fields end in CRLF, so CR and LF readers both see them.
    func testCROnlyMessageGetsFieldsOnLinesOfTheirOwn() {
        let input = TestSupport.bytes("Subject: hi\rTo: a@b\r\rbody\r")
        let output = String(decoding: FilterRewriter.rewrite(input, adding: [("X-Spam-Flag", "YES")]), as: UTF8.self)
        XCTAssertEqual(output, "Subject: hi\rTo: a@b\r\nX-Spam-Flag: YES\r\n\rbody\r")
    }

    /// The one change "unchanged" allows is a line ending after a last header line that had none.
    func testOnlyAddedLineEndingIsAfterAnUnterminatedLastHeaderLine() {
        for (input, expected) in [
            ("Subject: hi", "Subject: hi\nX-Spam-Flag: NO\n"),
            ("Subject: hi\r\nTo: x", "Subject: hi\r\nTo: x\r\nX-Spam-Flag: NO\r\n"),
            ("Subject: hi\n", "Subject: hi\nX-Spam-Flag: NO\n")
        ] {
            XCTAssertEqual(
                String(
                    decoding: FilterRewriter.rewrite(TestSupport.bytes(input), adding: [("X-Spam-Flag", "NO")]),
                    as: UTF8.self), expected)
        }
    }

    func testValuesCannotInjectLineBreaks() {
        let output = FilterRewriter.rewrite(
            TestSupport.bytes("Subject: x\n\nb"), adding: [("X-Hamlet-Verdict", "spam\r\nBcc: evil@example.org")])
        XCTAssertEqual(
            String(decoding: output, as: UTF8.self), "Subject: x\nX-Hamlet-Verdict: spam  Bcc: evil@example.org\n\nb")
    }

    func testFilteredMessageKeepsItsDigest() {
        let input = TestSupport.bytes("Return-Path: <a@b>\nSubject: hi\nX-Spam-Flag: YES\n\nbody\n", crlf: true)
        let output = FilterRewriter.rewrite(input, adding: fields)
        XCTAssertEqual(MessageDigest().digest(of: output), MessageDigest().digest(of: input))
    }
}

/// Inputs that once broke Hamlet, found by fuzzing (Fuzz/crashes/), kept as regression tests.
final class FuzzRegressionTests: XCTestCase {
    /// crash-dff26cad581e5a4c0f6b26d7a110ef5a038fdcff (FuzzFilterPath): a message whose first line starts with
    /// white space, so it continues no field. `filter` dropped that line: the message lost bytes.
    func testLeadingWhiteSpaceLineIsKept() throws {
        let input = Array(
            try XCTUnwrap(
                Data(
                    base64Encoded:
                        "IEbGj29tIkVsZWH/AAAAAAAAAEZuoqKioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKiog=="
                )))
        let output = FilterRewriter.rewrite(input, adding: [("X-Spam-Flag", "NO")])
        XCTAssertEqual(Array(output.prefix(input.count)), input)
        XCTAssertEqual(String(decoding: output.suffix(from: input.count), as: UTF8.self), "\nX-Spam-Flag: NO\n")
        let simpler = TestSupport.bytes(" leading space line\nSubject: x\n\nbody\n")
        XCTAssertEqual(
            String(decoding: FilterRewriter.rewrite(simpler, adding: [("X-Spam-Flag", "NO")]), as: UTF8.self),
            " leading space line\nSubject: x\nX-Spam-Flag: NO\n\nbody\n")
    }
}
