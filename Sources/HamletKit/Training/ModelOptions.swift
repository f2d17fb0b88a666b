import Learning
import TextFeatures

/// The model settings recorded with every model version, as readable `key=value` pairs.
public struct ModelOptions: Sendable {
    public var training = TrainingOptions()
    public var features = FeatureSettings()

    public init() {}

    /// The model kind recorded with a model version.
    public var kind: String { training.model.rawValue }

    public var serialized: String {
        var pairs = [
            "model=\(training.model.rawValue)",
            "features=\(features.families.list.isEmpty ? "none" : features.families.list)",
            "transform=\(features.transform.rawValue)", "normalize=\(features.normalization.rawValue)"
        ]
        if training.model == .mlp {
            pairs += [
                "hidden=\(training.hidden.map(String.init).joined(separator: ","))",
                "activation=\(training.activation.rawValue)",
                "output=\(training.output.rawValue)"
            ]
        }
        return
            (pairs + [
                "loss=\(training.loss.rawValue)", "optimizer=\(training.optimizer.rawValue)",
                "schedule=\(training.schedule.rawValue)",
                "class_weight=\(training.classWeighting.rawValue)", "ham_weight=\(training.hamWeight)",
                "weighting=\(training.featureWeighting.rawValue)", "min_df=\(training.minimumDocumentFrequency)",
                "validation=\(training.validationFraction)",
                "patience=\(training.patience)", "epochs=\(training.epochs)", "learning_rate=\(training.learningRate)",
                "l2=\(training.l2)",
                "batch_size=\(training.batchSize)", "seed=\(training.seed)",
                "incremental_steps=\(training.incrementalSteps)",
                "incremental_rate=\(training.incrementalLearningRate)",
                "incremental_floor=\(training.incrementalAccumulatorFloor)"
            ]).joined(separator: " ")
    }

    /// Reads options written by `serialized` on top of `base` (which supplies what a model does not record:
    /// the size limit and digest rules); unknown keys are ignored, missing ones keep `base`'s values, except the
    /// settings older models did not record (kind, feature weighting, rare-token pruning, ham weight): those take the value
    /// that such a model was made with.
    public init(serialized text: String, base: ModelOptions = ModelOptions()) {
        self = base
        var sawModel = false, sawWeighting = false, sawMinimumDocumentFrequency = false, sawHamWeight = false
        // Split on the bytes: `filter` reads this for every message, and splitting by Characters (grapheme
        // breaking) and searching substrings cost more than its whole scoring.
        for pair in text.utf8.split(separator: UInt8(ascii: " ")) {
            guard let equals = pair.firstIndex(of: UInt8(ascii: "=")), equals != pair.startIndex,
                pair.index(after: equals) != pair.endIndex
            else { continue }
            let key = String(decoding: pair[pair.startIndex..<equals], as: UTF8.self)
            let value = String(decoding: pair[pair.index(after: equals)...], as: UTF8.self)
            if key == "model" { sawModel = true }
            if key == "weighting" { sawWeighting = true }
            if key == "min_df" { sawMinimumDocumentFrequency = true }
            if key == "ham_weight" { sawHamWeight = true }
            switch key {
            case "features": if let f = FeatureFamilies(list: value) { features.families = f }
            case "transform": if let t = CountTransform(rawValue: value) { features.transform = t }
            case "normalize":
                // Models before `split` recorded true or false.
                features.normalization =
                    value == "true" ? .whole : value == "false" ? .none : Normalization(rawValue: value) ?? .whole
            case "model": if let m = ModelKind(rawValue: value) { training.model = m }
            case "hidden": if let h = Self.hiddenSizes(value) { training.hidden = h }
            case "activation": if let a = Activation(rawValue: value) { training.activation = a }
            case "output": if let o = OutputKind(rawValue: value) { training.output = o }
            case "loss": if let l = LossFunction(rawValue: value) { training.loss = l }
            case "schedule": if let s = LearningRateSchedule(rawValue: value) { training.schedule = s }
            case "class_weight": if let c = ClassWeighting(rawValue: value) { training.classWeighting = c }
            case "ham_weight": if let h = Double(value), h > 0, h.isFinite { training.hamWeight = h }
            case "weighting": if let w = FeatureWeighting(rawValue: value) { training.featureWeighting = w }
            case "min_df": if let m = Int(value), m >= 1 { training.minimumDocumentFrequency = m }
            case "validation": training.validationFraction = Double(value) ?? training.validationFraction
            case "patience": training.patience = Int(value) ?? training.patience
            case "optimizer": if let o = Optimizer(rawValue: value) { training.optimizer = o }
            case "epochs": training.epochs = Int(value) ?? training.epochs
            case "learning_rate": training.learningRate = Double(value) ?? training.learningRate
            case "l2": training.l2 = Double(value) ?? training.l2
            case "batch_size": training.batchSize = Int(value) ?? training.batchSize
            case "seed": training.seed = UInt64(value) ?? training.seed
            case "incremental_steps": training.incrementalSteps = Int(value) ?? training.incrementalSteps
            case "incremental_rate":
                training.incrementalLearningRate = Double(value) ?? training.incrementalLearningRate
            case "incremental_floor":
                training.incrementalAccumulatorFloor = Double(value) ?? training.incrementalAccumulatorFloor
            default: continue
            }
        }
        // A model written before kinds were recorded is logistic regression.
        if !sawModel { training.model = .logreg }
        // A model written before feature weighting was recorded was fitted without it.
        if !sawWeighting { training.featureWeighting = .none }
        // ... and before rare tokens were left out of fits, with every token.
        if !sawMinimumDocumentFrequency { training.minimumDocumentFrequency = 1 }
        // ... and before ham was weighed up, with every example counting once.
        if !sawHamWeight { training.hamWeight = 1 }
    }

    /// "64" or "64,32": one or two positive layer sizes.
    public static func hiddenSizes(_ text: String) -> [Int]? {
        let sizes = text.split(separator: ",").map { Int(String($0.filter { $0 != " " })) }
        guard (1...2).contains(sizes.count), sizes.allSatisfy({ ($0 ?? 0) > 0 && ($0 ?? 0) <= 4096 }) else {
            return nil
        }
        return sizes.map { $0! }
    }
}
