import ArgumentParser
import SpamStore
import HamletKit
import Learning
import TextFeatures

/// The model options `train`, `retrain` and `evaluate` share (and the configuration file's `model.*` keys).
struct ModelOptionGroup: ParsableArguments {
    @Option(help: "Model: logreg (logistic regression, the default), softmax (two-class softmax regression) or mlp.")
    var model: String?

    @Option(help: "MLP hidden layer sizes: one or two, such as 64 or 64,32.")
    var hidden: String?

    @Option(help: "MLP hidden activation: sigmoid, tanh, relu or gelu.")
    var activation: String?

    @Option(help: "MLP output: sigmoid (one unit) or softmax (two units).")
    var output: String?

    @Option(help: "Loss: logistic (cross-entropy) or hinge.")
    var loss: String?

    @Option(help: "Learning-rate schedule: auto, constant, inverse or cosine.")
    var schedule: String?

    @Option(name: .customLong("class-weight"), help: "Class weights: none, or balanced (each label weighs half).")
    var classWeight: String?

    @Option(
        name: .customLong("ham-weight"),
        help: "How much each ham message counts in a full fit's loss (spam counts 1; default 4).")
    var hamWeight: Double?

    @Option(
        help:
            "Feature weighting in logistic regression fits: blend (the default: a plain fit and a naive Bayes weighted one, 4:1), none, or nb (naive Bayes log-count ratios)."
    )
    var weighting: String?

    @Option(
        name: .customLong("min-df"),
        help:
            "Logistic regression fits of 500 or more messages learn weights only for tokens at least this many of them contain (default 2; 1: all)."
    )
    var minDF: Int?

    @Option(
        help: "Hold out this fraction of the training examples (seeded) and stop early when their loss stops falling.")
    var validation: Double?

    @Option(help: "With --validation: epochs without improvement before stopping.")
    var patience: Int?

    @Option(help: "Passes over the training examples in a full fit.")
    var epochs: Int?

    @Option(name: .customLong("learning-rate"), help: "Step size of gradient descent.")
    var learningRate: Double?

    @Option(help: "L2 penalty on the weights.")
    var l2: Double?

    @Option(name: .customLong("batch-size"), help: "Examples per mini-batch.")
    var batchSize: Int?

    @Option(help: "Seed for shuffling (the result depends only on the examples, the options and the seed).")
    var seed: UInt64?

    @Option(name: .customLong("incremental-rate"), help: "Step size when one message is learned incrementally.")
    var incrementalRate: Double?

    @Option(name: .customLong("incremental-steps"), help: "Gradient steps when one message is learned incrementally.")
    var incrementalSteps: Int?

    @Option(
        name: .customLong("incremental-floor"),
        help: ArgumentHelp("AdaGrad accumulator floor for incremental steps.", visibility: .hidden))
    var incrementalFloor: Double?

    @Option(help: "Optimizer: gd (full batch), sgd, momentum, adagrad or adam.")
    var optimizer: String?

    @Option(
        help:
            "Token families, comma-separated: headers, received, urls, url-paths, hidden, cjk, pairs, shapes (or none)."
    )
    var features: String?

    @Option(help: "Count transform: binary, log or count.")
    var transform: String?

    @Option(
        help:
            "Feature vector scaling: split (the default: the text's words and the signs from headers, links and markup each to unit length), whole (the whole vector to unit length) or none."
    )
    var normalize: String?

    func validate() throws {
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        if let learningRate, !(learningRate > 0 && learningRate.isFinite) {
            throw ValidationError("--learning-rate must be positive")
        }
        if let l2, !(l2 >= 0 && l2.isFinite) { throw ValidationError("--l2 must be zero or positive") }
        if let incrementalRate, !(incrementalRate > 0 && incrementalRate.isFinite) {
            throw ValidationError("--incremental-rate must be positive")
        }
        if let hamWeight, !(hamWeight > 0 && hamWeight.isFinite) {
            throw ValidationError("--ham-weight must be positive")
        }
        if let minDF, minDF < 1 { throw ValidationError("--min-df must be at least 1") }
        if let incrementalSteps, incrementalSteps < 1 {
            throw ValidationError("--incremental-steps must be at least 1")
        }
        try Self.check(model, ModelKind.self, "--model")
        try Self.check(activation, Activation.self, "--activation")
        try Self.check(output, OutputKind.self, "--output")
        try Self.check(loss, LossFunction.self, "--loss")
        try Self.check(schedule, LearningRateSchedule.self, "--schedule")
        try Self.check(classWeight, ClassWeighting.self, "--class-weight")
        try Self.check(weighting, FeatureWeighting.self, "--weighting")
        try Self.check(optimizer, Optimizer.self, "--optimizer")
        try Self.check(normalize, Normalization.self, "--normalize")
        if let hidden, ModelOptions.hiddenSizes(hidden) == nil {
            throw ValidationError("--hidden takes one or two layer sizes, such as 64 or 64,32")
        }
        if let validation, !(validation >= 0 && validation < 1) {
            throw ValidationError("--validation is a fraction from 0 to below 1")
        }
        if let patience, patience < 1 { throw ValidationError("--patience must be at least 1") }
        if let features, FeatureFamilies(list: features) == nil {
            throw ValidationError(
                "--features takes a comma-separated list of: \(FeatureFamilies.names.joined(separator: ", "))")
        }
        if let transform, CountTransform(rawValue: transform) == nil {
            throw ValidationError("--transform must be binary, log or count")
        }
    }

