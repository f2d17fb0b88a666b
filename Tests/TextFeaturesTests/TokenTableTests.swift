import XCTest
@testable import TextFeatures

final class TokenTableTests: XCTestCase {
    func testKeysKeepTheirInsertionNumbersThroughGrowth() {
        var table = TokenTable(capacity: 4)
        let keys = (0..<5_000).map { "token-\($0 * 7919 % 5_000)" } + ["", "ü", "x"]
        for (k, key) in keys.enumerated() {
            let (index, inserted) = table.insert(key)
            XCTAssertTrue(inserted, key)
            XCTAssertEqual(index, k)
        }
        XCTAssertEqual(table.count, keys.count)
        for (k, key) in keys.enumerated() {
            XCTAssertEqual(table.index(of: key), k, key)
            XCTAssertEqual(table.key(k), key)
            XCTAssertEqual(table.insert(key).inserted, false)
        }
        XCTAssertNil(table.index(of: "token-5000"))
        XCTAssertNil(table.index(of: "tok"))
    }

    func testSortedByBytesIsTheOrderOfTheUTF8Bytes() {
        var table = TokenTable()
        let keys = ["subject:free", "free", "fre", "über", "zebra", "", "free!", "Free"]
        for key in keys { table.insert(key) }
        let sorted = table.sortedByBytes().map { table.key($0) }
        XCTAssertEqual(sorted, keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }

    func testVocabularyAndBagLookUpTheSameBytesAsStrings() {
        var vocabulary = Vocabulary()
        vocabulary.set("free", id: 7)
        vocabulary.set("free", id: 9)
        XCTAssertEqual(vocabulary["free"], 9)
        XCTAssertEqual(vocabulary.count, 1)
        var bag = TokenBag()
        bag.add("free")
        bag.add("free", count: 2)
        bag.add("cash")
        XCTAssertEqual(bag.count(of: "free"), 3)
        XCTAssertEqual(bag.tokens.map(\.token), ["free", "cash"], "first-seen order")
        var seen: [Int32?] = []
        bag.forEach { token, _ in seen.append(vocabulary[utf8: token]) }
        XCTAssertEqual(seen, [9, nil])
        XCTAssertEqual(bag, TokenBag(counts: ["cash": 1, "free": 3]))
    }
}
