import ArgumentParser
import SpamStore
import HamletKit
import Learning
import TextFeatures

extension ModelSetting {
    /// Checks options given on the command line (flag, setting, value; nil: not given) against their settings.
    static func check(_ given: [(flag: String, setting: String, value: String?)]) throws {
        var scratch = ModelOptions()
        for (flag, key, value) in given {
            guard let value, let setting = recorded(key) else { continue }
            if !setting.set(value, in: &scratch) { throw ValidationError("\(flag) must be \(setting.expected)") }
        }
    }

    /// `base` with the options given.
    static func apply(_ given: [(flag: String, setting: String, value: String?)], to base: ModelOptions) -> ModelOptions
    {
        var options = base
        for (_, key, value) in given {
            if let value, let setting = recorded(key) { _ = setting.set(value, in: &options) }
        }
        return options
    }
}

/// The options that choose the kind of model (`train`, `retrain`, `evaluate`); every other model setting is
/// the configuration file's (`model.*`) or an experiment's (`evaluate`).
struct ModelKindOptionGroup: ParsableArguments {
    @Option(help: "Model: logreg (logistic regression, the default), softmax (two-class softmax regression) or mlp.")
    var model: String?

    @Option(help: "MLP hidden layer sizes: one or two, such as 64 or 64,32.")
    var hidden: String?

    @Option(help: "MLP hidden activation: sigmoid, tanh, relu or gelu.")
    var activation: String?

    @Option(help: "MLP output: sigmoid (one unit) or softmax (two units).")
    var output: String?

    /// Whether any option that decides the kind of model was given.
    var namesModel: Bool { model != nil || hidden != nil || activation != nil || output != nil }

    var given: [(flag: String, setting: String, value: String?)] {
        [
            ("--model", "model", model), ("--hidden", "hidden", hidden), ("--activation", "activation", activation),
            ("--output", "output", output)
        ]
    }

    func validate() throws { try ModelSetting.check(given) }

    func apply(to base: ModelOptions) -> ModelOptions { ModelSetting.apply(given, to: base) }
}

/// Every model setting as an option, for `evaluate`'s experiments (the same settings as the configuration
/// file's `model.*` keys).
struct ModelOptionGroup: ParsableArguments {
    @OptionGroup var kind: ModelKindOptionGroup

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

    @Option(help: "Optimizer: adagrad or adam.")
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

    /// Each option as given (nil: not given), with the model setting it sets (`ModelSetting`, which checks it).
    private var given: [(flag: String, setting: String, value: String?)] {
        func text(_ value: (some LosslessStringConvertible)?) -> String? { value.map { String($0) } }
        var given: [(flag: String, setting: String, value: String?)] =
            kind.given + [

                ("--weighting", "weighting", weighting),
                ("--optimizer", "optimizer", optimizer), ("--features", "features", features),
                ("--transform", "transform", transform), ("--normalize", "normalize", normalize)
            ]
        given.append(("--ham-weight", "ham_weight", text(hamWeight)))
        given.append(("--min-df", "min_df", text(minDF)))
        given.append(("--epochs", "epochs", text(epochs)))
        given.append(("--learning-rate", "learning_rate", text(learningRate)))
        given.append(("--l2", "l2", text(l2)))
        given.append(("--batch-size", "batch_size", text(batchSize)))
        given.append(("--seed", "seed", text(seed)))
        given.append(("--incremental-rate", "incremental_rate", text(incrementalRate)))
        given.append(("--incremental-steps", "incremental_steps", text(incrementalSteps)))
        return given
    }

    func validate() throws { try ModelSetting.check(given) }

    func apply(to base: ModelOptions) -> ModelOptions { ModelSetting.apply(given, to: base) }
}

/// `--db PATH`, and the configuration it is resolved with.
struct StoreOption: ParsableArguments {
    @Option(
        name: .customLong("db"),
        help: ArgumentHelp(
            "The store: an SQLite file, or a PostgreSQL URL (postgresql://[USER[:PASSWORD]@][HOST][:PORT]/DB[?host=/socket/dir]).",
            discussion:
                "Default: $HAMLET_DB, else store.path in the configuration file, else $XDG_DATA_HOME/hamlet/hamlet.sqlite."
        ))
    var db: String?

    @Option(
        help: ArgumentHelp(
            "Whose store: their share of a shared store (a PostgreSQL URL), or their file from serve.user_stores.",
            discussion:
                "Default: the site store as --db names it (on PostgreSQL, $HAMLET_USER's or the Unix user's share)."
        ))
    var user: String?

    /// The effective configuration and the store's path.
    func context() throws -> (configuration: HamletConfiguration, storePath: String) {
        let configuration = try HamletConfiguration.load()
        let path = try configuration.storeLocation(explicit: db, user: user)
        try SiblingProgram.handOverIfNeeded(for: path)
        return (configuration, path)
    }

    /// The effective configuration and the store, opened (with `create`, created if missing).
    /// `readOnly` for commands that only read (see `SQLiteStore.init`).
    func open(create: Bool = false, readOnly: Bool = false) throws -> (
        configuration: HamletConfiguration, store: any HamletStore
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
