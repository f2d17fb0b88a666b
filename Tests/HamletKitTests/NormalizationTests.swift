import HamletTestSupport
import Learning
import SpamStore
import TextFeatures
import XCTest

@testable import HamletKit

/// Feature vectors are scaled the same way whichever path builds them: from a message's tokens (scoring) or from
/// stored counts (fitting, incremental learning, relabelling).
final class NormalizationTests: XCTestCase {
    private func bag(_ counts: [String: Int]) -> TokenBag {
        var bag = TokenBag()
        for (token, count) in counts { for _ in 0..<count { bag.add(token) } }
        return bag
    }

    private func settings(_ normalization: Normalization, _ transform: CountTransform = .count) -> FeatureSettings {
        var settings = FeatureSettings()
        settings.normalization = normalization
        settings.transform = transform
        return settings
    }

    func testSplitScalesWordsAndSignsEachToUnitLength() {
        let vocabulary = Vocabulary(["money": 0, "now": 1, "subject:win": 2, "url:dom:example.com": 3])
        let tokens = bag(["money": 3, "now": 4, "subject:win": 1, "url:dom:example.com": 1])
        let split = settings(.split).vector(bag: tokens, vocabulary: vocabulary)
        XCTAssertEqual(split.indices, [0, 1, 2, 3])
        XCTAssertEqual(split.values[0], 0.6, accuracy: 1e-12)
        XCTAssertEqual(split.values[1], 0.8, accuracy: 1e-12)
        XCTAssertEqual(split.values[2], 1 / 2.0.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(split.values[3], 1 / 2.0.squareRoot(), accuracy: 1e-12)
        let whole = settings(.whole).vector(bag: tokens, vocabulary: vocabulary)
        XCTAssertEqual(whole.values[0], 3 / 27.0.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(whole.values[2], 1 / 27.0.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(settings(.none).vector(bag: tokens, vocabulary: vocabulary).values, [3, 4, 1, 1])
    }

    func testTheScalingExplainShowsIsTheOneTheVectorUses() {
        let tokens = bag(["money": 3, "now": 4, "subject:win": 1, "url:dom:example.com": 1])
        let split = settings(.split).scaling(of: tokens)
        XCTAssertEqual(split.words, 2)
        XCTAssertEqual(split.signs, 2)
        XCTAssertEqual(split.wordScale, 0.2, accuracy: 1e-12)
        XCTAssertEqual(split.signScale, 1 / 2.0.squareRoot(), accuracy: 1e-12)
        let whole = settings(.whole).scaling(of: tokens)
        XCTAssertEqual(whole.wordScale, 1 / 27.0.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(whole.signScale, whole.wordScale)
        XCTAssertEqual(settings(.none).scaling(of: tokens).wordScale, 1)
    }

    func testTokensTheVocabularyLacksStillCountInTheirGroupsLength() {
        let vocabulary = Vocabulary(["money": 0, "subject:win": 1])
        let tokens = bag(["money": 3, "unknown": 4, "subject:win": 1])
        let split = settings(.split).vector(bag: tokens, vocabulary: vocabulary)
        XCTAssertEqual(split.values[0], 0.6, accuracy: 1e-12)
        XCTAssertEqual(split.values[1], 1, accuracy: 1e-12)
    }

    func testStoredCountsGiveTheSameBitsAsTheMessagesTokens() {
        let tokens = bag([
            "money": 3, "now": 1, "cjk:中文": 2, "from:domain:example.com": 1, "shape:caps": 5, "hidden:free": 2
        ])
        var dictionary: [String: Int32] = [:]
        for (k, entry) in tokens.tokens.sorted(by: { $0.token < $1.token }).enumerated() {
            dictionary[entry.token] = Int32(k)
        }
        let vocabulary = Vocabulary(dictionary)
        let stored = tokens.tokens.map { (dictionary[$0.token]!, $0.count) }
        let signs = Set(dictionary.filter { TokenKind.of($0.key) == .sign }.map(\.value))
        for normalization in Normalization.allCases {
            let fromTokens = settings(normalization, .log).vector(bag: tokens, vocabulary: vocabulary)
            let fromCounts = settings(normalization, .log).vector(counts: stored.reversed(), isSign: signs.contains)
            XCTAssertEqual(fromTokens.indices, fromCounts.indices, "\(normalization)")
            XCTAssertEqual(fromTokens.values, fromCounts.values, "\(normalization)")
        }
    }

    func testModelsRecordedBeforeSplitKeepTheirScaling() {
        XCTAssertEqual(ModelOptions(serialized: "model=logreg normalize=true").features.normalization, .whole)
        XCTAssertEqual(ModelOptions(serialized: "model=logreg normalize=false").features.normalization, .none)
        XCTAssertEqual(ModelOptions(serialized: "model=logreg normalize=split").features.normalization, .split)
        XCTAssertTrue(ModelOptions().serialized.contains("normalize=split"))
    }

    func testTheStoreTellsWhichTokenIDsAreSigns() throws {
        let folder = try TestSupport.temporaryDirectory("normalization")
        defer { TestSupport.remove(folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("hamlet.sqlite").path, create: true)
        let ids = try store.write {
            try ["money", "subject:win", "cjk:中文", "url:dom:example.com"].map { try store.insertToken($0) }
        }
        let signs = try store.read { try store.tokenIDs(ids + [9999], where: { TokenKind.of($0) == .sign }) }
        XCTAssertEqual(signs, [ids[1], ids[3]])
    }
}
