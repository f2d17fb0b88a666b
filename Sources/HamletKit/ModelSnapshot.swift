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
    public static func load(from store: SQLiteStore) throws -> ModelSnapshot {
        try store.read {
            guard let info = try store.currentModel() else { throw HamletError.noModel(store.path) }
            let options = ModelOptions(serialized: info.options)
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

/// Scores one message by reading only its own tokens' weights from the store (the delivery path).
public enum SingleMessageScorer {
    public static func logit(_ tokens: TokenBag, store: SQLiteStore) throws -> (logit: Double, modelID: Int64) {
        try store.read {
            guard let info = try store.currentModel() else { throw HamletError.noModel(store.path) }
            let options = ModelOptions(serialized: info.options)
            guard info.extractor == options.features.extractorVersion else {
                throw StoreError.mixedFeatureSpaces(stored: info.extractor, current: options.features.extractorVersion)
            }
            let known = try store.weights(modelID: info.id, tokens: Array(tokens.counts.keys))
            let vector = options.features.vector(bag: tokens, ids: { known[$0]?.id })
            var weightByID: [Int32: Double] = [:]
            for (_, entry) in known { weightByID[entry.id] = entry.weight }
            // Sum in id order, exactly as the dense path does, so both give the same bits.
            var sum = 0.0
            for k in 0..<vector.indices.count { sum += (weightByID[vector.indices[k]] ?? 0) * vector.values[k] }
            return (sum + info.bias, info.id)
        }
    }
}
