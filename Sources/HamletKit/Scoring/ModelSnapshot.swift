import Learning
import SpamStore
import TextFeatures

/// One model version held in memory for bulk scoring: the vocabulary, the dense weights and the settings it was
/// trained with. Immutable, so many threads can score with it at once.
public struct ModelSnapshot: Sendable {
    public let modelID: Int64
    public let vocabulary: Vocabulary
    public let model: TrainedModel
    public let options: ModelOptions

    public init(modelID: Int64, vocabulary: Vocabulary, model: TrainedModel, options: ModelOptions) {
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
            var vocabulary = Vocabulary(capacity: try store.vocabularySize())
            var maxID: Int32 = 0
            try store.forEachToken {
                vocabulary.set($0, id: $1); maxID = max(maxID, $1)
            }
            // Ids are SQLite row ids: after `db prune` they have gaps, so the largest sizes the model, not the count.
            return ModelSnapshot(
                modelID: info.id, vocabulary: vocabulary,
                model: try loadModel(info, options: options, store: store, featureCount: Int(maxID) + 1),
                options: options)
        }
    }

    /// A stored model version in memory, for scoring (call inside `read` or `write`).
    static func loadModel(_ info: ModelInfo, options: ModelOptions, store: SQLiteStore, featureCount: Int) throws
        -> TrainedModel
    {
        switch options.training.model {
        case .logreg:
            return .linear(LogisticRegression(weights: try store.denseWeights(modelID: info.id), bias: info.bias))
        case .softmax, .mlp:
            let shape = NetworkTrainer.shape(options.training)
            let width = shape.firstWidth
            let tail = try storedNetworkTail(info, shape: shape, store: store).tail
            var network = SparseNetwork(shape: shape, seed: options.training.seed, rows: [], tail: tail)
            var rows = [Double](repeating: 0, count: featureCount * width)
            for (id, row) in try store.networkRows(modelID: info.id) where Int(id) < featureCount && row.count >= width
            {
                for u in 0..<width { rows[Int(id) * width + u] = row[u] }
            }
            network.rows = rows
            return .network(network)
        }
    }

    /// The log-odds of spam for a message's tokens.
    public func logit(_ tokens: TokenBag) -> Double {
        model.logit(options.features.vector(bag: tokens, vocabulary: vocabulary))
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
    /// Every token of the message the model knows, with its part in the score (only when scored with
    /// `explaining`).
    public var contributions: [TokenContribution]
    public var unknownTokens: Int
}

public enum SingleMessageScorer {
    /// Reads the current model's header, the weights of the message's own tokens and the example counts in one
    /// read snapshot, and scores the message exactly as the bulk path would.
    /// `explaining` asks for each token's part too (`contributions`; for a network model a forward pass per token).
    /// `countingExamplesUpTo` caps the example counts reported, per label (the delivery path only asks whether
    /// there are enough of each); nil counts them all.
    public static func score(
        _ tokens: TokenBag, store: SQLiteStore, base: ModelOptions = ModelOptions(),
        explaining: Bool = false, countingExamplesUpTo limits: ExampleCounts? = nil
    ) throws
        -> SingleMessageScore
    {
        try store.read {
            guard let info = try store.currentModel() else { throw HamletError.noModel(store.path) }
            let options = ModelOptions(serialized: info.options, base: base)
            guard info.extractor == options.features.extractorVersion else {
                throw StoreError.mixedFeatureSpaces(stored: info.extractor, current: options.features.extractorVersion)
            }
            if options.training.model != .logreg {
                return try scoreWithNetwork(
                    tokens, info: info, options: options, store: store, explaining: explaining,
                    countingExamplesUpTo: limits)
            }
            let texts = tokens.tokens.map(\.token)
            let known = try store.weights(modelID: info.id, tokens: texts)
            let vector = options.features.vector(bag: tokens, texts: texts, stringIDs: { known[$0]?.id })
            // The known tokens' weights as a sparse vector: the same ids as `vector`, in the same (sorted) order,
            // so the sum runs in id order exactly as the dense path's does and gives the same bits.
            let weights = SparseVector(unsortedPairs: known.values.map { ($0.id, $0.weight) })
            var sum = 0.0
            for k in 0..<vector.indices.count { sum += weights.values[k] * vector.values[k] }
            var contributions: [TokenContribution] = []
            if explaining {
                var tokenByID: [Int32: String] = [:]
                for (token, entry) in known { tokenByID[entry.id] = token }
                contributions.reserveCapacity(vector.indices.count)
                for k in 0..<vector.indices.count {
                    let token = tokenByID[vector.indices[k]] ?? ""
                    contributions.append(
                        TokenContribution(
                            token: token, count: tokens.count(of: token), weight: weights.values[k],
                            contribution: weights.values[k] * vector.values[k]))
                }
            }
            let counts = try limits.map { try store.exampleCounts(upTo: $0) } ?? store.exampleCounts()
            return SingleMessageScore(
                logit: sum + info.bias, modelID: info.id, bias: info.bias, spamExamples: counts.spam,
                hamExamples: counts.ham, contributions: contributions,
                unknownTokens: tokens.distinctCount - known.count)
        }
    }
}

extension SingleMessageScorer {
    /// A network model scores a message from its own tokens' rows, remapped to a small local network. A token's
    /// part in the score is how far the log-odds fall when it alone is left out.
    static func scoreWithNetwork(
        _ tokens: TokenBag, info: ModelInfo, options: ModelOptions, store: SQLiteStore,
        explaining: Bool, countingExamplesUpTo limits: ExampleCounts?
    ) throws
        -> SingleMessageScore
    {
        let shape = NetworkTrainer.shape(options.training)
        let width = shape.firstWidth
        let tail = try storedNetworkTail(info, shape: shape, store: store).tail
        let texts = tokens.tokens.map(\.token)
        let known = try store.networkRows(modelID: info.id, tokens: texts)
        let vector = options.features.vector(bag: tokens, texts: texts, stringIDs: { known[$0]?.id })
        var tokenByID: [Int32: String] = [:]
        var rowByID: [Int32: [Double]] = [:]
        for (token, entry) in known {
            tokenByID[entry.id] = token
            rowByID[entry.id] = entry.row
        }
        // Local ids 0..<n in the vector's (sorted) order keep the sum in the same order as the bulk path.
        var rows: [Double] = []
        rows.reserveCapacity(vector.count * width)
        for id in vector.indices {
            let row = rowByID[id] ?? []
            for u in 0..<width { rows.append(u < row.count ? row[u] : 0) }
        }
        let network = SparseNetwork(shape: shape, seed: options.training.seed, rows: rows, tail: tail)
        let local = SparseVector(indices: (0..<Int32(vector.count)).map { $0 }, values: vector.values)
        let logit = network.logit(local)
        var contributions: [TokenContribution] = []
        contributions.reserveCapacity(vector.count)
        for k in 0..<vector.count where explaining {
            var without = local
            without.values[k] = 0
            let token = tokenByID[vector.indices[k]] ?? ""
            let row = Array(rows[(k * width)..<((k + 1) * width)])
            let size = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            contributions.append(
                TokenContribution(
                    token: token, count: tokens.count(of: token), weight: size,
                    contribution: logit - network.logit(without)))
        }
        let counts = try limits.map { try store.exampleCounts(upTo: $0) } ?? store.exampleCounts()
        return SingleMessageScore(
            logit: logit, modelID: info.id, bias: 0, spamExamples: counts.spam,
            hamExamples: counts.ham, contributions: contributions,
            unknownTokens: tokens.distinctCount - known.count)
    }
}
