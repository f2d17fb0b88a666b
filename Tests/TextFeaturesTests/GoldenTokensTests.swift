import HamletTestSupport
import TextFeatures
import XCTest

/// Pins the tokens of a few fixture messages to `FeatureExtractor.version`: a change to the tokens a message gives
/// must come with a version bump (stores refuse to mix two feature spaces only if the version says they differ).
/// After a deliberate change: bump the version, run this test, and put the hashes it prints under the new version.
final class GoldenTokensTests: XCTestCase {
    /// For each extractor version, each fixture's token-list hash (FNV-1a over "token\tcount\n" in sorted order).
    static let golden: [String: [String: String]] = [
        "hamlet-features-6": [
            "ham/ham-001.eml": "a9fadcd83c06345d",
            "ham/ham-019.eml": "11b486e5669b0e53",
            "ham/ham-050.eml": "f8e63ba5233d3ff7",
            "spam/spam-001.eml": "a01d8369f2060e3",
            "spam/spam-009.eml": "13bda2b43bb467b",
            "spam/spam-040.eml": "1e20b9b6f7d33101"
        ]
    ]

    static let fixtures = [
        "spam/spam-001.eml", "spam/spam-009.eml", "spam/spam-040.eml", "ham/ham-001.eml", "ham/ham-019.eml",
        "ham/ham-050.eml"
    ]

    static func hash(_ tokens: TokenBag) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for (token, count) in tokens.tokens.sorted(by: { $0.token.utf8.lexicographicallyPrecedes($1.token.utf8) }) {
            for byte in "\(token)\t\(count)\n".utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        return String(hash, radix: 16)
    }

    func testTokensMatchTheExtractorVersion() throws {
        let extractor = FeatureExtractor()
        var found: [String: String] = [:]
        for fixture in Self.fixtures {
            let bytes = Array(try Data(contentsOf: TestSupport.sampleCorpus.appendingPathComponent(fixture)))
            found[fixture] = Self.hash(extractor.tokens(of: bytes))
        }
        let printed = found.keys.sorted().map { "\"\($0)\": \"\(found[$0]!)\"" }.joined(separator: ", ")
        guard let expected = Self.golden[FeatureExtractor.version] else {
            return XCTFail("no golden tokens for \(FeatureExtractor.version): add [\(printed)]")
        }
        XCTAssertEqual(
            found, expected,
            "the tokens changed but FeatureExtractor.version (\(FeatureExtractor.version)) did not: bump it, then pin [\(printed)]"
        )
    }
}
