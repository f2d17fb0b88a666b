import SpamStore
import XCTest

@testable import HamletKit

/// Every branch of the learning policy, on made-up store states.
final class LearningPolicyTests: XCTestCase {
    private func model(fitChanges: Int64, changes: Int64) -> ModelInfo {
        ModelInfo(
            id: 7, kind: "logreg", options: "", extractor: "x", parameters: [0, 0], exampleCount: 0,
            metrics: "", createdAt: 0, updatedAt: 0, fitChanges: fitChanges, changes: changes)
    }

    let policy = LearningPolicy(refitAlwaysUpTo: 100, refitShare: 0.02)

    func testNoModelOrAskedForRefits() {
        XCTAssertEqual(policy.decide(model: nil, storeChanges: 5, changedNow: 5, stored: 5).action, .refit)
        XCTAssertEqual(
            policy.decide(
                model: model(fitChanges: 10, changes: 10), storeChanges: 11, changedNow: 1, stored: 5_000,
                forcedRefit: "asked"
            ).action, .refit)
    }

    func testAStaleModelIsRefittedEvenWhenNothingChangedNow() {
        // A fit killed after its examples were committed: the model reflects 10 changes, the store holds 12.
        let decision = policy.decide(
            model: model(fitChanges: 10, changes: 10), storeChanges: 12, changedNow: 0, stored: 5_000)
        XCTAssertEqual(decision.action, .refit)
        XCTAssertTrue(decision.reason.contains("stale"), decision.reason)
    }

    func testNothingChangedLearnsNothing() {
        XCTAssertEqual(
            policy.decide(model: model(fitChanges: 10, changes: 10), storeChanges: 10, changedNow: 0, stored: 5_000)
                .action,
            .nothing)
        XCTAssertEqual(policy.decide(model: nil, storeChanges: 0, changedNow: 0, stored: 0).action, .nothing)
    }

    func testSmallStoresRefitAndLargeOnesUpdateInPlaceUntilTheShare() {
        XCTAssertEqual(
            policy.decide(model: model(fitChanges: 0, changes: 0), storeChanges: 1, changedNow: 1, stored: 100).action,
            .refit)
        // 2% of 5,000 is 100 changes since the last full fit.
        XCTAssertEqual(
            policy.decide(model: model(fitChanges: 0, changes: 98), storeChanges: 99, changedNow: 1, stored: 5_000)
                .action,
            .updateInPlace)
        XCTAssertEqual(
            policy.decide(model: model(fitChanges: 0, changes: 99), storeChanges: 100, changedNow: 1, stored: 5_000)
                .action,
            .refit)
        XCTAssertEqual(
            policy.decide(model: model(fitChanges: 0, changes: 0), storeChanges: 100, changedNow: 100, stored: 5_000)
                .action,
            .refit)
        XCTAssertEqual(
            policy.decide(
                model: model(fitChanges: 0, changes: 0), storeChanges: 3, changedNow: 3, stored: 5_000,
                canUpdateInPlace: false
            ).action, .refit)
    }

    func testRelabelsAreCorrectedInPlacePastTheShareButSmallStoresStillRefit() {
        XCTAssertEqual(
            policy.decide(
                model: model(fitChanges: 0, changes: 150), storeChanges: 151, changedNow: 1, stored: 5_000,
                correctingLabels: true
            ).action, .updateInPlace)
        XCTAssertEqual(
            policy.decide(
                model: model(fitChanges: 0, changes: 0), storeChanges: 1, changedNow: 1, stored: 100,
                correctingLabels: true
            ).action, .refit)
        XCTAssertEqual(
            policy.decide(
                model: model(fitChanges: 0, changes: 0), storeChanges: 2, changedNow: 1, stored: 5_000,
                correctingLabels: true
            ).action, .refit, "stale")
    }
}
