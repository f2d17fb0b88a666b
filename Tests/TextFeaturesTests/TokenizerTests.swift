import XCTest

@testable import TextFeatures

final class TokenizerTests: XCTestCase {
    private func tokens(_ text: String, prefix: String = "") -> [String: Int] {
        var bag = TokenBag()
        var urls: [String] = []
        Tokenizer().addWords(of: text, prefix: prefix, to: &bag, urls: &urls)
        return bag.counts
    }

    func testCaseFoldedWordsWithCounts() {
        XCTAssertEqual(tokens("Free FREE free money!"), ["free": 3, "money": 1])
    }

    func testApostrophesHyphensAndPricesStayWhole() {
        let t = tokens("Don't miss our e-mail offer: $27.500.000 now, v1.2.")
        XCTAssertEqual(t["don't"], 1)
        XCTAssertEqual(t["e-mail"], 1)
        XCTAssertEqual(t["$27.500.000"], 1)
        XCTAssertEqual(t["v1.2"], 1)
        XCTAssertNil(t["now,"])
    }

    func testSingleCharactersDroppedAndLongRunsBecomeMarkers() {
        let t = tokens("a " + String(repeating: "x", count: 55))
        XCTAssertNil(t["a"])
        XCTAssertEqual(t["skip:x50"], 1)
    }

    func testUnicodeWordsAreCaseFolded() {
        let t = tokens("ÉTÉ Straße ПРИВЕТ мир")
        XCTAssertEqual(t["été"], 1)
        XCTAssertEqual(t["strasse"], 1)
        XCTAssertEqual(t["привет"], 1)
        XCTAssertEqual(t["мир"], 1)
        // Folding, not just lower-casing: every casing of a word is one token.
        XCTAssertEqual(tokens("Straße STRASSE strasse"), ["strasse": 3])
        XCTAssertEqual(tokens("ΣΊΣΥΦΟΣ σίσυφος"), ["σίσυφοσ": 2])
        XCTAssertEqual(tokens("ﬁne FINE"), ["fine": 2])
        XCTAssertEqual(tokens("Ꭰꭰ ꭰꭰ"), ["ꭰꭰ": 2])  // Cherokee: capitals fold too
    }

    func testPrefixIsApplied() {
        XCTAssertEqual(tokens("Hello World", prefix: "subject:"), ["subject:hello": 1, "subject:world": 1])
    }

    func testURLsInTextAreCollectedNotTokenizedAsWords() {
        var bag = TokenBag()
        var urls: [String] = []
        Tokenizer().addWords(
            of: "visit http://www.Example.com/path?x=1 or www.other.org today", prefix: "", to: &bag, urls: &urls)
        XCTAssertEqual(urls, ["http://www.Example.com/path?x=1", "www.other.org"])
        XCTAssertEqual(bag.counts, ["visit": 1, "or": 1, "today": 1])
    }

    func testURLTokensHostAndRegisteredDomain() {
        var bag = TokenBag()
        URLTokens.add("http://user@Shop.Example.co.uk:8080/buy", to: &bag)
        URLTokens.add("https://10.0.0.1/login", to: &bag)
        URLTokens.add("mailto:someone@example.org", to: &bag)
        XCTAssertEqual(bag.counts, ["url:shop.example.co.uk": 1, "url:dom:example.co.uk": 1, "url:ip": 1])
    }
}

extension TokenizerTests {
    func testCJKRunsBecomeCharacterPairs() {
        let t = tokens("无需处方 hello 日")
        XCTAssertEqual(t["cjk:无需"], 1)
        XCTAssertEqual(t["cjk:需处"], 1)
        XCTAssertEqual(t["cjk:处方"], 1)
        XCTAssertEqual(t["cjk:日"], 1, "a lone CJK character is kept as itself")
        XCTAssertEqual(t["hello"], 1)
        XCTAssertNil(t["无需处方"])
    }