    private static func check<T: RawRepresentable & CaseIterable>(_ value: String?, _ type: T.Type, _ name: String)
        throws
    where T.RawValue == String {
        if let value, T(rawValue: value) == nil {
            throw ValidationError("\(name) must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// Whether any option that decides the kind of model was given.
    var namesModel: Bool { model != nil || hidden != nil || activation != nil || output != nil }

    func apply(to base: ModelOptions) -> ModelOptions {
        var options = base
        if let model, let m = ModelKind(rawValue: model) { options.training.model = m }
        if let hidden, let h = ModelOptions.hiddenSizes(hidden) { options.training.hidden = h }
        if let activation, let a = Activation(rawValue: activation) { options.training.activation = a }
        if let output, let o = OutputKind(rawValue: output) { options.training.output = o }
        if let loss, let l = LossFunction(rawValue: loss) { options.training.loss = l }
        if let schedule, let s = LearningRateSchedule(rawValue: schedule) { options.training.schedule = s }
        if let classWeight, let c = ClassWeighting(rawValue: classWeight) { options.training.classWeighting = c }
        if let hamWeight { options.training.hamWeight = hamWeight }
        if let weighting, let w = FeatureWeighting(rawValue: weighting) { options.training.featureWeighting = w }
        if let minDF { options.training.minimumDocumentFrequency = minDF }
        if let validation { options.training.validationFraction = validation }
        if let patience { options.training.patience = patience }
        if let epochs { options.training.epochs = epochs }
        if let learningRate { options.training.learningRate = learningRate }
        if let l2 { options.training.l2 = l2 }
        if let batchSize { options.training.batchSize = batchSize }
        if let seed { options.training.seed = seed }
        if let incrementalRate { options.training.incrementalLearningRate = incrementalRate }
        if let incrementalSteps { options.training.incrementalSteps = incrementalSteps }
        if let incrementalFloor { options.training.incrementalAccumulatorFloor = incrementalFloor }
        if let optimizer, let o = Optimizer(rawValue: optimizer) { options.training.optimizer = o }
        if let transform, let t = CountTransform(rawValue: transform) { options.features.transform = t }
        if let normalize, let n = Normalization(rawValue: normalize) { options.features.normalization = n }
        if let features, let f = FeatureFamilies(list: features) { options.features.families = f }
        return options
    }
}

/// `--db PATH`, and the configuration it is resolved with.
struct StoreOption: ParsableArguments {
    @Option(
        name: .customLong("db"),
        help: ArgumentHelp(
            "The store (SQLite file).",
            discussion:
                "Default: $HAMLET_DB, else store.path in the configuration file, else $XDG_DATA_HOME/hamlet/hamlet.sqlite."
        ))
    var db: String?

    /// The effective configuration and the store's path.
    func context() throws -> (configuration: HamletConfiguration, storePath: String) {
        let configuration = try HamletConfiguration.load()
        return (configuration, configuration.resolvedStorePath(explicit: db))
    }

    /// The effective configuration and the store, opened (with `create`, created if missing).
    /// `readOnly` for commands that only read (see `SQLiteStore.init`).
    func open(create: Bool = false, readOnly: Bool = false) throws -> (
        configuration: HamletConfiguration, store: SQLiteStore
    ) {
        let (configuration, path) = try context()
        return (configuration, try configuration.openStore(at: path, create: create, readOnly: readOnly))
    }
}

/// `--jobs N`.
struct JobsOption: ParsableArguments {
    @Option(help: "Threads for parsing and scoring (default: the CPUs this process may run on).")
    var jobs: Int?

    var count: Int { max(1, jobs ?? availableProcessors()) }

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }
}
