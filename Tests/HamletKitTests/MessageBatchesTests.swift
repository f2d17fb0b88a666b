import Foundation
import HamletTestSupport
import MailParser
import XCTest
@testable import HamletKit

final class MessageBatchesTests: XCTestCase {
    private struct Stop: Error {}

    private var corpus: [LabeledPath] {
        ["spam", "ham"].map {
            LabeledPath(path: TestSupport.sampleCorpus.appendingPathComponent($0).path, isSpam: $0 == "spam")
        }
    }

    func testBatchesArriveInInputOrderWhateverTheJobs() throws {
        var orders: [[String]] = []
        for jobs in [1, 2, 4] {
            var ids: [String] = []
            try MessageBatches.forEachAnalysed(corpus, jobs: jobs, batchSize: 7, analyse: { $0.message.id }) {
                batch, analyses in
                XCTAssertEqual(batch.map(\.message.id), analyses)
                ids += analyses
            }
            orders.append(ids)
        }
        XCTAssertEqual(orders[0].count, 132)
        XCTAssertEqual(orders[1], orders[0])
        XCTAssertEqual(orders[2], orders[0])
    }

    func testAConsumerErrorStopsEveryStageAndComesBack() {
        var batches = 0
        XCTAssertThrowsError(
            try MessageBatches.forEachAnalysed(corpus, jobs: 2, batchSize: 3, analyse: { $0.message.bytes.count }) {
                _, _ in
                batches += 1
                if batches == 2 { throw Stop() }
            }
        ) { XCTAssertTrue($0 is Stop) }
        XCTAssertEqual(batches, 2)
    }

    func testAReadErrorComesBackAfterTheWholeBatchesBeforeIt() {
        let paths = corpus + [LabeledPath(path: "/nonexistent/hamlet-test", isSpam: false)]
        var seen = 0
        XCTAssertThrowsError(
            try MessageBatches.forEachAnalysed(paths, jobs: 2, batchSize: 10, analyse: { $0.message.id }) { batch, _ in
                seen += batch.count
            }
        ) { XCTAssertTrue($0 is MailboxError, "\($0)") }
        XCTAssertEqual(seen, 130, "the 13 whole batches; the 2 messages of the batch being filled go with the error")
    }
}
