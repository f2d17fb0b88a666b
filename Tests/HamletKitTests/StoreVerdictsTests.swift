import HamletKit
import Learning
import XCTest

final class StoreVerdictsTests: XCTestCase {
    func testAYoungStoreAsksForOddsInProportionToTheHamItLacks() {
        let standard = Thresholds.standard
        let odds = { (p: Double) in p / (1 - p) }
        for ham in [1, 10, 66, 100, 1_000, 1_199] {
            let young = standard.forStore(hamExamples: ham)
            let lacking = 1_200 / Double(ham)
            XCTAssertEqual(
                odds(young.spam), odds(standard.spam) * lacking * lacking.squareRoot(),
                accuracy: 1e-6 * odds(young.spam))
            XCTAssertEqual(young.ham, standard.ham)
        }
        XCTAssertEqual(standard.forStore(hamExamples: 1_200), standard)
        XCTAssertEqual(standard.forStore(hamExamples: 100_000), standard)
        var off = standard
        off.youngStoreHam = 0
        XCTAssertEqual(off.forStore(hamExamples: 20), off)
        XCTAssertEqual(off.examplesCounted.ham, StoreVerdicts.minimumExamplesPerLabel)
        XCTAssertEqual(standard.examplesCounted.spam, StoreVerdicts.minimumExamplesPerLabel)
        XCTAssertEqual(standard.examplesCounted.ham, 1_200)
    }

    func testAStoreInTrainingCallsNothingSpamAndAYoungOneNeedsMore() {
        let training = StoreVerdicts(.standard, spamExamples: 9, hamExamples: 500)
        XCTAssertTrue(training.inTraining)
        XCTAssertEqual(training.verdict(probability: 0.999_999), .unsure)
        XCTAssertEqual(training.verdict(probability: 0.1), .ham)
        let young = StoreVerdicts(.standard, spamExamples: 50, hamExamples: 100)
        XCTAssertFalse(young.inTraining)
        XCTAssertEqual(young.verdict(probability: 0.99), .unsure)
        XCTAssertEqual(young.verdict(probability: 0.995), .spam)
        let mature = StoreVerdicts(.standard, spamExamples: 50, hamExamples: 3_000)
        XCTAssertEqual(mature.verdict(probability: 0.75), .spam)
        let classified = Classification(id: "m", logit: 2.5, verdicts: young)
        XCTAssertEqual(classified.verdict, .unsure)
        XCTAssertEqual(classified.spamThreshold, young.thresholds.spam)
    }
}
