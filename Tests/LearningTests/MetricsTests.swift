import XCTest

@testable import Learning

final class MetricsTests: XCTestCase {
    func testROCAreaCountsTiesHalf() {
        let scored = [
            ScoredExample(isSpam: true, score: 3, verdict: .spam),
            ScoredExample(isSpam: true, score: 1, verdict: .unsure),
            ScoredExample(isSpam: false, score: 1, verdict: .unsure),
            ScoredExample(isSpam: false, score: -2, verdict: .ham),
        ]
        // Pairs: (3,1) win, (3,-2) win, (1,1) tie, (1,-2) win → 3.5 / 4.
        XCTAssertEqual(EvaluationMetrics.rocArea(scored), 0.875, accuracy: 1e-12)
        let metrics = EvaluationMetrics(scored)
        XCTAssertEqual(metrics.oneMinusROCAPercent, 12.5, accuracy: 1e-9)
        XCTAssertEqual(metrics.truePositives, 1)
        XCTAssertEqual(metrics.falseNegatives, 1)
        XCTAssertEqual(metrics.falsePositives, 0)
        XCTAssertEqual(metrics.unsure, 2)
        XCTAssertEqual(metrics.accuracy, 0.75)
        XCTAssertEqual(metrics.precision, 1)
        XCTAssertEqual(metrics.recall, 0.5)
    }

    func testShuffleIsStableAcrossRuns() {
        var a = SeededRandom(seed: 5), b = SeededRandom(seed: 5)
        var x = Array(0..<50), y = Array(0..<50)
        a.shuffle(&x)
        b.shuffle(&y)
        XCTAssertEqual(x, y)
        XCTAssertNotEqual(x, Array(0..<50))
    }
}
