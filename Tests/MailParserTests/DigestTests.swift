import HamletTestSupport
import XCTest

@testable import MailParser

final class DigestTests: XCTestCase {
    func testSHA256KnownVectors() {
        XCTAssertEqual(SHA256.hex([UInt8]()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(
            SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(
            SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(
            SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// The SHA-extension shim and the portable code give the same digests for every length around the block and
    /// padding boundaries, fed whole or in uneven pieces; on a processor without the extensions both are portable.
    func testHardwareAndPortableDigestsAgree() {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        var bytes: [UInt8] = []
        for _ in 0..<1_200 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            bytes.append(UInt8(truncatingIfNeeded: seed >> 33))
        }
        func digest(_ input: ArraySlice<UInt8>, hardware: Bool, piece: Int) -> [UInt8] {
            var hasher = SHA256()
            hasher.usesHardware = hardware && SHA256.hardwareAvailable
            var start = input.startIndex
            while start < input.endIndex {
                let end = min(input.endIndex, start + piece)
                hasher.update(input[start..<end])
                start = end
            }
            return hasher.finalize()
        }
        for length in Array(0...200) + [447, 448, 511, 512, 513, 1_199] {
            let input = bytes[0..<length]
            let portable = digest(input, hardware: false, piece: .max)
            XCTAssertEqual(digest(input, hardware: true, piece: .max), portable, "length \(length)")
            XCTAssertEqual(digest(input, hardware: true, piece: 37), portable, "length \(length) in pieces")
        }
    }

    private let original = """
        Subject: hello
        From: a@example.org

        body text
        """

    func testDigestIgnoresLineEndingsFromLineAndDeliveryHeaders() {
        let rules = MessageDigest()
        let base = rules.digest(of: TestSupport.bytes(original))
        XCTAssertEqual(rules.digest(of: TestSupport.bytes(original, crlf: true)), base)
        XCTAssertEqual(
            rules.digest(of: TestSupport.bytes("From a@example.org Mon Oct  5 10:00:00 2026\n" + original)), base)
        let delivered = """
            Return-Path: <a@example.org>
            Delivered-To: me@example.net
            Subject: hello
            X-Spam-Flag: YES
            X-Spam-Status: Yes, score=0.990
             required=0.900
            From: a@example.org
            Status: RO
            X-Status: A
            Content-Length: 10
            X-Hamlet-Verdict: spam

            body text
            """
        XCTAssertEqual(rules.digest(of: TestSupport.bytes(delivered)), base)
    }

    func testDigestChangesWithContent() {
        let rules = MessageDigest()
        XCTAssertNotEqual(
            rules.digest(of: TestSupport.bytes(original)),
            rules.digest(of: TestSupport.bytes(original.replacingOccurrences(of: "body", with: "Body"))))
    }

    func testConfiguredSubjectTagIsIgnored() {
        let rules = MessageDigest(subjectTag: "[SPAM]")
        XCTAssertEqual(
            rules.digest(
                of: TestSupport.bytes(
                    original.replacingOccurrences(of: "Subject: hello", with: "Subject: [SPAM] hello"))),
            rules.digest(of: TestSupport.bytes(original)))
    }

    func testRawHeaderBlockFindsFieldsAndLineEnding() {
        let block = RawHeaderBlock(TestSupport.bytes("A: 1\n folded\nB: 2\n\nbody", crlf: true))
        XCTAssertEqual(block.fields.map(\.lowercasedName), ["a", "b"])
        XCTAssertEqual(block.lineEnding, [0x0D, 0x0A])
        XCTAssertTrue(block.hasSeparator)
    }
}
