import Learning
import SpamStore
import TextFeatures

/// Softmax regression and the MLP: a sparse first layer, one row of `width` weights a token, kept as `.vector`
/// rows (the weights, then their AdaGrad accumulators), and the rest of the network in the parameters (its
/// values, then their accumulators). In place it takes incremental steps on the changed examples; it cannot
/// take a forgotten example back, so forgetting refits.
enum NetworkFamily: ModelFamily {
    struct Fit: FittedModel {
        var network: SparseNetwork
        var state: NetworkState

        var model: any SpamModel { network }
        var rows: ModelRows {
            ModelRows(layout: .vector(width: network.firstWidth), weights: network.rows, accumulators: state.rows)
        }
        var parameters: [Double] { network.tail + state.tail }

        func inStoreOrder(_ storedID: [Int32]) -> any FittedModel {
            let width = network.firstWidth
            let accumulators =
                state.rows.count == network.rows.count
                ? rowsInStoreOrder(state.rows, width: width, storedID: storedID) : state.rows
            return Fit(
                network: SparseNetwork(
                    shape: network.shape, seed: network.seed,
                    rows: rowsInStoreOrder(network.rows, width: width, storedID: storedID), tail: network.tail),
                state: NetworkState(rows: accumulators, tail: state.tail))
        }
    }

    static func fit(_ examples: [LabeledExample], featureCount: Int, options: TrainingOptions, jobs: Int)
        -> (fitted: any FittedModel, report: TrainingReport)
    {
        let (model, state, report) = NetworkTrainer.fit(
            examples, featureCount: featureCount, options: options, jobs: jobs)
        return (Fit(network: model, state: state), report)
    }

    /// The stored network's parameters after the first layer and their accumulators; a model whose stored
    /// parameters do not match the shape its options describe is an error.
    static func tail(_ info: ModelInfo, shape: NetworkShape, store: any HamletStore) throws -> (
        tail: [Double], accumulators: [Double]
    ) {
        let count = SparseNetwork.tailCount(shape)
        guard info.parameters.count == 2 * count else {
            throw StoreError.notAStore(
                path: store.location, reason: "model \(info.id) does not have the parameters its options describe")
        }
        return (Array(info.parameters[..<count]), Array(info.parameters[count...]))
    }

    static func load(_ info: ModelInfo, options: ModelOptions, store: any HamletStore, featureCount: Int) throws
        -> any SpamModel
    {
        let shape = NetworkTrainer.shape(options.training)
        let width = shape.firstWidth
        var network = SparseNetwork(
            shape: shape, seed: options.training.seed, rows: [], tail: try tail(info, shape: shape, store: store).tail)
        var rows = [Double](repeating: 0, count: featureCount * width)
        try store.forEachModelRow(modelID: info.id) { id, row in
            guard id >= 0, Int(id) < featureCount, row.count >= width else { return }
            for u in 0..<width { rows[Int(id) * width + u] = row[u] }
        }
        network.rows = rows
        return network
    }

    /// The message's tokens' rows, remapped to a small local network. A token's part in the score is how far the
    /// log-odds fall when it alone is left out.
    static func score(
        _ tokens: TokenBag, info: ModelInfo, options: ModelOptions, store: any HamletStore, explaining: Bool
    ) throws -> MessageScore {
        let shape = NetworkTrainer.shape(options.training)
        let width = shape.firstWidth
        let tail = try tail(info, shape: shape, store: store).tail
        let texts = tokens.tokens.map(\.token)
        var idOf: [String: Int32] = [:]
        var tokenByID: [Int32: String] = [:]
        var rowByID: [Int32: [Double]] = [:]
        try store.forEachModelRow(modelID: info.id, tokens: texts) { token, id, row in
            idOf[token] = id
            tokenByID[id] = token
            rowByID[id] = Array(row)
        }
        let vector = options.features.vector(bag: tokens, texts: texts, stringIDs: { idOf[$0] })
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
        return MessageScore(logit: logit, bias: 0, contributions: contributions, knownTokens: idOf.count)
    }

    static var unlearnsInPlace: Bool { false }

    /// Incremental steps on the changed examples with their new labels (three times as many when an example moved,
    /// which must undo its old label): the batch's rows (stored, or their seeded initial values for new tokens)
    /// and the other parameters, updated in place.
    static func learnInPlace(_ updates: [ExampleUpdate], into info: ModelInfo, context: InPlaceContext) throws {
        let store = context.store
        var options = context.options
        if updates.contains(where: { $0.before != nil }) { options.training.incrementalSteps *= 3 }
        let learned = updates.compactMap { update in update.after.map { (counts: update.counts, isSpam: $0) } }
        let shape = NetworkTrainer.shape(options.training)
        let width = shape.firstWidth
        let (tail, tailAccumulators) = try tail(info, shape: shape, store: store)
        let local = LocalTokenIndex(learned.map(\.counts))
        let globalIDs = local.storeIDs
        let signs = try store.tokenIDs(
            LocalTokenIndex(updates.map(\.counts)).storeIDs, where: { TokenKind.of($0) == .sign })
        var stored: [Int32: [Double]] = [:]
        try store.forEachModelRow(modelID: info.id, tokenIDs: globalIDs) { stored[$0] = Array($1) }
        var rows: [Double] = [], accumulators: [Double] = []
        for id in globalIDs {
            if let row = stored[id], row.count == 2 * width {
                rows += row[..<width]
                accumulators += row[width...]
            } else {
                rows += SparseNetwork.initialRow(shape: shape, seed: options.training.seed, feature: Int(id))
                accumulators += repeatElement(0, count: width)
            }
        }
        var network = SparseNetwork(shape: shape, seed: options.training.seed, rows: rows, tail: tail)
        var networkState = NetworkState(rows: accumulators, tail: tailAccumulators)
        let settings = options.features
        for item in learned {
            let remapped = local.remap(settings.vector(counts: item.counts, isSign: signs.contains))
            NetworkTrainer.learn(
                LabeledExample(features: remapped, isSpam: item.isSpam), into: &network, state: &networkState,
                options: options.training)
        }
        let changed = globalIDs.enumerated().map { offset, id in
            (
                tokenID: id,
                row: Array(network.rows[(offset * width)..<((offset + 1) * width)])
                    + Array(networkState.rows[(offset * width)..<((offset + 1) * width)])
            )
        }
        try store.updateModel(
            id: info.id, exampleCount: context.exampleCount, changes: context.storeChanges,
            layout: .vector(width: width), parameters: network.tail + networkState.tail, changedRows: changed)
    }
}
