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
