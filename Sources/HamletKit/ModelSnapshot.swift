import Learning
import SpamStore
import TextFeatures

/// One model version held in memory for bulk scoring: the vocabulary, the dense weights and the settings it was
/// trained with. Immutable, so many threads can score with it at once.
public struct ModelSnapshot: Sendable {
    public let modelID: Int64
    public let vocabulary: [String: Int32]
    public let model: LogisticRegression
    public let options: ModelOptions

    public init(modelID: Int64, vocabulary: [String: Int32], model: LogisticRegression, options: ModelOptions) {
        self.modelID = modelID
        self.vocabulary = vocabulary
        self.model = model
        self.options = options
    }

    /// Loads the store's current model in one read snapshot.
    public static func load(from store: SQLiteStore, base: ModelOptions = ModelOptions()) throws -> ModelSnapshot {
        try store.read {
            guard let info = try store.currentModel() else { throw HamletError.noModel(store.path) }
            let options = ModelOptions(serialized: info.options, base: base)
            guard info.extractor == options.features.extractorVersion else {
                throw StoreError.mixedFeatureSpaces(stored: info.extractor, current: options.features.extractorVersion)
            }
            return ModelSnapshot(modelID: info.id, vocabulary: try store.vocabulary(),
                                 model: LogisticRegression(weights: try store.denseWeights(modelID: info.id), bias: info.bias),
                                 options: options)
        }
    }

    /// The log-odds of spam for a message's tokens.
    public func logit(_ tokens: TokenBag) -> Double {
        model.logit(options.features.vector(bag: tokens, ids: { vocabulary[$0] }))
    }
}

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
    /// Every token of the message the model knows, with its part in the score.
    public var contributions: [TokenContribution]
    public var unknownTokens: Int
}

public enum SingleMessageScorer {
    /// Reads the current model's header, the weights of the message's own tokens and the example counts in one
    /// read snapshot, and scores the message exactly as the bulk path would.
    public static func score(_ tokens: TokenBag, store: SQLiteStore, base: ModelOptions = ModelOptions()) throws
        -> SingleMessageScore
    {
        try store.read {
            guard let info = try store.currentModel() else { throw HamletError.noModel(store.path) }
            let options = ModelOptions(serialized: info.options, base: base)
            guard info.extractor == options.features.extractorVersion else {
                throw StoreError.mixedFeatureSpaces(stored: info.extractor, current: options.features.extractorVersion)
            }
            let known = try store.weights(modelID: info.id, tokens: Array(tokens.counts.keys))
            let vector = options.features.vector(bag: tokens, ids: { known[$0]?.id })
            var weightByID: [Int32: Double] = [:]
            var tokenByID: [Int32: String] = [:]
            for (token, entry) in known {
                weightByID[entry.id] = entry.weight
                tokenByID[entry.id] = token
            }
            // Sum in id order, exactly as the dense path does, so both give the same bits.
            var sum = 0.0
            var contributions: [TokenContribution] = []
            contributions.reserveCapacity(vector.indices.count)
            for k in 0..<vector.indices.count {
                let id = vector.indices[k]
                let weight = weightByID[id] ?? 0
                sum += weight * vector.values[k]
                let token = tokenByID[id] ?? ""
                contributions.append(TokenContribution(token: token, count: tokens.counts[token] ?? 0, weight: weight,
                                                       contribution: weight * vector.values[k]))
            }
            let counts = try store.exampleCounts()
            return SingleMessageScore(logit: sum + info.bias, modelID: info.id, bias: info.bias, spamExamples: counts.spam,
                                      hamExamples: counts.ham, contributions: contributions,
                                      unknownTokens: tokens.distinctCount - known.count)
        }
    }
}
