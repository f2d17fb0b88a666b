import XCTest

@testable import Learning

final class MetricsTests: XCTestCase {
    func testROCAreaCountsTiesHalf() {
        let scored = [
            ScoredExample(isSpam: true, score: 3, verdict: .spam),
            ScoredExample(isSpam: true, score: 1, verdict: .unsure),
            ScoredExample(isSpam: false, score: 1, verdict: .unsure),
            ScoredExample(isSpam: false, score: -2, verdict: .ham)
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

extension MetricsTests {
    private func scored() -> [ScoredExample] {
        // 100 spam scored 1...100, 1,000 ham scored -999...0 except one ham at 50.5.
        var examples = (1...100).map {
            ScoredExample(isSpam: true, score: Double($0), verdict: $0 >= 50 ? .spam : .ham)
        }
        examples += (0..<999).map { ScoredExample(isSpam: false, score: -Double($0), verdict: .ham) }
        examples.append(ScoredExample(isSpam: false, score: 50.5, verdict: .spam))
        return examples
    }

    func testTRECOperatingPointsAsScoreMetricsComputesThem() {
        let metrics = EvaluationMetrics(scored())
        // 1% of spam (1 message) may get through: the threshold is spam's 2nd lowest score, 2; one ham is above it.
        XCTAssertEqual(metrics.hamMisclassifiedAtOnePercentSpamMissed, 0.1, accuracy: 1e-9)
        // 0.1% of ham (1 message) may be called spam: threshold at the 2nd highest ham, 0; no spam at or below it.
        XCTAssertEqual(metrics.spamMissedAtTenthPercentHamMisclassified, 0, accuracy: 1e-9)
        XCTAssertGreaterThan(metrics.logLoss, 0)
    }

    func testThresholdForATargetFalsePositiveRate() {
        let examples = scored()
        let threshold = EvaluationMetrics.threshold(forFalsePositiveRate: 0.001, examples)!
        let hamAbove = examples.filter { !$0.isSpam && $0.score >= threshold }.count
        XCTAssertLessThanOrEqual(hamAbove, 1)
        XCTAssertGreaterThan(threshold, 0)
        XCTAssertLessThanOrEqual(threshold, 50.5)
    }

    func testROCCurveRunsFromNothingToEverything() {
        let curve = EvaluationMetrics.rocCurve(scored())
        XCTAssertEqual(curve.first?.falsePositiveRate, 0)
        XCTAssertEqual(curve.first?.truePositiveRate, 0)
        XCTAssertEqual(curve.last?.falsePositiveRate, 1)
        XCTAssertEqual(curve.last?.truePositiveRate, 1)
        XCTAssertTrue(zip(curve, curve.dropFirst()).allSatisfy { $0.truePositiveRate <= $1.truePositiveRate })
    }
}
