import Learning
import SpamStore
import TextFeatures

/// Everything Hamlet does with one family of models, behind one interface: fit from scratch, load a stored version
/// for bulk scoring, score one message from its own tokens' rows, and learn or unlearn changed examples in place.
/// Each family has one stored format (`RowLayout`, rows by token id, the other parameters in the header). Callers
/// reach a family through `ModelKind.family` and never switch on the kind.
protocol ModelFamily {
    /// Fits a model from scratch on examples sorted by digest.
    static func fit(_ examples: [LabeledExample], featureCount: Int, options: TrainingOptions, jobs: Int)
        -> (fitted: any FittedModel, report: TrainingReport)

    /// A stored version in memory, for bulk scoring (inside `read` or `write`).
    static func load(_ info: ModelInfo, options: ModelOptions, store: any HamletStore, featureCount: Int) throws
        -> any SpamModel

    /// One message scored from the rows of its own tokens, exactly as the bulk path scores it (inside `read`).
    /// `explaining` asks for each token's part too.
    static func score(
        _ tokens: TokenBag, info: ModelInfo, options: ModelOptions, store: any HamletStore, explaining: Bool
    ) throws -> MessageScore

    /// Whether `learnInPlace` can take back a forgotten example; if not, forgetting refits.
    static var unlearnsInPlace: Bool { get }

    /// Brings the stored version in step with changed examples without a refit (inside `write`).
    static func learnInPlace(_ updates: [ExampleUpdate], into info: ModelInfo, context: InPlaceContext) throws
}

/// A freshly fitted model and the optimizer memory its in-place learning continues.
protocol FittedModel: Sendable {
    /// The model as Hamlet scores with it.
    var model: any SpamModel { get }
    /// The model fitted in a canonical feature space (rank r) with its rows moved to the store's token ids
    /// (`storedID[r]`).
    func inStoreOrder(_ storedID: [Int32]) -> any FittedModel
    /// Its per-token rows and their accumulators, as the store keeps them.
    var rows: ModelRows { get }
    /// Its other parameters followed by their accumulators.
    var parameters: [Double] { get }
}

extension FittedModel {
    /// Writes the model as a new version (inside `write`); returns its id.
    func insertVersion(
        into store: any HamletStore, options: ModelOptions, exampleCount: Int, metrics: String, fittedChanges: Int64
    ) throws -> Int64 {
        try store.insertModel(
            ModelHeader(
                kind: options.kind, options: options.serialized, extractor: options.features.extractorVersion,
                exampleCount: exampleCount, metrics: metrics, fittedChanges: fittedChanges),
            rows: rows, parameters: parameters)
    }
}

/// What an in-place update needs besides the changes: the store, the model's own settings, and where the store
/// stands.
struct InPlaceContext {
    var store: any HamletStore
    var options: ModelOptions
    /// The store's example-change count the updated model will reflect.
    var storeChanges: Int64
    /// Examples stored, the changes included.
    var storeSize: Int
    /// Examples the updated model will have learned.
    var exampleCount: Int
}

/// One message's score from its own tokens.
struct MessageScore {
    var logit: Double
    /// Where the score starts before any token (a linear model's bias; 0 for a network).
    var bias: Double
    var contributions: [TokenContribution]
    /// Tokens of the message the vocabulary knows.
    var knownTokens: Int
}

extension ModelKind {
    /// The family that fits, stores, scores and updates this kind: the one place a kind is mapped to code.
    var family: any ModelFamily.Type {
        switch self {
        case .logreg: return LinearFamily.self
        case .softmax, .mlp: return NetworkFamily.self
        }
    }
}

/// Moves a fitted model's dense rows (`width` values a feature, in canonical rank order) to store token ids.
func rowsInStoreOrder(_ values: [Double], width: Int, storedID: [Int32]) -> [Double] {
    var result = [Double](repeating: 0, count: values.count)
    for rank in 0..<(values.count / width) {
        let id = Int(storedID[rank])
        for u in 0..<width { result[id * width + u] = values[rank * width + u] }
    }
    return result
}

/// Fits models of every kind the options name.
public enum ModelFitting {
    /// Fits a model from scratch on examples sorted by digest, with the L2 penalty for their number
    /// (`TrainingOptions.l2(forExamples:)`).
    static func fit(_ examples: [LabeledExample], featureCount: Int, options given: TrainingOptions, jobs: Int)
        -> (fitted: any FittedModel, report: TrainingReport)
    {
        var options = given
        options.l2 = given.l2(forExamples: examples.count)
        return options.model.family.fit(examples, featureCount: featureCount, options: options, jobs: jobs)
    }
}
