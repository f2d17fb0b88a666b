import Foundation
import HamletTestSupport
import XCTest

@testable import SpamStore

/// What the store's maintenance, sampling and export promise, each checked against the stored rows.
final class StoreMaintenanceTests: XCTestCase {
    var folder: URL!
    var path: String { folder.appendingPathComponent("store.sqlite").path }

    override func setUpWithError() throws { folder = try TestSupport.temporaryDirectory("maintenance") }
    override func tearDown() { TestSupport.remove(folder) }

    /// A store of `spam` and `ham` examples, example k holding the tokens "common" (every example) and "only k"
    /// (just it), with a one-version linear model that has a weight for every token.
    private func store(spam: Int, ham: Int) throws -> SQLiteStore {
        let store = try SQLiteStore(path: path, create: true)
        try store.write {
            var deltas = DocumentCountDeltas()
            let common = try store.insertToken("common")
            for k in 0..<(spam + ham) {
                let own = try store.insertToken("only \(k)")
                _ = try store.putExample(
                    digest: Self.digest(k), messageID: nil, isSpam: k < spam, source: nil,
                    extractor: "fx", counts: [(common, 1), (own, 2)], deltas: &deltas)
            }
            try store.applyDocumentCounts(deltas)
            let largest = Int(try store.maxTokenID())
            _ = try store.insertModel(
                ModelHeader(
                    kind: "logreg", options: "", extractor: "fx", exampleCount: spam + ham, metrics: "",
                    fittedChanges: try store.exampleChanges()),
                rows: ModelRows(layout: .scalar, weights: (0...largest).map { Double($0) + 0.5 }, accumulators: []),
                parameters: [0, 0])
        }
        return store
    }

    /// A digest spread over the whole range, as SHA-256 digests are (the sampler relies on it).
    static func digest(_ k: Int) -> String {
        let value = UInt64(k + 1) &* 0x9E37_79B9_7F4A_7C15
        let hex = String(value, radix: 16)
        return String(repeating: String(repeating: "0", count: 16 - hex.count) + hex, count: 4)
    }

    func testExampleCountsStopAtTheirLimitButNotBefore() throws {
        let store = try store(spam: 3, ham: 2)
        XCTAssertTrue(try store.exampleCounts(upTo: (10, 10)) == (3, 2))
        XCTAssertTrue(try store.exampleCounts(upTo: (2, 1)) == (2, 1))
        XCTAssertTrue(try store.exampleCounts() == (3, 2))
    }

    func testASampleIsDistinctSeededAndLeavesOutWhatItIsToldTo() throws {
        let store = try store(spam: 20, ham: 20)
        let excluded = Set(try store.allExamples(extractor: "fx").prefix(5).map(\.digest))
        let sample = try store.sampleExamples(count: 10, seed: 42, excluding: excluded)
        XCTAssertEqual(sample.count, 10)
        XCTAssertEqual(Set(sample.map(\.digest)).count, 10, "distinct")
        XCTAssertTrue(Set(sample.map(\.digest)).isDisjoint(with: excluded))
        XCTAssertTrue(sample.allSatisfy { $0.counts.count == 2 }, "with their token counts")
        XCTAssertEqual(
            try store.sampleExamples(count: 10, seed: 42, excluding: excluded).map(\.digest),
            sample.map(\.digest), "the same seed, the same sample")
        XCTAssertNotEqual(
            try store.sampleExamples(count: 10, seed: 43, excluding: excluded).map(\.digest),
            sample.map(\.digest))
    }

    func testPruneTakesRareTokensOutOfTheVocabularyTheExamplesAndEveryModel() throws {
        let store = try store(spam: 3, ham: 3)
        let before = try store.vocabulary()
        let removed = try store.prune(minimumDocuments: 2, unseenForDays: nil, keepModels: 3)
        XCTAssertEqual(removed, 6, "every 'only k' token")
        let kept = try store.vocabulary()
        XCTAssertEqual(Set(kept.keys), ["common"])
        let gone = Set(before.values).subtracting(kept.values)
        let model = try XCTUnwrap(try store.currentModel())
        var rows: [Int32] = []
        try store.forEachModelRow(modelID: model.id) { id, _ in rows.append(id) }
        XCTAssertTrue(Set(rows).isDisjoint(with: gone), "no weight row of a deleted token: \(rows)")
        XCTAssertTrue(try store.allExamples(extractor: "fx").allSatisfy { $0.counts.map(\.0) == [kept["common"]!] })
        XCTAssertEqual(try store.check(extractor: "fx"), [])
    }

    func testCheckFindsCountsThatDisagreeWithTheExamplesAndForeignExtractors() throws {
        let store = try store(spam: 2, ham: 2)
        XCTAssertEqual(try store.check(extractor: "fx"), [])
        try store.database.execute("UPDATE tokens SET spam_count = spam_count + 1 WHERE token = 'common'")
        let problems = try store.check(extractor: "fx")
        XCTAssertTrue(problems.contains { $0.contains("document counts") }, "\(problems)")
        XCTAssertTrue(try store.check(extractor: "fx-2").contains { $0.contains("extracted by fx") })
    }

    func testExportPercentEncodesWhatWouldBreakALineAndImportReadsItBack() throws {
        let store = try SQLiteStore(path: path, create: true)
        let awkward = "a b\tc%d\ne"
        try store.write {
            var deltas = DocumentCountDeltas()
            let id = try store.insertToken(awkward)
            _ = try store.putExample(
                digest: String(repeating: "ab", count: 32), messageID: "<1@x>", isSpam: true, source: "in box",
                extractor: "fx", counts: [(id, 1)], deltas: &deltas)
            try store.applyDocumentCounts(deltas)
        }
        var lines: [String] = []
        try store.export { lines.append($0) }
        let example = try XCTUnwrap(lines.first { $0.hasPrefix("example\t") })
        XCTAssertTrue(example.hasSuffix("1:a%20b%09c%25d%0Ae"), example)
        XCTAssertTrue(example.contains("\tin%20box\t"), example)
        let copy = try SQLiteStore(path: folder.appendingPathComponent("copy.sqlite").path, create: true)
        try copy.write {
            var vocabulary: [String: Int32] = [:]
            var deltas = DocumentCountDeltas()
            for (number, line) in lines.enumerated() {
                _ = try copy.importLine(line, number: number + 1, vocabulary: &vocabulary, deltas: &deltas)
            }
            try copy.applyDocumentCounts(deltas)
        }
        XCTAssertEqual(try copy.vocabulary().keys.sorted(), [awkward])
    }
}
