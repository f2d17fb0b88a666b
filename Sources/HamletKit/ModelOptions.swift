import Learning
import TextFeatures

/// The model settings recorded with every model version, as readable `key=value` pairs.
public struct ModelOptions: Sendable {
    public var training = TrainingOptions()
    public var features = FeatureSettings()

    public init() {}

    public static let kind = "logreg"

    public var serialized: String {
        [
            "features=\(features.families.list.isEmpty ? "none" : features.families.list)",
            "transform=\(features.transform.rawValue)", "normalize=\(features.normalize)",
            "optimizer=\(training.optimizer.rawValue)", "epochs=\(training.epochs)", "learning_rate=\(training.learningRate)", "l2=\(training.l2)",
            "batch_size=\(training.batchSize)", "seed=\(training.seed)",
            "incremental_steps=\(training.incrementalSteps)", "incremental_rate=\(training.incrementalLearningRate)",
            "incremental_floor=\(training.incrementalAccumulatorFloor)",
        ].joined(separator: " ")
    }

    /// Reads options written by `serialized` on top of `base` (which supplies what a model does not record:
    /// the size limit and digest rules); unknown keys are ignored, missing ones keep `base`'s values.
    public init(serialized text: String, base: ModelOptions = ModelOptions()) {
        self = base
        for pair in text.split(separator: " ") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            let value = parts[1]
            switch parts[0] {
            case "features": if let f = FeatureFamilies(list: value) { features.families = f }
            case "transform": if let t = CountTransform(rawValue: value) { features.transform = t }
            case "normalize": features.normalize = value == "true"
            case "optimizer": if let o = Optimizer(rawValue: value) { training.optimizer = o }
            case "epochs": training.epochs = Int(value) ?? training.epochs
            case "learning_rate": training.learningRate = Double(value) ?? training.learningRate
            case "l2": training.l2 = Double(value) ?? training.l2
            case "batch_size": training.batchSize = Int(value) ?? training.batchSize
            case "seed": training.seed = UInt64(value) ?? training.seed
            case "incremental_steps": training.incrementalSteps = Int(value) ?? training.incrementalSteps
            case "incremental_rate": training.incrementalLearningRate = Double(value) ?? training.incrementalLearningRate
            case "incremental_floor": training.incrementalAccumulatorFloor = Double(value) ?? training.incrementalAccumulatorFloor
            default: continue
            }
        }
    }
}
