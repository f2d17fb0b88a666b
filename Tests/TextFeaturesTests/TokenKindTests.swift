import XCTest

@testable import TextFeatures

/// Words of the text and signs about the message are told apart by their namespace.
final class TokenKindTests: XCTestCase {
    func testTextTokensAreWordsAndNamespacedTokensAreSigns() {
        for word in ["money", "$27.500.000", "don't", "cjk:中文", "pair:click+here", "skip:a40", "straße"] {
            XCTAssertEqual(TokenKind.of(word), .word, word)
        }
        for sign in [
            "subject:free", "from:name:bob", "from:domain:example.com", "url:dom:example.com", "attach:ext:zip",
            "hidden:viagra", "hidden:cjk:中文", "shape:caps", "subject:skip:a40", "limit:tokens", "charset:gb2312",
            "cjkx:ab", "pai:x", ":x"
        ] {
            XCTAssertEqual(TokenKind.of(sign), .sign, sign)
        }
    }

    func testEveryTokenAMessageYieldsHasTheKindOfItsSource() {
        let message = Array(
            """
            From: Bob <bob@example.com>\r
            Subject: Hello there\r
            Content-Type: text/plain\r
            \r
            Plain words and a link http://example.com/x and SHOUTING here!\r

            """.utf8)
        let bag = FeatureExtractor().tokens(of: message)
        XCTAssertEqual(TokenKind.of("plain"), .word)
        XCTAssertTrue(bag.tokens.contains { $0.token == "plain" })
        for (token, _) in bag.tokens {
            let fromText = ["plain", "words", "and", "link", "shouting", "here"].contains(token)
            XCTAssertEqual(TokenKind.of(token), fromText ? .word : .sign, token)
        }
    }
}
