import HamletKit
import XCTest

/// The score on SpamAssassin's scale agrees with the verdict: 5.0 and up exactly for spam, at most 4.9 otherwise
/// (also for a store in training), one point per unit of log-odds, two digits before the point at most.
final class SpamAssassinScoreTests: XCTestCase {
    private func score(_ logit: Double, spam: Double = 0.73, inTraining: Bool = false) -> SpamAssassinScore {
        var verdicts = StoreVerdicts(fixed: Thresholds(spam: spam, ham: 0.5))
        verdicts.inTraining = inTraining
        return SpamAssassinScore(Classification(id: "m", logit: logit, verdicts: verdicts))
    }

    func testTheThresholdSitsAtFiveAndEachPointIsOneUnitOfLogOdds() {
        let atThreshold = log(0.73 / 0.27)
        XCTAssertEqual(score(atThreshold + 1e-9).text, "5.0")
        XCTAssertEqual(score(atThreshold + 3.05).text, "8.0")
        XCTAssertEqual(score(atThreshold - 6.3).text, "-1.3")
        XCTAssertEqual(SpamAssassinScore.requiredText, "5.0")
    }

    func testTheShownScoreNeverContradictsTheVerdict() {
        let atThreshold = log(0.73 / 0.27)
        XCTAssertEqual(score(atThreshold - 0.001).text, "4.9", "rounded down, not up to 5.0")
        XCTAssertEqual(score(atThreshold + 2, inTraining: true).text, "4.9", "nothing is spam in training")
        for logit in stride(from: -8.0, through: 8.0, by: 0.013) {
            let value = score(logit)
            let isSpam =
                Classification(id: "m", logit: logit, thresholds: Thresholds(spam: 0.73, ham: 0.5)).verdict
                == .spam
            XCTAssertEqual(value.value >= SpamAssassinScore.required, isSpam, "logit \(logit)")
        }
    }

    func testScoresStopAtTwoDigitsAndStarsFollowWholePoints() {
        XCTAssertEqual(score(500).text, "99.9")
        XCTAssertEqual(score(-500).text, "-99.9")
        XCTAssertEqual(score(log(0.73 / 0.27) + 2.5).stars, "*******")
        XCTAssertEqual(score(-5).stars, "")
        XCTAssertEqual(score(500).stars.count, 50)
    }
}