    func testWordPairsWhenAskedFor() {
        var tokenizer = Tokenizer()
        tokenizer.wordPairs = true
        var bag = TokenBag()
        var urls: [String] = []
        tokenizer.addWords(of: "click here now", prefix: "", to: &bag, urls: &urls)
        XCTAssertEqual(bag.counts["pair:click+here"], 1)
        XCTAssertEqual(bag.counts["pair:here+now"], 1)
        XCTAssertEqual(bag.counts["click"], 1)
    }

    func testURLPathTokens() {
        var bag = TokenBag()
        URLTokens.add("https://shop.example.com/cheap/viagra-online?id=7", to: &bag, hosts: false, paths: true)
        XCTAssertEqual(
            bag.counts, ["url:scheme:https": 1, "url:path:cheap": 1, "url:path:viagra": 1, "url:path:online": 1])
    }

    func testFeatureFamiliesRoundTripThroughTheirList() {
        var families = FeatureFamilies()
        XCTAssertEqual(families.list, "headers,urls,hidden,cjk,shapes")
        families.pairs = true
        families.headers = false
        XCTAssertEqual(FeatureFamilies(list: families.list), families)
        XCTAssertNil(FeatureFamilies(list: "headers,bogus"))
        XCTAssertEqual(FeatureFamilies(list: "none")?.list, "")
    }

    func testRegisteredDomainOnBytesAgreesWithTheStringVersion() {
        let hosts = [
            "example.com", "www.example.com", "a.b.example.com", "shop.example.co.uk", "example.co.uk",
            "co.uk", "x.y.z.com.au", "localhost", "a.b", "mail.example.org", "1.2.example.de", "www.bbc.co.uk"
        ]
        for host in hosts {
            let bytes = Array(host.utf8)
            let expected = URLTokens.registeredDomain(host)
            let start = URLTokens.registeredDomainStart(bytes)
            XCTAssertEqual(start.map { String(decoding: bytes[$0...], as: UTF8.self) } ?? host, expected, host)
        }
    }

    func testRegisteredDomainKeepsItsMeaningOnOddHosts() {
        // The rule as it was written on Strings (split on dots dropping empty labels, two-character last label by
        // characters), against the byte version, on hosts with empty labels, one label, and non-ASCII labels.
        func reference(_ host: String) -> String {
            let labels = host.split(separator: ".")
            guard labels.count > 2 else { return host }
            let generic: Set<Substring> = ["co", "com", "net", "org", "ac", "gov", "edu", "ne", "or", "go"]
            let take = labels[labels.count - 1].count == 2 && generic.contains(labels[labels.count - 2]) ? 3 : 2
            return labels.suffix(take).joined(separator: ".")
        }
        let hosts = [
            "a..example.com", "example..com", ".example.com.", "x.co.uk.", "x.ne.jp", "deep.x.or.kr",
            "x.com", "", ".", "..", "a.b.c", "shop.例え.co.日本", "x.y.中国", "a.gov.br", "news.bbc.co.uk",
            "x.y.cox.uk", "x.y.c.uk", "mail.example.edu.au"
        ]
        for host in hosts { XCTAssertEqual(URLTokens.registeredDomain(host), reference(host), host) }
    }

    func testShapeTokensMarkCapitalsAndExclamationMarks() {
        var tokenizer = Tokenizer()
        tokenizer.shapeTokens = true
        var bag = TokenBag()
        var urls: [String] = []
        tokenizer.addWords(of: "Get FREE cash NOW!!! Really, OK? Yes!", prefix: "", to: &bag, urls: &urls)
        let counts = bag.counts
        XCTAssertEqual(counts["shape:caps"], 2, "FREE and NOW; not OK (two letters) nor Get (mixed case)")
        XCTAssertEqual(counts["shape:!!"], 1)
        XCTAssertEqual(counts["shape:!"], 1)
        XCTAssertEqual(counts["free"], 1, "the word itself is still counted")
        tokenizer.shapeTokens = false
        var plain = TokenBag()
        tokenizer.addWords(of: "FREE!!!", prefix: "subject:", to: &plain, urls: &urls)
        XCTAssertEqual(plain.counts, ["subject:free": 1])
    }
}
