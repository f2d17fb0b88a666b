import Learning
import XCTest

@testable import HamletKit

/// The options a model is stored with are read back exactly (the delivery path reads them for every message).
final class ModelOptionsTests: XCTestCase {
    func testEveryRecordedOptionSurvivesTheRoundTrip() {
        var options = ModelOptions()
        options.features.transform = .binary
        options.features.normalization = .none
        options.training.model = .mlp
        options.training.hidden = [32, 8]
        options.training.activation = .relu
        options.training.optimizer = .adam
        options.training.epochs = 7
        options.training.learningRate = 0.05
        options.training.l2 = 3e-4
        options.training.batchSize = 64
        options.training.seed = 99
        options.training.featureWeighting = .nb
        options.training.minimumDocumentFrequency = 3
        options.training.hamWeight = 2.5
        let read = ModelOptions(serialized: options.serialized)
        XCTAssertEqual(read.serialized, options.serialized)
        XCTAssertEqual(read.training.hidden, [32, 8])
        XCTAssertEqual(read.training.l2, 3e-4)
        XCTAssertEqual(read.training.featureWeighting, .nb)
        XCTAssertEqual(read.training.minimumDocumentFrequency, 3)
        XCTAssertEqual(read.training.hamWeight, 2.5)
    }

    func testOldAndDamagedTextFallsBackToTheBase() {
        // Written before kinds were recorded: logistic regression, whatever the base says.
        var base = ModelOptions()
        base.training.model = .mlp
        XCTAssertEqual(ModelOptions(serialized: "epochs=5 l2=0.001", base: base).training.model, .logreg)
        XCTAssertEqual(ModelOptions(serialized: "epochs=5", base: base).training.epochs, 5)
        // Written before feature weighting was recorded: fitted without it, whatever the base says.
        base.training.featureWeighting = .nb
        XCTAssertEqual(ModelOptions(serialized: "model=logreg epochs=5", base: base).training.featureWeighting, .none)
        // ... and before rare tokens were left out: with every token.
        XCTAssertEqual(
            ModelOptions(serialized: "model=logreg epochs=5", base: base).training.minimumDocumentFrequency, 1)
        // ... and before ham was weighed up: every example counting once.
        XCTAssertEqual(ModelOptions(serialized: "model=logreg epochs=5", base: base).training.hamWeight, 1)
        XCTAssertEqual(
            ModelOptions(serialized: "model=logreg ham_weight=0 ham_weight=-2", base: base).training.hamWeight,
            base.training.hamWeight)
        // Empty keys or values, unknown keys and malformed numbers change nothing.
        let damaged = ModelOptions(
            serialized: "model=logreg epochs= =3 colour=blue l2=lots features=", base: ModelOptions())
        XCTAssertEqual(damaged.training.epochs, ModelOptions().training.epochs)
        XCTAssertEqual(damaged.training.l2, ModelOptions().training.l2)
        XCTAssertEqual(damaged.features.families, ModelOptions().features.families)
    }

    /// The record is stored with every model version and read by every Hamlet after it: its text changes only when
    /// a setting is added or deleted (old records' unknown keys are ignored), and every setting is a `model.` key.
    func testTheRecordKeepsItsTextAndEverySettingIsConfigurable() {
        XCTAssertEqual(
            ModelOptions().serialized,
            "model=logreg features=headers,urls,hidden,cjk,shapes transform=log normalize=split "
                + "optimizer=adagrad ham_weight=4.0 weighting=blend min_df=2 "
                + "epochs=20 learning_rate=0.5 l2=1e-05 batch_size=16 seed=1 "
                + "incremental_steps=3 incremental_rate=0.7")
        for setting in ModelSetting.all {
            XCTAssertTrue(HamletConfiguration.keys.contains("model." + setting.configKey), setting.recordKey)
        }
    }
}
