import Foundation
import HamletTestSupport
import XCTest

@testable import MailParser

/// Parses a sample of the real SpamAssassin corpus (every 20th message; the release-built script covers all).
final class SpamAssassinCorpusTests: XCTestCase {
    func testSampleParsesAndYieldsText() throws {
        guard let corpus = TestSupport.spamAssassinCorpus else {
            throw XCTSkip("../shared/corpora/spamassassin is not present")
        }
        let files = TestSupport.sample(of: corpus, every: 20)
        XCTAssertGreaterThan(files.count, 250)
        for file in files {
            let bytes = Array(try Data(contentsOf: file))
            let message = MailMessage.parse(bytes)
            let text = message.root.leaves.map(\.text).joined()
            XCTAssertFalse(message.headers.fields.isEmpty, file.path)
            XCTAssertFalse(text.isEmpty && message.root.leaves.allSatisfy(\.isText), file.path)
        }
    }
}
