import Learning
import SpamStore
import TextFeatures

/// One token's part in a message's score.
public struct TokenContribution: Sendable, Equatable {
    public var token: String
    public var count: Int
    public var weight: Double
    /// weight × feature value: how far this token moved the log-odds.
    public var contribution: Double
}

/// One message scored by reading only its own tokens' weights from the store (the delivery path).
public struct SingleMessageScore: Sendable {
    public var logit: Double
    public var modelID: Int64
    public var bias: Double
    public var spamExamples: Int
    public var hamExamples: Int
    /// Every token of the message the model knows, with its part in the score (only when scored with
    /// `explaining`).
    public var contributions: [TokenContribution]
    public var unknownTokens: Int

    public init(
        logit: Double, modelID: Int64, bias: Double, spamExamples: Int, hamExamples: Int,
        contributions: [TokenContribution] = [], unknownTokens: Int = 0
    ) {
        self.logit = logit
        self.modelID = modelID
        self.bias = bias
        self.spamExamples = spamExamples
        self.hamExamples = hamExamples
        self.contributions = contributions
        self.unknownTokens = unknownTokens
    }
}

public enum SingleMessageScorer {
    /// Reads the current model's header, the weights of the message's own tokens and the example counts in one
    /// read snapshot, and scores the message exactly as the bulk path would.
    /// `explaining` asks for each token's part too (`contributions`; for a network model a forward pass per token).
    /// `countingExamplesUpTo` caps the example counts reported, per label (the delivery path only asks whether
    /// there are enough of each); nil counts them all.
    public static func score(
        _ tokens: TokenBag, store: any HamletStore, base: ModelOptions = ModelOptions(),
        explaining: Bool = false, countingExamplesUpTo limits: ExampleCounts? = nil
    ) throws
        -> SingleMessageScore
    {
        try store.read {
            guard let info = try store.currentModel() else { throw HamletError.noModel(store.location) }
            let options = ModelOptions(serialized: info.options, base: base)
            guard info.extractor == options.features.extractorVersion else {
                throw StoreError.mixedFeatureSpaces(stored: info.extractor, current: options.features.extractorVersion)
            }
            let scored = try options.training.model.family.score(
                tokens, info: info, options: options, store: store, explaining: explaining)
            let counts = try limits.map { try store.exampleCounts(upTo: $0) } ?? store.exampleCounts()
            return SingleMessageScore(
                logit: scored.logit, modelID: info.id, bias: scored.bias, spamExamples: counts.spam,
                hamExamples: counts.ham, contributions: scored.contributions,
                unknownTokens: tokens.distinctCount - scored.knownTokens)
        }
    }
}
