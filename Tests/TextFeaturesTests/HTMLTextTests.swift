import XCTest

@testable import TextFeatures

final class HTMLTextTests: XCTestCase {
    func testVisibleTextWithoutScriptStyleOrComments() {
        let content = HTMLText.extract(
            """
            <html><head><title>T</title><style>p { color: red }</style><script>var hidden = "secret";</script></head>
            <body><p>Hello <b>wor</b>ld</p><!-- a comment --><div>second&nbsp;block &amp; more</div></body></html>
            """)
        XCTAssertTrue(content.text.contains("Hello world"), content.text)
        XCTAssertTrue(content.text.contains("second\u{00A0}block & more"), content.text)
        XCTAssertFalse(content.text.contains("secret"))
        XCTAssertFalse(content.text.contains("color"))
        XCTAssertFalse(content.text.contains("comment"))
    }

    func testLinkTargetsAndAltTextAreKept() {
        let content = HTMLText.extract(
            """
            <a href="http://example.com/buy">click</a><img src="http://img.example.net/x.gif" alt="BUY NOW">
            <form action="https://collect.example.org/post"></form>
            """)
        XCTAssertEqual(
            content.urls, ["http://example.com/buy", "http://img.example.net/x.gif", "https://collect.example.org/post"]
        )
        XCTAssertTrue(content.text.contains("BUY NOW"))
        XCTAssertTrue(content.text.contains("click"))
    }

    func testBlockElementsSeparateWords() {
        let content = HTMLText.extract("<p>one</p><p>two</p>three<br>four")
        let words = content.text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        XCTAssertEqual(words, ["one", "two", "three", "four"])
    }

    func testBrokenHTMLIsRecovered() {
        let content = HTMLText.extract("<p>unclosed <b>bold <i>text</p><div>after")
        XCTAssertTrue(content.text.contains("unclosed bold text"), content.text)
        XCTAssertTrue(content.text.contains("after"))
    }

    func testExternalEntitiesAreNotLoaded() {
        let content = HTMLText.extract(
            """
            <!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><html><body>before &xxe; after</body></html>
            """)
        XCTAssertFalse(content.text.contains("root:"))
        XCTAssertTrue(content.text.contains("after"))
    }

    func testDeepNestingDoesNotOverflowTheStack() {
        let html = String(repeating: "<div>", count: 20_000) + "deep" + String(repeating: "</div>", count: 20_000)
        XCTAssertTrue(HTMLText.extract(html).text.contains("deep"))
    }
}

extension HTMLTextTests {
    func testHiddenTextIsKeptApart() {
        let content = HTMLText.extract(
            """
            <body bgcolor="#FFFFFF"><p>visible words</p>
            <div style="display: none">secret one</div>
            <span style="visibility:hidden">secret two</span>
            <font color="white">secret three</font>
            <p style="font-size:1px">secret four</p>
            <p style="color:#123456;background-color:#123456">secret five</p>
            <p>shown again</p></body>
            """)
        XCTAssertTrue(content.text.contains("visible words"))
        XCTAssertTrue(content.text.contains("shown again"))
        for n in ["one", "two", "three", "four", "five"] {
            XCTAssertFalse(content.text.contains("secret \(n)"), content.text)
            XCTAssertTrue(content.hiddenText.contains("secret \(n)"), content.hiddenText)
        }
    }
}
