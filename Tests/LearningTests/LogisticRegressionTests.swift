import XCTest

@testable import Learning

final class LogisticRegressionTests: XCTestCase {
    /// A small random problem with overlapping classes.
    private func problem(seed: UInt64, count: Int = 60, features: Int = 12) -> [LabeledExample] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { i in
            var pairs: [(Int32, Double)] = []
            for j in 0..<features where random.below(3) == 0 {
                pairs.append((Int32(j), Double(random.below(100)) / 50))
            }
            return LabeledExample(features: SparseVector(pairs: pairs), isSpam: i % 2 == 0)
        }
    }

    /// The production fit (mini-batch AdaGrad over the two-thread packed rows, ham weighted) ends where the
    /// objective it minimises is flat: its finite-difference gradient there is close to zero, on one thread and two.
    func testTheProductionFitEndsWhereTheObjectiveIsFlat() {
        let examples = problem(seed: 7)
        var options = TrainingOptions()
        options.featureWeighting = .none
        // One batch of every example: no sampling noise, so the fit can settle on the optimum.
        options.batchSize = examples.count
        options.epochs = 3_000
        options.l2 = 0.01
        options.hamWeight = 4
        options.minimumDocumentFrequency = 1
        func objective(_ model: LogisticRegression) -> Double {
            var loss = 0.0
            for example in examples {
                let z = model.logit(example.features)
                loss += (example.isSpam ? 1 : options.hamWeight) * (softplus(z) - example.target * z)
            }
            return loss / Double(examples.count) + model.weights.reduce(0) { $0 + $1 * $1 } * options.l2 / 2
        }
        let h = 1e-6
        for jobs in [1, 2] {
            let (model, _, _) = LogisticRegressionTrainer.fit(examples, featureCount: 12, options: options, jobs: jobs)
            XCTAssertTrue(model.weights.contains { abs($0) > 0.1 }, "the fit learned something")
            for j in 0..<12 {
                var plus = model, minus = model
                plus.weights[j] += h
                minus.weights[j] -= h
                XCTAssertEqual((objective(plus) - objective(minus)) / (2 * h), 0, accuracy: 1e-4, "weight \(j)")
            }
            var plus = model, minus = model
            plus.bias += h
            minus.bias -= h
            XCTAssertEqual((objective(plus) - objective(minus)) / (2 * h), 0, accuracy: 1e-4, "bias")
        }
    }

    private func separable() -> [LabeledExample] {
        (0..<40).map { i in
            let spam = i % 2 == 0
            return LabeledExample(features: SparseVector(indices: [spam ? 0 : 1, 2], values: [1, 0.5]), isSpam: spam)
        }
    }

    func testLossDecreasesAndSeparableSetIsLearned() {
        for optimizer in Optimizer.allCases {
            var options = TrainingOptions()
            options.optimizer = optimizer
            options.epochs = 15
            let (model, _, report) = LogisticRegressionTrainer.fit(separable(), featureCount: 3, options: options)
            XCTAssertEqual(report.lossPerEpoch.count, 15)
            XCTAssertLessThan(report.lossPerEpoch.last!, report.lossPerEpoch.first!, "\(optimizer)")
            for example in separable() {
                XCTAssertEqual(model.probability(example.features) > 0.5, example.isSpam, "\(optimizer)")
            }
        }
    }

    func testFitIsDeterministicForASeed() {
        let examples = problem(seed: 11, count: 200)
        var options = TrainingOptions()
        options.seed = 42
        let a = LogisticRegressionTrainer.fit(examples, featureCount: 12, options: options).model
        let b = LogisticRegressionTrainer.fit(examples, featureCount: 12, options: options).model
        XCTAssertEqual(a, b)
        options.seed = 43
        XCTAssertNotEqual(LogisticRegressionTrainer.fit(examples, featureCount: 12, options: options).model, a)
    }

    func testIncrementalLearningMovesTheScoreTowardTheLabel() {
        var model = LogisticRegression()
        var state = AdaptiveState()
        let example = LabeledExample(features: SparseVector(indices: [3, 9], values: [0.6, 0.8]), isSpam: true)
        let before = model.probability(example.features)
        LogisticRegressionTrainer.learn(example, into: &model, state: &state, options: TrainingOptions())
        XCTAssertGreaterThan(model.probability(example.features), before)
        XCTAssertEqual(model.weights.count, 10)
        XCTAssertEqual(model.weights[0], 0)
    }

    func testSigmoidIsStableAtExtremes() {
        XCTAssertEqual(sigmoid(1000), 1)
        XCTAssertEqual(sigmoid(-1000), 0)
        XCTAssertEqual(sigmoid(0), 0.5)
        XCTAssertEqual(softplus(1000), 1000)
    }

    func testCountTransforms() {
        XCTAssertEqual(CountTransform.count.apply(3), 3)
        XCTAssertEqual(CountTransform.count.squaredNorm(ofCounts: [3, 4]), 25)
        XCTAssertEqual(CountTransform.log.apply(1), log(2), accuracy: 1e-15)
        XCTAssertEqual(CountTransform.binary.apply(5), 1)
        XCTAssertEqual(CountTransform.log.apply(0), 0)
    }

    func testLogCountRatiosFollowTheLabels() {
        // Token 0 only in spam, 1 only in ham, 2 in every message; each label has two messages of two tokens.
        let examples = [
            LabeledExample(features: SparseVector(indices: [0, 2], values: [1, 1]), isSpam: true),
            LabeledExample(features: SparseVector(indices: [0, 2], values: [0.5, 2]), isSpam: true),
            LabeledExample(features: SparseVector(indices: [1, 2], values: [1, 1]), isSpam: false),
            LabeledExample(features: SparseVector(indices: [1, 2], values: [3, 1]), isSpam: false)
        ]
        let r = LogCountRatios(examples, featureCount: 4).ratios
        XCTAssertEqual(r.count, 4)
        XCTAssertEqual(r[0], log(3.0), accuracy: 1e-12)  // (2 + 1) / (0 + 1), equal totals: no shift
        XCTAssertEqual(r[1], -log(3.0), accuracy: 1e-12)
        XCTAssertEqual(r[2], 0, accuracy: 1e-12)
        XCTAssertEqual(r[3], 0, accuracy: 1e-12)  // never seen
        let scaled = LogCountRatios(examples, featureCount: 4).scaled(examples[1])
        XCTAssertEqual(scaled.features.indices, [0, 2])
        XCTAssertEqual(scaled.features.values[0], 0.5 * log(3.0), accuracy: 1e-12)
        XCTAssertEqual(scaled.features.values[1], 0, accuracy: 1e-12)
    }

    func testNaiveBayesWeightingFoldsTheRatiosIntoTheWeights() {
        // A weighted fit is the plain fit of the scaled examples, with each weight times its ratio: it scores the
        // plain features as that fit scores the scaled ones.
        let examples = problem(seed: 21, count: 80)
        var options = TrainingOptions()
        options.featureWeighting = .nb
        let weighted = LogisticRegressionTrainer.fit(examples, featureCount: 12, options: options)
        let ratios = LogCountRatios(examples, featureCount: 12)
        options.featureWeighting = .none
        let scaled = examples.map(ratios.scaled)
        let plain = LogisticRegressionTrainer.fit(scaled, featureCount: 12, options: options)
        for (example, scaledExample) in zip(examples, scaled) {
            XCTAssertEqual(
                weighted.model.logit(example.features), plain.model.logit(scaledExample.features), accuracy: 1e-9)
        }
        for j in 0..<12 where abs(ratios.ratios[j]) > 1e-6 {
            XCTAssertEqual(
                weighted.state.accumulators[j] * ratios.ratios[j] * ratios.ratios[j],
                plain.state.accumulators[j], accuracy: 1e-9 * max(1, plain.state.accumulators[j]))
        }
        XCTAssertEqual(weighted.state.bias, plain.state.bias)
    }

    func testBlendedWeightingMixesThePlainAndTheNaiveBayesFits() {
        let examples = problem(seed: 23, count: 80)
        var options = TrainingOptions()
        XCTAssertEqual(options.featureWeighting, .blend)
        XCTAssertEqual(options.naiveBayesShare, 0.2)
        let blended = LogisticRegressionTrainer.fit(examples, featureCount: 12, options: options)
        options.featureWeighting = .none
        let plain = LogisticRegressionTrainer.fit(examples, featureCount: 12, options: options)
        options.featureWeighting = .nb
        let weighted = LogisticRegressionTrainer.fit(examples, featureCount: 12, options: options)
        for j in 0..<12 {
            XCTAssertEqual(
                blended.model.weights[j], 0.8 * plain.model.weights[j] + 0.2 * weighted.model.weights[j],
                accuracy: 1e-12)
        }
        XCTAssertEqual(blended.model.bias, 0.8 * plain.model.bias + 0.2 * weighted.model.bias, accuracy: 1e-12)
        // Incremental steps go on from the plain fit's AdaGrad sums.
        XCTAssertEqual(blended.state, plain.state)
        // With two jobs the two fits run side by side: the same bits.
        options.featureWeighting = .blend
        let sideBySide = LogisticRegressionTrainer.fit(examples, featureCount: 12, options: options, jobs: 2)
        XCTAssertEqual(sideBySide.model, blended.model)
        XCTAssertEqual(sideBySide.state, blended.state)
    }

    func testRareFeaturesAreLeftOutOfLargeFitsOnly() {
        // Feature 0 in every example, 1 in every other one, 2 + i in example i alone.
        func examples(_ count: Int) -> [LabeledExample] {
            (0..<count).map { i in
                var pairs: [(Int32, Double)] = [(0, 0.5), (Int32(2 + i), 0.25)]
                if i % 2 == 0 { pairs.append((1, 0.75)) }
                return LabeledExample(features: SparseVector(pairs: pairs), isSpam: i % 2 == 0)
            }
        }
        let large = examples(RareFeaturePruning.minimumFitSize)
        let pruned = RareFeaturePruning.pruned(large, minimumExamples: 2)
        XCTAssertEqual(pruned[0].features, SparseVector(indices: [0, 1], values: [0.5, 0.75]))
        XCTAssertEqual(pruned[1].features, SparseVector(indices: [0], values: [0.5]))
        XCTAssertEqual(pruned.map(\.isSpam), large.map(\.isSpam))
        XCTAssertEqual(RareFeaturePruning.pruned(large, minimumExamples: 1), large)
        let small = examples(RareFeaturePruning.minimumFitSize - 1)
        XCTAssertEqual(RareFeaturePruning.pruned(small, minimumExamples: 2), small)

        // A fit learns nothing for the features it left out, and the other weights are those of the pruned fit.
        var options = TrainingOptions()
        options.epochs = 2
        XCTAssertEqual(options.minimumDocumentFrequency, 2)
        let fitted = LogisticRegressionTrainer.fit(large, featureCount: large.count + 2, options: options).model
        XCTAssertNotEqual(fitted.weights[1], 0)
        XCTAssertTrue(fitted.weights[2...].allSatisfy { $0 == 0 })
        options.minimumDocumentFrequency = 1
        let everything = LogisticRegressionTrainer.fit(large, featureCount: large.count + 2, options: options).model
        XCTAssertTrue(everything.weights[2...].contains { $0 != 0 })
        let onPruned = LogisticRegressionTrainer.fit(pruned, featureCount: large.count + 2, options: options).model
        XCTAssertEqual(fitted, onPruned)
    }
}
