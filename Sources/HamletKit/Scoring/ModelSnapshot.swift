import Learning
import SpamStore
import TextFeatures

/// One model version held in memory for bulk scoring: the vocabulary, the model and the settings it was trained
/// with. Immutable, so many threads can score with it at once.
public struct ModelSnapshot: Sendable {
    public let modelID: Int64
    public let vocabulary: Vocabulary
    public let model: any SpamModel
    public let options: ModelOptions

    public init(modelID: Int64, vocabulary: Vocabulary, model: any SpamModel, options: ModelOptions) {
        self.modelID = modelID
        self.vocabulary = vocabulary
        self.model = model
        self.options = options
    }

    /// Loads the store's current model in one read snapshot.
    public static func load(from store: any HamletStore, base: ModelOptions = ModelOptions()) throws -> ModelSnapshot {
        try store.read {
            guard let info = try store.currentModel() else { throw HamletError.noModel(store.location) }
            let options = ModelOptions(serialized: info.options, base: base)
            guard info.extractor == options.features.extractorVersion else {
                throw StoreError.mixedFeatureSpaces(stored: info.extractor, current: options.features.extractorVersion)
            }
            // The largest id bounds the count (and is one index look-up, where a count reads every token).
            var vocabulary = Vocabulary(capacity: Int(try store.maxTokenID()))
            var maxID: Int32 = 0
            try store.forEachScoredToken(modelID: info.id) {
                vocabulary.set($0, id: $1); maxID = max(maxID, $1)
            }
            // After `db prune` ids have gaps, so the largest sizes the model, not the count.
            return ModelSnapshot(
                modelID: info.id, vocabulary: vocabulary,
                model: try options.training.model.family.load(
                    info, options: options, store: store, featureCount: Int(maxID) + 1),
                options: options)
        }
    }

    /// The log-odds of spam for a message's tokens.
    public func logit(_ tokens: TokenBag) -> Double {
        model.logit(options.features.vector(bag: tokens, vocabulary: vocabulary))
    }
}
