import ArgumentParser
import SpamStore
import HamletKit
import Learning
import TextFeatures

/// The model options `train` and `evaluate` share.
struct ModelOptionGroup: ParsableArguments {
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

    @Option(name: .customLong("incremental-floor"), help: ArgumentHelp("AdaGrad accumulator floor for incremental steps.", visibility: .hidden))
    var incrementalFloor: Double?

    @Option(help: "Optimizer: sgd or adagrad.")
    var optimizer: String?

    @Option(help: "Token families, comma-separated: headers, received, urls, url-paths, hidden, cjk, pairs (or none).")
    var features: String?

    @Option(help: "Count transform: binary, log or count.")
    var transform: String?

    func validate() throws {
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        if let learningRate, !(learningRate > 0) { throw ValidationError("--learning-rate must be positive") }
        if let l2, !(l2 >= 0) { throw ValidationError("--l2 must be zero or positive") }
        if let incrementalRate, !(incrementalRate > 0) { throw ValidationError("--incremental-rate must be positive") }
        if let incrementalSteps, incrementalSteps < 1 { throw ValidationError("--incremental-steps must be at least 1") }
        if let optimizer, Optimizer(rawValue: optimizer) == nil {
            throw ValidationError("--optimizer must be sgd or adagrad")
        }
        if let features, FeatureFamilies(list: features) == nil {
            throw ValidationError("--features takes a comma-separated list of: \(FeatureFamilies.names.joined(separator: ", "))")
        }
        if let transform, CountTransform(rawValue: transform) == nil {
            throw ValidationError("--transform must be binary, log or count")
        }
    }

    func apply(to base: ModelOptions) -> ModelOptions {
        var options = base
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
        if let features, let f = FeatureFamilies(list: features) { options.features.families = f }
        return options
    }
}

/// `--db PATH`, and the configuration it is resolved with.
struct StoreOption: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp(
        "The store (SQLite file).",
        discussion: "Default: $HAMLET_DB, else store.path in the configuration file, else $XDG_DATA_HOME/hamlet/hamlet.sqlite."))
    var db: String?

    /// The effective configuration and the store's path.
    func context() throws -> (configuration: HamletConfiguration, storePath: String) {
        let configuration = try HamletConfiguration.load()
        return (configuration, configuration.resolvedStorePath(explicit: db))
    }

    /// The effective configuration and the store, opened (with `create`, created if missing).
    func open(create: Bool = false) throws -> (configuration: HamletConfiguration, store: SQLiteStore) {
        let (configuration, path) = try context()
        return (configuration, try configuration.openStore(at: path, create: create))
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
