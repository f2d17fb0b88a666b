import HamletTestSupport
import MailParser
import XCTest

@testable import TextFeatures

final class FeatureExtractorTests: XCTestCase {
    func testHeaderTaggedTokensBodyWordsAndLinks() {
        let bag = FeatureExtractor().tokens(
            of: TestSupport.bytes(
                """
                From: "Prize Team" <Winner@Promo.Example.biz>
                Subject: =?utf-8?Q?You_WON?=
                Content-Type: multipart/alternative; boundary=b

                --b
                Content-Type: text/plain

                Claim your prize at http://claim.example.biz/now
                --b
                Content-Type: text/html

                <p>Claim <a href="http://claim.example.biz/now">here</a></p>
                --b--
                """))
        let t = bag.counts
        XCTAssertEqual(t["subject:you"], 1)
        XCTAssertEqual(t["subject:won"], 1)
        XCTAssertEqual(t["from:addr:winner@promo.example.biz"], 1)
        XCTAssertEqual(t["from:domain:promo.example.biz"], 1)
        XCTAssertEqual(t["from:name:prize"], 1)
        XCTAssertEqual(t["claim"], 2)
        XCTAssertEqual(t["url:claim.example.biz"], 2)
        XCTAssertEqual(t["url:dom:example.biz"], 2)
        XCTAssertEqual(t["content-type:multipart/alternative"], 1)
    }

    func testReturnPathAndMessageIDAreComparedWithTheSender() {
        func tokens(_ headers: String) -> [String: Int] {
            FeatureExtractor().tokens(of: TestSupport.bytes(headers + "\n\nhello\n")).counts
        }
        let same = tokens(
            "Return-Path: <News@Shop.Example.co.uk>\nFrom: Shop <news@shop.example.co.uk>\nMessage-ID: <1@mail.example.co.uk>"
        )
        XCTAssertEqual(same["return-path:domain:example.co.uk"], 1)
        XCTAssertEqual(same["return-path:same-as-from"], 1)
        XCTAssertEqual(same["message-id:domain:example.co.uk"], 1)
        XCTAssertEqual(same["message-id:same-domain-as-from"], 1)

        let list = tokens(
            "Return-Path: <list-admin@lists.example.org>\nFrom: ann@example.org\nMessage-ID: <x@laptop.example.net>")
        XCTAssertEqual(list["return-path:domain:example.org"], 1)
        XCTAssertEqual(list["return-path:same-domain-as-from"], 1)
        XCTAssertEqual(list["message-id:domain-differs"], 1)

        let forged = tokens("Return-Path: <x7731@freemail.example>\nFrom: Bank <service@bank.example>")
        XCTAssertEqual(forged["return-path:differs"], 1)
        XCTAssertEqual(tokens("Return-Path: <>\nFrom: MAILER-DAEMON@example.org")["return-path:empty"], 1)
        XCTAssertEqual(tokens("Return-Path: nobody\nFrom: a@example.org")["return-path:malformed"], 1)
        XCTAssertFalse(tokens("From: a@example.org").keys.contains { $0.hasPrefix("return-path:") })
    }

    func testAttachmentsYieldTypeAndExtensionTokens() {
        let bag = FeatureExtractor().tokens(
            of: TestSupport.bytes(
                """
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: text/plain

                see attached
                --b
                Content-Type: application/octet-stream; name="setup.EXE"
                Content-Transfer-Encoding: base64

                TVqQAAMAAAAEAAAA
                --b--
                """))
        XCTAssertEqual(bag.counts["attach:type:application/octet-stream"], 1)
        XCTAssertEqual(bag.counts["attach:ext:exe"], 1)
        XCTAssertEqual(bag.counts["attached"], 1)
    }

    func testAddressForms() {
        XCTAssertEqual(Address("\"Ann B\" <ann@example.org>"), Address(displayName: "Ann B", email: "ann@example.org"))
        XCTAssertEqual(Address("ann@example.org (Ann)"), Address(displayName: "Ann", email: "ann@example.org"))
        XCTAssertEqual(Address("ANN@example.org").email, "ann@example.org")
        XCTAssertNil(Address("undisclosed-recipients:;").email)
        // The last angle pair wins; quotes and white space come off the name, white space off the address.
        XCTAssertEqual(
            Address(" 'Bob <x>' < Bob@Example.ORG >\r\n"), Address(displayName: "Bob <x>", email: "bob@example.org"))
        // Non-ASCII is lower-cased as Unicode; names keep their case.
        XCTAssertEqual(Address("Émile <ÉMILE@Exemple.FR>"), Address(displayName: "Émile", email: "émile@exemple.fr"))
        XCTAssertEqual(Address("<>"), Address(displayName: nil, email: nil))
        XCTAssertEqual(Address("no address here"), Address(displayName: "no address here", email: nil))
        XCTAssertEqual(Address("not an address (Comment)"), Address(displayName: "Comment", email: nil))
        XCTAssertEqual(Address("   "), Address(displayName: nil, email: nil))
    }
}
